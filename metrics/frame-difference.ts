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
  const histogram = new Float64Array(3 * HISTOGRAM_BINS);
  const shift = 8 - Math.log2(HISTOGRAM_BINS);
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    histogram[rgb[i]! >> shift]! += 1;
    histogram[HISTOGRAM_BINS + (rgb[i + 1]! >> shift)]! += 1;
    histogram[2 * HISTOGRAM_BINS + (rgb[i + 2]! >> shift)]! += 1;
  }
  const pixels = Math.max(1, Math.floor(rgb.length / 3));
  for (let i = 0; i < histogram.length; i++) histogram[i] = histogram[i]! / pixels;
  return histogram;
}

/** Total-variation distance between two colour histograms, averaged over channels: ½·Σ|p − q| / 3, in [0, 1]. */
export function histogramDistance(p: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i]! - (q[i] ?? 0));
  return sum / 2 / 3;
}

/** Mean of each channel of a frame: [luma from `gray`, R, G, B]. */
export function channelMeans(gray: Uint8Array, rgb: Uint8Array): [number, number, number, number] {
  let luma = 0;
  for (let i = 0; i < gray.length; i++) luma += gray[i]!;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    r += rgb[i]!;
    g += rgb[i + 1]!;
    b += rgb[i + 2]!;
  }
  const pixels = Math.max(1, Math.floor(rgb.length / 3));
  return [luma / Math.max(1, gray.length), r / pixels, g / pixels, b / pixels];
}
