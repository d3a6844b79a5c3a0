import type { Camera } from './camera.js';
import type { Rgb } from './color.js';
import { clampByte, type RasterSize } from './frame-buffer.js';
import type { Table } from './physics.js';
import { mulberry32 } from './prng.js';

/** Look of the static scene, in one place. */
export const BACKGROUND_LOOK = {
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
} as const;

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
  const d = BACKGROUND_LOOK;
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
  const d = BACKGROUND_LOOK;
  const edgeXPx = camera.originXPx + table.edgeXM * camera.pxPerM;
  const topYPx = camera.floorYPx - table.heightM * camera.pxPerM;
  const thicknessPx = Math.max(3, d.tableTopThicknessM * camera.pxPerM);
  const legWidthPx = Math.max(2, d.tableLegWidthM * camera.pxPerM);
  fillRect(rgb, size, -1, edgeXPx, topYPx, topYPx + thicknessPx, d.tableRgb);
  const shade: Rgb = [d.tableRgb[0] * 0.8, d.tableRgb[1] * 0.8, d.tableRgb[2] * 0.8];
  fillRect(rgb, size, edgeXPx - 3 * legWidthPx, edgeXPx - 2 * legWidthPx, topYPx + thicknessPx, camera.floorYPx, shade);
}
