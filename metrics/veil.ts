/**
 * True when `upper` at offset p equals `lower` under a translucent white layer: per channel the
 * opacity a = (upper − lower) / (255 − lower) is the same within `maxSpread`, with minOpacity < a < maxOpacity.
 * Watermarks on generated video are mostly such layers; a coloured object never is.
 */
export function isWhiteVeil(upper: ArrayLike<number>, lower: ArrayLike<number>, p: number, maxSpread: number, maxOpacity: number, minOpacity = 0.08): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < 3; k++) {
    const below = lower[p + k] as number;
    if (255 - below < 16) return false;
    const a = ((upper[p + k] as number) - below) / (255 - below);
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  return hi - lo < maxSpread && lo > minOpacity && hi < maxOpacity;
}
