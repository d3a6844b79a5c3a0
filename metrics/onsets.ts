import { RealSpectrum } from './fft.js';
import { refineOnsetS, type RefineOnsetOptions } from './refine-onset.js';
import { MAD_TO_SIGMA, movingMedianAndMad } from './robust-stats.js';

/** Settings of `detectOnsets`, in one place; every field can be overridden. */
export const ONSET_DEFAULTS = {
  /** STFT window; rounded up to a power of two of samples (512 at 48 kHz). */
  windowMs: 10,
  /** STFT hop: the resolution of the coarse onset only (the time-domain refinement searches the window and a hop around it), so 4 ms gives the same onsets as 2 ms in 0.6 of the time. */
  hopMs: 4,
  /** Magnitude compression before differencing: log(1 + γ·|X|) (Böck & Widmer 2013 use γ = 1..100 on spectra of full-scale audio). */
  logCompression: 100,
  /** Half-length of the moving median / MAD window that makes the threshold adapt to room tone and music. */
  thresholdWindowMs: 150,
  /** A flux peak is an onset when it exceeds the moving median by this many robust standard deviations... */
  thresholdSigmas: 6,
  /** ...and reaches this fraction of the strongest flux peak of the clip. */
  minRelativeStrength: 0.1,
  /** Two onsets are at least this far apart; the stronger one wins. */
  minGapMs: 25,
} as const;

export type OnsetOptions = { -readonly [K in keyof typeof ONSET_DEFAULTS]: number };

export interface Onset {
  /** Refined onset time, seconds from sample 0. */
  timeS: number;
  /** Spectral-flux peak height (log-magnitude units summed over bins). */
  strength: number;
}

export interface SpectralFlux {
  /** Flux per STFT frame; frame m's window is centred at `centreS(m) = firstCentreS + m·hopS`. */
  flux: Float64Array;
  firstCentreS: number;
  hopS: number;
  windowSamples: number;
}

/**
 * Half-wave rectified log-magnitude spectral flux (Dixon 2006, "Onset detection revisited"):
 * SF(m) = Σₖ max(0, L(m,k) − L(m−1,k)), L = log(1 + γ·|STFT|), Hann window.
 */
export function spectralFlux(samples: Float32Array, sampleRate: number, options: Partial<OnsetOptions> = {}): SpectralFlux {
  const settings = { ...ONSET_DEFAULTS, ...options };
  const windowSamples = 2 ** Math.ceil(Math.log2(Math.max(16, (settings.windowMs / 1000) * sampleRate)));
  const hopSamples = Math.max(1, Math.round((settings.hopMs / 1000) * sampleRate));
  const frames = samples.length >= windowSamples ? Math.floor((samples.length - windowSamples) / hopSamples) + 1 : 0;
  const bins = windowSamples / 2 + 1;
  const hann = new Float64Array(windowSamples);
  for (let i = 0; i < windowSamples; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / windowSamples);

  const flux = new Float64Array(frames);
  const spectrum = new RealSpectrum(windowSamples);
  const windowed = new Float64Array(windowSamples);
  const magnitudes = new Float64Array(bins);
  let previous = new Float64Array(bins);
  let current = new Float64Array(bins);
  for (let m = 0; m < frames; m++) {
    const start = m * hopSamples;
    for (let i = 0; i < windowSamples; i++) windowed[i] = samples[start + i]! * hann[i]!;
    spectrum.magnitudes(windowed, magnitudes);
    let sum = 0;
    for (let k = 0; k < bins; k++) {
      const level = Math.log1p(settings.logCompression * magnitudes[k]!);
      current[k] = level;
      if (m > 0 && level > previous[k]!) sum += level - previous[k]!;
    }
    flux[m] = sum;
    [previous, current] = [current, previous];
  }
  return { flux, firstCentreS: windowSamples / 2 / sampleRate, hopS: hopSamples / sampleRate, windowSamples };
}

/**
 * Onsets of percussive sounds (impacts): peaks of the spectral flux above an adaptive threshold
 * (moving median + k·MAD, robust to room tone and music), each refined in the time domain to a
 * fraction of a millisecond by `refineOnsetS`. A spectral change that does not rise well above the
 * sound before it (a new note, a change of timbre) has no refined onset and is dropped: impacts
 * are sharp. Sorted by time.
 */
export function detectOnsets(
  samples: Float32Array,
  sampleRate: number,
  options: Partial<OnsetOptions> = {},
  refineOptions: Partial<RefineOnsetOptions> = {},
): Onset[] {
  const settings = { ...ONSET_DEFAULTS, ...options };
  const { flux, firstCentreS, hopS, windowSamples } = spectralFlux(samples, sampleRate, settings);
  if (flux.length < 3) return [];
  const halfWidth = Math.max(1, Math.round(settings.thresholdWindowMs / 1000 / hopS));
  const gap = Math.max(1, Math.round(settings.minGapMs / 1000 / hopS));
  // The threshold varies slowly: evaluating it every 5 ms is enough and keeps long clips fast.
  const { median, mad } = movingMedianAndMad(flux, halfWidth, Math.max(1, Math.round(0.005 / hopS)));
  let strongest = 0;
  for (const value of flux) strongest = Math.max(strongest, value);

  const peaks: number[] = [];
  for (let m = 1; m < flux.length; m++) {
    const value = flux[m]!;
    if (value < settings.minRelativeStrength * strongest) continue;
    if (value <= median[m]! + settings.thresholdSigmas * MAD_TO_SIGMA * mad[m]!) continue;
    if (!isLocalMaximum(flux, m, gap)) continue;
    peaks.push(m);
  }

  const halfWindowS = windowSamples / 2 / sampleRate;
  const onsets: Onset[] = [];
  for (const m of peaks) {
    const centreS = firstCentreS + m * hopS;
    // The onset entered the window of frame m or of a frame just before it: search the whole span.
    const refinedS = refineOnsetS(samples, sampleRate, centreS - halfWindowS - hopS, centreS + halfWindowS, refineOptions);
    if (refinedS !== null) onsets.push({ timeS: refinedS, strength: flux[m]! });
  }
  return onsets;
}

/** True when values[m] is the largest within ±gap (the earliest of equal values wins). */
function isLocalMaximum(values: Float64Array, m: number, gap: number): boolean {
  const value = values[m]!;
  for (let j = Math.max(0, m - gap); j <= Math.min(values.length - 1, m + gap); j++) {
    if (j < m && values[j]! >= value) return false;
    if (j > m && values[j]! > value) return false;
  }
  return true;
}
