import { CAMERA_DEFAULTS, toPixels, type Camera } from '../camera.js';
import type { FluidContainer } from './fluid-scene.js';

/** Look of a glass container, in one place. */
export const CONTAINER_LOOK = {
  /** Wall and base thickness, m (drawn at least `minWallPx`). */
  wallM: 0.003,
  minWallPx: 1.5,
} as const;

/** A world-space box the camera must show, m. */
export interface ViewBox {
  minXM: number;
  maxXM: number;
  maxYM: number;
}

/** Side view as in camera.ts: the counter (y = 0) at the usual floor line, the box fitted with a margin and centred. */
export function chooseFluidCamera(box: ViewBox, width: number, height: number): Camera {
  const floorYPx = Math.round(CAMERA_DEFAULTS.floorAtHeightFraction * height) - 0.5;
  const marginXPx = CAMERA_DEFAULTS.marginFraction * width;
  const marginYPx = CAMERA_DEFAULTS.marginFraction * height;
  const pxPerM = Math.min((width - 2 * marginXPx) / Math.max(box.maxXM - box.minXM, 1e-6), (floorYPx - marginYPx) / Math.max(box.maxYM, 1e-6));
  const originXPx = (width - 1) / 2 - ((box.minXM + box.maxXM) / 2) * pxPerM;
  return { pxPerM, originXPx, floorYPx };
}

/** A container as drawn: inner walls, rim and inner bottom, and the wall thickness, px. */
export interface ContainerPx {
  leftPx: number;
  rightPx: number;
  rimYPx: number;
  bottomYPx: number;
  wallPx: number;
  /** The counter line the base stands on, px. */
  baseYPx: number;
}

export function containerPx(camera: Camera, container: FluidContainer): ContainerPx {
  const half = container.innerWidthM / 2;
  return {
    leftPx: toPixels(camera, -half, 0).xPx,
    rightPx: toPixels(camera, half, 0).xPx,
    rimYPx: toPixels(camera, 0, container.baseM + container.innerHeightM).yPx,
    bottomYPx: toPixels(camera, 0, container.baseM).yPx,
    wallPx: Math.max(CONTAINER_LOOK.minWallPx, CONTAINER_LOOK.wallM * camera.pxPerM),
    baseYPx: camera.floorYPx,
  };
}
