/**
 * Frame-to-frame consistency after motion compensation: dense optical flow (Farneback) between two
 * small grey frames, an occlusion mask at motion boundaries, then the warping error of
 * Lai et al. 2018 ("Learning Blind Video Temporal Consistency", ECCV), the global gain between the
 * frames and SSIM, all on the pixels the flow tracks reliably.
 */
import type { OpenCv } from './opencv.js';

/** Settings of the flow and of the occlusion test, in one place. */
export const WARP_DEFAULTS = {
  /** Flow runs on frames about this wide: Farneback costs grow with the pixel count (80 px: ~1 ms a pair). */
  flowWidthPx: 80,
  /** Farneback: pyramid scale, levels, window, iterations, polynomial neighbourhood and its sigma. */
  pyramidScale: 0.5,
  pyramidLevels: 2,
  windowPx: 7,
  iterations: 1,
  polyN: 5,
  polySigma: 1.1,
  /** Motion-boundary test |∇u|² + |∇v|² > α·|w|² + β (Sundaram et al. 2010): α and β (per px², flow gradients in px/px). */
  boundaryAlpha: 0.01,
  boundaryBeta: 0.05,
  /** Pixels darker than this (grey levels) in the warped frame do not vote on the gain: their ratio is noise. */
  minGainLevel: 16,
  /** Half size of the SSIM window, px (a 7x7 window). */
  ssimHalfWindowPx: 3,
} as const;

/** A grey image, one byte per pixel, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Box-average downscale by an integer factor (the last partial rows and columns are dropped). */
export function downscaleGray(gray: Uint8Array, width: number, height: number, factor: number): GrayImage {
  const f = Math.max(1, Math.floor(factor));
  const outWidth = Math.max(1, Math.floor(width / f));
  const outHeight = Math.max(1, Math.floor(height / f));
  if (f === 1) return { width, height, data: gray };
  const data = new Uint8Array(outWidth * outHeight);
  const area = f * f;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * width + x * f;
        for (let dx = 0; dx < f; dx++) sum += gray[row + dx]!;
      }
      data[y * outWidth + x] = Math.round(sum / area);
    }
  }
  return { width: outWidth, height: outHeight, data };
}

/** Integer downscale factor that brings `width` nearest to `WARP_DEFAULTS.flowWidthPx` without going below it by half. */
export function flowDownscaleFactor(width: number, flowWidthPx: number = WARP_DEFAULTS.flowWidthPx): number {
  return Math.max(1, Math.round(width / flowWidthPx));
}

/**
 * Dense flow from `from` to `to` (Farnebäck 2003, OpenCV's calcOpticalFlowFarneback): for pixel
 * (x, y) of `from`, (dx, dy) interleaved at index 2·(y·width + x), in px.
 */
export function farnebackFlow(cv: OpenCv, from: GrayImage, to: GrayImage): Float32Array {
  const s = WARP_DEFAULTS;
  const fromMat = cv.matFromArray(from.height, from.width, cv.CV_8UC1, from.data);
  const toMat = cv.matFromArray(to.height, to.width, cv.CV_8UC1, to.data);
  const flow = new cv.Mat();
  try {
    cv.calcOpticalFlowFarneback(fromMat, toMat, flow, s.pyramidScale, s.pyramidLevels, s.windowPx, s.iterations, s.polyN, s.polySigma, 0);
    return Float32Array.from(flow.data32F);
  } finally {
    fromMat.delete();
    toMat.delete();
    flow.delete();
  }
}

export interface WarpConsistency {
  /** Pixels of `current` whose flow passed the occlusion test, as a fraction of all. */
  reliableFraction: number;
  /** Lai et al. 2018: mean |current − warp(previous)| over reliable pixels, as a fraction of 255; null when none is reliable. */
  warpError: number | null;
  /** ln(Σ current / Σ warp(previous)) over reliable, lit pixels: the global gain step between the frames; null when none. */
  logGain: number | null;
  /** Mean SSIM (Wang et al. 2004) of 7x7 windows centred on reliable pixels, warp(previous) against current; null when none. */
  ssim: number | null;
  /** Mean motion from `previous` to `current` over reliable pixels (minus the mean backward flow), px of these frames; null when none. */
  meanMotionPx: [number, number] | null;
}

/**
 * Warps `previous` onto `current` with the backward flow (current → previous) and compares them on the
 * pixels the flow tracks reliably: those it maps inside `previous`, away from motion boundaries, where
 * occlusions happen (Sundaram et al. 2010: |∇u|² + |∇v|² > α·|w|² + β marks a boundary). One flow per
 * frame pair instead of a forward and a backward one halves the dominant cost.
 */
