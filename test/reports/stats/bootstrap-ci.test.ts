import { describe, expect, it } from 'vitest';
import { BootstrapError, bootstrapCi } from '../../../reports/stats/bootstrap-ci.js';
import { seededRandom } from '../../../reports/stats/seeded-random.js';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(draws);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    expect(mean).toBeCloseTo(0.5, 1);
  });
});

describe('bootstrapCi', () => {
  const options = { confidence: 0.95, resamples: 4000, seed: 7 };

  it('gives null for no values and a zero-width interval for one value or equal values', () => {
    expect(bootstrapCi([], options)).toBeNull();
    expect(bootstrapCi([5], options)).toEqual({ mean: 5, low: 5, high: 5, n: 1 });
    expect(bootstrapCi([0.3, 0.3, 0.3], options)).toEqual({ mean: 0.3, low: 0.3, high: 0.3, n: 3 });
  });

  it('matches the exact bootstrap distribution of two values (means 0, ½, 1 with odds ¼, ½, ¼)', () => {
    // The central 40% lies wholly in the mass at ½; the central 95% reaches both ends.
    expect(bootstrapCi([0, 1], { confidence: 0.4, resamples: 10_000, seed: 1 })).toMatchObject({ mean: 0.5, low: 0.5, high: 0.5 });
    expect(bootstrapCi([0, 1], { confidence: 0.95, resamples: 10_000, seed: 1 })).toMatchObject({ low: 0, high: 1 });
  });

  it('agrees with the normal approximation mean ± 1.96·σ/√n on a large sample', () => {
    // 0..99: σ (population) = √((100² − 1) / 12) = 28.866, σ/√n = 2.8866, half width 5.658.
    const values = Array.from({ length: 100 }, (_, i) => i);
    const interval = bootstrapCi(values, options)!;
    expect(interval.mean).toBe(49.5);
    expect(interval.low).toBeCloseTo(49.5 - 5.658, 0);
    expect(interval.high).toBeCloseTo(49.5 + 5.658, 0);
  });

  it('brackets a pass rate of 10 in 20 near 0.5 ± 0.22', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const interval = bootstrapCi(values, options)!;
    expect(interval.low).toBeGreaterThanOrEqual(0.25);
    expect(interval.low).toBeLessThanOrEqual(0.3);
    expect(interval.high).toBeGreaterThanOrEqual(0.7);
    expect(interval.high).toBeLessThanOrEqual(0.75);
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const values = [0.1, 0.4, 0.35, 0.8, 0.05, 0.6, 0.2];
    expect(bootstrapCi(values, options)).toEqual(bootstrapCi(values, options));
    expect(bootstrapCi(values, { ...options, seed: 8 })).not.toEqual(bootstrapCi(values, options));
  });

  it('narrows as the confidence falls', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const wide = bootstrapCi(values, options)!;
    const narrow = bootstrapCi(values, { ...options, confidence: 0.5 })!;
    expect(narrow.low).toBeGreaterThanOrEqual(wide.low);
    expect(narrow.high).toBeLessThanOrEqual(wide.high);
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
  });

  it('rejects a bad confidence, resample count or value with a typed error', () => {
    const codeOf = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        return error instanceof BootstrapError ? error.code : 'untyped';
      }
      return undefined;
    };
    expect(codeOf(() => bootstrapCi([1], { ...options, confidence: 1 }))).toBe('bootstrap-invalid-option');
    expect(codeOf(() => bootstrapCi([1], { ...options, resamples: 0.5 }))).toBe('bootstrap-invalid-option');
    expect(codeOf(() => bootstrapCi([1, Number.NaN], options))).toBe('bootstrap-invalid-value');
  });
});
