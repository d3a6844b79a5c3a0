/**
 * A seeded uniform generator on [0, 1): mulberry32 (Tommy Ettinger's 32-bit generator, public
 * domain). Small, fast and good enough for resampling; the same seed gives the same sequence on
 * every platform, so reports that resample are byte-identical from run to run.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
