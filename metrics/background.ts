import { isWhiteVeil } from './veil.js';

/** How the static scene behind moving objects is estimated. */
export interface BackgroundOptions {
  /** At most this many frames enter the starting median. */
  medianFrames: number;
  /**
   * Share of the difference a background pixel moves towards the current frame each frame (an
   * exponential running average); slow enough that a passing object leaves no trace, fast enough to
   * follow gradual lighting change.
   */
  learningRate: number;
  /**
   * Rate for still pixels where the background is the frame under a white veil: a watermark that sat
   * in the first frames and has moved on. Fast, or the uncovered scene stays foreground for seconds
   * and swallows a ball that passes. "Still" keeps a moving object from being learnt this way.
   */
  unveilRate: number;
  /** A pixel is still when no channel changed by more than this since the previous frame (4σ of σ 2 noise, doubled). */
  stillDelta: number;
  /**
   * Largest spread of the veil opacity across channels, and largest opacity (see isWhiteVeil). Both
   * tighter than in detection: the dark side of a ball over a bright wall can pass for an unveiled
   * pixel (a ≈ 0.7 in every channel), and learning it at once would leave a ghost.
   */
  veilSpread: number;
  veilMaxOpacity: number;
}

export const BACKGROUND_DEFAULTS: BackgroundOptions = { medianFrames: 15, learningRate: 0.03, unveilRate: 1, stillDelta: 12, veilSpread: 0.08, veilMaxOpacity: 0.6 };

/** Median of the first `count` entries of `values` (small arrays: insertion sort in place). */
function medianInPlace(values: Uint8Array, count: number): number {
  for (let i = 1; i < count; i++) {
    const v = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > v) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = v;
  }
  const mid = count >> 1;
  return count % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/**
 * The background as RGB floats: first the per-channel median of a few early frames (an object that
 * covers a pixel in fewer than half of them leaves no trace), then a running average over the
 * pixels not covered by a detected object.
 */
export class BackgroundModel {
  readonly rgb: Float32Array;
  /** Robust per-channel standard deviation of frames about the starting median (sensor noise, compression). */
  readonly noiseSigma: number;
  /** The last frame given to `update`, to tell still pixels from moving ones. */
  private previous: Uint8Array | null = null;

  private constructor(rgb: Float32Array, noiseSigma: number) {
    this.rgb = rgb;
    this.noiseSigma = noiseSigma;
  }

  /** Builds the starting background from RGB24 frames of one size (at least one). */
  static fromFrames(frames: readonly Uint8Array[], options: BackgroundOptions = BACKGROUND_DEFAULTS): BackgroundModel {
    const first = frames[0];
    if (first === undefined) throw new RangeError('BackgroundModel.fromFrames needs at least one frame');
    const stride = Math.max(1, Math.ceil(frames.length / options.medianFrames));
    const chosen = frames.filter((_, i) => i % stride === 0);
    const count = chosen.length;
    const rgb = new Float32Array(first.length);
    const column = new Uint8Array(count);
    for (let p = 0; p < first.length; p++) {
      for (let k = 0; k < count; k++) column[k] = (chosen[k] as Uint8Array)[p] as number;
      rgb[p] = medianInPlace(column, count);
    }
    return new BackgroundModel(rgb, BackgroundModel.estimateNoise(chosen, rgb));
  }

  /** 1.4826 × median |frame − median| over a sample of values: the MAD estimate of σ, blind to moving objects. */
  private static estimateNoise(frames: readonly Uint8Array[], background: Float32Array): number {
    if (frames.length < 3) return 0;
    const histogram = new Uint32Array(256);
    let total = 0;
    for (const frame of frames) {
      for (let p = 0; p < frame.length; p += 7) {
        const bin = Math.min(255, Math.round(Math.abs((frame[p] as number) - (background[p] as number))));
        histogram[bin] = (histogram[bin] as number) + 1;
        total++;
      }
    }
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += histogram[v] as number;
      if (seen * 2 >= total) return 1.4826 * Math.max(v, 0.5);
    }
    return 0;
  }

  /** Moves every pixel outside `covered` (1 = part of a detected object) towards the frame. */
  update(frame: Uint8Array, covered: Uint8Array, options: BackgroundOptions = BACKGROUND_DEFAULTS): void {
    const bg = this.rgb;
    const previous = this.previous ?? frame;
    const rate = options.learningRate;
    const still = options.stillDelta;
    for (let i = 0, p = 0; i < covered.length; i++, p += 3) {
      const fr = frame[p] as number;
      const fg = frame[p + 1] as number;
      const fb = frame[p + 2] as number;
      const dr = fr - (bg[p] as number);
      const dg = fg - (bg[p + 1] as number);
      const db = fb - (bg[p + 2] as number);
      // Only a veil strong enough to make foreground matters: it moves every channel by about the same,
      // so at least 8 levels for the weakest foreground (a distance of 24 over three channels). Tested
      // under detected objects too: a still unveiled patch can itself look like a disc.
      const unveiled =
        dr < -8 &&
        dg < -8 &&
        db < -8 &&
        Math.abs(fr - (previous[p] as number)) <= still &&
        Math.abs(fg - (previous[p + 1] as number)) <= still &&
        Math.abs(fb - (previous[p + 2] as number)) <= still &&
        isWhiteVeil(bg, frame, p, options.veilSpread, options.veilMaxOpacity);
      if (unveiled) {
        const k = options.unveilRate;
        bg[p] = (bg[p] as number) + k * dr;
        bg[p + 1] = (bg[p + 1] as number) + k * dg;
        bg[p + 2] = (bg[p + 2] as number) + k * db;
      } else if (covered[i] !== 1) {
        bg[p] = (bg[p] as number) + rate * dr;
        bg[p + 1] = (bg[p + 1] as number) + rate * dg;
        bg[p + 2] = (bg[p + 2] as number) + rate * db;
      }
    }
    if (this.previous === null) this.previous = frame.slice();
    else this.previous.set(frame);
  }
}
