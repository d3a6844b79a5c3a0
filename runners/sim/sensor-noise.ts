import { gaussianSource, mulberry32 } from './prng.js';

/** Distinct Gaussian noise values kept per clip; frames read them from random offsets. */
export const NOISE_TABLE_SIZE = 1 << 20;

/**
 * A clip's worth of Gaussian sensor noise (σ in grey levels, rounded to whole levels), read by each
 * frame from its own random offset in one table: a per-pixel PRNG would cost several times more.
 */
export class SensorNoise {
  private readonly table: Int16Array;
  private readonly pickOffset: () => number;

  constructor(
    readonly sigma: number,
    seed: number,
  ) {
    const gaussian = gaussianSource(mulberry32(seed ^ 0x0a15_e5ed));
    this.table = new Int16Array(sigma > 0 ? NOISE_TABLE_SIZE : 0);
    for (let i = 0; i < this.table.length; i += 1) this.table[i] = Math.round(sigma * gaussian());
    const random = mulberry32(seed ^ 0x0ff5_e7a1);
    this.pickOffset = () => Math.floor(random() * this.table.length);
  }

  /**
   * Multiplies every value by `gain` (1: unchanged) and adds noise, clamping to bytes. Call once per
   * frame, in frame order: the offsets come from one seeded sequence.
   */
  apply(rgb: Uint8Array, gain: number): void {
    const out = new Uint8ClampedArray(rgb.buffer, rgb.byteOffset, rgb.byteLength);
    const table = this.table;
    if (table.length === 0) {
      if (gain !== 1) for (let i = 0; i < out.length; i += 1) out[i] = (rgb[i] as number) * gain;
      return;
    }
    let offset = this.pickOffset();
    // Runs of the table without a wrap test inside the loop: this loop is most of the render time.
    for (let i = 0; i < out.length; ) {
      const end = Math.min(out.length, i + table.length - offset);
      if (gain === 1) for (; i < end; i += 1, offset += 1) out[i] = (rgb[i] as number) + (table[offset] as number);
      else for (; i < end; i += 1, offset += 1) out[i] = (rgb[i] as number) * gain + (table[offset] as number);
      offset = 0;
    }
  }
}
