import { ballPositionAt, type Simulation } from './physics.js';

/**
 * A fixed orthographic camera. Pixel coordinates follow the centroid convention: the centre of
 * pixel (column i, row j) is at (i, j), so a pixel covers [i − ½, i + ½]; y grows downwards.
 */
export interface Camera {
  pxPerM: number;
  /** Pixel x of the world origin. */
  originXPx: number;
  /** Pixel y of the floor (world y = 0); it lies between two pixel rows. */
  floorYPx: number;
}

export const CAMERA_DEFAULTS = {
  /** The floor line sits at this fraction of the frame height. */
  floorAtHeightFraction: 0.86,
  /** Free border kept around the motion, as a fraction of the frame size. */
  marginFraction: 0.06,
  /** Samples per ball to find the extent of the motion (on top of every event time). */
  extentSamples: 2000,
  /** Length of table kept in view behind its edge, m. */
  tableInViewM: 0.3,
} as const;

/** Chooses the scale and origin so every ball, at every moment of the clip, fits with a margin. */
export function chooseCamera(simulation: Simulation, width: number, height: number): Camera {
  const { durationS, balls, table } = simulation.spec;
  let minXM = Infinity;
  let maxXM = -Infinity;
  let maxYM = 0;
  simulation.balls.forEach((history, index) => {
    const radiusM = balls[index]?.radiusM ?? 0;
    const times = history.segments.map((segment) => segment.startS);
    for (let k = 0; k <= CAMERA_DEFAULTS.extentSamples; k += 1) times.push((k / CAMERA_DEFAULTS.extentSamples) * durationS);
    for (const timeS of times) {
      const { xM, yM } = ballPositionAt(history, timeS);
      minXM = Math.min(minXM, xM - radiusM);
      maxXM = Math.max(maxXM, xM + radiusM);
      maxYM = Math.max(maxYM, yM + radiusM);
    }
  });
  if (table !== null) {
    minXM = Math.min(minXM, table.edgeXM - CAMERA_DEFAULTS.tableInViewM);
    maxXM = Math.max(maxXM, table.edgeXM);
    maxYM = Math.max(maxYM, table.heightM);
  }
  const floorYPx = Math.round(CAMERA_DEFAULTS.floorAtHeightFraction * height) - 0.5;
  const marginXPx = CAMERA_DEFAULTS.marginFraction * width;
  const marginYPx = CAMERA_DEFAULTS.marginFraction * height;
  const spanXM = Math.max(maxXM - minXM, 1e-6);
  const spanYM = Math.max(maxYM, 1e-6);
  const pxPerM = Math.min((width - 2 * marginXPx) / spanXM, (floorYPx - marginYPx) / spanYM);
  // Centre the motion horizontally; pixel centres run from 0 to width − 1.
  const originXPx = (width - 1) / 2 - ((minXM + maxXM) / 2) * pxPerM;
  return { pxPerM, originXPx, floorYPx };
}

export function toPixels(camera: Camera, xM: number, yM: number): { xPx: number; yPx: number } {
  return { xPx: camera.originXPx + xM * camera.pxPerM, yPx: camera.floorYPx - yM * camera.pxPerM };
}
