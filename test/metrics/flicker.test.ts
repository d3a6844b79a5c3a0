import { describe, it, expect } from 'vitest';
import { flickerIndex, flickerResiduals } from '../../metrics/flicker.js';

const frames = 40;
const ramp = Array.from({ length: frames }, (_, i) => 80 + 2 * i);

describe('flickerResiduals', () => {
  it('is 0 on a linear lighting ramp and null where the window is incomplete', () => {
    const residuals = flickerResiduals([ramp], 120);
    expect(residuals.slice(0, 3)).toEqual([null, null, null]);
    expect(residuals.slice(-3)).toEqual([null, null, null]);
    for (const r of residuals.slice(3, -3)) expect(r).toBeCloseTo(0, 12);
  });

  it('gives the relative jump of every other frame, on top of a ramp', () => {
    // Every odd frame 8% brighter than the ramp (relative to the mean level 100).
    const flickering = ramp.map((l, i) => (i % 2 === 1 ? l + 8 : l));
    const residuals = flickerResiduals([flickering], 100);
    for (const r of residuals.slice(3, -3)) expect(Math.abs(r!)).toBeCloseTo(0.08, 6);
  });

  it('takes the worst colour channel and skips the frames it is told to', () => {
    const flat = Array.from({ length: 10 }, () => 100);
    const blueFlash = flat.map((b, i) => (i === 5 ? b + 30 : b));
    const residuals = flickerResiduals([flat, flat, flat, blueFlash], 100, new Set([4]));
    expect(residuals[5]).toBeCloseTo(0.3, 12);
    expect(residuals[4]).toBeNull();
    expect(residuals[6]).toBeCloseTo(0, 12);
  });

  it('uses a floor level on dark clips', () => {
    const dark = [2, 2, 2, 10, 2, 2, 2];
    expect(flickerResiduals([dark], 3)[3]).toBeCloseTo(8 / 16, 12);
  });
});

describe('flickerIndex', () => {
  it('ignores one odd frame but finds flicker over part of the clip', () => {
    const oneOdd = Array.from({ length: 60 }, (_, i): number | null => (i === 30 ? 0.4 : 0.001));
    expect(flickerIndex(oneOdd, 15).index).toBeCloseTo(0.001, 12);
    const partly = Array.from({ length: 60 }, (_, i): number | null => (i >= 40 ? (i === 50 ? -0.12 : 0.1) : 0.001));
    const summary = flickerIndex(partly, 15);
    expect(summary.index).toBe(0.1);
    expect(summary.worstFrame).toBeGreaterThanOrEqual(40);
  });

  it('is null when nothing was judged and uses every frame of a short clip', () => {
    expect(flickerIndex([null, null], 15)).toEqual({ index: null, worstFrame: null });
    expect(flickerIndex([null, 0.1, 0.3, 0.2, null], 15)).toEqual({ index: 0.2, worstFrame: 2 });
  });
});
