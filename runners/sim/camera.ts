import type { RasterSize } from './frame-buffer.js';
import { ballPositionAt, type Simulation } from './physics.js';
import { mulberry32 } from './prng.js';

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

export const SHAKE_DEFAULTS = {
  /** Sinusoids summed per axis. */
  components: 8,
  /** Their frequencies are log-uniform over this band, Hz: the slow sway and tremor of a hand-held camera. */
  minFrequencyHz: 0.3,
  maxFrequencyHz: 4,
} as const;

/**
 * Per-frame offset [dx, dy] of a hand-held camera, frame px: what the scene moves by in the image
 * (image(x) = scene(x − d)). Each axis is a sum of sinusoids with random frequencies, phases and
 * amplitudes ∝ 1/f, scaled to an expected RMS of `shakePx` (Σ aᵢ²/2 = shakePx²): a smooth random
 * path, a function of time, so one seed gives the same motion at every frame rate.
 */
export function cameraShakeOffsets(shakePx: number, seed: number, frameCount: number, fps: number): Array<[number, number]> {
  const uniform = mulberry32(seed ^ 0x5ca3_e0ff);
  const { components, minFrequencyHz, maxFrequencyHz } = SHAKE_DEFAULTS;
  const axes = [0, 1].map(() => {
    const waves = Array.from({ length: components }, () => {
      const frequencyHz = minFrequencyHz * (maxFrequencyHz / minFrequencyHz) ** uniform();
      return { frequencyHz, phase: 2 * Math.PI * uniform(), weight: (0.5 + uniform()) / frequencyHz };
    });
    const scale = shakePx / Math.sqrt(waves.reduce((sum, w) => sum + (w.weight * w.weight) / 2, 0));
    return waves.map((w) => ({ ...w, amplitudePx: w.weight * scale }));
  });
  return Array.from({ length: frameCount }, (_, k): [number, number] => {
    const timeS = k / fps;
    const [dx, dy] = axes.map((waves) => waves.reduce((sum, w) => sum + w.amplitudePx * Math.sin(2 * Math.PI * w.frequencyHz * timeS + w.phase), 0));
    return [dx ?? 0, dy ?? 0];
  });
}

/**
 * The RGB24 frame as a camera moved by (dx, dy) px sees it: out(x, y) = in(x − dx, y − dy) by
 * bilinear interpolation, with the edge rows and columns extended where the source leaves the frame.
 */
export function translateFrame(rgb: Uint8Array, size: RasterSize, dxPx: number, dyPx: number): Uint8Array {
  const { width, height } = size;
  const out = new Uint8Array(rgb.length);
  // Source columns (and rows) with their weights, shared by every row (column).
  const columns = sourceTaps(width, dxPx);
  const rows = sourceTaps(height, dyPx);
  for (let y = 0; y < height; y += 1) {
    const r0 = (rows.index0[y] as number) * width;
    const r1 = (rows.index1[y] as number) * width;
    const wy = rows.weight1[y] as number;
    for (let x = 0; x < width; x += 1) {
      const c0 = columns.index0[x] as number;
      const c1 = columns.index1[x] as number;
      const wx = columns.weight1[x] as number;
      const o = 3 * (y * width + x);
      for (let c = 0; c < 3; c += 1) {
        const top = (rgb[3 * (r0 + c0) + c] as number) * (1 - wx) + (rgb[3 * (r0 + c1) + c] as number) * wx;
        const bottom = (rgb[3 * (r1 + c0) + c] as number) * (1 - wx) + (rgb[3 * (r1 + c1) + c] as number) * wx;
        out[o + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return out;
}

/** For each output index i, the two source indices around i − shift (clamped to the frame) and the weight of the second. */
function sourceTaps(length: number, shiftPx: number): { index0: Int32Array; index1: Int32Array; weight1: Float32Array } {
  const index0 = new Int32Array(length);
  const index1 = new Int32Array(length);
  const weight1 = new Float32Array(length);
  for (let i = 0; i < length; i += 1) {
    const source = Math.min(length - 1, Math.max(0, i - shiftPx));
    const floor = Math.floor(source);
    index0[i] = floor;
    index1[i] = Math.min(length - 1, floor + 1);
    weight1[i] = source - floor;
  }
  return { index0, index1, weight1 };
}
