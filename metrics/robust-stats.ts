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

/**
 * The k-th smallest (0-based) of the first `count` entries of `values`, which it reorders: Hoare's
 * quickselect, linear on average; sorting the ~14 000 exposure samples of every frame cost more than
 * the rest of the exposure estimate.
 */
export function kthSmallest(values: Float32Array, count: number, k: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    // Now values[lo..j] ≤ pivot ≤ values[i..hi], and values between j and i equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k] as number;
  }
  return values[k] as number;
}
