import { describe, it, expect } from 'vitest';
import { frameIntervalStats } from '../../metrics/frame-intervals.js';

describe('frameIntervalStats', () => {
  it('is regular at a constant 30 fps', () => {
    const stats = frameIntervalStats(Array.from({ length: 31 }, (_, i) => i / 30));
    expect(stats.meanMs).toBeCloseTo(33.333, 3);
    expect(stats.stdMs).toBeCloseTo(0, 9);
    expect(stats.worstDeviation).toBeCloseTo(0, 9);
  });

  it('finds a dropped frame: one interval twice the median', () => {
    const times = Array.from({ length: 30 }, (_, i) => i / 30).filter((_, i) => i !== 12);
    const stats = frameIntervalStats(times);
    expect(stats.maxMs).toBeCloseTo(66.667, 3);
    expect(stats.medianMs).toBeCloseTo(33.333, 3);
    expect(stats.worstDeviation).toBeCloseTo(1, 9);
    expect(stats.worstFrame).toBe(12);
  });

  it('has nothing to say about a single frame', () => {
    expect(frameIntervalStats([0])).toMatchObject({ meanMs: 0, worstFrame: null });
  });
});
