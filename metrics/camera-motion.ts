/**
 * Global camera motion between two frames: a translation estimated with sub-pixel accuracy on small
 * grey images, and the frame moved back into the reference's coordinates. A shaking hand-held camera
 * moves the whole scene by the same few pixels; the objects and an overlay are a small minority that
 * robust weights leave out.
 */
import { kthSmallest } from './robust-stats.js';

/** Settings of the shift estimate, in one place. */
export const CAMERA_MOTION_DEFAULTS = {
  /** The estimate runs on grey images reduced by an integer factor to about this width, px. */
  reducedWidthPx: 160,
  /** Coarser levels (each half the size) down to at least this width, so shifts of several px converge. */
  minLevelWidthPx: 40,
  maxIterations: 12,
  /** An iteration moving the estimate less than this (px of the level) ends the level. */
  convergencePx: 0.001,
  /**
   * Residuals are weighted by Tukey's biweight (1 − u²)², u = e / (k·√(σ² + ρ²·|∇R|²)): σ their robust
   * spread, ρ the shift still in doubt (1 px of the level at first, then twice the last step), k Tukey's 4.685.
   * An edge that is not yet aligned stays in; a ball or overlay on flat scenery drops out.
   */
  robustScale: 4.685,
  /** Floor of σ, grey levels (noise-free frames, quantisation). */
  minNoiseGrey: 0.5,
  /** Floor of ρ, px of the level. */
  minReachPx: 0.05,
  /** Grey levels from this up (in either image) may be clipped at 255, blurred: left out of the fit. */
  clippedGrey: 235,
  /** An estimate that could use less than this share of the pixels is not trusted. */
  minUsedShare: 0.5,
  /**
   * An axis whose shift is known no better than this (standard error, analysis px) is taken as not
   * moved: scenery without texture across it (a plain table, a wall with only a floor line) lets the
   * estimate wander by tenths of a pixel after the balls' faint traces in the background model.
   */
  maxStdErrPx: 0.05,
  /** Below this shift, analysis px, a frame is taken as it is: a still camera is never resampled. */
  minShiftPx: 0.05,
} as const;

/** A grey image, row-major. */
export interface GreyImage {
  width: number;
  height: number;
  values: Float32Array;
}

/** A grey image reduced by `factor` from the analysis frame, then its coarser levels. */
export interface GreyPyramid {
  factor: number;
  levels: GreyImage[];
}

/** A translation in analysis px: the scene in `frame` sits at its place in `reference` moved by (dxPx, dyPx). */
export interface ShiftEstimate {
  dxPx: number;
  dyPx: number;
  /** Brightness of the frame against the reference; 1 when not estimated. */
  exposure: number;
  /** Share of the finest level's pixels the fit could use (not clipped, inside both images). */
  usedShare: number;
  /** Standard errors of dxPx and dyPx, analysis px (σ²·H⁻¹ of the last Gauss–Newton step); 0 when not estimated. */
  stdErrPx: [number, number];
}

/** No motion, same brightness. */
export const STILL: ShiftEstimate = { dxPx: 0, dyPx: 0, exposure: 1, usedShare: 1, stdErrPx: [0, 0] };

/** The integer reduction that brings `width` to about `reducedWidthPx` (1 for small frames). */
export function reductionFactor(width: number, reducedWidthPx: number = CAMERA_MOTION_DEFAULTS.reducedWidthPx): number {
  return Math.max(1, Math.floor(width / reducedWidthPx));
}

/** BT.601 luma weights, as `lumaOf` in analyze-video.ts gives an RGB-decoded frame's grey (the compensator reduces from RGB whichever way the frame came). */
const LUMA_R = 77 / 256;
const LUMA_G = 150 / 256;
const LUMA_B = 29 / 256;

/**
 * A reduction's taps: for each output index X, `taps` source indices (clamped to the input) weighted
 * by `weight`, the same for every X. From `insideFrom` to `insideTo` no index is clamped: they run on
 * from index[X·taps] by one a tap, and by `factor` from one output to the next.
 */
interface Taps {
  taps: number;
  weight: Float32Array;
  index: Int32Array;
  factor: number;
  insideFrom: number;
  insideTo: number;
}

/** Taps of a reduction come in groups of this many, so the loops over them are unrolled. */
const TAP_GROUP = 4;

