import { describe, expect, it } from 'vitest';
import { kthSmallest, lowerRankQuantile, median } from '../../metrics/robust-stats.js';

describe('lowerRankQuantile', () => {
  it('takes the order statistic at floor(q·(n − 1)), without interpolation', () => {
    const values = [7, 1, 5, 3];
    expect(lowerRankQuantile(values, 0.5)).toBe(3);
    expect(lowerRankQuantile(values, 0.9)).toBe(5);
    expect(lowerRankQuantile(values, 1)).toBe(7);
    expect(lowerRankQuantile(values, 0)).toBe(1);
    expect(median(values)).toBe(4);
  });

  it('gives NaN for no values and leaves its input unsorted', () => {
    expect(lowerRankQuantile([], 0.5)).toBeNaN();
    const values = [3, 1, 2];
    lowerRankQuantile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('kthSmallest', () => {
  it('gives the same k-th value as a full sort, with many ties', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const count of [1, 2, 3, 10, 101, 1000]) {
      const values = Float32Array.from({ length: count + 5 }, () => Math.round(next() * 20) / 8);
      const sorted = values.subarray(0, count).slice().sort();
      for (const k of [0, count >> 1, count - 1]) expect(kthSmallest(values.slice(), count, k)).toBe(sorted[k]);
    }
  });
});
