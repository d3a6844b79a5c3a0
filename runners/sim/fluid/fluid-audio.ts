import { AUDIO_DEFAULTS, synthesizeAudio, type ImpactSound } from '../audio.js';
import { gaussianSource, mulberry32 } from '../prng.js';

/** The rushing sound of liquid, in one place. */
export const LIQUID_NOISE = {
  /** Low-pass corner of the filtered noise, Hz. */
  cornerHz: 1500,
  /** RMS level at full loudness. */
  rms: 0.12,
  /** Linear fade in from the start, and out after the end, s. */
  attackS: 0.005,
  releaseS: 0.04,
  /** Gurgle: slow amplitude modulation, depth and rate. */
  gurgleDepth: 0.3,
  gurgleHz: 9,
} as const;

/** A stretch of liquid noise: a stream plunging in, a splash. */
export interface LiquidNoise {
  startS: number;
  endS: number;
  /** Loudness relative to LIQUID_NOISE.rms. */
  level: number;
}

/**
 * Room tone and impacts (audio.ts) plus, per noise, low-passed white noise (one-pole filter) under a
 * gurgling envelope that starts exactly at startS: samples before it are untouched.
 */
export function synthesizeFluidAudio(impacts: readonly ImpactSound[], noises: readonly LiquidNoise[], durationS: number, seed: number, sampleRate: number = AUDIO_DEFAULTS.sampleRate): Float32Array {
  const samples = synthesizeAudio(impacts, durationS, seed, sampleRate);
  const d = LIQUID_NOISE;
  const gaussian = gaussianSource(mulberry32(seed ^ 0x11a0_1d5e));
  const pole = Math.exp((-2 * Math.PI * d.cornerHz) / sampleRate);
  // A one-pole low-pass of unit white noise has variance (1 − a)/(1 + a): scale it back to unit RMS.
  const unitGain = Math.sqrt((1 + pole) / (1 - pole));
  for (const noise of noises) {
    const first = Math.max(0, Math.ceil(noise.startS * sampleRate));
    const last = Math.min(samples.length - 1, Math.floor((noise.endS + d.releaseS) * sampleRate));
    let state = 0;
    for (let n = first; n <= last; n += 1) {
      const timeS = n / sampleRate;
      state = pole * state + (1 - pole) * gaussian();
      const attack = Math.min(1, (timeS - noise.startS) / d.attackS);
      const release = timeS <= noise.endS ? 1 : Math.max(0, 1 - (timeS - noise.endS) / d.releaseS);
      const gurgle = 1 + d.gurgleDepth * Math.sin(2 * Math.PI * d.gurgleHz * (timeS - noise.startS));
      const value = (samples[n] ?? 0) + d.rms * noise.level * attack * release * gurgle * unitGain * state;
      samples[n] = Math.min(1, Math.max(-1, value));
    }
  }
  return samples;
}