/**
 * The taps of a reduction by `factor`: a triangle of half-width `factor` centred on the output pixel's
 * centre factor·X + (factor − 1) / 2, padded with zero weights to a whole number of TAP_GROUPs (a zero
 * weight adds nothing to the sums). The centre sits at the same fraction of a pixel for every X, so the
 * weights do not depend on X. A box would lock thin lines (tile joints) to its grid: a line moving by
 * half a pixel inside one box leaves the reduced image unchanged.
 */
function tentTaps(outLength: number, inLength: number, factor: number): Taps {
  // The integers i with |i − centre| < factor, from centre − factor + firstOffset.
  const offset = (factor - 1) / 2;
  const firstOffset = Math.floor(offset - factor) + 1;
  const weighted = Math.ceil(offset + factor) - firstOffset;
  const taps = TAP_GROUP * Math.ceil(weighted / TAP_GROUP);
  const weight = new Float32Array(taps);
  let sum = 0;
  for (let t = 0; t < taps; t++) {
    const w = Math.max(0, 1 - Math.abs(firstOffset + t - offset) / factor);
    weight[t] = w;
    sum += w;
  }
  for (let t = 0; t < taps; t++) weight[t] = (weight[t] as number) / sum;
  const index = new Int32Array(outLength * taps);
  let insideFrom = outLength;
  let insideTo = 0;
  for (let X = 0; X < outLength; X++) {
    const first = factor * X + firstOffset;
    for (let t = 0; t < taps; t++) index[X * taps + t] = Math.min(inLength - 1, Math.max(0, first + t));
    if (first >= 0 && first + taps <= inLength) {
      insideFrom = Math.min(insideFrom, X);
      insideTo = X + 1;
    }
  }
  return { taps, weight, index, factor, insideFrom: Math.min(insideFrom, insideTo), insideTo };
}

/** One row of RGB24 bytes as luma: (77·R + 150·G + 29·B) / 256, the same double as LUMA_R·R + LUMA_G·G + LUMA_B·B (every term and sum is exact), without the float products. */
function lumaRowOfBytes(rgb: Uint8Array, start: number, width: number, luma: Float32Array): void {
  for (let x = 0, p = start; x < width; x++, p += 3) luma[x] = (77 * (rgb[p] as number) + 150 * (rgb[p + 1] as number) + 29 * (rgb[p + 2] as number)) * (1 / 256);
}

/** One row of float RGB as luma (a background model). */
function lumaRowOfFloats(rgb: Float32Array, start: number, width: number, luma: Float32Array): void {
  for (let x = 0, p = start; x < width; x++, p += 3) luma[x] = LUMA_R * (rgb[p] as number) + LUMA_G * (rgb[p + 1] as number) + LUMA_B * (rgb[p + 2] as number);
}

type ScratchBuffer = 'luma' | 'rows' | 'reduced' | 'across' | 'smoothedOnce' | 'gradX' | 'gradY' | 'used' | 'median';

/**
 * Buffers the reduction and the fit reuse from call to call, grown to the largest size asked for (the
 * calls are synchronous and never return them): allocating them per frame cost more in garbage collection.
 */
const scratch: Record<ScratchBuffer, Float32Array> = {
  luma: new Float32Array(0),
  rows: new Float32Array(0),
  reduced: new Float32Array(0),
  across: new Float32Array(0),
  smoothedOnce: new Float32Array(0),
  gradX: new Float32Array(0),
  gradY: new Float32Array(0),
  used: new Float32Array(0),
  median: new Float32Array(0),
};

/** `buffer` when it holds `length` values, else a new one that does. */
function atLeast(buffer: Float32Array, length: number): Float32Array {
  return buffer.length >= length ? buffer : new Float32Array(length);
}

