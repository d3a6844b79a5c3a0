import type { FrameProfile, Pool } from './fluid-profile.js';
import { lowerRankQuantile } from './robust-stats.js';
import { medianFilter, type VolumeEvent } from './fluid-volume.js';

/** Whole-pixel edges blurred by chroma subsampling (2-px blocks) spread by up to this much on upright walls, px. */
const EDGE_BLUR_PX = 4;
/** A pool's lean is read on frames where it is at least this share of its width deep. */
const MIN_DEPTH_OF_WIDTH = 0.2;
/** A puddle grows from nothing only once it is this share of its peak (before, it is being born from its spill). */
const GROWN_PUDDLE_SHARE = 0.25;

/**
 * How far a pool's sides lean: per frame, the spread (10th to 90th percentile) of its rows' left
 * edges and of their right edges, the larger, less EDGE_BLUR_PX, over its width; the median over the frames with a
 * pool at least MIN_DEPTH_OF_WIDTH of its width deep. A container seen from the side has upright walls (near 0); a puddle lying on a table, seen
 * at an angle, is an ellipse whose rows' edges move out and back in (an ellipse's rows of at least
 * half its width span edges 0.13 of its width apart on each side, and the spread grows as more of it shows). Null without a pool.
 */
export function wallLean(profiles: readonly FrameProfile[], pools: ReadonlyArray<Pool | null>): number | null {
  const leans: number[] = [];
  pools.forEach((pool, i) => {
    // A shallow pool (one just forming over a glass's bottom) has too few rows to show its walls.
    if (pool === null || pool.bottomRow - pool.topRow + 1 < Math.max(5, MIN_DEPTH_OF_WIDTH * (pool.rightPx - pool.leftPx + 1))) return;
    const profile = profiles[i]!;
    const lefts: number[] = [];
    const rights: number[] = [];
    for (let y = pool.topRow; y <= pool.bottomRow; y++) {
      if (profile.rowLeftPx[y]! < 0) continue;
      lefts.push(profile.rowLeftPx[y]!);
      rights.push(profile.rowRightPx[y]!);
    }
    const width = pool.rightPx - pool.leftPx + 1;
    if (lefts.length < 5 || width <= 0) return;
    leans.push(Math.max(0, Math.max(spread(lefts), spread(rights)) - EDGE_BLUR_PX) / width);
  });
  return leans.length === 0 ? null : lowerRankQuantile(leans, 0.5);
}

/** The area of liquid in each frame, px²: the sum of the rows' memberships. */
export function liquidAreaPx(profiles: readonly FrameProfile[]): number[] {
  return profiles.map((profile) => profile.rowWidthPx.reduce((sum, w) => sum + w, 0));
}

function spread(values: readonly number[]): number {
  return lowerRankQuantile(values, 0.9) - lowerRankQuantile(values, 0.1);
}

/**
 * The events that say a puddle grew with nothing feeding it: a step up (see `volumeEvents`) of a
 * puddle that already held GROWN_PUDDLE_SHARE of its peak and had grown by less than half that step
 * over `persistFrames` before it. A spill's puddle spreads fast from nothing while its glass empties
 * (its own pour), then slows to rest: a jump after that comes from nowhere.
 */
export function unfedGrowth(timesS: readonly number[], area: readonly number[], events: readonly VolumeEvent[], persistFrames: number): VolumeEvent[] {
  const smooth = medianFilter(area, persistFrames);
  const peak = Math.max(0, ...smooth);
  return events.filter((e) => {
    if (e.kind !== 'step-up') return false;
    const at = timesS.findIndex((t) => t >= e.atS);
    const before = at - 1;
    if (before - persistFrames < 0) return false;
    const grownBefore = smooth[before]! - smooth[before - persistFrames]!;
    return smooth[before]! >= GROWN_PUDDLE_SHARE * peak && grownBefore < (e.fraction * peak) / 2;
  });
}
