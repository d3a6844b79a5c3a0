/** Synthetic impact soundtracks with known onset times, shared by the onset and avsync tests. */
import { mulberry32 } from '../../runners/sim/prng.js';

export const SAMPLE_RATE = 48_000;

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

/** A mono track at SAMPLE_RATE with impacts at `impactsS`, optional room tone (RMS) and a legato music bed (amplitude). */
export function impactTrack(
  durationS: number,
  impactsS: readonly number[],
  options: { noiseRms?: number; music?: number; seed?: number } = {},
): Float32Array {
  const next = mulberry32(options.seed ?? 1);
  const samples = new Float32Array(Math.round(durationS * SAMPLE_RATE));
  let phase = 0;
  for (let i = 0; i < samples.length; i++) {
    const t = i / SAMPLE_RATE;
    let value = (options.noiseRms ?? 0) * gaussian(next);
    if (options.music) {
      // A soft chord whose root glides to a new note every 0.5 s, phase-continuous so it never clicks.
      const root = [220, 247, 262, 294][Math.floor(t / 0.5) % 4]!;
      phase += (2 * Math.PI * root) / SAMPLE_RATE;
      value += options.music * (Math.sin(phase) + 0.5 * Math.sin(1.5 * phase));
    }
    samples[i] = value;
  }
  for (const onsetS of impactsS) addImpact(samples, onsetS, 0.5, next);
  return samples;
}