/** Luma reduced by `factor` with a triangle filter (see tentTaps), then 2×2 means down to `minLevelWidthPx`. */
export function greyPyramid(rgb: Uint8Array | Float32Array, width: number, height: number, factor: number): GreyPyramid {
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const across = tentTaps(w, width, factor);
  const luma = (scratch.luma = atLeast(scratch.luma, width));
  const rows = (scratch.rows = atLeast(scratch.rows, height * w));
  for (let y = 0; y < height; y++) {
    if (rgb instanceof Uint8Array) lumaRowOfBytes(rgb, 3 * y * width, width, luma);
    else lumaRowOfFloats(rgb, 3 * y * width, width, luma);
    reduceRow(luma, across, rows, y * w, w);
  }
  const values = reduceColumns(rows, w, tentTaps(h, height, factor), h, (scratch.reduced = atLeast(scratch.reduced, w * h)));
  // Blurred further (σ ≈ 1 px): a sharp edge (the floor line) sampled on two or three rows locks a
  // bilinear fit to the pixel grid (0.3 px off at 640 px); a smooth one does not.
  const once = (scratch.smoothedOnce = atLeast(scratch.smoothedOnce, w * h));
  smooth(values, w, h, once);
  return withCoarserLevels({ width: w, height: h, values: smooth(once, w, h, new Float32Array(w * h)) }, factor);
}

/**
 * One row reduced by the taps `across` (see tentTaps) into rows[offset, offset + w), each sum in tap
 * order. Inside, two outputs are summed side by side: two independent chains of additions keep the
 * CPU busy where one waits on each addition.
 */
function reduceRow(luma: Float32Array, across: Taps, rows: Float32Array, offset: number, w: number): void {
  const { taps, weight, index, factor, insideFrom, insideTo } = across;
  for (let X = 0; X < insideFrom; X++) rows[offset + X] = clampedTapSum(luma, across, X);
  // The first group's weights stay in registers; most reductions (by 2) have no other.
  const w0 = weight[0] as number;
  const w1 = weight[1] as number;
  const w2 = weight[2] as number;
  const w3 = weight[3] as number;
  let X = insideFrom;
  for (; X + 1 < insideTo; X += 2) {
    const a = index[X * taps] as number;
    const b = a + factor;
    let sumA = 0;
    let sumB = 0;
    sumA += w0 * (luma[a] as number);
    sumB += w0 * (luma[b] as number);
    sumA += w1 * (luma[a + 1] as number);
    sumB += w1 * (luma[b + 1] as number);
    sumA += w2 * (luma[a + 2] as number);
    sumB += w2 * (luma[b + 2] as number);
    sumA += w3 * (luma[a + 3] as number);
    sumB += w3 * (luma[b + 3] as number);
    for (let t = TAP_GROUP; t < taps; t += TAP_GROUP) {
      const v0 = weight[t] as number;
      const v1 = weight[t + 1] as number;
      const v2 = weight[t + 2] as number;
      const v3 = weight[t + 3] as number;
      sumA += v0 * (luma[a + t] as number);
      sumB += v0 * (luma[b + t] as number);
      sumA += v1 * (luma[a + t + 1] as number);
      sumB += v1 * (luma[b + t + 1] as number);
      sumA += v2 * (luma[a + t + 2] as number);
      sumB += v2 * (luma[b + t + 2] as number);
      sumA += v3 * (luma[a + t + 3] as number);
      sumB += v3 * (luma[b + t + 3] as number);
    }
    rows[offset + X] = sumA;
    rows[offset + X + 1] = sumB;
  }
  for (; X < w; X++) rows[offset + X] = clampedTapSum(luma, across, X);
}

/** Output X of a reduction by the taps, through their (clamped) indices. */
function clampedTapSum(luma: Float32Array, across: Taps, X: number): number {
  const { taps, weight, index } = across;
  let sum = 0;
  for (let t = 0, k = X * taps; t < taps; t++, k++) sum += (weight[t] as number) * (luma[index[k] as number] as number);
  return sum;
}

/**
 * The rows (w wide) reduced down the columns by the taps `down` into `values`, h rows: each tap is
 * added to a 32-bit sum in turn (Math.fround: as a Float32Array holds it), a group of rows at a time.
 */
function reduceColumns(rows: Float32Array, w: number, down: Taps, h: number, values: Float32Array): Float32Array {
  const { index, weight, taps } = down;
  for (let Y = 0; Y < h; Y++) {
    const o = Y * w;
    for (let t = 0, k = Y * taps; t < taps; t += TAP_GROUP, k += TAP_GROUP) {
      const w0 = weight[t] as number;
      const w1 = weight[t + 1] as number;
      const w2 = weight[t + 2] as number;
      const w3 = weight[t + 3] as number;
      const r0 = (index[k] as number) * w;
      const r1 = (index[k + 1] as number) * w;
      const r2 = (index[k + 2] as number) * w;
      const r3 = (index[k + 3] as number) * w;
      for (let X = 0; X < w; X++) {
        const before = t === 0 ? 0 : (values[o + X] as number);
        const first = Math.fround(before + w0 * (rows[r0 + X] as number));
        const second = Math.fround(first + w1 * (rows[r1 + X] as number));
        const third = Math.fround(second + w2 * (rows[r2 + X] as number));
        values[o + X] = third + w3 * (rows[r3 + X] as number);
      }
    }
  }
  return values;
}

