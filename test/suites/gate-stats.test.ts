import { describe, expect, it } from 'vitest';
import {
  binomialHalfUpperTail,
  mcnemarExact,
  median,
  medianInterval,
  midranks,
  minimumPairsFor,
  signedRankTest,
  standardNormalCdf,
  wilsonInterval,
} from '../../suites/gate-stats.js';

/** Differences 1..n whose ranks listed in `negative` carry a minus sign: W− is their sum. */
function differencesWithNegativeRanks(n: number, negative: readonly number[]): number[] {
  return Array.from({ length: n }, (_, i) => (negative.includes(i + 1) ? -(i + 1) : i + 1));
}

describe('Wilcoxon signed-rank, exact', () => {
  // Tail probabilities P(W ≤ w) of the exact null distribution (the tables in Hollander & Wolfe, and
  // the counts of subsets of {1..n} with sum ≤ w over 2ⁿ). With W− = w, the upper tail of W+ is P(W ≤ w).
  const table: Array<{ n: number; negative: number[]; w: number; p: number }> = [
    { n: 5, negative: [], w: 0, p: 1 / 32 },
    { n: 6, negative: [2], w: 2, p: 3 / 64 },
    { n: 8, negative: [1, 4], w: 5, p: 10 / 256 },
    { n: 8, negative: [2, 4], w: 6, p: 14 / 256 },
    { n: 10, negative: [1, 7], w: 8, p: 25 / 1024 },
    { n: 10, negative: [3, 7], w: 10, p: 43 / 1024 },
    { n: 10, negative: [4, 7], w: 11, p: 54 / 1024 },
  ];
  for (const row of table) {
    it(`n = ${row.n}, W− = ${row.w}: p = ${row.p.toFixed(4)}`, () => {
      const result = signedRankTest(differencesWithNegativeRanks(row.n, row.negative));
      expect(result.n).toBe(row.n);
      expect(result.wPlus).toBe((row.n * (row.n + 1)) / 2 - row.w);
      expect(result.method).toBe('exact');
      expect(result.pValue).toBeCloseTo(row.p, 12);
    });
  }

  it('n = 20 at the one-sided 5% critical value 60: p = 0.0487 (table value)', () => {
    expect(signedRankTest(differencesWithNegativeRanks(20, [1, 2, 3, 4, 5, 6, 7, 8, 9, 15])).pValue).toBeCloseTo(0.0487, 4);
  });

  it('drops zero differences and stays exact with tied ranks', () => {
    expect(signedRankTest([0, 0, 1, 2, 3, 4, 5]).n).toBe(5);
    expect(signedRankTest([0, 0, 1, 2, 3, 4, 5]).pValue).toBeCloseTo(1 / 32, 12);
    // |d| = 1, 1, 1, 2 → midranks 2, 2, 2, 4; W+ = 8; 4 of the 16 sign patterns reach 8.
    expect(midranks([1, 1, 1, 2])).toEqual([2, 2, 2, 4]);
    const tied = signedRankTest([1, 1, -1, 2]);
    expect(tied.wPlus).toBe(8);
    expect(tied.pValue).toBeCloseTo(4 / 16, 12);
  });

  it('gives p = 1 for no usable difference, and near 1/2 for a symmetric sample', () => {
    expect(signedRankTest([]).pValue).toBe(1);
    expect(signedRankTest([0, 0]).pValue).toBe(1);
    const symmetric = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : -1) * (Math.floor(i / 2) + 1));
    expect(signedRankTest(symmetric).pValue).toBeGreaterThan(0.4);
    expect(signedRankTest(symmetric).pValue).toBeLessThan(0.6);
  });

  it('switches to the normal approximation above 200 differences, agreeing with the exact test near the boundary', () => {
    const sample = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
    const exact = signedRankTest(sample(200));
    const normal = signedRankTest(sample(201));
    expect(exact.method).toBe('exact');
    expect(normal.method).toBe('normal');
    expect(Math.abs(exact.pValue - normal.pValue)).toBeLessThan(0.01);
  });
});

describe('McNemar exact test', () => {
  it('matches the binomial tail on the discordant pairs', () => {
    // 8 items regressed, 2 improved: P(X ≥ 8 | Bin(10, ½)) = (45 + 10 + 1) / 1024.
    expect(mcnemarExact(8, 2).pValue).toBeCloseTo(56 / 1024, 12);
    expect(mcnemarExact(10, 0).pValue).toBeCloseTo(1 / 1024, 12);
    expect(mcnemarExact(0, 0).pValue).toBe(1);
    expect(mcnemarExact(0, 5).pValue).toBe(1);
    expect(mcnemarExact(3, 0).pValue).toBeCloseTo(1 / 8, 12);
  });

  it('sums large binomial tails without overflow', () => {
    // Bin(1000, ½) is symmetric: P(X ≥ 501) = (1 − P(X = 500)) / 2, P(X = 500) ≈ 0.025225.
    expect(binomialHalfUpperTail(501, 1000)).toBeCloseTo((1 - 0.0252250181) / 2, 6);
    expect(binomialHalfUpperTail(0, 7)).toBe(1);
    expect(binomialHalfUpperTail(8, 7)).toBe(0);
  });

  it('needs 5 changed items before a one-sided exact test can reach 5%', () => {
    expect(minimumPairsFor(0.05)).toBe(5);
    expect(minimumPairsFor(0.01)).toBe(7);
    expect(2 ** -minimumPairsFor(0.05)).toBeLessThan(0.05);
    expect(2 ** -(minimumPairsFor(0.05) - 1)).toBeGreaterThanOrEqual(0.05);
  });
});

describe('intervals and medians', () => {
  it('Wilson interval for 8 of 10 is (0.490, 0.943)', () => {
    const interval = wilsonInterval(8, 10);
    expect(interval?.[0]).toBeCloseTo(0.4902, 4);
    expect(interval?.[1]).toBeCloseTo(0.9433, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(10, 10)?.[1]).toBeCloseTo(1, 12);
  });

  it('median interval from order statistics: ranks 2 and 9 for n = 10, 1 and 6 for n = 6, none below 6', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(medianInterval(ten)).toEqual([2, 9]);
    expect(medianInterval([6, 5, 4, 3, 2, 1])).toEqual([1, 6]);
    expect(medianInterval([1, 2, 3, 4, 5])).toBeNull();
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it('standard normal CDF at known points', () => {
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 7);
    expect(standardNormalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(standardNormalCdf(-1.644854)).toBeCloseTo(0.05, 6);
  });
});
