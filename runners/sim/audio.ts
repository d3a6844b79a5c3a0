import { gaussianSource, mulberry32 } from './prng.js';

/** Parameters of the synthetic soundtrack, in one place. */
export const AUDIO_DEFAULTS = {
  sampleRate: 48_000,
  /** Level of the room tone (white noise), dBFS RMS. */
  roomToneDbfs: -50,
  /** Decay time constant of the broadband click at the start of an impact, s. */
  clickDecayS: 0.003,
  /** Decay time constant of the ball's ring, s. */
  ringDecayS: 0.035,
  /** An impact at this closing speed or faster gets the full peak level. */
  fullLevelSpeedMS: 5,
  peakLevel: 0.8,
  /** The ring's pitch is this many Hz·m over the diameter, clamped to the range below. */
  ringPitchHzM: 60,
  ringPitchRangeHz: [300, 3000] as const,
} as const;

export interface ImpactSound {
  /** When the sound starts (contact time plus any planted offset), s from the first frame. */
  startS: number;
  /** Closing speed at the contact, m/s: sets the loudness. */
  speedMS: number;
  /** Diameter of the (smaller) ball involved, m: sets the pitch. */
  diameterM: number;
}

/** Envelope lengths after which an impact is silent (e^-12 of its peak). */
const TAIL_TIME_CONSTANTS = 12;

/**
 * Mono soundtrack: room tone plus, per impact, a click (exponentially decaying white noise) and a
 * damped sinusoidal ring. Each impact starts exactly at its time: samples before it are untouched,
 * and the envelope is evaluated at n/sampleRate − startS so the onset is sub-sample exact.
 */
export function synthesizeAudio(impacts: readonly ImpactSound[], durationS: number, seed: number, sampleRate: number = AUDIO_DEFAULTS.sampleRate): Float32Array {
  const sampleCount = Math.round(durationS * sampleRate);
  const samples = new Float32Array(sampleCount);
  const gaussian = gaussianSource(mulberry32(seed ^ 0x5eed_a0d1));
  const roomToneRms = 10 ** (AUDIO_DEFAULTS.roomToneDbfs / 20);
  for (let n = 0; n < sampleCount; n += 1) samples[n] = roomToneRms * gaussian();

  const { clickDecayS, ringDecayS, fullLevelSpeedMS, peakLevel, ringPitchHzM, ringPitchRangeHz } = AUDIO_DEFAULTS;
  for (const impact of impacts) {
    const level = peakLevel * Math.min(1, Math.abs(impact.speedMS) / fullLevelSpeedMS);
    const pitchHz = Math.min(Math.max(ringPitchHzM / impact.diameterM, ringPitchRangeHz[0]), ringPitchRangeHz[1]);
    const first = Math.max(0, Math.ceil(impact.startS * sampleRate));
    const last = Math.min(sampleCount - 1, Math.floor((impact.startS + TAIL_TIME_CONSTANTS * ringDecayS) * sampleRate));
    for (let n = first; n <= last; n += 1) {
      const tauS = n / sampleRate - impact.startS;
      const click = gaussian() * Math.exp(-tauS / clickDecayS);
      const ring = Math.cos(2 * Math.PI * pitchHz * tauS) * Math.exp(-tauS / ringDecayS);
      samples[n] = (samples[n] ?? 0) + level * (0.6 * click + 0.4 * ring);
    }
  }
  for (let n = 0; n < sampleCount; n += 1) samples[n] = Math.min(1, Math.max(-1, samples[n] ?? 0));
  return samples;
}