/** The pyramid over a reduced grey image: 2×2 means down to `minLevelWidthPx`. */
function withCoarserLevels(image: GreyImage, factor: number): GreyPyramid {
  const levels: GreyImage[] = [image];
  for (let last = image; last.width >= 2 * CAMERA_MOTION_DEFAULTS.minLevelWidthPx && last.height >= 16; ) {
    last = halve(last);
    levels.push(last);
  }
  return { factor, levels };
}

/**
 * The per-pixel median of several pyramids' finest levels, as a pyramid: a reference without the
 * moving objects (a ball in the reference pulls the estimate towards its own motion).
 */
export function medianPyramid(pyramids: readonly GreyPyramid[]): GreyPyramid {
  const first = pyramids[0]?.levels[0];
  if (first === undefined) throw new RangeError('medianPyramid needs at least one pyramid');
  const finest = pyramids.map((pyramid) => (pyramid.levels[0] as GreyImage).values);
  const n = finest.length;
  const column = new Float32Array(n);
  const values = new Float32Array(first.values.length);
  for (let p = 0; p < values.length; p++) {
    for (let k = 0; k < n; k++) column[k] = (finest[k] as Float32Array)[p] as number;
    values[p] = kthSmallest(column, n, n >> 1);
  }
  return withCoarserLevels({ width: first.width, height: first.height, values }, (pyramids[0] as GreyPyramid).factor);
}

/** Separable [1 2 1] / 4 blur, edges repeated, of the first width·height values into `out`. */
function smooth(values: Float32Array, width: number, height: number, out: Float32Array): Float32Array {
  const across = (scratch.across = atLeast(scratch.across, width * height));
  blurRows(values, width, height, across);
  return blurColumns(across, width, height, out);
}

/** [1 2 1] / 4 along each row, the end columns standing in for their missing neighbours. */
function blurRows(values: Float32Array, width: number, height: number, out: Float32Array): void {
  const last = width - 1;
  for (let row = 0; row < width * height; row += width) {
    out[row] = 0.25 * ((values[row] as number) + (values[row + Math.min(1, last)] as number)) + 0.5 * (values[row] as number);
    // Each value read once, then carried along as the next one's left neighbour and centre.
    let left = values[row] as number;
    let centre = values[row + 1] as number;
    for (let p = row + 1; p < row + last; p++) {
      const right = values[p + 1] as number;
      out[p] = 0.25 * (left + right) + 0.5 * centre;
      left = centre;
      centre = right;
    }
    if (last > 0) out[row + last] = 0.25 * ((values[row + last - 1] as number) + (values[row + last] as number)) + 0.5 * (values[row + last] as number);
  }
}

/** [1 2 1] / 4 down each column, the end rows standing in for their missing neighbours. */
function blurColumns(values: Float32Array, width: number, height: number, out: Float32Array): Float32Array {
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1) * width;
    const down = Math.min(height - 1, y + 1) * width;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = 0.25 * ((values[up + x] as number) + (values[down + x] as number)) + 0.5 * (values[row + x] as number);
  }
  return out;
}

function halve(image: GreyImage): GreyImage {
  const w = image.width >> 1;
  const h = image.height >> 1;
  const values = new Float32Array(w * h);
  const src = image.values;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * image.width;
    const r1 = r0 + image.width;
    for (let x = 0; x < w; x++) {
      values[y * w + x] = 0.25 * ((src[r0 + 2 * x] as number) + (src[r0 + 2 * x + 1] as number) + (src[r1 + 2 * x] as number) + (src[r1 + 2 * x + 1] as number));
    }
  }
  return { width: w, height: h, values };
}

/** Every this many residuals enters their median (a few hundred at 160x90: sorting them all would cost more than the fit). */
const MEDIAN_STRIDE = 23;

