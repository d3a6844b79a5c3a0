/**
 * The shortest duration a provider allows that still covers the prompt (so the scene is not cut
 * short), or null when the prompt asks for more than the provider's longest clip.
 */
export function fitDurationS(requestedS: number, allowedS: readonly number[]): number | null {
  const covering = allowedS.filter((seconds) => seconds >= requestedS - 1e-9);
  return covering.length === 0 ? null : Math.min(...covering);
}

/** Whole seconds from `minS` to `maxS`, for providers that take any integer in a range. */
export function secondsRange(minS: number, maxS: number): number[] {
  return Array.from({ length: maxS - minS + 1 }, (_, index) => minS + index);
}
