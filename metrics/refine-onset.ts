/** Settings of the time-domain onset refinement; see `refineOnsetS`. */
export const REFINE_ONSET_DEFAULTS = {
  /** The onset is where |x| first reaches this fraction of the sound's peak amplitude (above AAC pre-echo). */
  peakFraction: 0.2,
  /** ...and at least this many times the RMS of the quiet stretch before the search window. */
  noiseFactor: 5,
  /** A stretch this long below the level separates the sound from whatever came before it. */
  quietGapMs: 2,
  /** Length of the stretch before the search window used to measure the noise. */
  noiseWindowMs: 20,
} as const;

export type RefineOnsetOptions = { -readonly [K in keyof typeof REFINE_ONSET_DEFAULTS]: number };

/**
 * Refines an onset found at coarse resolution to a fraction of a millisecond: the first sample of the
 * sound whose amplitude reaches max(peakFraction·peak, noiseFactor·noiseRms), walking back from the
 * peak in [fromS, toS] until a quiet gap, with linear interpolation of the crossing between samples.
 * A first-threshold-crossing picker (as in seismic and acoustic arrival picking); for sharp attacks
 * its bias is well under a millisecond. Returns null when the window holds no sample above noise.
 */
export function refineOnsetS(
  samples: Float32Array,
  sampleRate: number,
  fromS: number,
  toS: number,
  options: Partial<RefineOnsetOptions> = {},
): number | null {
  const settings = { ...REFINE_ONSET_DEFAULTS, ...options };
  const lo = Math.max(0, Math.floor(fromS * sampleRate));
  const hi = Math.min(samples.length - 1, Math.ceil(toS * sampleRate));
  if (hi <= lo) return null;

  let peakIndex = lo;
  let peak = 0;
  for (let i = lo; i <= hi; i++) {
    const a = Math.abs(samples[i]!);
    if (a > peak) {
      peak = a;
      peakIndex = i;
    }
  }
  const noiseRms = rootMeanSquare(samples, Math.max(0, lo - Math.round((settings.noiseWindowMs / 1000) * sampleRate)), lo);
  const level = Math.max(settings.peakFraction * peak, settings.noiseFactor * noiseRms);
  if (peak <= level || peak === 0) return null;

  const quietGap = Math.max(1, Math.round((settings.quietGapMs / 1000) * sampleRate));
  let firstAbove = peakIndex;
  let quietRun = 0;
  for (let i = peakIndex - 1; i >= lo && quietRun < quietGap; i--) {
    if (Math.abs(samples[i]!) >= level) {
      firstAbove = i;
      quietRun = 0;
    } else {
      quietRun++;
    }
  }
  if (firstAbove === 0) return 0;
  const before = Math.abs(samples[firstAbove - 1]!);
  const at = Math.abs(samples[firstAbove]!);
  const fraction = at > before ? (level - before) / (at - before) : 1;
  return (firstAbove - 1 + Math.min(1, Math.max(0, fraction))) / sampleRate;
}

/** RMS = √(Σx²/n) of samples[from, to); 0 for an empty range. */
function rootMeanSquare(samples: Float32Array, from: number, to: number): number {
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / (to - from));
}
