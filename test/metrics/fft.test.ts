import { describe, expect, it } from 'vitest';
import { RealSpectrum } from '../../metrics/fft.js';

/** |X[k]| by the definition, X[k] = Σ x[n]·e^(−2πi·kn/N). */
function directMagnitudes(samples: Float64Array): number[] {
  const n = samples.length;
  return Array.from({ length: n / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    samples.forEach((x, t) => {
      re += x * Math.cos((2 * Math.PI * k * t) / n);
      im -= x * Math.sin((2 * Math.PI * k * t) / n);
    });
    return Math.hypot(re, im);
  });
}

describe('RealSpectrum', () => {
  it('matches the DFT by its definition on an irregular signal, at radix-4 and radix-2 sizes', () => {
    for (const size of [64, 128, 512]) {
      const samples = Float64Array.from({ length: size }, (_, t) => Math.sin(0.37 * t * t) + 0.25 * Math.cos(3.1 * t) - 0.1);
      const magnitudes = new Float64Array(size / 2 + 1);
      new RealSpectrum(size).magnitudes(samples, magnitudes);
      const expected = directMagnitudes(samples);
      magnitudes.forEach((value, k) => expect(Math.abs(value - expected[k]!)).toBeLessThan(1e-9 * size));
    }
  });

  it('puts a cosine of whole period count k into bin k with magnitude N/2, and a constant into bin 0', () => {
    const spectrum = new RealSpectrum(256);
    const magnitudes = new Float64Array(129);
    spectrum.magnitudes(Float64Array.from({ length: 256 }, (_, t) => Math.cos((2 * Math.PI * 10 * t) / 256) + 2), magnitudes);
    expect(magnitudes[10]).toBeCloseTo(128, 9);
    expect(magnitudes[0]).toBeCloseTo(512, 9);
    expect(Math.max(...magnitudes.filter((_, k) => k !== 0 && k !== 10))).toBeLessThan(1e-9);
  });

  it('refuses sizes that are not powers of two and buffers of the wrong length', () => {
    expect(() => new RealSpectrum(96)).toThrow(/power of two/);
    expect(() => new RealSpectrum(64).magnitudes(new Float64Array(32), new Float64Array(33))).toThrow(/32 samples/);
  });
});
