import type { GrayImage } from './warp-error.js';

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

/** What the temporal metric keeps of a frame: small images and whole-frame statistics, from one pass over it. */
export interface FrameSummary {
  /** Luma (ITU-R BT.601 weights) of the frame box-averaged by the factor, rounded to grey levels. */
  small: GrayImage;
  /** The same cells in RGB, three bytes per cell. */
  smallRgb: Uint8Array;
  /** Mean luma and mean R, G, B over the cells, grey levels (unrounded). */
  meanLuma: number;
  meanRgb: [number, number, number];
  /** `colourHistogram` of the cells. */
  histogram: Float64Array;
}

/**
 * One pass over an RGB frame: box averages over `factor`×`factor` cells (the last partial rows and
 * columns are dropped; cells of 4 px or more read every other row, which halves the cost and leaves
 * hundreds of thousands of pixels in the means), their luma Y = (77R + 150G + 29B) / 256 (BT.601, as the analysis' grey
 * frame), the channel means and the colour histogram of the cells. Reading each pixel once is what
 * keeps the metric near the cost of decoding; a histogram of cell colours still separates scenes.
 */
export function summariseFrame(rgb: Uint8Array, width: number, height: number, factor: number): FrameSummary {
  const f = Math.max(1, Math.floor(factor));
  const outWidth = Math.max(1, Math.floor(width / f));
  const outHeight = Math.max(1, Math.floor(height / f));
  const cells = outWidth * outHeight;
  const small = new Uint8Array(cells);
  const smallRgb = new Uint8Array(3 * cells);
  const counts = new Uint32Array(3 * HISTOGRAM_BINS);
  const shift = 8 - Math.log2(HISTOGRAM_BINS);
  const sums = new Uint32Array(3 * outWidth);
  const rowStep = f >= 4 ? 2 : 1;
  const area = f * Math.ceil(f / rowStep);
  let r = 0;
  let g = 0;
  let b = 0;
  for (let cy = 0; cy < outHeight; cy++) {
    sums.fill(0);
    for (let dy = 0; dy < f; dy += rowStep) {
      let i = 3 * (cy * f + dy) * width;
      for (let cx = 0, k = 0; cx < outWidth; cx++, k += 3) {
        let sr = 0;
        let sg = 0;
        let sb = 0;
        for (let dx = 0; dx < f; dx++, i += 3) {
          sr += rgb[i]!;
          sg += rgb[i + 1]!;
          sb += rgb[i + 2]!;
        }
        sums[k] = sums[k]! + sr;
        sums[k + 1] = sums[k + 1]! + sg;
        sums[k + 2] = sums[k + 2]! + sb;
      }
    }
    for (let cx = 0, k = 0; cx < outWidth; cx++, k += 3) {
      const sr = sums[k]!;
      const sg = sums[k + 1]!;
      const sb = sums[k + 2]!;
      r += sr;
      g += sg;
      b += sb;
      const cell = cy * outWidth + cx;
      const red = Math.round(sr / area);
      const green = Math.round(sg / area);
      const blue = Math.round(sb / area);
      smallRgb[3 * cell] = red;
      smallRgb[3 * cell + 1] = green;
      smallRgb[3 * cell + 2] = blue;
      small[cell] = Math.round((77 * sr + 150 * sg + 29 * sb) / (256 * area));
      counts[red >> shift]!++;
      counts[HISTOGRAM_BINS + (green >> shift)]!++;
      counts[2 * HISTOGRAM_BINS + (blue >> shift)]!++;
    }
  }
  const pixels = cells * area;
  const meanRgb: [number, number, number] = [r / pixels, g / pixels, b / pixels];
  return {
    small: { width: outWidth, height: outHeight, data: small },
    smallRgb,
    meanLuma: (77 * meanRgb[0] + 150 * meanRgb[1] + 29 * meanRgb[2]) / 256,
    meanRgb,
    histogram: Float64Array.from(counts, (count) => count / cells),
  };
}
