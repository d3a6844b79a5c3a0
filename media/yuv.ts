import type { ColorMatrix } from './types.js';

/** Luma weights (Kr, Kb) of each matrix: ITU-R BT.601, BT.709 and BT.2020 (non-constant luminance). */
const LUMA_WEIGHTS: Record<ColorMatrix, [kr: number, kb: number]> = {
  bt601: [0.299, 0.114],
  bt709: [0.2126, 0.0722],
  bt2020: [0.2627, 0.0593],
};

/** Limited ("TV") range: Y' spans 16-235 and Cb, Cr 16-240 around 128. */
const Y_BLACK = 16;
const Y_SCALE = 255 / 219;
const C_SCALE = 255 / 224;

/** Y' → grey level 0-255 per code value: the clip's own luma, expanded from limited range. */
const LUMA_TABLE = Uint8ClampedArray.from({ length: 256 }, (_, y) => (y - Y_BLACK) * Y_SCALE);

function clampLevel(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/** Fixed point of the conversion tables: 16 fractional bits. */
const FRACTION_BITS = 16;
const ONE = 1 << FRACTION_BITS;

/**
 * Converts planar limited-range Y'CbCr 4:4:4 (three planes of `pixels` bytes, as ffmpeg's yuv444p)
 * to interleaved RGB24: R = Y + 2(1 − Kr)·Cr, G = Y − (2Kb(1 − Kb)·Cb + 2Kr(1 − Kr)·Cr) / Kg,
 * B = Y + 2(1 − Kb)·Cb, Kg = 1 − Kr − Kb (ITU-R BT.601/709/2020), each term from a 256-entry
 * fixed-point table. Matches ffmpeg's accurate yuv→rgb24 path (full_chroma_int) to within 2 levels.
 */
export class YuvToRgb {
  /** (Y' − 16)·255/219 plus a half for rounding, then the chroma terms, all × 2¹⁶. */
  private readonly luma = new Int32Array(256);
  private readonly redFromCr = new Int32Array(256);
  private readonly greenFromCb = new Int32Array(256);
  private readonly greenFromCr = new Int32Array(256);
  private readonly blueFromCb = new Int32Array(256);

  /** Chroma coefficients: R from Cr, G from Cb, G from Cr, B from Cb. */
  private readonly coefficients: [number, number, number, number];

  constructor(readonly matrix: ColorMatrix) {
    const [kr, kb] = LUMA_WEIGHTS[matrix];
    const kg = 1 - kr - kb;
    const [red, greenCb, greenCr, blue] = (this.coefficients = [2 * (1 - kr), (-2 * kb * (1 - kb)) / kg, (-2 * kr * (1 - kr)) / kg, 2 * (1 - kb)]);
    for (let code = 0; code < 256; code++) {
      const chroma = (code - 128) * C_SCALE * ONE;
      this.luma[code] = Math.round((code - Y_BLACK) * Y_SCALE * ONE) + ONE / 2;
      this.redFromCr[code] = Math.round(red * chroma);
      this.greenFromCb[code] = Math.round(greenCb * chroma);
      this.greenFromCr[code] = Math.round(greenCr * chroma);
      this.blueFromCb[code] = Math.round(blue * chroma);
    }
  }

  /** RGB (0-255, clamped, not rounded) of one Y'CbCr triple given as fractional codes, such as a cell's means, into `out`. */
  meanToRgb(y: number, cb: number, cr: number, out: [number, number, number]): void {
    const [red, greenCb, greenCr, blue] = this.coefficients;
    const luma = (y - Y_BLACK) * Y_SCALE;
    const u = (cb - 128) * C_SCALE;
    const v = (cr - 128) * C_SCALE;
    out[0] = clampLevel(luma + red * v);
    out[1] = clampLevel(luma + greenCb * u + greenCr * v);
    out[2] = clampLevel(luma + blue * u);
  }

  /**
   * RGB24 of a yuv444p frame of `pixels` pixels (rounded and clamped to 0-255), into `out` when given
   * (a buffer reused from frame to frame spares the collector a frame-sized allocation each time).
   */
  convert(planes: Uint8Array, pixels: number, out?: Uint8Array): Uint8Array {
    if (planes.length !== 3 * pixels) throw new RangeError(`YuvToRgb: ${planes.length} bytes are not three planes of ${pixels} pixels`);
    if (out !== undefined && out.length !== 3 * pixels) throw new RangeError(`YuvToRgb: an output of ${out.length} bytes cannot hold ${pixels} RGB pixels`);
    const rgb = out ?? new Uint8Array(3 * pixels);
    const { luma, redFromCr, greenFromCb, greenFromCr, blueFromCb } = this;
    for (let i = 0, j = 0; i < pixels; i++, j += 3) {
      const y = luma[planes[i]!]!;
      const cb = planes[pixels + i]!;
      const cr = planes[2 * pixels + i]!;
      const r = (y + redFromCr[cr]!) >> FRACTION_BITS;
      const g = (y + greenFromCb[cb]! + greenFromCr[cr]!) >> FRACTION_BITS;
      const b = (y + blueFromCb[cb]!) >> FRACTION_BITS;
      rgb[j] = r < 0 ? 0 : r > 255 ? 255 : r;
      rgb[j + 1] = g < 0 ? 0 : g > 255 ? 255 : g;
      rgb[j + 2] = b < 0 ? 0 : b > 255 ? 255 : b;
    }
    return rgb;
  }
}

/** Grey levels (0-255) from the Y' plane of a yuv444p frame: the clip's luma, expanded from limited range. */
export function lumaFromYuv(planes: Uint8Array, pixels: number): Uint8Array {
  if (planes.length < pixels) throw new RangeError(`lumaFromYuv: ${planes.length} bytes hold no Y' plane of ${pixels} pixels`);
  const gray = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) gray[i] = LUMA_TABLE[planes[i]!]!;
  return gray;
}
