/** Mean absolute difference of two equally sized byte images, MAD = Σ|aᵢ − bᵢ| / n, in grey levels. */
export function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`meanAbsoluteDifference: sizes differ (${a.length} and ${b.length})`);
  if (a.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Bins per channel of `colourHistogram`. */
export const HISTOGRAM_BINS = 16;

/** Normalised histogram of each RGB channel (HISTOGRAM_BINS bins each, every channel summing to 1), concatenated. */
export function colourHistogram(rgb: Uint8Array): Float64Array {
  return colourStatistics(rgb).histogram;
}

/** `colourHistogram` and the mean of each RGB channel, in one pass over the pixels. */
export function colourStatistics(rgb: Uint8Array): { histogram: Float64Array; meanRgb: [number, number, number] } {
  const counts = new Uint32Array(3 * HISTOGRAM_BINS);
  const shift = 8 - Math.log2(HISTOGRAM_BINS);
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    const red = rgb[i]!;
    const green = rgb[i + 1]!;
    const blue = rgb[i + 2]!;
    r += red;
    g += green;
    b += blue;
    counts[red >> shift]!++;
    counts[HISTOGRAM_BINS + (green >> shift)]!++;
    counts[2 * HISTOGRAM_BINS + (blue >> shift)]!++;
  }
  const pixels = Math.max(1, Math.floor(rgb.length / 3));
  const histogram = Float64Array.from(counts, (count) => count / pixels);
  return { histogram, meanRgb: [r / pixels, g / pixels, b / pixels] };
}

/** Mean of a grey image, grey levels; 0 when empty. */
export function meanLevel(gray: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < gray.length; i++) sum += gray[i]!;
  return gray.length > 0 ? sum / gray.length : 0;
}

/** Total-variation distance between two colour histograms, averaged over channels: ½·Σ|p − q| / 3, in [0, 1]. */
export function histogramDistance(p: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i]! - (q[i] ?? 0));
  return sum / 2 / 3;
}
