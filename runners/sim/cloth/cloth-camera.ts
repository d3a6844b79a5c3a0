import type { Camera } from '../camera.js';
import { CAMERA_DEFAULTS } from '../camera.js';
import type { ClothSimulation } from './cloth-physics.js';

/**
 * A fixed oblique (cabinet-like) view from in front and a little above: depth z lifts a point on
 * screen by OBLIQUE_DEPTH_LIFT · z, so a flat sheet shows its texture. x and y as in camera.ts.
 */
export const OBLIQUE_DEPTH_LIFT = 0.35;

export function projectCloth(camera: Camera, xM: number, yM: number, zM: number): { xPx: number; yPx: number } {
  return { xPx: camera.originXPx + xM * camera.pxPerM, yPx: camera.floorYPx - (yM + OBLIQUE_DEPTH_LIFT * zM) * camera.pxPerM };
}

/** Scale and origin so the cloth at every frame, the box and the pole fit in the frame with a margin. */
export function chooseClothCamera(simulation: ClothSimulation, width: number, height: number): Camera {
  const { scene } = simulation;
  let minXM = Infinity;
  let maxXM = -Infinity;
  let maxLiftM = 0;
  for (const p of simulation.positions) {
    for (let i = 0; i < p.length; i += 3) {
      minXM = Math.min(minXM, p[i] as number);
      maxXM = Math.max(maxXM, p[i] as number);
      maxLiftM = Math.max(maxLiftM, (p[i + 1] as number) + OBLIQUE_DEPTH_LIFT * (p[i + 2] as number));
    }
  }
  if (scene.box !== null) {
    minXM = Math.min(minXM, -scene.box.halfWidthM);
    maxXM = Math.max(maxXM, scene.box.halfWidthM);
    maxLiftM = Math.max(maxLiftM, scene.box.topM + OBLIQUE_DEPTH_LIFT * scene.box.halfDepthM);
  }
  const floorYPx = Math.round(CAMERA_DEFAULTS.floorAtHeightFraction * height) - 0.5;
  const marginXPx = CAMERA_DEFAULTS.marginFraction * width;
  const marginYPx = CAMERA_DEFAULTS.marginFraction * height;
  const pxPerM = Math.min((width - 2 * marginXPx) / Math.max(maxXM - minXM, 1e-6), (floorYPx - marginYPx) / Math.max(maxLiftM, 1e-6));
  const originXPx = (width - 1) / 2 - ((minXM + maxXM) / 2) * pxPerM;
  return { pxPerM, originXPx, floorYPx };
}
