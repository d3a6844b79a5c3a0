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

/** One RGB pixel packed as R | G << 8 | B << 16: three bytes in memory order once written little-endian. */
type PackedRgb = number;

/** Chroma coefficients of a matrix: R from Cr, G from Cb, G from Cr, B from Cb. */
function chromaCoefficients(matrix: ColorMatrix): [red: number, greenCb: number, greenCr: number, blue: number] {
  const [kr, kb] = LUMA_WEIGHTS[matrix];
  const kg = 1 - kr - kb;
  return [2 * (1 - kr), (-2 * kb * (1 - kb)) / kg, (-2 * kr * (1 - kr)) / kg, 2 * (1 - kb)];
}

/** The fixed-point terms of one matrix, × 2¹⁶, and R and B already summed, shifted and clamped per code pair. */
interface ConversionTables {
  /** (Y' − 16)·255/219 plus a half for rounding. */
  luma: Int32Array;
  /** By (Y' << 8 | Cr) and (Y' << 8 | Cb). */
  redFromLumaCr: Uint8Array;
  blueFromLumaCb: Uint8Array;
  /** G's two chroma terms summed, by (Cb << 8 | Cr); G needs Y' too, which would make its table 16 MiB. */
  greenFromCbCr: Int32Array;
}

/** Built once per matrix and process: filling the 64 Ki-entry tables takes longer than converting a frame. */
const TABLES = new Map<ColorMatrix, ConversionTables>();

function conversionTables(matrix: ColorMatrix): ConversionTables {
  const known = TABLES.get(matrix);
  if (known !== undefined) return known;
  const [red, greenCb, greenCr, blue] = chromaCoefficients(matrix);
  const tables: ConversionTables = {
    luma: new Int32Array(256),
    redFromLumaCr: new Uint8Array(65536),
    blueFromLumaCb: new Uint8Array(65536),
    greenFromCbCr: new Int32Array(65536),
  };
  const redFromCr = new Int32Array(256);
  const greenFromCb = new Int32Array(256);
  const greenFromCr = new Int32Array(256);
  const blueFromCb = new Int32Array(256);
  for (let code = 0; code < 256; code++) {
    const chroma = (code - 128) * C_SCALE * ONE;
    tables.luma[code] = Math.round((code - Y_BLACK) * Y_SCALE * ONE) + ONE / 2;
    redFromCr[code] = Math.round(red * chroma);
    greenFromCb[code] = Math.round(greenCb * chroma);
    greenFromCr[code] = Math.round(greenCr * chroma);
    blueFromCb[code] = Math.round(blue * chroma);
  }
  for (let high = 0; high < 256; high++) {
    const luma = tables.luma[high]!;
    const cb = greenFromCb[high]!;
    for (let low = 0; low < 256; low++) {
      const index = (high << 8) | low;
      tables.redFromLumaCr[index] = clampLevel((luma + redFromCr[low]!) >> FRACTION_BITS);
      tables.blueFromLumaCb[index] = clampLevel((luma + blueFromCb[low]!) >> FRACTION_BITS);
      tables.greenFromCbCr[index] = cb + greenFromCr[low]!;
    }
  }
  TABLES.set(matrix, tables);
  return tables;
}

/**
 * Converts planar limited-range Y'CbCr 4:4:4 (three planes of `pixels` bytes, as ffmpeg's yuv444p)
 * to interleaved RGB24: R = Y + 2(1 − Kr)·Cr, G = Y − (2Kb(1 − Kb)·Cb + 2Kr(1 − Kr)·Cr) / Kg,
 * B = Y + 2(1 − Kb)·Cb, Kg = 1 − Kr − Kb (ITU-R BT.601/709/2020), each term rounded to 16 fractional
 * bits, then summed, shifted and clamped (see ConversionTables). Matches ffmpeg's accurate yuv→rgb24
 * path (full_chroma_int) to within 2 levels.
 */
export class YuvToRgb {
  private readonly luma: Int32Array;
  private readonly redFromLumaCr: Uint8Array;
  private readonly blueFromLumaCb: Uint8Array;
  private readonly greenFromCbCr: Int32Array;
  private readonly coefficients: [number, number, number, number];

  constructor(readonly matrix: ColorMatrix) {
    const tables = conversionTables(matrix);
    this.luma = tables.luma;
    this.redFromLumaCr = tables.redFromLumaCr;
    this.blueFromLumaCb = tables.blueFromLumaCb;
    this.greenFromCbCr = tables.greenFromCbCr;
    this.coefficients = chromaCoefficients(matrix);
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

  /** The rounded, clamped RGB of one Y'CbCr code triple. */
  private packed(y: number, cb: number, cr: number): PackedRgb {
    const green = (this.luma[y]! + this.greenFromCbCr[(cb << 8) | cr]!) >> FRACTION_BITS;
    return this.redFromLumaCr[(y << 8) | cr]! | ((green < 0 ? 0 : green > 255 ? 255 : green) << 8) | (this.blueFromLumaCb[(y << 8) | cb]! << 16);
  }

  /**
   * RGB24 of a yuv444p frame of `pixels` pixels (rounded and clamped to 0-255), into `out` when given
   * (a buffer reused from frame to frame spares the collector a frame-sized allocation each time).
   */
  convert(planes: Uint8Array, pixels: number, out?: Uint8Array): Uint8Array {
    if (planes.length !== 3 * pixels) throw new RangeError(`YuvToRgb: ${planes.length} bytes are not three planes of ${pixels} pixels`);
    if (out !== undefined && out.length !== 3 * pixels) throw new RangeError(`YuvToRgb: an output of ${out.length} bytes cannot hold ${pixels} RGB pixels`);
    const rgb = out ?? new Uint8Array(3 * pixels);
    // Four pixels at a time: one little-endian word from each plane in, twelve bytes as three words out
    // (a third of the loads and stores of byte by byte).
    const codes = new DataView(planes.buffer, planes.byteOffset, planes.byteLength);
    const words = new DataView(rgb.buffer, rgb.byteOffset, rgb.byteLength);
    const cbAt = pixels;
    const crAt = 2 * pixels;
    const whole = pixels - (pixels % 4);
    let i = 0;
    for (let j = 0; i < whole; i += 4, j += 12) {
      const y = codes.getUint32(i, true);
      const cb = codes.getUint32(cbAt + i, true);
      const cr = codes.getUint32(crAt + i, true);
      const first = this.packed(y & 255, cb & 255, cr & 255);
      const second = this.packed((y >>> 8) & 255, (cb >>> 8) & 255, (cr >>> 8) & 255);
      const third = this.packed((y >>> 16) & 255, (cb >>> 16) & 255, (cr >>> 16) & 255);
      const fourth = this.packed(y >>> 24, cb >>> 24, cr >>> 24);
      words.setUint32(j, first | (second << 24), true);
      words.setUint32(j + 4, (second >>> 8) | (third << 16), true);
      words.setUint32(j + 8, (third >>> 16) | (fourth << 8), true);
    }
    for (let j = 3 * i; i < pixels; i++, j += 3) {
      const rgbOfPixel = this.packed(planes[i]!, planes[cbAt + i]!, planes[crAt + i]!);
      rgb[j] = rgbOfPixel & 255;
      rgb[j + 1] = (rgbOfPixel >>> 8) & 255;
      rgb[j + 2] = rgbOfPixel >>> 16;
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
