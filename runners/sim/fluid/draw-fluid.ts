import type { Camera } from '../camera.js';
import { toPixels } from '../camera.js';
import type { Rgb } from '../color.js';
import { discCoverage } from '../draw-ball.js';
import { clampByte, type RasterSize } from '../frame-buffer.js';
import type { ContainerPx } from './fluid-camera.js';
import type { PropPolygon } from './fluid-props.js';

/** Look of the glass, in one place. */
export const GLASS_LOOK = {
  rgb: [238, 244, 250] as Rgb,
  /** Walls and base are drawn as this much glass over what lies behind. */
  opacity: 0.6,
} as const;

/** Length of the overlap of [a0, a1] and [b0, b1]. */
function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** rgb = rgb·(1 − α) + colour·α at pixel p. */
function blend(rgb: Uint8Array, p: number, color: Rgb, alpha: number): void {
  const i = 3 * p;
  for (let c = 0; c < 3; c += 1) rgb[i + c] = clampByte((rgb[i + c] ?? 0) * (1 - alpha) + (color[c] ?? 0) * alpha);
}

/** Blends `color` over the rectangle [x0, x1] × [y0, y1] (px), each pixel weighted by the share of it covered. */
export function blendRect(rgb: Uint8Array, size: RasterSize, x0: number, x1: number, y0: number, y1: number, color: Rgb, alpha: number): void {
  for (let j = Math.max(0, Math.floor(y0)); j <= Math.min(size.height - 1, Math.ceil(y1)); j += 1) {
    const coverY = overlap(j - 0.5, j + 0.5, y0, y1);
    if (coverY === 0) continue;
    for (let i = Math.max(0, Math.floor(x0)); i <= Math.min(size.width - 1, Math.ceil(x1)); i += 1) {
      const cover = coverY * overlap(i - 0.5, i + 0.5, x0, x1);
      if (cover > 0) blend(rgb, j * size.width + i, color, alpha * cover);
    }
  }
}

/** The container's walls (outside the inner width) and its base, as tinted glass. */
export function drawContainer(rgb: Uint8Array, size: RasterSize, c: ContainerPx): void {
  const { rgb: glass, opacity } = GLASS_LOOK;
  blendRect(rgb, size, c.leftPx - c.wallPx, c.leftPx, c.rimYPx, c.baseYPx, glass, opacity);
  blendRect(rgb, size, c.rightPx, c.rightPx + c.wallPx, c.rimYPx, c.baseYPx, glass, opacity);
  blendRect(rgb, size, c.leftPx, c.rightPx, c.bottomYPx, c.baseYPx, glass, opacity);
}

/** Fills a convex polygon given in world metres (pixel centres inside it). */
export function drawPolygon(rgb: Uint8Array, size: RasterSize, camera: Camera, polygon: PropPolygon): void {
  const points = polygon.pointsM.map(([xM, yM]) => toPixels(camera, xM, yM));
  const xs = points.map((point) => point.xPx);
  const ys = points.map((point) => point.yPx);
  const inside = (x: number, y: number): boolean => {
    let sign = 0;
    for (let e = 0; e < points.length; e += 1) {
      const a = points[e] as { xPx: number; yPx: number };
      const b = points[(e + 1) % points.length] as { xPx: number; yPx: number };
      const cross = (b.xPx - a.xPx) * (y - a.yPx) - (b.yPx - a.yPx) * (x - a.xPx);
      if (cross === 0) continue;
      if (sign === 0) sign = Math.sign(cross);
      else if (Math.sign(cross) !== sign) return false;
    }
    return true;
  };
  for (let j = Math.max(0, Math.ceil(Math.min(...ys))); j <= Math.min(size.height - 1, Math.floor(Math.max(...ys))); j += 1) {
    for (let i = Math.max(0, Math.ceil(Math.min(...xs))); i <= Math.min(size.width - 1, Math.floor(Math.max(...xs))); i += 1) {
      if (inside(i, j)) blend(rgb, j * size.width + i, polygon.colorRgb, 1);
    }
  }
}

/**
 * The liquid in a container between its walls: from a plane surface through (centre, surfaceYPx)
 * tilted by tiltDeg (right end higher when positive), clamped to rim and bottom, down to the bottom.
 * Each pixel is weighted by the share of it below the surface and inside the walls, so a column's
 * summed coverage is exactly bottomYPx − its surface y.
 */
