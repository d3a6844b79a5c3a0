import { histogramDistance } from './frame-difference.js';
import { median } from './robust-stats.js';

/** Settings of `findSceneCuts`. */
export const SCENE_CUT_DEFAULTS = {
  /** A cut changes at least this fraction of the colour histogram (total-variation distance)... */
  minDistance: 0.3,
  /** ...and this many times the typical frame-to-frame change on either side of it. */
  minRatio: 4,
  /** Frames on each side that give the typical change. */
  contextFrames: 8,
  /** Typical change is never taken below this, so that a static clip's 0 does not make everything a cut. */
  minTypicalDistance: 0.02,
} as const;

/**
 * Frames where the picture changes abruptly and stays changed: the histogram distance to the
 * previous frame is large, far above the typical change before and after (steady flicker raises
 * both), and the change lasts: frame i+2 differs from frame i−1 and frame i from frame i−2 (a
 * one-frame flash returns to the old picture).
 * `histograms[i]` is frame i's `colourHistogram`. Returns the indices of the first new frames.
 */
export function findSceneCuts(histograms: readonly Float64Array[], options: Partial<typeof SCENE_CUT_DEFAULTS> = {}): number[] {
  const settings = { ...SCENE_CUT_DEFAULTS, ...options };
  const distances: number[] = [0];
  for (let i = 1; i < histograms.length; i++) distances.push(histogramDistance(histograms[i]!, histograms[i - 1]!));
  const cuts: number[] = [];
  for (let i = 1; i < histograms.length; i++) {
    const d = distances[i]!;
    if (d < settings.minDistance) continue;
    const before = distances.slice(Math.max(1, i - settings.contextFrames), i);
    const after = distances.slice(i + 1, i + 1 + settings.contextFrames);
    const typical = Math.max(
      settings.minTypicalDistance,
      before.length > 0 ? median(before) : 0,
      after.length > 0 ? median(after) : 0,
    );
    if (d < settings.minRatio * typical) continue;
    const later = histograms[Math.min(histograms.length - 1, i + 2)]!;
    if (histogramDistance(later, histograms[i - 1]!) < settings.minDistance) continue;
    if (histogramDistance(histograms[i]!, histograms[Math.max(0, i - 2)]!) < settings.minDistance) continue;
    cuts.push(i);
  }
  return cuts;
}