/** Median of the |residuals| of every MEDIAN_STRIDE-th used pixel (see FitBuffers). */
function medianAbsResidual(used: Float32Array, count: number, scratch: Float32Array): number {
  let n = 0;
  for (let k = 0; k < count; k += MEDIAN_STRIDE) scratch[n++] = Math.abs(used[USED_FIELDS * k + 1] as number);
  if (n === 0) return 0;
  return kthSmallest(scratch, n, n >> 1);
}

/** Solves the 3×3 symmetric system H·x = r (Cramer's rule); null when singular. */
function solve3(h: readonly number[], r: readonly number[]): [number, number, number] | null {
  const [a, b, c, d, e, f] = h as [number, number, number, number, number, number]; // [[a b c] [b d e] [c e f]]
  const [r0, r1, r2] = r as [number, number, number];
  const det = a * (d * f - e * e) - b * (b * f - c * e) + c * (b * e - c * d);
  if (!(Math.abs(det) > 0)) return null;
  return [
    (r0 * (d * f - e * e) - b * (r1 * f - e * r2) + c * (r1 * e - d * r2)) / det,
    (a * (r1 * f - e * r2) - r0 * (b * f - c * e) + c * (b * r2 - r1 * c)) / det,
    (a * (d * r2 - r1 * e) - b * (b * r2 - r1 * c) + r0 * (b * e - c * d)) / det,
  ];
}

/**
 * Lucas–Kanade for one global translation d and an exposure ratio a at one level (Lucas & Kanade 1981),
 * the reference's gradients standing in for the shifted frame's so they are computed once (Baker &
 * Matthews 2004): minimises Σ w·(a·F(x + d) − R(x))² by Gauss–Newton with w Tukey weights (moving
 * objects, an overlay). The ratio is fitted with the shift: on a wall that darkens downwards a shift
 * in y reads as a change of brightness, so a ratio fixed beforehand would drag the shift along.
 */
function refineAtLevel(reference: GreyImage, frame: GreyImage, start: [number, number], startGain: number): { d: [number, number]; gain: number; usedShare: number; stdErr: [number, number] } {
  const size = reference.width * reference.height;
  const fit: FitBuffers = {
    gradX: (scratch.gradX = atLeast(scratch.gradX, size)),
    gradY: (scratch.gradY = atLeast(scratch.gradY, size)),
    used: (scratch.used = atLeast(scratch.used, USED_FIELDS * size)),
  };
  const medianScratch = (scratch.median = atLeast(scratch.median, Math.ceil(size / MEDIAN_STRIDE) + 1));
  gradients(reference, fit.gradX, fit.gradY);
  let [dx, dy] = start;
  let gain = startGain;
  let usedShare = 0;
  let stdErr: [number, number] = [Infinity, Infinity];
  // Coarse to fine leaves at most about a pixel of this level to find.
  let reachPx = 1;
  const k2 = CAMERA_MOTION_DEFAULTS.robustScale * CAMERA_MOTION_DEFAULTS.robustScale;
  for (let iteration = 0; iteration < CAMERA_MOTION_DEFAULTS.maxIterations; iteration++) {
    const count = sampleUsedPixels(reference, frame, dx, dy, gain, fit);
    usedShare = count / size;
    if (count < 16) break;
    // A residual is an outlier when neither the noise nor the shift still to be found explains it.
    const sigma = Math.max(CAMERA_MOTION_DEFAULTS.minNoiseGrey, 1.4826 * medianAbsResidual(fit.used, count, medianScratch));
    const { hxx, hxy, hxa, hyy, hya, haa, bx, by, ba } = weightedNormalEquations(fit, count, k2, sigma * sigma, reachPx * reachPx);
    stdErr = shiftStdErr([hxx, hxy, hxa, hyy, hya, haa], sigma);
    // A little damping keeps a direction without texture (a plain wall along a floor line) at zero.
    const damping = 1e-3 * (hxx + hyy) + 1e-9;
    const step = solve3([hxx + damping, hxy, hxa, hyy + damping, hya, haa], [-bx, -by, -ba]);
    if (step === null) break;
    dx += step[0];
    dy += step[1];
    gain += step[2];
    const moved = Math.hypot(step[0], step[1]);
    // Only ever narrowed: weights that widen again after a small step make the fit oscillate.
    reachPx = Math.min(reachPx, Math.max(CAMERA_MOTION_DEFAULTS.minReachPx, 2 * moved));
    if (moved < CAMERA_MOTION_DEFAULTS.convergencePx) break;
  }
  return { d: [dx, dy], gain, usedShare, stdErr };
}

