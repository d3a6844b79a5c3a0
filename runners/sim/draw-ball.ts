import type { Rgb } from './color.js';
import { clampByte, type RasterSize } from './frame-buffer.js';

/** Sphere shading: direction to the light (x right, y down, z to the camera), ambient share, highlight. */
export const BALL_LOOK = {
  light: [-0.45, -0.55, 0.7] as [number, number, number],
  ambient: 0.35,
  specular: 0.35,
  specularPower: 24,
} as const;

/** One ball as drawn in one frame. */
export interface DrawnBall {
  xPx: number;
  yPx: number;
  /** For an ellipse (see `axisRatio`), the radius of the disc of the same area. */
  radiusPx: number;
  colorRgb: Rgb;
  /** Width over height of the outline: an ellipse of half axes r·√q and r/√q, the disc's area; absent or 1: a disc. */
  axisRatio?: number;
}

/** Unit vector towards the light. */
const LIGHT = ((): [number, number, number] => {
  const [x, y, z] = BALL_LOOK.light;
  const norm = Math.hypot(x, y, z);
  return [x / norm, y / norm, z / norm];
})();

/**
 * Colour of the sphere's surface seen at offset (dx, dy) px from its centre: Lambert shading with
 * ambient light plus a Phong highlight, the normal being that of a sphere of the given radius.
 */
export function sphereShade(dxPx: number, dyPx: number, radiusPx: number, color: Rgb): Rgb {
  const d = BALL_LOOK;
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

/**
 * Share of pixel (i, j) covered by an ellipse of half axes r·√q (x) and r/√q (y): in coordinates
 * u = dx/√q, v = dy·√q it is a disc of radius r, and ρ = |(u, v)|'s distance to r, divided by |∇ρ|
 * in pixels, approximates the pixel centre's distance to the outline; clamped like `discCoverage`.
 */
export function ellipseCoverage(iPx: number, jPx: number, xPx: number, yPx: number, radiusPx: number, axisRatio: number): number {
  if (axisRatio === 1) return discCoverage(iPx, jPx, xPx, yPx, radiusPx);
  const root = Math.sqrt(axisRatio);
  const u = (iPx - xPx) / root;
  const v = (jPx - yPx) * root;
  const rho = Math.hypot(u, v);
  const gradient = rho === 0 ? 1 : Math.hypot(u / root, v * root) / rho;
  const coverage = (radiusPx - rho) / gradient + 0.5;
  return coverage <= 0 ? 0 : coverage >= 1 ? 1 : coverage;
}

/** Draws a shaded, anti-aliased ball (a disc, or the ellipse of `axisRatio`) into `rgb`, touching only its bounding box. */
export function drawBall(rgb: Uint8Array, size: RasterSize, ball: DrawnBall): void {
  const { xPx, yPx, radiusPx, colorRgb, axisRatio = 1 } = ball;
  // An ellipse is shaded as the sphere squashed with it: the normal of the disc at (dx/√q, dy·√q).
  const root = Math.sqrt(axisRatio);
  const reach = radiusPx * Math.max(root, 1 / root) + 1;
  const left = Math.max(0, Math.floor(xPx - reach));
  const right = Math.min(size.width - 1, Math.ceil(xPx + reach));
  const top = Math.max(0, Math.floor(yPx - reach));
  const bottom = Math.min(size.height - 1, Math.ceil(yPx + reach));
  for (let j = top; j <= bottom; j += 1) {
    for (let i = left; i <= right; i += 1) {
      const alpha = ellipseCoverage(i, j, xPx, yPx, radiusPx, axisRatio);
      if (alpha === 0) continue;
      const shade = sphereShade((i - xPx) / root, (j - yPx) * root, radiusPx, colorRgb);
      const k = (j * size.width + i) * 3;
      for (let c = 0; c < 3; c += 1) rgb[k + c] = clampByte((rgb[k + c] ?? 0) * (1 - alpha) + (shade[c] ?? 0) * alpha);
    }
  }
}
