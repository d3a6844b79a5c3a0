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
  // Not tinted towards the liquid: no need to measure how far off the line it lies.
  if (alpha <= 0) return 0;
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

/** The colour of the overlay generated videos lay over their frames (a translucent white watermark). */
const OVERLAY_RGB: Rgb = [255, 255, 255];
/** An overlay hides at most this share of what lies behind it (beyond, too little of the liquid shows through to unmix). */
const MAX_OVERLAY_OPACITY = 0.7;
/**
 * An overlay already in the starting background (a watermark drifting through the first frames) and
 * gone from the frame reads as c = −c₀/(1 − c₀) for its opacity c₀: down to this (c₀ = 0.4). Beyond,
 * the pixel darkened more than a watermark leaving explains (a shadow, a dark object).
 */
const MIN_OVERLAY_CHANGE = -0.4 / (1 - 0.4);

/**
 * Per background pixel, computed once per clip: the direction to the liquid colour d = L − B,
 * 1/|d|² and |d| (0 where too faint), the direction to a white overlay w = W − B, and the normal
 * equations' terms d·w, |w|² and 1/det (0 where the liquid's direction lies closer than
 * `minSeparation` to the overlay's line: |d|·sin(angle) < minSeparation, RGB; there noise would pass
 * for liquid as readily as for overlay).
 */
export interface TintBasis {
  liquid: Rgb;
  direction: Float32Array;
  inverseContrast2: Float32Array;
  contrast: Float32Array;
  overlay: Float32Array;
  dotDirectionOverlay: Float32Array;
  overlay2: Float32Array;
  inverseDeterminant: Float32Array;
}

export function tintBasis(background: Float32Array, liquid: Rgb, minSeparation: number): TintBasis {
  const pixels = background.length / 3;
  const direction = new Float32Array(background.length);
  const inverseContrast2 = new Float32Array(pixels);
  const contrast = new Float32Array(pixels);
  const overlay = new Float32Array(background.length);
  const dotDirectionOverlay = new Float32Array(pixels);
  const overlay2 = new Float32Array(pixels);
  const inverseDeterminant = new Float32Array(pixels);
  for (let i = 0, p = 0; i < pixels; i++, p += 3) {
    const d0 = liquid[0] - background[p]!;
    const d1 = liquid[1] - background[p + 1]!;
    const d2 = liquid[2] - background[p + 2]!;
    const c2 = d0 * d0 + d1 * d1 + d2 * d2;
    if (c2 < MIN_TINT_CONTRAST * MIN_TINT_CONTRAST) continue;
    direction[p] = d0;
    direction[p + 1] = d1;
    direction[p + 2] = d2;
    inverseContrast2[i] = 1 / c2;
    contrast[i] = Math.sqrt(c2);
    const w0 = OVERLAY_RGB[0] - background[p]!;
    const w1 = OVERLAY_RGB[1] - background[p + 1]!;
    const w2 = OVERLAY_RGB[2] - background[p + 2]!;
    const dw = d0 * w0 + d1 * w1 + d2 * w2;
    const ww = w0 * w0 + w1 * w1 + w2 * w2;
    const det = c2 * ww - dw * dw;
    overlay[p] = w0;
    overlay[p + 1] = w1;
    overlay[p + 2] = w2;
    dotDirectionOverlay[i] = dw;
    overlay2[i] = ww;
    // det = |d|²·|w|²·sin²(angle): near parallel, or an overlay too close to the background to show, leaves the plain projection.
    if (ww >= MIN_TINT_CONTRAST * MIN_TINT_CONTRAST && det > minSeparation * minSeparation * ww) inverseDeterminant[i] = 1 / det;
  }
  return { liquid, direction, inverseContrast2, contrast, overlay, dotDirectionOverlay, overlay2, inverseDeterminant };
}

/** 1 where the liquid's colour lies within MIN_TINT_CONTRAST of the starting background (`basis` holds no direction there): liquid cannot be seen there. */
export function unseenPixels(basis: TintBasis): Uint8Array {
  return Uint8Array.from(basis.inverseContrast2, (inv) => (inv > 0 ? 0 : 1));
}

