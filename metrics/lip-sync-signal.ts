/**
 * The audio side of lip sync and the offset estimate: the speech envelope sampled at the frame times,
 * and the lag at which the mouth opening and that envelope agree best.
 */
import { errorFunction } from 'simple-statistics';
import type { AudioTrack } from '../media/types.js';

/** The speech band: most of the energy that follows articulation lies between the voice's first harmonics and 3 kHz. */
export const SPEECH_BAND_HZ = { low: 300, high: 3000 } as const;

/** Second-order section coefficients, normalised so a0 = 1. */
interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Butterworth (Q = 1/√2) low- or high-pass biquad, R. Bristow-Johnson's "Audio EQ Cookbook". */
export function butterworthBiquad(kind: 'low' | 'high', cutoffHz: number, sampleRate: number): Biquad {
  const w0 = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b1 = kind === 'low' ? 1 - cos : -(1 + cos);
  const b0 = kind === 'low' ? (1 - cos) / 2 : (1 + cos) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Runs a biquad over a signal (direct form I). */
function filter(samples: Float32Array, q: Biquad): Float32Array {
  const out = new Float32Array(samples.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    const y = q.b0 * x + q.b1 * x1 + q.b2 * x2 - q.a1 * y1 - q.a2 * y2;
    out[i] = y;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
  }
  return out;
}

/** The audio band-passed to speech (a high-pass then a low-pass Butterworth section). */
export function speechBand(audio: AudioTrack): Float32Array {
  const high = filter(audio.samples, butterworthBiquad('high', SPEECH_BAND_HZ.low, audio.sampleRate));
  return filter(high, butterworthBiquad('low', Math.min(SPEECH_BAND_HZ.high, audio.sampleRate * 0.45), audio.sampleRate));
}

/**
 * RMS of the speech band in a window of `windowS` centred on each time: the envelope resampled to
 * the frames. Prefix sums of squares make each window O(1). Times whose window lies outside the
 * audio get NaN (no sound there to compare with).
 */
export function speechEnvelope(audio: AudioTrack, timesS: readonly number[], windowS: number): Float64Array {
  const band = speechBand(audio);
  const prefix = new Float64Array(band.length + 1);
  for (let i = 0; i < band.length; i++) prefix[i + 1] = prefix[i]! + band[i]! * band[i]!;
  const half = (windowS * audio.sampleRate) / 2;
  return Float64Array.from(timesS, (timeS) => {
    const centre = timeS * audio.sampleRate;
    const start = Math.max(0, Math.round(centre - half));
    const end = Math.min(band.length, Math.round(centre + half));
    if (end - start < half) return Number.NaN;
    return Math.sqrt((prefix[end]! - prefix[start]!) / (end - start));
  });
}

/** Pearson's r of x[i] against y[i + lag] over the pairs where both are finite; NaN below `minPairs`. */
export function laggedCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, lag: number, minPairs: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = Math.max(0, -lag); i < x.length && i + lag < y.length; i++) {
    const a = x[i]!;
    const b = y[i + lag]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    n++;
    sx += a;
    sy += b;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  if (n < minPairs) return Number.NaN;
  const cov = sxy - (sx * sy) / n;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : Number.NaN;
}

/** Pairs of x[i] and y[i + lag] where both are finite. */
function finitePairs(x: ArrayLike<number>, y: ArrayLike<number>, lag: number): number {
  let n = 0;
  for (let i = Math.max(0, -lag); i < x.length && i + lag < y.length; i++) if (Number.isFinite(x[i]!) && Number.isFinite(y[i + lag]!)) n++;
  return n;
}

/**
 * The number of independent pairs that `pairs` samples of two autocorrelated series are worth for
 * their correlation (Bartlett 1935): N / Σ ρx(k)·ρy(k) over k = −maxLag…maxLag, at most N. Smooth
 * series (a syllable envelope sampled at 25 fps) carry far fewer independent samples than frames.
 */
export function effectivePairs(x: ArrayLike<number>, y: ArrayLike<number>, pairs: number, maxLag: number): number {
  let sum = 1;
  for (let k = 1; k <= maxLag; k++) {
    const product = laggedCorrelation(x, x, k, 3) * laggedCorrelation(y, y, k, 3);
    if (Number.isFinite(product)) sum += 2 * product;
  }
  return pairs / Math.max(1, sum);
}

/** Standard normal upper tail 1 − Φ(z) = erfc(z/√2)/2. */
function upperTail(z: number): number {
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

export interface LagEstimate {
  /** audio − video in ms: positive when the sound comes late. */
  offsetMs: number;
  /** Pearson's r at the best whole-frame lag. */
  peakCorrelation: number;
  /**
   * 1 − the chance that unrelated series reach the peak r at some lag searched: r·√N_eff is about
   * standard normal for unrelated series (N_eff from `effectivePairs`), Šidák-corrected for the lags.
   */
  confidence: number;
  effectivePairs: number;
  /** The best lag is the first or last searched: the true offset may lie beyond the window. */
  atSearchEdge: boolean;
  /** r at each lag from −maxLag to +maxLag frames. */
  correlations: number[];
}

/**
 * The offset at which a visual series (mouth opening per frame) best predicts an audio series
 * (speech envelope at the same frame times): the lag of the highest Pearson correlation over
 * ±`searchWindowMs`, refined between frames by the vertex of the parabola through the peak and its
 * two neighbours. A sound late by d shows as audio[i + d·fps] ≈ video[i]. Null when no lag has
 * enough pairs to correlate.
 */
export function estimateLag(
  video: ArrayLike<number>,
  audio: ArrayLike<number>,
  fps: number,
  searchWindowMs: number,
  minPairs: number,
): LagEstimate | null {
  const maxLag = Math.max(1, Math.floor((searchWindowMs / 1000) * fps));
  const correlations: number[] = [];
  for (let lag = -maxLag; lag <= maxLag; lag++) correlations.push(laggedCorrelation(video, audio, lag, minPairs));
  let best = -1;
  for (let i = 0; i < correlations.length; i++) {
    if (Number.isFinite(correlations[i]!) && (best < 0 || correlations[i]! > correlations[best]!)) best = i;
  }
  if (best < 0) return null;
  const peak = correlations[best]!;
  const before = correlations[best - 1];
  const after = correlations[best + 1];
  const atSearchEdge = best === 0 || best === correlations.length - 1;
  const fraction = before !== undefined && after !== undefined && Number.isFinite(before) && Number.isFinite(after)
    ? parabolicVertex(before, peak, after)
    : 0;
  const lagsSearched = correlations.filter(Number.isFinite).length;
  const nEff = effectivePairs(video, audio, finitePairs(video, audio, best - maxLag), maxLag);
  const pOneLag = upperTail(peak * Math.sqrt(nEff));
  return {
    offsetMs: ((best - maxLag + fraction) * 1000) / fps,
    peakCorrelation: peak,
    confidence: Math.max(0, Math.pow(1 - pOneLag, lagsSearched)),
    effectivePairs: nEff,
    atSearchEdge,
    correlations,
  };
}

/** Offset of the vertex of the parabola through (−1, a), (0, b), (1, c), within ±0.5. */
export function parabolicVertex(a: number, b: number, c: number): number {
  const curvature = a - 2 * b + c;
  if (curvature >= 0) return 0;
  return Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / curvature));
}
