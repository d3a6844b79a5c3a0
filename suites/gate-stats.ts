/*
 * The statistics behind `physeval gate` and `physeval history`: small exact tests on paired items,
 * deterministic (no resampling), each a pure function of its input.
 */

/** The median of a list (mean of the two middle values for an even count); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** P(X ≥ k) for X ~ Binomial(n, 1/2), summed exactly from the binomial coefficients. */
export function binomialHalfUpperTail(k: number, n: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  // Terms C(n, i)·2⁻ⁿ built by the ratio C(n, i+1) = C(n, i)·(n−i)/(i+1), in log space for large n.
  let logTerm = -n * Math.LN2;
  let tail = 0;
  for (let i = 0; i <= n; i += 1) {
    if (i >= k) tail += Math.exp(logTerm);
    logTerm += Math.log(n - i) - Math.log(i + 1);
  }
  return Math.min(1, tail);
}

export interface McNemarResult {
  /** Items that passed in the baseline and fail in the candidate. */
  regressed: number;
  /** Items that failed in the baseline and pass in the candidate. */
  improved: number;
  /** One-sided p of "the candidate fails more often": P(X ≥ regressed), X ~ Bin(regressed + improved, 1/2). */
  pValue: number;
}

/**
 * Exact one-sided McNemar test on the discordant pairs (McNemar 1947; exact binomial form as in
 * Agresti, Categorical Data Analysis, §11.1): only items whose outcome changed carry information.
 */
export function mcnemarExact(regressed: number, improved: number): McNemarResult {
  return { regressed, improved, pValue: binomialHalfUpperTail(regressed, regressed + improved) };
}

export interface SignedRankResult {
  /** Differences that were not zero: Wilcoxon's original method drops zero differences. */
  n: number;
  /** Sum of the (mid)ranks of |d| over the positive differences. */
  wPlus: number;
  /** One-sided p of "the differences tend to be positive". */
  pValue: number;
  method: 'exact' | 'normal';
}

/** Above this many non-zero differences the normal approximation replaces the exact distribution. */
export const SIGNED_RANK_EXACT_MAX_N = 200;

/** Midranks (1-based) of values, ties sharing the mean of the ranks they span. */
export function midranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i += 1) ranks[(order[i] as { index: number }).index] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * Wilcoxon signed-rank test, one-sided (H1: the differences tend to be positive), Wilcoxon (1945).
 * Exact: the null distribution of W+ over all 2ⁿ sign patterns of the observed (mid)ranks, built
 * by dynamic programming on doubled ranks, so ties stay exact (Hollander & Wolfe, Nonparametric
 * Statistical Methods, §3.1). Beyond SIGNED_RANK_EXACT_MAX_N: the normal approximation with tie
 * and continuity corrections.
 */
export function signedRankTest(differences: readonly number[]): SignedRankResult {
  const nonZero = differences.filter((d) => d !== 0 && Number.isFinite(d));
  const n = nonZero.length;
  if (n === 0) return { n, wPlus: 0, pValue: 1, method: 'exact' };
  const ranks = midranks(nonZero.map(Math.abs));
  let wPlus = 0;
  nonZero.forEach((d, i) => {
    if (d > 0) wPlus += ranks[i] as number;
  });
  if (n > SIGNED_RANK_EXACT_MAX_N) return { n, wPlus, pValue: signedRankNormalP(wPlus, ranks), method: 'normal' };
  // Midranks are multiples of 1/2: doubled they are integers and index the distribution array.
  const doubled = ranks.map((rank) => Math.round(rank * 2));
  const total = doubled.reduce((sum, rank) => sum + rank, 0);
  let distribution = new Float64Array(total + 1);
  distribution[0] = 1;
  let reach = 0;
  for (const rank of doubled) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= reach; s += 1) {
      const p = (distribution[s] as number) / 2;
      if (p === 0) continue;
      next[s] = (next[s] as number) + p;
      next[s + rank] = (next[s + rank] as number) + p;
    }
    reach += rank;
    distribution = next;
  }
  const observed = Math.round(wPlus * 2);
  let pValue = 0;
  for (let s = observed; s <= total; s += 1) pValue += distribution[s] as number;
  return { n, wPlus, pValue: Math.min(1, pValue), method: 'exact' };
}

/** Upper-tail p of W+ by the normal approximation: mean n(n+1)/4, variance n(n+1)(2n+1)/24 − Σ(t³−t)/48. */
function signedRankNormalP(wPlus: number, ranks: readonly number[]): number {
  const n = ranks.length;
  const ties = new Map<number, number>();
  for (const rank of ranks) ties.set(rank, (ties.get(rank) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t ** 3 - t;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  if (variance <= 0) return 1;
  const z = (wPlus - (n * (n + 1)) / 4 - 0.5) / Math.sqrt(variance);
  return 1 - standardNormalCdf(z);
}

/** Φ(z) by the Abramowitz & Stegun 7.1.26 approximation of erf (absolute error below 1.5e-7). */
export function standardNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The smallest number of non-zero differences for which a one-sided exact signed-rank or sign test can reach p < alpha: 2⁻ⁿ < alpha. */
export function minimumPairsFor(alpha: number): number {
  return Math.max(1, Math.floor(Math.log2(1 / alpha)) + 1);
}

/**
 * Wilson score interval for a proportion (Wilson 1927), 95% with z = 1.96:
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
 */
export function wilsonInterval(successes: number, n: number, z = 1.959964): [number, number] | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return [Math.max(0, (centre - half) / denominator), Math.min(1, (centre + half) / denominator)];
}

/**
 * Distribution-free 95% interval for a median from order statistics: [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] with k the
 * largest rank such that P(Bin(n, ½) ≤ k−1) ≤ 2.5% (Conover, Practical Nonparametric Statistics,
 * §3.2). Null below 6 values, where no such k exists.
 */
export function medianInterval(values: readonly number[], alpha = 0.05): [number, number] | null {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  let k = 0;
  // P(X ≤ k−1) = 1 − P(X ≥ k); grow k while the lower tail stays within alpha/2.
  while (k + 1 <= n && 1 - binomialHalfUpperTail(k + 1, n) <= alpha / 2) k += 1;
  if (k === 0) return null;
  return [sorted[k - 1] as number, sorted[n - k] as number];
}
