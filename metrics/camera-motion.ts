/**
 * Global camera motion between two frames: a translation estimated with sub-pixel accuracy on small
 * grey images, and the frame moved back into the reference's coordinates. A shaking hand-held camera
 * moves the whole scene by the same few pixels; the objects and an overlay are a small minority that
 * robust weights leave out.
 */

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
 * For each output index X of a reduction by `factor`, 2·factor + 1 source indices (clamped to the
 * frame) and their weights: a triangle of half-width `factor` centred on the output pixel's centre
 * factor·X + (factor − 1) / 2. A box would lock thin lines (tile joints) to its grid: a line moving
 * by half a pixel inside one box leaves the reduced image unchanged.
 */
function tentTaps(outLength: number, inLength: number, factor: number): { index: Int32Array; weight: Float32Array; taps: number } {
  const taps = 2 * factor + 1;
  const index = new Int32Array(outLength * taps);
  const weight = new Float32Array(outLength * taps);
  for (let X = 0; X < outLength; X++) {
    const centre = factor * X + (factor - 1) / 2;
    const first = Math.ceil(centre - factor);
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const i = first + t;
      const w = Math.max(0, 1 - Math.abs(i - centre) / factor);
      index[X * taps + t] = Math.min(inLength - 1, Math.max(0, i));
      weight[X * taps + t] = w;
      sum += w;
    }
    for (let t = 0; t < taps; t++) weight[X * taps + t] = (weight[X * taps + t] as number) / sum;
  }
  return { index, weight, taps };
}

/** Luma reduced by `factor` with a triangle filter (see tentTaps), then 2×2 means down to `minLevelWidthPx`. */
export function greyPyramid(rgb: Uint8Array | Float32Array, width: number, height: number, factor: number): GreyPyramid {
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const across = tentTaps(w, width, factor);
  const down = tentTaps(h, height, factor);
  const luma = new Float32Array(width);
  const rows = new Float32Array(height * w);
  for (let y = 0; y < height; y++) {
    for (let x = 0, p = 3 * y * width; x < width; x++, p += 3) luma[x] = LUMA_R * (rgb[p] as number) + LUMA_G * (rgb[p + 1] as number) + LUMA_B * (rgb[p + 2] as number);
    for (let X = 0; X < w; X++) {
      let sum = 0;
      for (let t = 0, k = X * across.taps; t < across.taps; t++, k++) sum += (across.weight[k] as number) * (luma[across.index[k] as number] as number);
      rows[y * w + X] = sum;
    }
  }
  const values = new Float32Array(w * h);
  for (let Y = 0; Y < h; Y++) {
    for (let t = 0, k = Y * down.taps; t < down.taps; t++, k++) {
      const weight = down.weight[k] as number;
      if (weight === 0) continue;
      const row = (down.index[k] as number) * w;
      for (let X = 0; X < w; X++) values[Y * w + X] = (values[Y * w + X] as number) + weight * (rows[row + X] as number);
    }
  }
  // Blurred further (σ ≈ 1 px): a sharp edge (the floor line) sampled on two or three rows locks a
  // bilinear fit to the pixel grid (0.3 px off at 640 px); a smooth one does not.
  return withCoarserLevels({ width: w, height: h, values: smooth(smooth(values, w, h), w, h) }, factor);
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
  const column = new Float32Array(pyramids.length);
  const values = new Float32Array(first.values.length);
  for (let p = 0; p < values.length; p++) {
    pyramids.forEach((pyramid, k) => (column[k] = (pyramid.levels[0] as GreyImage).values[p] as number));
    values[p] = column.sort()[pyramids.length >> 1] as number;
  }
  return withCoarserLevels({ width: first.width, height: first.height, values }, (pyramids[0] as GreyPyramid).factor);
}

/** Separable [1 2 1] / 4 blur, edges repeated. */
function smooth(values: Float32Array, width: number, height: number): Float32Array {
  const across = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const left = values[row + Math.max(0, x - 1)] as number;
      const right = values[row + Math.min(width - 1, x + 1)] as number;
      across[row + x] = 0.25 * (left + right) + 0.5 * (values[row + x] as number);
    }
  }
  const out = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1) * width;
    const down = Math.min(height - 1, y + 1) * width;
    for (let x = 0; x < width; x++) out[y * width + x] = 0.25 * ((across[up + x] as number) + (across[down + x] as number)) + 0.5 * (across[y * width + x] as number);
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

/** Bilinear sample of `image` at (x, y), which must lie in [0, width − 1] × [0, height − 1]. */
function sample(image: GreyImage, x: number, y: number): number {
  const x0 = Math.min(Math.floor(x), image.width - 2);
  const y0 = Math.min(Math.floor(y), image.height - 2);
  const fx = x - x0;
  const fy = y - y0;
  const v = image.values;
  const p = y0 * image.width + x0;
  const top = (v[p] as number) + fx * ((v[p + 1] as number) - (v[p] as number));
  const bottom = (v[p + image.width] as number) + fx * ((v[p + image.width + 1] as number) - (v[p + image.width] as number));
  return top + fy * (bottom - top);
}

