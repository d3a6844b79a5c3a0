import { describe, it, expect } from 'vitest';
import { detectOnsets, spectralFlux } from '../../metrics/onsets.js';
import { SAMPLE_RATE, impactTrack as clip } from './impact-audio.js';

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
    expect(onsets).toHaveLength(impactsS.length);
    const errorsMs = onsets.map((o, i) => Math.abs(o.timeS - impactsS[i]!) * 1000);
    expect(Math.max(...errorsMs)).toBeLessThan(0.1);
  });

  it('stays within 0.5 ms under room tone at −40 dB and a music bed, with no false onsets', () => {
    const onsets = detectOnsets(clip(2.2, impactsS, { noiseRms: 0.005, music: 0.05, seed: 7 }), SAMPLE_RATE);
    expect(onsets).toHaveLength(impactsS.length);
    const errorsMs = onsets.map((o, i) => Math.abs(o.timeS - impactsS[i]!) * 1000);
    expect(Math.max(...errorsMs)).toBeLessThan(0.5);
  });

  it('takes no change of note in a music bed for an impact', () => {
    expect(detectOnsets(clip(2.2, [], { noiseRms: 0.002, music: 0.2, seed: 5 }), SAMPLE_RATE)).toEqual([]);
  });

  it('finds nothing in room tone alone', () => {
    expect(detectOnsets(clip(2, [], { noiseRms: 0.01, seed: 3 }), SAMPLE_RATE)).toEqual([]);
  });

  it('returns nothing for a track shorter than one window', () => {
    expect(detectOnsets(new Float32Array(100), SAMPLE_RATE)).toEqual([]);
  });
});
