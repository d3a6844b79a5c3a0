import { describe, expect, it } from 'vitest';
import { AUDIO_DEFAULTS, synthesizeAudio } from '../../../runners/sim/audio.js';

const RATE = AUDIO_DEFAULTS.sampleRate;

function rms(samples: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let n = from; n < to; n += 1) sum += (samples[n] ?? 0) ** 2;
  return Math.sqrt(sum / (to - from));
}

describe('synthesizeAudio', () => {
  const impacts = [
    { startS: 0.50037, speedMS: 4.8, diameterM: 0.067 },
    { startS: 1.2, speedMS: 1.2, diameterM: 0.067 },
  ];
  const samples = synthesizeAudio(impacts, 2, 1, RATE);

  it('lasts the clip and keeps a room tone near −50 dBFS away from impacts', () => {
    expect(samples.length).toBe(2 * RATE);
    const roomDb = 20 * Math.log10(rms(samples, 0, Math.floor(0.45 * RATE)));
    expect(roomDb).toBeGreaterThan(-51);
    expect(roomDb).toBeLessThan(-49);
  });

  it('starts each impact exactly at its time: room tone before, a loud onset on the first sample after', () => {
    for (const impact of impacts) {
      const first = Math.ceil(impact.startS * RATE);
      const before = rms(samples, first - 48, first);
      expect(20 * Math.log10(before)).toBeLessThan(-45);
      const level = AUDIO_DEFAULTS.peakLevel * Math.min(1, impact.speedMS / AUDIO_DEFAULTS.fullLevelSpeedMS);
      expect(Math.abs(samples[first] ?? 0)).toBeGreaterThan(0.05 * level);
      expect(rms(samples, first, first + 48)).toBeGreaterThan(0.2 * level);
    }
  });

  it('is louder for faster impacts and decays within about 0.4 s', () => {
    const loud = rms(samples, Math.ceil(0.50037 * RATE), Math.ceil(0.50037 * RATE) + 480);
    const soft = rms(samples, Math.ceil(1.2 * RATE), Math.ceil(1.2 * RATE) + 480);
    expect(loud / soft).toBeGreaterThan(3);
    expect(20 * Math.log10(rms(samples, Math.floor(0.95 * RATE), Math.floor(1.15 * RATE)))).toBeLessThan(-45);
  });

  it('is deterministic for a seed and never clips', () => {
    const same = (other: Float32Array): boolean => Buffer.from(other.buffer).equals(Buffer.from(samples.buffer));
    expect(same(synthesizeAudio(impacts, 2, 1, RATE))).toBe(true);
    expect(same(synthesizeAudio(impacts, 2, 2, RATE))).toBe(false);
    expect(samples.every((value) => Math.abs(value) <= 1)).toBe(true);
  });
});
