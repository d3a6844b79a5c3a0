import { median } from './robust-stats.js';

/** Settings of `findFrozenRuns`. */
export const FROZEN_DEFAULTS = {
  /** Two frames are the same picture when their mean absolute difference is at most this many grey levels... */
  maxStillDiff: 0.02,
  /** ...or at most this fraction of the clip's 75th-percentile frame difference (noise and encoding keep real motion above it). */
  relativeStillDiff: 0.1,
  /** A run of this many identical frames (or more) is a freeze. */
  minFrames: 3,
} as const;

export interface FrozenRun {
  startFrame: number;
  /** Frames showing the same picture (one more than the near-zero differences). */
  frames: number;
  /** True when the run is judged a freeze; see `findFrozenRuns`. */
  freeze: boolean;
}

/**
 * Runs of frames that repeat the same picture. `differencesToPrevious[j]` is the mean absolute
 * difference between frames j+1 and j. A run of at least `minFrames` counts as a freeze only when
 * the clip moves elsewhere, and not when it opens the clip (a drop starts from rest) nor when it
 * closes it after a gentle slow-down (the scene came to rest); an abrupt stop at the end is a freeze.
 */
export function findFrozenRuns(
  differencesToPrevious: ArrayLike<number>,
  options: Partial<typeof FROZEN_DEFAULTS> = {},
): { stillDiff: number; runs: FrozenRun[] } {
  const settings = { ...FROZEN_DEFAULTS, ...options };
  const diffs = Array.from(differencesToPrevious);
  const stillDiff = Math.max(settings.maxStillDiff, settings.relativeStillDiff * percentile(diffs, 0.75));
  const movingDiffs = diffs.filter((d) => d > 3 * stillDiff);
  const clipMoves = movingDiffs.length >= 3;
  const typicalMotion = median(movingDiffs);

  const runs: FrozenRun[] = [];
  for (let j = 0; j < diffs.length; j++) {
    if (diffs[j]! > stillDiff) continue;
    let end = j;
    while (end + 1 < diffs.length && diffs[end + 1]! <= stillDiff) end++;
    const frames = end - j + 2;
    const leading = j === 0;
    const trailing = end === diffs.length - 1;
    const before = diffs.slice(Math.max(0, j - 2), j);
    const abruptStop = before.length > 0 && before.reduce((a, b) => a + b, 0) / before.length >= 0.5 * typicalMotion;
    const freeze = frames >= settings.minFrames && clipMoves && !leading && (!trailing || abruptStop);
    runs.push({ startFrame: j, frames, freeze });
    j = end;
  }
  return { stillDiff, runs };
}

/** The p-quantile by nearest rank of a list; 0 for an empty list. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
