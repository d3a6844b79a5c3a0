import { median } from './robust-stats.js';

/** Settings of `findFrozenRuns`. */
export const FROZEN_DEFAULTS = {
  /**
   * Two frames are the same picture when their mean absolute difference is at most this many grey
   * levels (a repeated frame re-encoded by H.264 measured 0 to 0.022)...
   */
  maxStillDiff: 0.03,
  /** ...or at most this fraction of the clip's 75th-percentile frame difference (sensor noise raises both). */
  relativeStillDiff: 0.05,
  /** A run of this many identical frames (or more) is a freeze. */
  minFrames: 3,
} as const;

/** Differences after a run whose median tells whether the motion resumed. */
const RESUME_DIFFERENCES = 5;

export interface FrozenRun {
  startFrame: number;
  /** Frames showing the same picture (one more than the near-zero differences). */
  frames: number;
  /** True when the run is judged a freeze; see `findFrozenRuns`. */
  freeze: boolean;
}

/**
 * Runs of frames that repeat the same picture. `differencesToPrevious[j]` is the mean absolute
 * difference between frames j+1 and j. A run of at least `minFrames` is a freeze when the clip
 * moves clearly elsewhere (the median difference of its moving frames is at least three times the
 * still level) and the run does not open the clip (a drop starts from rest), and the motion
 * either stops abruptly (the two differences before the run are steady and at least half the
 * typical motion) or jumps to catch up after it (the next difference is at least twice those
 * before), and the clip moves again after it (or the run repeats the picture exactly to the end).
 * A slow-down to rest, such as a ball at the top of its arc or settling at the end, is neither, and
 * nor is the still scene a ball leaves when it rolls out of view.
 */
export function findFrozenRuns(
  differencesToPrevious: ArrayLike<number>,
  options: Partial<typeof FROZEN_DEFAULTS> = {},
): { stillDiff: number; runs: FrozenRun[] } {
  const settings = { ...FROZEN_DEFAULTS, ...options };
  const diffs = Array.from(differencesToPrevious);
  const stillDiff = Math.max(settings.maxStillDiff, settings.relativeStillDiff * percentile(diffs, 0.75));
  const moving = diffs.filter((d) => d > stillDiff);
  const typicalMotion = median(moving);
  // Below this, motion is too faint (a few pixels of a small object) to tell a pause from a freeze.
  const clipMoves = moving.length >= 3 && typicalMotion >= 3 * stillDiff;

  const runs: FrozenRun[] = [];
  for (let j = 0; j < diffs.length; j++) {
    if (diffs[j]! > stillDiff) continue;
    let end = j;
    while (end + 1 < diffs.length && diffs[end + 1]! <= stillDiff) end++;
    const frames = end - j + 2;
    const leading = j === 0;
    const trailing = end === diffs.length - 1;
    const before = diffs.slice(Math.max(0, j - 2), j);
    const motionBefore = before.length > 0 ? before.reduce((a, b) => a + b, 0) / before.length : 0;
    // Steady motion that stops dead; a slow-down (the top of a short hop) shrinks step by step instead.
    const steadyBefore = before.length < 2 || before[1]! >= 0.8 * before[0]!;
    const abruptStop = steadyBefore && Math.min(...before) >= 0.5 * typicalMotion;
    const catchUp = !trailing && diffs[end + 1]! >= 2 * motionBefore;
    // A frozen picture is followed by motion again, or lasts to the end as exact repeats: a ball that
    // rolls out of view leaves a still scene with a blip or two of compression noise, no freeze.
    const after = diffs.slice(end + 1, end + 1 + RESUME_DIFFERENCES);
    const resumes = !trailing && median(after) > stillDiff;
    const frozenToEnd = trailing && diffs.slice(j, end + 1).every((d) => d <= settings.maxStillDiff);
    const freeze = frames >= settings.minFrames && clipMoves && !leading && (abruptStop || catchUp) && (resumes || frozenToEnd);
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
