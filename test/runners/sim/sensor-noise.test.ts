import { describe, expect, it } from 'vitest';
import { SensorNoise } from '../../../runners/sim/sensor-noise.js';

describe('SensorNoise', () => {
  it('adds Gaussian noise of the requested σ', () => {
    const noise = new SensorNoise(2, 3);
    const frame = new Uint8Array(320 * 180 * 3).fill(128);
    noise.apply(frame, 1);
    let sum = 0;
    let sumSquares = 0;
    for (const value of frame) {
      sum += value - 128;
      sumSquares += (value - 128) ** 2;
    }
    const mean = sum / frame.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    // Rounding to whole grey levels adds 1/12 to the variance.
    expect(Math.sqrt(sumSquares / frame.length - mean * mean)).toBeCloseTo(Math.sqrt(4 + 1 / 12), 1);
  });

  it('gives each frame different noise, the same for the same seed', () => {
    const run = (seed: number): Uint8Array[] => {
      const noise = new SensorNoise(2, seed);
      return [0, 1].map(() => {
        const frame = new Uint8Array(3000).fill(100);
        noise.apply(frame, 1);
        return frame;
      });
    };
    const [a0, a1] = run(5);
    const [b0] = run(5);
    expect(a0).toEqual(b0);
    expect(a0).not.toEqual(a1);
  });
});
