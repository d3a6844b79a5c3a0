import { describe, expect, it } from 'vitest';
import { lowerRankQuantile, median } from '../../metrics/robust-stats.js';

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
