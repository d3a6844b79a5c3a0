import type { Camera } from './camera.js';
import type { Rgb } from './color.js';
import type { Table } from './physics.js';
import { gaussianSource, mulberry32 } from './prng.js';

/**
 * RGB24 drawing of the simulated scene. Pixel (column i, row j) has its centre at (i, j) (see
 * camera.ts); the background is drawn once per clip and each frame only touches the balls'
 * bounding boxes, then the optional noise and watermark passes.
 */

export interface RasterSize {
  width: number;
  height: number;
}

/** Look of the scene, in one place. */
export const RASTER_DEFAULTS = {
  /** Wall grey at the top and at the floor line. */
  wallTopGrey: 208,
  wallBottomGrey: 178,
  /** Warm tint added to the wall's red, green and blue. */
  wallTint: [6, 2, -8] as Rgb,
  floorRgb: [128, 98, 70] as Rgb,
  tableRgb: [92, 62, 40] as Rgb,
  tableTopThicknessM: 0.035,
  tableLegWidthM: 0.04,
  /** Value-noise texture: lattice spacing (px) and amplitude (grey levels). */
  textureCellPx: 23,
  textureAmplitude: 7,
  /** Tile joints on the wall: spacing (px) and how much darker they are. */
  tilePx: 48,
  tileJointDarkening: 9,
  /** Sphere shading: direction to the light (x right, y down, z to the camera), ambient share, highlight. */
  light: [-0.45, -0.55, 0.7] as [number, number, number],
  ambient: 0.35,
  specular: 0.35,
  specularPower: 24,
  /** Watermark: size as fractions of the frame, opacity, and drift speed in frame widths per second. */
  watermarkWidthFraction: 0.2,
  watermarkHeightFraction: 0.08,
  watermarkOpacity: 0.35,
  watermarkSpeed: 0.12,
  /** Distinct Gaussian noise values kept per clip; frames read them from random offsets. */
  noiseTableSize: 1 << 20,
} as const;

/** One ball as drawn in one frame. */
export interface DrawnBall {
  xPx: number;
  yPx: number;
  radiusPx: number;
  colorRgb: Rgb;
}

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

