import { seededRandom } from './seeded-random.js';

export interface BootstrapOptions {
  /** Coverage of the interval, in (0, 1); 0.95 gives a 95% interval. */
  confidence: number;
  /** Bootstrap samples drawn. */
  resamples: number;
  /** Seed of the resampling, so the same values always give the same interval. */
  seed: number;
}

/** The defaults the reports use: a 95% interval from 2000 resamples, seed 1. */
export const BOOTSTRAP_DEFAULTS: BootstrapOptions = { confidence: 0.95, resamples: 2000, seed: 1 };

export interface ConfidenceInterval {
  mean: number;
  low: number;
  high: number;
  /** Values the interval was computed from. */
  n: number;
}

export type BootstrapErrorCode = 'bootstrap-invalid-option' | 'bootstrap-invalid-value';

export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';
  constructor(
    readonly code: BootstrapErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Percentile bootstrap interval of the mean (Efron & Tibshirani, An Introduction to the
 * Bootstrap, 1993, ch. 13): draw `resamples` samples of n values with replacement, take each
 * sample's mean, sort them (m₁ ≤ … ≤ m_B), and with α = 1 − confidence return
 * [m_⌈B·α/2⌉, m_⌈B·(1−α/2)⌉] (nearest rank, 1-based). Null for no values; a single value, or
 * equal values, give a zero-width interval.
 *
 * Example: bootstrapCi([0, 1], { confidence: 0.4, resamples: 10000, seed: 1 }) → low = high = 0.5,
 * because half of all resampled means of two values are 0.5.
 */
export function bootstrapCi(values: readonly number[], options: BootstrapOptions = BOOTSTRAP_DEFAULTS): ConfidenceInterval | null {
  const { confidence, resamples, seed } = options;
  if (!(confidence > 0 && confidence < 1)) {
    throw new BootstrapError('bootstrap-invalid-option', `bootstrapCi: confidence must lie strictly between 0 and 1, got ${confidence}`);
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new BootstrapError('bootstrap-invalid-option', `bootstrapCi: resamples must be a whole number of at least 1, got ${resamples}`);
  }
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new BootstrapError('bootstrap-invalid-value', `bootstrapCi: value ${bad} is ${values[bad]}, expected a finite number`);
  }
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b += 1) {
    let sum = 0;
    for (let i = 0; i < n; i += 1) sum += values[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const alpha = 1 - confidence;
  const rank = (p: number): number => Math.min(resamples, Math.max(1, Math.ceil(resamples * p))) - 1;
  return { mean, low: means[rank(alpha / 2)]!, high: means[rank(1 - alpha / 2)]!, n };
}