/** Every this many residuals enters their median (a few hundred at 160x90: sorting them all would cost more than the fit). */
const MEDIAN_STRIDE = 23;

/** Median of |values| over a subsample. */
function medianAbs(values: Float32Array, count: number, scratch: Float32Array): number {
  let n = 0;
  for (let i = 0; i < count; i += MEDIAN_STRIDE) scratch[n++] = Math.abs(values[i] as number);
  if (n === 0) return 0;
  const sorted = scratch.subarray(0, n).sort();
  return sorted[n >> 1] as number;
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
  const { width, height } = reference;
  const R = reference.values;
  const sampled = new Float32Array(width * height);
  const residuals = new Float32Array(width * height);
  const gradX = new Float32Array(width * height);
  const gradY = new Float32Array(width * height);
  const index = new Int32Array(width * height);
  const scratch = new Float32Array(Math.ceil((width * height) / MEDIAN_STRIDE) + 1);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const p = y * width + x;
      gradX[p] = 0.5 * ((R[p + 1] as number) - (R[p - 1] as number));
      gradY[p] = 0.5 * ((R[p + width] as number) - (R[p - width] as number));
    }
  }
  let [dx, dy] = start;
  let gain = startGain;
  let usedShare = 0;
  let stdErr: [number, number] = [Infinity, Infinity];
  // Coarse to fine leaves at most about a pixel of this level to find.
  let reachPx = 1;
  const k2 = CAMERA_MOTION_DEFAULTS.robustScale * CAMERA_MOTION_DEFAULTS.robustScale;
  for (let iteration = 0; iteration < CAMERA_MOTION_DEFAULTS.maxIterations; iteration++) {
    // Interior reference pixels whose shifted place lies inside the frame.
    let count = 0;
    for (let y = 1; y < height - 1; y++) {
      const fy = y + dy;
      if (fy < 0 || fy > height - 1) continue;
      for (let x = 1; x < width - 1; x++) {
        const fx = x + dx;
        if (fx < 0 || fx > width - 1) continue;
        const p = y * width + x;
        const f = sample(frame, fx, fy);
        // Clipped light is not the scene times the exposure: a flickering frame would read as moved.
        if (f >= CAMERA_MOTION_DEFAULTS.clippedGrey || (R[p] as number) >= CAMERA_MOTION_DEFAULTS.clippedGrey) continue;
        sampled[count] = f;
        residuals[count] = gain * f - (R[p] as number);
        index[count++] = p;
      }
    }
    usedShare = count / (width * height);
    if (count < 16) break;
    // A residual is an outlier when neither the noise nor the shift still to be found explains it.
    const sigma = Math.max(CAMERA_MOTION_DEFAULTS.minNoiseGrey, 1.4826 * medianAbs(residuals, count, scratch));
    const sigma2 = sigma * sigma;
    const reach2 = reachPx * reachPx;
    // Normal equations in (dx, dy, a): H = Σ w·J·Jᵀ, r = −Σ w·J·e with J = (∂R/∂x, ∂R/∂y, F).
    let hxx = 0;
    let hxy = 0;
    let hxa = 0;
    let hyy = 0;
    let hya = 0;
    let haa = 0;
    let bx = 0;
    let by = 0;
    let ba = 0;
    for (let k = 0; k < count; k++) {
      const p = index[k] as number;
      const e = residuals[k] as number;
      const gx = gradX[p] as number;
      const gy = gradY[p] as number;
      const u2 = (e * e) / (k2 * (sigma2 + reach2 * (gx * gx + gy * gy)));
      if (u2 >= 1) continue;
      const w = (1 - u2) * (1 - u2);
      const f = sampled[k] as number;
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
  const ratios = new Float32Array(Math.ceil(reference.values.length / MEDIAN_STRIDE));
  let n = 0;
  for (let p = 0; p < reference.values.length; p += MEDIAN_STRIDE) {
    const f = frame.values[p] as number;
    if (f > 8) ratios[n++] = (reference.values[p] as number) / f;
  }
  if (n === 0) return 1;
  return ratios.subarray(0, n).sort()[n >> 1] as number;
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
    for (let x = first, o = 3 * (y * width + first), p = 3 * (sy0 * width + first + ix); x < last; x++, o += 3, p += 3) {
      const q = p + stride;
      out[o] = (w00 * (rgb[p] as number) + w01 * (rgb[p + 3] as number) + w10 * (rgb[q] as number) + w11 * (rgb[q + 3] as number) + 0.5) | 0;
      out[o + 1] = (w00 * (rgb[p + 1] as number) + w01 * (rgb[p + 4] as number) + w10 * (rgb[q + 1] as number) + w11 * (rgb[q + 4] as number) + 0.5) | 0;
      out[o + 2] = (w00 * (rgb[p + 2] as number) + w01 * (rgb[p + 5] as number) + w10 * (rgb[q + 2] as number) + w11 * (rgb[q + 5] as number) + 0.5) | 0;
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
