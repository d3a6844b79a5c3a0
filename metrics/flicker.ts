import { median } from './robust-stats.js';

/** Settings of `flickerResiduals` and `flickerIndex`. */
export const FLICKER_DEFAULTS = {
  /** Neighbours on each side that predict a frame's level. */
  halfWindowFrames: 3,
  /** Residuals are relative to the clip's mean luma, but never to less than this (dark clips). */
  minLevel: 16,
} as const;

/**
 * Per-frame flicker residual: for every channel series (mean luma, R, G, B), the frame's value
 * minus the median of the symmetric pair means (x[i−j] + x[i+j]) / 2 for j = 1..k, over the clip's
 * mean luma; the channel with the largest magnitude wins. Each pair mean is exact on a linear
 * lighting ramp and the median ignores one odd neighbour, so slow lighting changes and isolated
 * events leave the residual near 0, while every other frame jumping by a gives |residual| ≈ a.
 * Frames without k neighbours on both sides, and those in `skipFrames` (around scene cuts), get null.
 */
export function flickerResiduals(
  channels: ReadonlyArray<ArrayLike<number>>,
  meanLuma: number,
  skipFrames: ReadonlySet<number> = new Set(),
  options: Partial<typeof FLICKER_DEFAULTS> = {},
): Array<number | null> {
  const { halfWindowFrames: k, minLevel } = { ...FLICKER_DEFAULTS, ...options };
  const frameCount = channels[0]?.length ?? 0;
  const level = Math.max(minLevel, meanLuma);
  const residuals: Array<number | null> = [];
  for (let i = 0; i < frameCount; i++) {
    if (i < k || i + k >= frameCount || skipFrames.has(i)) {
      residuals.push(null);
      continue;
    }
    let worst = 0;
    for (const series of channels) {
      const pairMeans: number[] = [];
      for (let j = 1; j <= k; j++) pairMeans.push((series[i - j]! + series[i + j]!) / 2);
      const residual = (series[i]! - median(pairMeans)) / level;
      if (Math.abs(residual) > Math.abs(worst)) worst = residual;
    }
    residuals.push(worst);
  }
  return residuals;
}

export interface FlickerSummary {
  /** Largest median |residual| over any run of `windowFrames` judged frames; null when no frame was judged. */
  index: number | null;
  /** Frame with the largest |residual| inside that run. */
  worstFrame: number | null;
}

/**
 * Clip flicker index: the worst, over sliding runs of `windowFrames` judged frames, of the median
 * |residual|. A median needs half a run of flickering frames, so one odd frame (a bounce, a cut)
 * does not count, while flicker over part of the clip does.
 */
export function flickerIndex(residuals: ReadonlyArray<number | null>, windowFrames: number): FlickerSummary {
  const judged: Array<{ frame: number; size: number }> = [];
  residuals.forEach((r, frame) => {
    if (r !== null) judged.push({ frame, size: Math.abs(r) });
  });
  if (judged.length === 0) return { index: null, worstFrame: null };
  const width = Math.min(judged.length, Math.max(1, Math.round(windowFrames)));
  let best: { index: number; worstFrame: number } | null = null;
  for (let start = 0; start + width <= judged.length; start++) {
    const run = judged.slice(start, start + width);
    const index = median(run.map((j) => j.size));
    if (best === null || index > best.index) {
      const worst = run.reduce((a, b) => (b.size > a.size ? b : a));
      best = { index, worstFrame: worst.frame };
    }
  }
  return best ?? { index: null, worstFrame: null };
}
