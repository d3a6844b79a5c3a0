import type { Rgb } from './fluid-colour.js';

/** Below this RGB distance between the liquid's colour and what lies behind, a tint cannot be told from noise. */
export const MIN_TINT_CONTRAST = 24;

/**
 * Opacity of a liquid of colour L over a background B at one pixel p, from the compositing model
 * p = B·(1 − α) + L·α: α = (p − B)·(L − B) / |L − B|² (a projection on the line from B to L). A pixel
 * that moves off that line by more than `maxOffLine` × |L − B| (plus `noise`) is not tinted: 0.
 */
export function tintOpacity(p0: number, p1: number, p2: number, b0: number, b1: number, b2: number, liquid: Rgb, noise: number, maxOffLine: number): number {
  const d0 = liquid[0] - b0;
  const d1 = liquid[1] - b1;
  const d2 = liquid[2] - b2;
  const contrast2 = d0 * d0 + d1 * d1 + d2 * d2;
  if (contrast2 < MIN_TINT_CONTRAST * MIN_TINT_CONTRAST) return 0;
  const e0 = p0 - b0;
  const e1 = p1 - b1;
  const e2 = p2 - b2;
  const alpha = (e0 * d0 + e1 * d1 + e2 * d2) / contrast2;
  const o0 = e0 - alpha * d0;
  const o1 = e1 - alpha * d1;
  const o2 = e2 - alpha * d2;
  const offLine = Math.sqrt(o0 * o0 + o1 * o1 + o2 * o2);
  if (offLine > noise + maxOffLine * Math.sqrt(contrast2)) return 0;
  return alpha;
}

export interface TintOptions {
  /** Typical RGB noise of the clip (sensor, compression). */
  noise: number;
  /** Largest distance off the B→L line, as a fraction of |L − B|. */
  maxOffLine: number;
  /** Distance to the pixels either side that serve as the local background of a thin stream, px. */
  sideOffsetPx: number;
}

/**
 * Liquid opacity of every pixel (can exceed 1 or go below 0 where the model does not fit), the larger of:
 * - against the clip's starting background `background` (a pool that fills an empty container);
 * - against the pixels `sideOffsetPx` to the left and to the right, the smaller of the two (a thin
 *   stream, even one already running at the first frame, stands out from the wall beside it; the
 *   inside of a wide pool does not).
 */
export function tintOpacities(rgb: Uint8Array, background: Float32Array, width: number, height: number, liquid: Rgb, options: TintOptions, out: Float32Array): Float32Array {
  const k = options.sideOffsetPx;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const p = 3 * i;
      const p0 = rgb[p]!;
      const p1 = rgb[p + 1]!;
      const p2 = rgb[p + 2]!;
      const temporal = tintOpacity(p0, p1, p2, background[p]!, background[p + 1]!, background[p + 2]!, liquid, options.noise, options.maxOffLine);
      let spatial = 0;
      if (x >= k && x + k < width) {
        const l = p - 3 * k;
        const r = p + 3 * k;
        const left = tintOpacity(p0, p1, p2, rgb[l]!, rgb[l + 1]!, rgb[l + 2]!, liquid, options.noise, options.maxOffLine);
        const right = tintOpacity(p0, p1, p2, rgb[r]!, rgb[r + 1]!, rgb[r + 2]!, liquid, options.noise, options.maxOffLine);
        spatial = Math.min(left, right);
      }
      out[i] = Math.max(temporal, spatial);
    }
  }
  return out;
}

/**
 * Without a colour to look for: how far each pixel has changed from the starting background, mapped
 * to 0 at `lowDistance` and 1 at `highDistance` (RGB distance). Liquid that arrives shows; so does
 * anything else that moves, which the checks must tolerate.
 */
export function changeMembership(rgb: Uint8Array, background: Float32Array, lowDistance: number, highDistance: number, out: Float32Array): Float32Array {
  for (let i = 0, p = 0; i < out.length; i++, p += 3) {
    const distance = Math.hypot(rgb[p]! - background[p]!, rgb[p + 1]! - background[p + 1]!, rgb[p + 2]! - background[p + 2]!);
    out[i] = Math.min(1, Math.max(0, (distance - lowDistance) / (highDistance - lowDistance)));
  }
  return out;
}

/** Opacities divided by the liquid's full opacity and clipped to [0, 1]: the share of each pixel the liquid covers. */
export function membershipFromOpacity(opacities: Float32Array, fullOpacity: number, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, opacities[i]! / fullOpacity));
  return out;
}

/**
 * The liquid's full opacity in a frame: the `quantile` of the opacities above `minOpacity`; null when
 * fewer than `minPixels` pixels are tinted.
 */
export function fullOpacityOf(opacities: Float32Array, minOpacity: number, minPixels: number, quantile = 0.75): number | null {
  const tinted: number[] = [];
  for (let i = 0; i < opacities.length; i++) if (opacities[i]! > minOpacity) tinted.push(Math.min(1.5, opacities[i]!));
  if (tinted.length < minPixels) return null;
  tinted.sort((a, b) => a - b);
  return tinted[Math.floor(quantile * (tinted.length - 1))]!;
}
