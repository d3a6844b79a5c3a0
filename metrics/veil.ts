/**
 * The opacity of a translucent white layer that turns `lower` into `upper` at offset p, or null when
 * no such layer does: per channel a = (upper − lower) / (255 − lower) must be the same within
 * `maxSpread`, with 0.08 < a < maxOpacity. Returns the mean of the three channels' a.
 * Watermarks on generated video are mostly such layers; a coloured object never is.
 */
export function whiteVeilOpacity(upper: ArrayLike<number>, lower: ArrayLike<number>, p: number, maxSpread: number, maxOpacity: number): number | null {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let k = 0; k < 3; k++) {
    const below = lower[p + k] as number;
    if (255 - below < 16) return null;
    const a = ((upper[p + k] as number) - below) / (255 - below);
    if (a < lo) lo = a;
    if (a > hi) hi = a;
    sum += a;
  }
  return hi - lo < maxSpread && lo > 0.08 && hi < maxOpacity ? sum / 3 : null;
}

/** True when `upper` at offset p equals `lower` under a translucent white layer (see whiteVeilOpacity). */
export function isWhiteVeil(upper: ArrayLike<number>, lower: ArrayLike<number>, p: number, maxSpread: number, maxOpacity: number): boolean {
  return whiteVeilOpacity(upper, lower, p, maxSpread, maxOpacity) !== null;
}