/**
 * The reference's gradient at each pixel and, for each pixel a fit iteration uses (in scan order), a
 * record of USED_FIELDS values: the frame sampled, the residual, the reference's gradient across and down.
 */
interface FitBuffers {
  gradX: Float32Array;
  gradY: Float32Array;
  used: Float32Array;
}

/** Values per used pixel in FitBuffers.used: one record, so the sums read one stream. */
const USED_FIELDS = 4;

/** Central differences of `image` inside its one-pixel border. */
function gradients(image: GreyImage, gradX: Float32Array, gradY: Float32Array): void {
  const { width, height } = image;
  const R = image.values;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, p = y * width + 1; x < width - 1; x++, p++) {
      gradX[p] = 0.5 * ((R[p + 1] as number) - (R[p - 1] as number));
      gradY[p] = 0.5 * ((R[p + width] as number) - (R[p - width] as number));
    }
  }
}

/**
 * The interior reference pixels whose shifted place x + d lies inside the frame, neither clipped,
 * with the frame sampled there bilinearly and the residual gain·F(x + d) − R(x), into `fit`; their count.
 */
function sampleUsedPixels(reference: GreyImage, frame: GreyImage, dx: number, dy: number, gain: number, fit: FitBuffers): number {
  const { width, height } = reference;
  const R = reference.values;
  const F = frame.values;
  const frameWidth = frame.width;
  const frameLastY = frame.height - 2;
  const { gradX, gradY, used } = fit;
  const clippedGrey = CAMERA_MOTION_DEFAULTS.clippedGrey;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    const fy = y + dy;
    if (fy < 0 || fy > height - 1) continue;
    const y0 = Math.min(Math.floor(fy), frameLastY);
    const ay = fy - y0;
    const frameRow = y0 * frameWidth;
    for (let x = 1, p = y * width + 1; x < width - 1; x++, p++) {
      const fx = x + dx;
      if (fx < 0 || fx > width - 1) continue;
      // Clipped light is not the scene times the exposure: a flickering frame would read as moved.
      const r = R[p] as number;
      if (r >= clippedGrey) continue;
      const x0 = Math.min(Math.floor(fx), frameWidth - 2);
      const ax = fx - x0;
      const q = frameRow + x0;
      const top = (F[q] as number) + ax * ((F[q + 1] as number) - (F[q] as number));
      const bottom = (F[q + frameWidth] as number) + ax * ((F[q + frameWidth + 1] as number) - (F[q + frameWidth] as number));
      const f = top + ay * (bottom - top);
      if (f >= clippedGrey) continue;
      const o = USED_FIELDS * count++;
      used[o] = f;
      used[o + 1] = gain * f - r;
      used[o + 2] = gradX[p] as number;
      used[o + 3] = gradY[p] as number;
    }
  }
  return count;
}

/**
 * Normal equations in (dx, dy, a) over the used pixels: H = Σ w·J·Jᵀ, r = −b with J = (∂R/∂x, ∂R/∂y, F)
 * and w Tukey's biweight (1 − u²)², u² = e² / (k²·(σ² + ρ²·|∇R|²)); b = Σ w·J·e.
 */
function weightedNormalEquations(fit: FitBuffers, count: number, k2: number, sigma2: number, reach2: number): { hxx: number; hxy: number; hxa: number; hyy: number; hya: number; haa: number; bx: number; by: number; ba: number } {
  const used = fit.used;
  let hxx = 0;
  let hxy = 0;
  let hxa = 0;
  let hyy = 0;
  let hya = 0;
  let haa = 0;
  let bx = 0;
  let by = 0;
  let ba = 0;
  for (let o = 0; o < USED_FIELDS * count; o += USED_FIELDS) {
    const e = used[o + 1] as number;
    const gx = used[o + 2] as number;
    const gy = used[o + 3] as number;
    const u2 = (e * e) / (k2 * (sigma2 + reach2 * (gx * gx + gy * gy)));
    if (u2 >= 1) continue;
    const w = (1 - u2) * (1 - u2);
    const f = used[o] as number;
    hxx += w * gx * gx;
    hxy += w * gx * gy;
    hxa += w * gx * f;
    hyy += w * gy * gy;
    hya += w * gy * f;
    haa += w * f * f;
    bx += w * gx * e;
    by += w * gy * e;
    ba += w * f * e;
  }
  return { hxx, hxy, hxa, hyy, hya, haa, bx, by, ba };
}

