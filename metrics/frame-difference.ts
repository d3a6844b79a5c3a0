import type { YuvToRgb } from '../media/yuv.js';
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

/** The cells of one frame summary as they are filled, and the totals over them. */
class CellSummary {
  readonly small: Uint8Array;
  readonly smallRgb: Uint8Array;
  private readonly counts = new Uint32Array(3 * HISTOGRAM_BINS);
  private readonly shift = 8 - Math.log2(HISTOGRAM_BINS);
  private r = 0;
  private g = 0;
  private b = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    /** Pixels summed per cell. */
    private readonly area: number,
  ) {
    this.small = new Uint8Array(width * height);
    this.smallRgb = new Uint8Array(3 * width * height);
  }

  /** Records cell `cell` from the sums of its pixels' R, G and B. */
  add(cell: number, sr: number, sg: number, sb: number): void {
    const area = this.area;
    this.r += sr;
    this.g += sg;
    this.b += sb;
    const red = Math.round(sr / area);
    const green = Math.round(sg / area);
    const blue = Math.round(sb / area);
    this.smallRgb[3 * cell] = red;
    this.smallRgb[3 * cell + 1] = green;
    this.smallRgb[3 * cell + 2] = blue;
    this.small[cell] = Math.round((77 * sr + 150 * sg + 29 * sb) / (256 * area));
    this.counts[red >> this.shift]!++;
    this.counts[HISTOGRAM_BINS + (green >> this.shift)]!++;
    this.counts[2 * HISTOGRAM_BINS + (blue >> this.shift)]!++;
  }

  summary(): FrameSummary {
    const cells = this.width * this.height;
    const pixels = cells * this.area;
    const meanRgb: [number, number, number] = [this.r / pixels, this.g / pixels, this.b / pixels];
    return {
      small: { width: this.width, height: this.height, data: this.small },
      smallRgb: this.smallRgb,
      meanLuma: (77 * meanRgb[0] + 150 * meanRgb[1] + 29 * meanRgb[2]) / 256,
      meanRgb,
      histogram: Float64Array.from(this.counts, (count) => count / cells),
    };
  }
}

/** Cells of `factor` px over a frame (the last partial rows and columns dropped), and the rows read in each: every other one for cells of 4 px or more. */
function cellGrid(width: number, height: number, factor: number): { f: number; outWidth: number; outHeight: number; rowStep: number; area: number } {
  const f = Math.max(1, Math.floor(factor));
  const rowStep = f >= 4 ? 2 : 1;
  return { f, outWidth: Math.max(1, Math.floor(width / f)), outHeight: Math.max(1, Math.floor(height / f)), rowStep, area: f * Math.ceil(f / rowStep) };
}

/**
 * One pass over an RGB frame: box averages over `factor`×`factor` cells (the last partial rows and
 * columns are dropped; cells of 4 px or more read every other row, which halves the cost and leaves
 * hundreds of thousands of pixels in the means), their luma Y = (77R + 150G + 29B) / 256 (BT.601, as the analysis' grey
 * frame), the channel means and the colour histogram of the cells. Reading each pixel once is what
 * keeps the metric near the cost of decoding; a histogram of cell colours still separates scenes.
 */
export function summariseFrame(rgb: Uint8Array, width: number, height: number, factor: number): FrameSummary {
  const { f, outWidth, outHeight, rowStep, area } = cellGrid(width, height, factor);
  const cells = new CellSummary(outWidth, outHeight, area);
  const sums = new Uint32Array(3 * outWidth);
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
    for (let cx = 0, k = 0; cx < outWidth; cx++, k += 3) cells.add(cy * outWidth + cx, sums[k]!, sums[k + 1]!, sums[k + 2]!);
  }
  return cells.summary();
}

/**
 * `summariseFrame` of a frame given as yuv444p planes: each cell's mean Y'CbCr is turned into RGB
 * (the conversion is linear, so this is the mean of its pixels' RGB wherever none of them clips),
 * which converts a cell instead of every pixel.
 */
export function summarisePlanes(planes: Uint8Array, width: number, height: number, factor: number, toRgb: YuvToRgb): FrameSummary {
  const { f, outWidth, outHeight, rowStep, area } = cellGrid(width, height, factor);
  const cells = new CellSummary(outWidth, outHeight, area);
  const pixels = width * height;
  const sums = new Uint32Array(3 * outWidth);
  const rgb: [number, number, number] = [0, 0, 0];
  for (let cy = 0; cy < outHeight; cy++) {
    sums.fill(0);
    for (let dy = 0; dy < f; dy += rowStep) {
      let i = (cy * f + dy) * width;
      for (let cx = 0, k = 0; cx < outWidth; cx++, k += 3) {
        let sy = 0;
        let scb = 0;
        let scr = 0;
        for (let dx = 0; dx < f; dx++, i++) {
          sy += planes[i]!;
          scb += planes[pixels + i]!;
          scr += planes[2 * pixels + i]!;
        }
        sums[k] = sums[k]! + sy;
        sums[k + 1] = sums[k + 1]! + scb;
        sums[k + 2] = sums[k + 2]! + scr;
      }
    }
    for (let cx = 0, k = 0; cx < outWidth; cx++, k += 3) {
      toRgb.meanToRgb(sums[k]! / area, sums[k + 1]! / area, sums[k + 2]! / area, rgb);
      cells.add(cy * outWidth + cx, rgb[0] * area, rgb[1] * area, rgb[2] * area);
    }
  }
  return cells.summary();
}
