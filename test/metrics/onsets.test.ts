import { describe, it, expect } from 'vitest';
import { detectOnsets, spectralFlux } from '../../metrics/onsets.js';

const SAMPLE_RATE = 48_000;

/** Deterministic pseudo-random numbers (mulberry32), so the tests are repeatable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian noise by Box–Muller. */
function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
}

/** A bounce sound: two damped partials starting at `onsetS` with a random phase. */
function addImpact(samples: Float32Array, onsetS: number, amplitude: number, next: () => number): void {
  const start = onsetS * SAMPLE_RATE;
  const phase = next() * 2 * Math.PI;
  for (let i = Math.ceil(start); i < samples.length; i++) {
    const t = (i - start) / SAMPLE_RATE;
    if (t > 0.3) break;
    const decay = Math.exp(-t / 0.04);
    samples[i]! += amplitude * decay * (0.7 * Math.sin(2 * Math.PI * 420 * t + phase) + 0.3 * Math.sin(2 * Math.PI * 1730 * t));
  }
}

function clip(durationS: number, impactsS: number[], options: { noiseRms?: number; music?: number; seed?: number } = {}): Float32Array {
  const next = random(options.seed ?? 1);
  const samples = new Float32Array(Math.round(durationS * SAMPLE_RATE));
  for (let i = 0; i < samples.length; i++) {
    const t = i / SAMPLE_RATE;
    let value = (options.noiseRms ?? 0) * gaussian(next);
    if (options.music) {
      // A soft chord whose root changes every 0.5 s (legato, so it has no sharp attack).
      const root = [220, 247, 262, 294][Math.floor(t / 0.5) % 4]!;
      value += options.music * (Math.sin(2 * Math.PI * root * t) + 0.5 * Math.sin(2 * Math.PI * root * 1.5 * t));
    }
    samples[i] = value;
  }
  for (const onsetS of impactsS) addImpact(samples, onsetS, 0.5, next);
  return samples;
}

describe('spectralFlux', () => {
  it('is zero on silence and peaks just around an impact', () => {
    const samples = clip(0.5, [0.25]);
    const { flux, firstCentreS, hopS } = spectralFlux(samples, SAMPLE_RATE);
    let best = 0;
    for (let m = 1; m < flux.length; m++) if (flux[m]! > flux[best]!) best = m;
    expect(flux[10]).toBe(0);
    expect(Math.abs(firstCentreS + best * hopS - 0.25)).toBeLessThan(0.006);
  });
});

describe('detectOnsets', () => {
  const impactsS = [0.2113, 0.7871, 1.2504, 1.5999, 1.8432];

  it('finds every impact within 0.1 ms on a clean track', () => {
    const onsets = detectOnsets(clip(2.2, impactsS), SAMPLE_RATE);
    expect(onsets.map((o) => o.refined)).toEqual(impactsS.map(() => true));
    const errorsMs = onsets.map((o, i) => Math.abs(o.timeS - impactsS[i]!) * 1000);
    expect(Math.max(...errorsMs)).toBeLessThan(0.1);
  });

  it('stays within 0.5 ms under room tone at −40 dB and a music bed, with no false onsets', () => {
    const onsets = detectOnsets(clip(2.2, impactsS, { noiseRms: 0.005, music: 0.05, seed: 7 }), SAMPLE_RATE);
    expect(onsets).toHaveLength(impactsS.length);
    const errorsMs = onsets.map((o, i) => Math.abs(o.timeS - impactsS[i]!) * 1000);
    expect(Math.max(...errorsMs)).toBeLessThan(0.5);
  });

  it('finds nothing in room tone alone', () => {
    expect(detectOnsets(clip(2, [], { noiseRms: 0.01, seed: 3 }), SAMPLE_RATE)).toEqual([]);
  });

  it('returns nothing for a track shorter than one window', () => {
    expect(detectOnsets(new Float32Array(100), SAMPLE_RATE)).toEqual([]);
  });
});