/** Standard errors of the shift from the normal matrix [[a b c] [b d e] [c e f]]: σ·√(H⁻¹)ᵢᵢ (least-squares covariance σ²·H⁻¹). */
function shiftStdErr(h: readonly number[], sigma: number): [number, number] {
  const [a, b, c, d, e, f] = h as [number, number, number, number, number, number];
  const det = a * (d * f - e * e) - b * (b * f - c * e) + c * (b * e - c * d);
  if (!(det > 0)) return [Infinity, Infinity];
  const varX = (d * f - e * e) / det;
  const varY = (a * f - c * c) / det;
  return [varX > 0 ? sigma * Math.sqrt(varX) : Infinity, varY > 0 ? sigma * Math.sqrt(varY) : Infinity];
}

/** The exposure ratio reference / frame to start from: the median of the pixel ratios on a sample. */
function exposureRatio(reference: GreyImage, frame: GreyImage): number {
  const ratios = (scratch.median = atLeast(scratch.median, Math.ceil(reference.values.length / MEDIAN_STRIDE)));
  let n = 0;
  for (let p = 0; p < reference.values.length; p += MEDIAN_STRIDE) {
    const f = frame.values[p] as number;
    if (f > 8) ratios[n++] = (reference.values[p] as number) / f;
  }
  if (n === 0) return 1;
  return kthSmallest(ratios, n, n >> 1);
}

/**
 * The translation of `frame` against `reference` (frame(x) = reference(x − d)), coarse to fine from
 * `initial` (the previous frame's shift: a shaking camera moves smoothly), in analysis px.
 */
export function estimateShift(reference: GreyPyramid, frame: GreyPyramid, initial: ShiftEstimate = STILL): ShiftEstimate {
  const levelCount = Math.min(reference.levels.length, frame.levels.length);
  let scale = reference.factor * 2 ** (levelCount - 1);
  let d: [number, number] = [initial.dxPx / scale, initial.dyPx / scale];
  let gain = exposureRatio(reference.levels[0] as GreyImage, frame.levels[0] as GreyImage);
  let usedShare = 0;
  let stdErr: [number, number] = [Infinity, Infinity];
  for (let level = levelCount - 1; level >= 0; level--) {
    ({ d, gain, usedShare, stdErr } = refineAtLevel(reference.levels[level] as GreyImage, frame.levels[level] as GreyImage, d, gain));
    if (level > 0) {
      d = [2 * d[0], 2 * d[1]];
      scale /= 2;
    }
  }
  const stdErrPx: [number, number] = [stdErr[0] * scale, stdErr[1] * scale];
  const constrained = (axis: 0 | 1): boolean => stdErrPx[axis] <= CAMERA_MOTION_DEFAULTS.maxStdErrPx;
  return { dxPx: constrained(0) ? d[0] * scale : 0, dyPx: constrained(1) ? d[1] * scale : 0, exposure: 1 / gain, usedShare, stdErrPx };
}

/** True when too much of the frame was clipped or out of view for the estimate to be trusted (a flash, a flicker). */
export function isUnreliableShift(shift: ShiftEstimate): boolean {
  return shift.usedShare < CAMERA_MOTION_DEFAULTS.minUsedShare;
}

/** True when the shift is too small to be worth resampling (a still camera). */
export function isNegligibleShift(shift: ShiftEstimate): boolean {
  return Math.hypot(shift.dxPx, shift.dyPx) < CAMERA_MOTION_DEFAULTS.minShiftPx;
}

/**
 * The RGB24 frame moved back into the reference's coordinates: out(x) = frame(x + d) by bilinear
 * interpolation. Where x + d leaves the frame, `fill` (the reference's own RGB) times the shift's
 * exposure when given, so nothing differs there; else the nearest edge pixel.
 */
