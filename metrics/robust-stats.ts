/** Median of a list (mean of the two middle values for an even count); NaN for an empty list. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile (0 … 1) as the order statistic at the lower rank floor(q·(n − 1)), no interpolation; NaN for an empty list. */
export function lowerRankQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

/** Median absolute deviation, MAD = median(|xᵢ − median(x)|) (Hampel 1974); NaN for an empty list. */
export function medianAbsoluteDeviation(values: ArrayLike<number>): number {
  const centre = median(values);
  return median(Array.from(values, (v) => Math.abs(v - centre)));
}

/** Scale factor that turns a MAD into a standard deviation for Gaussian data: 1 / Φ⁻¹(3/4). */
export const MAD_TO_SIGMA = 1.4826;

/**
 * Median and MAD of `values[i − halfWidth .. i + halfWidth]` (clipped at the ends) for every i,
 * evaluated at every `stride`-th point and held for the points between (a slowly varying level).
 * Sorting each window costs O(n·w·log w / stride).
 */
export function movingMedianAndMad(
  values: ArrayLike<number>,
  halfWidth: number,
  stride = 1,
): { median: Float64Array; mad: Float64Array } {
  const n = values.length;
  const medians = new Float64Array(n);
  const mads = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i % stride !== 0) {
      medians[i] = medians[i - 1]!;
      mads[i] = mads[i - 1]!;
      continue;
    }
    const lo = Math.max(0, i - halfWidth);
    const hi = Math.min(n, i + halfWidth + 1);
    const window = new Float64Array(hi - lo);
    for (let j = lo; j < hi; j++) window[j - lo] = values[j]!;
    medians[i] = median(window);
    mads[i] = medianAbsoluteDeviation(window);
  }
  return { median: medians, mad: mads };
}