export function drawLiquidColumn(rgb: Uint8Array, size: RasterSize, c: ContainerPx, surfaceYPx: number, tiltDeg: number, color: Rgb, opacity: number): void {
  const centerXPx = (c.leftPx + c.rightPx) / 2;
  const slope = Math.tan((tiltDeg * Math.PI) / 180);
  for (let i = Math.max(0, Math.floor(c.leftPx)); i <= Math.min(size.width - 1, Math.ceil(c.rightPx)); i += 1) {
    const coverX = overlap(i - 0.5, i + 0.5, c.leftPx, c.rightPx);
    if (coverX === 0) continue;
    const topPx = Math.min(c.bottomYPx, Math.max(c.rimYPx, surfaceYPx - slope * (i - centerXPx)));
    for (let j = Math.max(0, Math.floor(topPx)); j <= Math.min(size.height - 1, Math.ceil(c.bottomYPx)); j += 1) {
      const cover = coverX * overlap(j - 0.5, j + 0.5, topPx, c.bottomYPx);
      if (cover > 0) blend(rgb, j * size.width + i, color, opacity * cover);
    }
  }
}

/** A vertical stream centred on xPx from topYPx to bottomYPx, `widthPxAt(yPx)` wide at each row centre. */
export function drawStream(rgb: Uint8Array, size: RasterSize, xPx: number, topYPx: number, bottomYPx: number, widthPxAt: (yPx: number) => number, color: Rgb, opacity: number): void {
  for (let j = Math.max(0, Math.floor(topYPx)); j <= Math.min(size.height - 1, Math.ceil(bottomYPx)); j += 1) {
    const coverY = overlap(j - 0.5, j + 0.5, topYPx, bottomYPx);
    if (coverY === 0) continue;
    const half = widthPxAt(Math.min(Math.max(j, topYPx), bottomYPx)) / 2;
    for (let i = Math.max(0, Math.floor(xPx - half)); i <= Math.min(size.width - 1, Math.ceil(xPx + half)); i += 1) {
      const cover = coverY * overlap(i - 0.5, i + 0.5, xPx - half, xPx + half);
      if (cover > 0) blend(rgb, j * size.width + i, color, opacity * cover);
    }
  }
}

/** A flat, anti-aliased disc (a droplet) blended at `opacity`. */
export function drawDisc(rgb: Uint8Array, size: RasterSize, xPx: number, yPx: number, radiusPx: number, color: Rgb, opacity: number): void {
  for (let j = Math.max(0, Math.floor(yPx - radiusPx - 1)); j <= Math.min(size.height - 1, Math.ceil(yPx + radiusPx + 1)); j += 1) {
    for (let i = Math.max(0, Math.floor(xPx - radiusPx - 1)); i <= Math.min(size.width - 1, Math.ceil(xPx + radiusPx + 1)); i += 1) {
      const cover = discCoverage(i, j, xPx, yPx, radiusPx);
      if (cover > 0) blend(rgb, j * size.width + i, color, opacity * cover);
    }
  }
}

/**
 * A flat ellipse (a puddle seen obliquely), anti-aliased by the distance to its edge estimated from
 * the implicit form f = (dx/rx)² + (dy/ry)² − 1 as −f/|∇f|.
 */
export function drawEllipse(rgb: Uint8Array, size: RasterSize, xPx: number, yPx: number, radiusXPx: number, radiusYPx: number, color: Rgb, opacity: number): void {
  if (!(radiusXPx > 0 && radiusYPx > 0)) return;
  for (let j = Math.max(0, Math.floor(yPx - radiusYPx - 1)); j <= Math.min(size.height - 1, Math.ceil(yPx + radiusYPx + 1)); j += 1) {
    for (let i = Math.max(0, Math.floor(xPx - radiusXPx - 1)); i <= Math.min(size.width - 1, Math.ceil(xPx + radiusXPx + 1)); i += 1) {
      const dx = i - xPx;
      const dy = j - yPx;
      const f = (dx / radiusXPx) ** 2 + (dy / radiusYPx) ** 2 - 1;
      const gradient = 2 * Math.hypot(dx / radiusXPx ** 2, dy / radiusYPx ** 2);
      const distancePx = gradient === 0 ? Math.min(radiusXPx, radiusYPx) : -f / gradient;
      const cover = Math.min(1, Math.max(0, distancePx + 0.5));
      if (cover > 0) blend(rgb, j * size.width + i, color, opacity * cover);
    }
  }
}