/**
 * Liquid opacity of every pixel (can exceed 1 where the model does not fit; 0 where untinted), the larger of:
 * - against the clip's starting background (`basis`: a pool that fills an empty container), seen
 *   through a translucent white overlay where one lies over it: p = (B·(1 − α) + L·α)·(1 − c) + W·c
 *   is linear in α·(1 − c) and c, so both come from least squares and α = α·(1 − c) / (1 − c); an
 *   overlay that lay over the starting background and has moved on gives c < 0 (see MIN_OVERLAY_CHANGE);
 * - against the pixels `sideOffsetPx` to the left and to the right, the smaller of the two (a thin
 *   stream, even one already running at the first frame, stands out from the wall beside it; the
 *   inside of a wide pool does not).
 */
export function tintOpacities(rgb: Uint8Array, background: Float32Array, basis: TintBasis, width: number, height: number, options: TintOptions, out: Float32Array): Float32Array {
  const k = options.sideOffsetPx;
  const { liquid, direction, inverseContrast2, contrast, overlay, dotDirectionOverlay, overlay2, inverseDeterminant } = basis;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const p = 3 * i;
      const p0 = rgb[p]!;
      const p1 = rgb[p + 1]!;
      const p2 = rgb[p + 2]!;
      let temporal = 0;
      const inv = inverseContrast2[i]!;
      if (inv > 0) {
        const d0 = direction[p]!;
        const d1 = direction[p + 1]!;
        const d2 = direction[p + 2]!;
        const e0 = p0 - background[p]!;
        const e1 = p1 - background[p + 1]!;
        const e2 = p2 - background[p + 2]!;
        const ed = e0 * d0 + e1 * d1 + e2 * d2;
        let alpha = ed * inv;
        let off0 = e0 - alpha * d0;
        let off1 = e1 - alpha * d1;
        let off2 = e2 - alpha * d2;
        const invDet = inverseDeterminant[i]!;
        if (invDet > 0) {
          // p − B = a·d + c·w: least squares over the plane of the liquid's and the overlay's directions.
          const w0 = overlay[p]!;
          const w1 = overlay[p + 1]!;
          const w2 = overlay[p + 2]!;
          const ew = e0 * w0 + e1 * w1 + e2 * w2;
          const dw = dotDirectionOverlay[i]!;
          const c = (ew / inv - ed * dw) * invDet;
          if (c > 0 || c >= MIN_OVERLAY_CHANGE) {
            const a = (ed * overlay2[i]! - ew * dw) * invDet;
            off0 = e0 - a * d0 - c * w0;
            off1 = e1 - a * d1 - c * w1;
            off2 = e2 - a * d2 - c * w2;
            // Under an overlay of opacity c the liquid shows as a = α·(1 − c); one that was in the
            // background only (c < 0) leaves a = α: the liquid is L − B_true = d + c₀/(1 − c₀)·w.
            alpha = c > 0 ? a / (1 - Math.min(c, MAX_OVERLAY_OPACITY)) : a;
          }
        }
        if (alpha > 0 && Math.hypot(off0, off1, off2) <= options.noise + options.maxOffLine * contrast[i]!) temporal = alpha;
      }
      let spatial = 0;
      if (x >= k && x + k < width) {
        const l = p - 3 * k;
        const r = p + 3 * k;
        const left = tintOpacity(p0, p1, p2, rgb[l]!, rgb[l + 1]!, rgb[l + 2]!, liquid, options.noise, options.maxOffLine);
        if (left > temporal) spatial = Math.min(left, tintOpacity(p0, p1, p2, rgb[r]!, rgb[r + 1]!, rgb[r + 2]!, liquid, options.noise, options.maxOffLine));
      }
      out[i] = Math.max(temporal, spatial);
    }
  }
  return out;
}

/**
 * The starting background without the thin liquid it already holds (a tap running at the first
 * frame). A run of pixels tinted towards the liquid against both pixels `sideOffsetPx` to their left
 * and right by more than `minOpacity` is a stream's core; it grows to each side while its pixels are
 * tinted against the pixel `sideOffsetPx` beyond the core (a stream up to twice that wide), and takes
 * the colours interpolated between the pixels just outside. Left as it is, the stream's path would
 * read as background, and the pool later filling it would have a hole there.
 */
