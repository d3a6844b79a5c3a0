import { describe, it, expect } from 'vitest';
import { findFrozenRuns } from '../../metrics/frozen-runs.js';

/** Frame differences of a moving clip (1.5 grey levels) with stills set to 0 at the given positions. */
function differences(count: number, stillAt: number[]): number[] {
  return Array.from({ length: count }, (_, j) => (stillAt.includes(j) ? 0 : 1.5));
}

describe('findFrozenRuns', () => {
  it('finds a freeze mid-clip and lets a single repeated frame pass', () => {
    const { runs, stillDiff } = findFrozenRuns(differences(40, [5, 20, 21, 22, 23]));
    expect(stillDiff).toBeCloseTo(0.075, 12);
    expect(runs).toEqual([
      { startFrame: 5, frames: 2, freeze: false },
      { startFrame: 20, frames: 5, freeze: true },
    ]);
  });

  it('does not call a still opening or a gentle coming to rest a freeze, but does an abrupt stop', () => {
    const opening = findFrozenRuns(differences(40, [0, 1, 2, 3]));
    expect(opening.runs).toEqual([{ startFrame: 0, frames: 5, freeze: false }]);
    const slowing = differences(40, [36, 37, 38, 39]);
    slowing[34] = 0.3;
    slowing[35] = 0.2;
    expect(findFrozenRuns(slowing).runs).toEqual([{ startFrame: 36, frames: 5, freeze: false }]);
    expect(findFrozenRuns(differences(40, [36, 37, 38, 39])).runs).toEqual([{ startFrame: 36, frames: 5, freeze: true }]);
  });

  it('does not call the still scene a ball leaves when it rolls out of view a freeze', () => {
    // Motion stops dead at frame 30, one difference of compression noise at 35, then stillness.
    const exit = differences(50, [30, 31, 32, 33, 34, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    exit[35] = 0.2;
    expect(findFrozenRuns(exit).runs.map((r) => r.freeze)).toEqual([false, false]);
    // The same stop with the motion going on after it is a freeze.
    expect(findFrozenRuns(differences(50, [30, 31, 32, 33, 34])).runs).toEqual([{ startFrame: 30, frames: 6, freeze: true }]);
  });

  it('tells a slow top of an arc from a freeze by the catch-up jump after it', () => {
    const apex = differences(40, []);
    [0.8, 0.4, 0.1, 0.02, 0.01, 0.02, 0.1, 0.4, 0.8].forEach((d, k) => (apex[16 + k] = d));
    expect(findFrozenRuns(apex).runs).toEqual([{ startFrame: 19, frames: 4, freeze: false }]);
    const frozenAtApex = [...apex];
    frozenAtApex[22] = 2.5;
    expect(findFrozenRuns(frozenAtApex).runs).toEqual([{ startFrame: 19, frames: 4, freeze: true }]);
  });

  it('judges nothing in a clip that never moves', () => {
    expect(findFrozenRuns(new Array(20).fill(0)).runs).toEqual([{ startFrame: 0, frames: 21, freeze: false }]);
    // A small object moving a pixel a frame: too faint to tell a pause from a freeze.
    expect(findFrozenRuns(differences(20, [5, 6, 7]).map((d) => d / 30)).runs.every((r) => !r.freeze)).toBe(true);
  });
});