export function alignFrame(rgb: Uint8Array, width: number, height: number, shift: ShiftEstimate, fill: Float32Array | null, out: Uint8Array): Uint8Array {
  // A translation has one fractional part for the whole frame: four fixed weights inside it.
  const ix = Math.floor(shift.dxPx);
  const iy = Math.floor(shift.dyPx);
  const fx = shift.dxPx - ix;
  const fy = shift.dyPx - iy;
  const w00 = (1 - fx) * (1 - fy);
  const w01 = fx * (1 - fy);
  const w10 = (1 - fx) * fy;
  const w11 = fx * fy;
  const stride = 3 * width;
  // Columns whose two source columns both lie in the frame.
  const xStart = Math.min(width, Math.max(0, -ix));
  const xEnd = Math.max(xStart, Math.min(width, width - 1 - ix));
  for (let y = 0; y < height; y++) {
    const sy0 = y + iy;
    const rowInside = sy0 >= 0 && sy0 + 1 <= height - 1;
    const first = rowInside ? xStart : width;
    const last = rowInside ? xEnd : width;
    for (let x = 0; x < first; x++) edgePixel(rgb, width, height, x + shift.dxPx, y + shift.dyPx, shift.exposure, fill, 3 * (y * width + x), out);
    if (first < last) {
      let p = 3 * (sy0 * width + first + ix);
      let q = p + stride;
      // The left column of each pixel's cell is the right column of the previous one's: read once.
      let red = rgb[p] as number;
      let green = rgb[p + 1] as number;
      let blue = rgb[p + 2] as number;
      let redBelow = rgb[q] as number;
      let greenBelow = rgb[q + 1] as number;
      let blueBelow = rgb[q + 2] as number;
      for (let x = first, o = 3 * (y * width + first); x < last; x++, o += 3, p += 3, q += 3) {
        const redRight = rgb[p + 3] as number;
        const greenRight = rgb[p + 4] as number;
        const blueRight = rgb[p + 5] as number;
        const redBelowRight = rgb[q + 3] as number;
        const greenBelowRight = rgb[q + 4] as number;
        const blueBelowRight = rgb[q + 5] as number;
        out[o] = (w00 * red + w01 * redRight + w10 * redBelow + w11 * redBelowRight + 0.5) | 0;
        out[o + 1] = (w00 * green + w01 * greenRight + w10 * greenBelow + w11 * greenBelowRight + 0.5) | 0;
        out[o + 2] = (w00 * blue + w01 * blueRight + w10 * blueBelow + w11 * blueBelowRight + 0.5) | 0;
        red = redRight;
        green = greenRight;
        blue = blueRight;
        redBelow = redBelowRight;
        greenBelow = greenBelowRight;
        blueBelow = blueBelowRight;
      }
    }
    for (let x = Math.max(first, last); x < width; x++) edgePixel(rgb, width, height, x + shift.dxPx, y + shift.dyPx, shift.exposure, fill, 3 * (y * width + x), out);
  }
  return out;
}

/** One output pixel whose source (sx, sy) is at or beyond the frame's last row or column (see alignFrame). */
function edgePixel(rgb: Uint8Array, width: number, height: number, sx: number, sy: number, exposure: number, fill: Float32Array | null, o: number, out: Uint8Array): void {
  if (fill !== null && (sx < 0 || sx > width - 1 || sy < 0 || sy > height - 1)) {
    for (let c = 0; c < 3; c++) out[o + c] = Math.min(255, Math.round(exposure * (fill[o + c] as number)));
    return;
  }
  const cx = Math.min(width - 1, Math.max(0, sx));
  const cy = Math.min(height - 1, Math.max(0, sy));
  const x0 = Math.min(Math.floor(cx), width - 2);
  const y0 = Math.min(Math.floor(cy), height - 2);
  const ax = cx - x0;
  const ay = cy - y0;
  const p00 = 3 * (y0 * width + x0);
  const p10 = p00 + 3 * width;
  for (let c = 0; c < 3; c++) {
    const top = (rgb[p00 + c] as number) + ax * ((rgb[p00 + 3 + c] as number) - (rgb[p00 + c] as number));
    const bottom = (rgb[p10 + c] as number) + ax * ((rgb[p10 + 3 + c] as number) - (rgb[p10 + c] as number));
    out[o + c] = Math.round(top + ay * (bottom - top));
  }
}