export function withoutThinLiquid(background: Float32Array, width: number, liquid: Rgb, options: TintOptions & { minOpacity: number }): Float32Array {
  const k = options.sideOffsetPx;
  const height = background.length / 3 / width;
  const cleaned = background.slice();
  const tinted = (y: number, x: number, referenceX: number): boolean => {
    const p = 3 * (y * width + x);
    const r = 3 * (y * width + referenceX);
    return tintOpacity(background[p]!, background[p + 1]!, background[p + 2]!, background[r]!, background[r + 1]!, background[r + 2]!, liquid, options.noise, options.maxOffLine) > options.minOpacity;
  };
  for (let y = 0; y < height; y++) {
    let x = k;
    while (x + k < width) {
      if (!tinted(y, x, x - k) || !tinted(y, x, x + k)) {
        x++;
        continue;
      }
      let coreEnd = x;
      while (coreEnd + 1 + k < width && tinted(y, coreEnd + 1, coreEnd + 1 - k) && tinted(y, coreEnd + 1, coreEnd + 1 + k)) coreEnd++;
      let from = x;
      while (from > Math.max(0, x - k + 1) && tinted(y, from - 1, x - k)) from--;
      let to = coreEnd;
      while (to < Math.min(width - 2, coreEnd + k - 1) && tinted(y, to + 1, coreEnd + k)) to++;
      const left = 3 * (y * width + from - 1);
      const right = 3 * (y * width + to + 1);
      for (let i = from; i <= to; i++) {
        const share = (i - from + 1) / (to - from + 2);
        for (let c = 0; c < 3; c++) cleaned[3 * (y * width + i) + c] = background[left + c]! * (1 - share) + background[right + c]! * share;
      }
      x = to + 1;
    }
  }
  return cleaned;
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

/**
 * The share of each pixel the liquid covers: opacities mapped linearly from `floorFraction` × the
 * full opacity (0: the faint fringe that chroma subsampling and compression spread around a tinted
 * edge) to (1 − floorFraction) × the full opacity (1: compression moves the colours of a fully
 * covered pixel by a tenth or two of the tint), clipped to [0, 1]. A pixel half covered maps to 0.5.
 */
export function membershipFromOpacity(opacities: Float32Array, fullOpacity: number, floorFraction: number, out: Float32Array): Float32Array {
  const floor = floorFraction * fullOpacity;
  const span = (1 - 2 * floorFraction) * fullOpacity;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, (opacities[i]! - floor) / span));
  return out;
}

/** Bins of the opacity histogram over [0, OPACITY_CAP]. */
const OPACITY_BINS = 300;
const OPACITY_CAP = 1.5;

/**
 * The liquid's full opacity in a frame: the `quantile` of the opacities above `minOpacity` at pixels
 * whose four neighbours are tinted too (inside the liquid, away from the edges that blur and
 * compression soften), from a histogram of OPACITY_BINS bins up to OPACITY_CAP; null when fewer than
 * `minPixels` such pixels.
 */
export function fullOpacityOf(opacities: Float32Array, width: number, minOpacity: number, minPixels: number, quantile = 0.95): number | null {
  const counts = new Uint32Array(OPACITY_BINS);
  const height = opacities.length / width;
  let total = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const o = opacities[i]!;
      if (o <= minOpacity || opacities[i - 1]! <= minOpacity || opacities[i + 1]! <= minOpacity || opacities[i - width]! <= minOpacity || opacities[i + width]! <= minOpacity) continue;
      counts[Math.min(OPACITY_BINS - 1, Math.floor((o / OPACITY_CAP) * OPACITY_BINS))]!++;
      total++;
    }
  }
  if (total < minPixels) return null;
  const rank = quantile * (total - 1);
  let seen = 0;
  for (let b = 0; b < OPACITY_BINS; b++) {
    seen += counts[b]!;
    if (seen > rank) return ((b + 0.5) / OPACITY_BINS) * OPACITY_CAP;
  }
  return OPACITY_CAP;
}
