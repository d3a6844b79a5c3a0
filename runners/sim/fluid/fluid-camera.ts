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

/** How a spill is framed, in one place. */
export const SPILL_VIEW = {
  /** The table's far edge at this fraction of the frame height; the table fills the frame below it. */
  tableEdgeAtHeightFraction: 0.3,
  /** The puddle's centre at this fraction of the way down the table. */
  puddleAtTableFraction: 0.55,
  /** The final puddle fills at most this share of the table's height in the frame. */
  puddleTableShare: 0.6,
} as const;

/**
 * An oblique view of a table (the background's floor band) from in front and above: the tipped
 * glass lies to the left of the puddle's centre, its mouth there; the final puddle, an ellipse of
 * half axes r·pxPerM and r·pxPerM·sin(elevation), and the glass fit with a margin.
 */
export function chooseSpillCamera(finalRadiusM: number, glassLengthM: number, elevationDeg: number, width: number, height: number): { camera: Camera; puddleCenterPx: { xPx: number; yPx: number } } {
  const v = SPILL_VIEW;
  const floorYPx = Math.round(v.tableEdgeAtHeightFraction * height) - 0.5;
  const tablePx = height - floorYPx;
  const marginXPx = CAMERA_DEFAULTS.marginFraction * width;
  const minXM = -Math.max(glassLengthM, finalRadiusM);
  const maxXM = finalRadiusM;
  const sinElevation = Math.sin((elevationDeg * Math.PI) / 180);
  const pxPerM = Math.min((width - 2 * marginXPx) / (maxXM - minXM), (v.puddleTableShare * tablePx) / (2 * finalRadiusM * sinElevation));
  const originXPx = (width - 1) / 2 - ((minXM + maxXM) / 2) * pxPerM;
  return { camera: { pxPerM, originXPx, floorYPx }, puddleCenterPx: { xPx: originXPx, yPx: floorYPx + v.puddleAtTableFraction * tablePx } };
}