export function warpConsistency(previous: GrayImage, current: GrayImage, backwardFlow: Float32Array): WarpConsistency {
  const { width, height } = current;
  const s = WARP_DEFAULTS;
  const src = previous.data;
  const warped = new Float32Array(width * height);
  const reliable = new Uint8Array(width * height);
  let reliableCount = 0;
  let errorSum = 0;
  let currentSum = 0;
  let warpedSum = 0;
  let flowXSum = 0;
  let flowYSum = 0;
  for (let y = 0; y < height; y++) {
    const up = y > 0 ? -width : 0;
    const down = y < height - 1 ? width : 0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const bx = backwardFlow[2 * i]!;
      const by = backwardFlow[2 * i + 1]!;
      const px = x + bx;
      const py = y + by;
      if (px < 0 || py < 0 || px > width - 1 || py > height - 1) continue;
      const left = x > 0 ? -1 : 0;
      const right = x < width - 1 ? 1 : 0;
      const ux = (backwardFlow[2 * (i + right)]! - backwardFlow[2 * (i + left)]!) / Math.max(1, right - left);
      const vx = (backwardFlow[2 * (i + right) + 1]! - backwardFlow[2 * (i + left) + 1]!) / Math.max(1, right - left);
      const uy = (backwardFlow[2 * (i + down)]! - backwardFlow[2 * (i + up)]!) / Math.max(1, (down - up) / width);
      const vy = (backwardFlow[2 * (i + down) + 1]! - backwardFlow[2 * (i + up) + 1]!) / Math.max(1, (down - up) / width);
      if (ux * ux + vx * vx + uy * uy + vy * vy > s.boundaryAlpha * (bx * bx + by * by) + s.boundaryBeta) continue;
      const x0 = Math.max(0, Math.min(width - 2, Math.floor(px)));
      const y0 = Math.max(0, Math.min(height - 2, Math.floor(py)));
      const ax = px - x0;
      const ay = py - y0;
      const o = y0 * width + x0;
      const value = width < 2 || height < 2
        ? src[o]!
        : (1 - ay) * ((1 - ax) * src[o]! + ax * src[o + 1]!) + ay * ((1 - ax) * src[o + width]! + ax * src[o + width + 1]!);
      warped[i] = value;
      reliable[i] = 1;
      reliableCount++;
      const now = current.data[i]!;
      errorSum += Math.abs(now - value);
      flowXSum += bx;
      flowYSum += by;
      if (value >= s.minGainLevel) {
        currentSum += now;
        warpedSum += value;
      }
    }
  }
  if (reliableCount === 0) return { reliableFraction: 0, warpError: null, logGain: null, ssim: null, meanMotionPx: null };
  return {
    reliableFraction: reliableCount / (width * height),
    meanMotionPx: [-flowXSum / reliableCount, -flowYSum / reliableCount],
    warpError: errorSum / reliableCount / 255,
    logGain: warpedSum > 0 && currentSum > 0 ? Math.log(currentSum / warpedSum) : null,
    ssim: maskedSsim(warped, current.data, reliable, width, height, s.ssimHalfWindowPx),
  };
}

/**
 * Mean SSIM = (2μaμb + C1)(2σab + C2) / ((μa² + μb² + C1)(σa² + σb² + C2)), C1 = (0.01·255)², C2 = (0.03·255)²
 * (Wang et al. 2004), over square windows of half size `half` lying inside the image and centred on a
 * pixel with `mask` set; window sums come from summed-area tables, so the cost is linear in the pixels.
 */
export function maskedSsim(a: ArrayLike<number>, b: ArrayLike<number>, mask: Uint8Array, width: number, height: number, half: number): number | null {
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  const stride = width + 1;
  const tables = Array.from({ length: 5 }, () => new Float64Array(stride * (height + 1)));
  const [sa, sb, saa, sbb, sab] = tables as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const va = a[y * width + x]!;
      const vb = b[y * width + x]!;
      const o = (y + 1) * stride + x + 1;
      const up = o - stride;
      sa[o] = va + sa[o - 1]! + sa[up]! - sa[up - 1]!;
      sb[o] = vb + sb[o - 1]! + sb[up]! - sb[up - 1]!;
      saa[o] = va * va + saa[o - 1]! + saa[up]! - saa[up - 1]!;
      sbb[o] = vb * vb + sbb[o - 1]! + sbb[up]! - sbb[up - 1]!;
      sab[o] = va * vb + sab[o - 1]! + sab[up]! - sab[up - 1]!;
    }
  }
  const n = (2 * half + 1) ** 2;
  let total = 0;
  let windows = 0;
  for (let y = half; y < height - half; y++) {
    for (let x = half; x < width - half; x++) {
      if (mask[y * width + x] !== 1) continue;
      const top = y - half;
      const left = x - half;
      const bottom = y + half + 1;
      const right = x + half + 1;
      const box = (t: Float64Array): number => t[bottom * stride + right]! - t[top * stride + right]! - t[bottom * stride + left]! + t[top * stride + left]!;
      const ma = box(sa) / n;
      const mb = box(sb) / n;
      const va = box(saa) / n - ma * ma;
      const vb = box(sbb) / n - mb * mb;
      const cov = box(sab) / n - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      windows++;
    }
  }
  return windows > 0 ? total / windows : null;
}