/** Smoothly interpolated lattice noise in [-1, 1] (value noise with smoothstep weights). */
function valueNoise(width: number, height: number, cellPx: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const cols = Math.ceil(width / cellPx) + 2;
  const rows = Math.ceil(height / cellPx) + 2;
  const lattice = Float32Array.from({ length: cols * rows }, () => 2 * random() - 1);
  const smooth = (t: number): number => t * t * (3 - 2 * t);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const gy = y / cellPx;
    const row = Math.floor(gy);
    const wy = smooth(gy - row);
    for (let x = 0; x < width; x += 1) {
      const gx = x / cellPx;
      const col = Math.floor(gx);
      const wx = smooth(gx - col);
      const at = (c: number, r: number): number => lattice[r * cols + c] ?? 0;
      const top = at(col, row) * (1 - wx) + at(col + 1, row) * wx;
      const bottom = at(col, row + 1) * (1 - wx) + at(col + 1, row + 1) * wx;
      out[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** The static scene: wall (gradient, optional texture), floor band, and the table when there is one. */
export function renderBackground(size: RasterSize, camera: Camera, table: Table | null, texture: boolean, seed: number): Uint8Array {
  const { width, height } = size;
  const d = RASTER_DEFAULTS;
  const rgb = new Uint8Array(width * height * 3);
  const noise = texture ? valueNoise(width, height, d.textureCellPx, seed ^ 0x7e47_07e5) : null;
  const floorRow = Math.ceil(camera.floorYPx);
  for (let y = 0; y < height; y += 1) {
    const onFloor = y >= floorRow;
    const wallShare = Math.min(1, Math.max(0, y / Math.max(camera.floorYPx, 1)));
    const wallGrey = d.wallTopGrey + (d.wallBottomGrey - d.wallTopGrey) * wallShare;
    // The floor brightens towards the camera (the bottom of the frame).
    const floorLight = 0.85 + 0.25 * ((y - floorRow) / Math.max(height - floorRow, 1));
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      const grain = noise === null ? 0 : d.textureAmplitude * (noise[y * width + x] ?? 0);
      if (onFloor) {
        for (let c = 0; c < 3; c += 1) rgb[i + c] = clampByte((d.floorRgb[c] ?? 0) * floorLight + grain);
      } else {
        const joint = texture && (x % d.tilePx === 0 || y % d.tilePx === 0) ? d.tileJointDarkening : 0;
        for (let c = 0; c < 3; c += 1) rgb[i + c] = clampByte(wallGrey + (d.wallTint[c] ?? 0) + grain - joint);
      }
    }
  }
  if (table !== null) drawTable(rgb, size, camera, table);
  return rgb;
}

/** Fills the pixels whose centres lie in [x0, x1) × [y0, y1) with one colour. */
function fillRect(rgb: Uint8Array, size: RasterSize, x0: number, x1: number, y0: number, y1: number, color: Rgb): void {
  const left = Math.max(0, Math.ceil(x0));
  const right = Math.min(size.width, Math.ceil(x1));
  const top = Math.max(0, Math.ceil(y0));
  const bottom = Math.min(size.height, Math.ceil(y1));
  for (let y = top; y < bottom; y += 1) {
    for (let x = left; x < right; x += 1) {
      const i = (y * size.width + x) * 3;
      rgb[i] = color[0];
      rgb[i + 1] = color[1];
      rgb[i + 2] = color[2];
    }
  }
}

/** A table top (ending at the edge) on one leg near the edge; the rest runs out of the frame to the left. */
function drawTable(rgb: Uint8Array, size: RasterSize, camera: Camera, table: Table): void {
  const d = RASTER_DEFAULTS;
  const edgeXPx = camera.originXPx + table.edgeXM * camera.pxPerM;
  const topYPx = camera.floorYPx - table.heightM * camera.pxPerM;
  const thicknessPx = Math.max(3, d.tableTopThicknessM * camera.pxPerM);
  const legWidthPx = Math.max(2, d.tableLegWidthM * camera.pxPerM);
  fillRect(rgb, size, -1, edgeXPx, topYPx, topYPx + thicknessPx, d.tableRgb);
  const shade: Rgb = [d.tableRgb[0] * 0.8, d.tableRgb[1] * 0.8, d.tableRgb[2] * 0.8];
  fillRect(rgb, size, edgeXPx - 3 * legWidthPx, edgeXPx - 2 * legWidthPx, topYPx + thicknessPx, camera.floorYPx, shade);
}

/** Unit vector towards the light. */
const LIGHT = ((): [number, number, number] => {
  const [x, y, z] = RASTER_DEFAULTS.light;
  const norm = Math.hypot(x, y, z);
  return [x / norm, y / norm, z / norm];
})();

/**
 * Colour of the sphere's surface seen at offset (dx, dy) px from its centre: Lambert shading with
 * ambient light plus a Phong highlight, the normal being that of a sphere of the given radius.
 */
export function sphereShade(dxPx: number, dyPx: number, radiusPx: number, color: Rgb): Rgb {
  const d = RASTER_DEFAULTS;
  const nx = Math.max(-1, Math.min(1, dxPx / radiusPx));
  const ny = Math.max(-1, Math.min(1, dyPx / radiusPx));
  const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
  const lambert = Math.max(0, nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]);
  // Reflection of the light about the normal; the viewer looks along +z.
  const reflectZ = 2 * lambert * nz - LIGHT[2];
  const highlight = d.specular * 255 * Math.max(0, reflectZ) ** d.specularPower;
  const diffuse = d.ambient + (1 - d.ambient) * lambert;
  return [color[0] * diffuse + highlight, color[1] * diffuse + highlight, color[2] * diffuse + highlight];
}

/**
 * Share of pixel (i, j) covered by a disc, approximated by the distance from the pixel centre to
 * the circle (r + ½ − d, clamped to [0, 1]); symmetric about the centre, so the coverage-weighted
 * centroid is the true centre to well under a tenth of a pixel.
 */
export function discCoverage(iPx: number, jPx: number, xPx: number, yPx: number, radiusPx: number): number {
  const distance = Math.hypot(iPx - xPx, jPx - yPx);
  const coverage = radiusPx + 0.5 - distance;
  return coverage <= 0 ? 0 : coverage >= 1 ? 1 : coverage;
}

/** Draws a shaded, anti-aliased ball into `rgb`, touching only its bounding box. */
export function drawBall(rgb: Uint8Array, size: RasterSize, ball: DrawnBall): void {
  const { xPx, yPx, radiusPx, colorRgb } = ball;
  const reach = radiusPx + 1;
  const left = Math.max(0, Math.floor(xPx - reach));
  const right = Math.min(size.width - 1, Math.ceil(xPx + reach));
  const top = Math.max(0, Math.floor(yPx - reach));
  const bottom = Math.min(size.height - 1, Math.ceil(yPx + reach));
  for (let j = top; j <= bottom; j += 1) {
    for (let i = left; i <= right; i += 1) {
      const alpha = discCoverage(i, j, xPx, yPx, radiusPx);
      if (alpha === 0) continue;
      const shade = sphereShade(i - xPx, j - yPx, radiusPx, colorRgb);
      const k = (j * size.width + i) * 3;
      for (let c = 0; c < 3; c += 1) rgb[k + c] = clampByte((rgb[k + c] ?? 0) * (1 - alpha) + (shade[c] ?? 0) * alpha);
    }
  }
}

/**
 * A clip's worth of Gaussian sensor noise (σ in grey levels, rounded to whole levels), read by each
 * frame from its own random offset in one table: a per-pixel PRNG would cost several times more.
 */
export class SensorNoise {
  private readonly table: Int16Array;
  private readonly pickOffset: () => number;

  constructor(
    readonly sigma: number,
    seed: number,
  ) {
    const gaussian = gaussianSource(mulberry32(seed ^ 0x0a15_e5ed));
    this.table = new Int16Array(sigma > 0 ? RASTER_DEFAULTS.noiseTableSize : 0);
    for (let i = 0; i < this.table.length; i += 1) this.table[i] = Math.round(sigma * gaussian());
    const random = mulberry32(seed ^ 0x0ff5_e7a1);
    this.pickOffset = () => Math.floor(random() * this.table.length);
  }

  /**
   * Multiplies every value by `gain` (1: unchanged) and adds noise, clamping to bytes. Call once per
   * frame, in frame order: the offsets come from one seeded sequence.
   */
  apply(rgb: Uint8Array, gain: number): void {
    const out = new Uint8ClampedArray(rgb.buffer, rgb.byteOffset, rgb.byteLength);
    const table = this.table;
    if (table.length === 0) {
      if (gain !== 1) for (let i = 0; i < out.length; i += 1) out[i] = (rgb[i] as number) * gain;
      return;
    }
    let offset = this.pickOffset();
    // Runs of the table without a wrap test inside the loop: this loop is most of the render time.
    for (let i = 0; i < out.length; ) {
      const end = Math.min(out.length, i + table.length - offset);
      if (gain === 1) for (; i < end; i += 1, offset += 1) out[i] = (rgb[i] as number) + (table[offset] as number);
      else for (; i < end; i += 1, offset += 1) out[i] = (rgb[i] as number) * gain + (table[offset] as number);
      offset = 0;
    }
  }
}

/**
 * A translucent logo-like block (a rounded plate with a ring and a bar cut out) that drifts across
 * the frame and bounces off its borders, like the watermark generated videos carry.
 */
export class Watermark {
  private readonly widthPx: number;
  private readonly heightPx: number;
  private readonly startXPx: number;
  private readonly startYPx: number;
  private readonly vxPxS: number;
  private readonly vyPxS: number;
  private readonly mask: Float32Array;

  constructor(
    private readonly size: RasterSize,
    seed: number,
  ) {
    const d = RASTER_DEFAULTS;
    const random = mulberry32(seed ^ 0x3a7e_4a2c);
    this.widthPx = Math.max(8, Math.round(size.width * d.watermarkWidthFraction));
    this.heightPx = Math.max(4, Math.round(size.height * d.watermarkHeightFraction));
    this.startXPx = random() * (size.width - this.widthPx);
    this.startYPx = random() * (size.height - this.heightPx);
    const angle = 2 * Math.PI * random();
    const speed = d.watermarkSpeed * size.width;
    this.vxPxS = speed * Math.cos(angle);
    this.vyPxS = speed * Math.sin(angle);
    this.mask = this.logoMask();
  }

  /** Opacity per pixel of the block: a rounded plate with a ring and a bar left transparent. */
  private logoMask(): Float32Array {
    const { widthPx: w, heightPx: h } = this;
    const mask = new Float32Array(w * h);
    const corner = h / 3;
    const ringX = h / 2;
    const ringY = h / 2;
    for (let y = 0; y < h; y += 1) {
      for (let x = 0; x < w; x += 1) {
        const cx = Math.min(Math.max(x + 0.5, corner), w - corner);
        const cy = Math.min(Math.max(y + 0.5, corner), h - corner);
        const insidePlate = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= corner;
        const ringDistance = Math.hypot(x + 0.5 - ringX, y + 0.5 - ringY);
        const inRing = ringDistance > h * 0.18 && ringDistance < h * 0.32;
        const inBar = x > h * 1.05 && x < w - h * 0.4 && Math.abs(y + 0.5 - h / 2) < h * 0.12;
        mask[y * w + x] = insidePlate && !inRing && !inBar ? RASTER_DEFAULTS.watermarkOpacity : 0;
      }
    }
    return mask;
  }

  /** Top-left corner at `timeS`: linear drift folded back at the borders (a triangle wave). */
  positionAt(timeS: number): { xPx: number; yPx: number } {
    const fold = (start: number, speed: number, span: number): number => {
      if (span <= 0) return 0;
      const travelled = (((start + speed * timeS) % (2 * span)) + 2 * span) % (2 * span);
      return travelled <= span ? travelled : 2 * span - travelled;
    };
    return {
      xPx: fold(this.startXPx, this.vxPxS, this.size.width - this.widthPx),
      yPx: fold(this.startYPx, this.vyPxS, this.size.height - this.heightPx),
    };
  }

  /** Blends the watermark (white) over the frame at its position at `timeS`. */
  draw(rgb: Uint8Array, timeS: number): void {
    const { xPx, yPx } = this.positionAt(timeS);
    const left = Math.round(xPx);
    const top = Math.round(yPx);
    const { width, height } = this.size;
    for (let y = 0; y < this.heightPx; y += 1) {
      const row = top + y;
      if (row < 0 || row >= height) continue;
      for (let x = 0; x < this.widthPx; x += 1) {
        const column = left + x;
        const alpha = this.mask[y * this.widthPx + x] ?? 0;
        if (alpha === 0 || column < 0 || column >= width) continue;
        const k = (row * width + column) * 3;
        for (let c = 0; c < 3; c += 1) rgb[k + c] = clampByte((rgb[k + c] ?? 0) * (1 - alpha) + 255 * alpha);
      }
    }
  }
}
