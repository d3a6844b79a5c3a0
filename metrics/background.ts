import { kthSmallest } from './robust-stats.js';
import type { LabelledRegion } from './ghost.js';
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
  /**
   * ... and smallest opacity, lower than detection's 0.08: a watermark passing over a dark table leg
   * for a few frames is learnt at 3% a frame, and the faint veil it leaves (opacity 0.07 when the leg
   * at 71 grey read 85) must still be forgotten, or the uncovered leg reads as a column of balls.
   */
  veilMinOpacity: number;
  /**
   * Under a detected object a pixel is unveiled only after it has looked unveiled in this many
   * frames in a row (0: at once, like any other pixel). A grey ball on a beige wall is, pixel by
   * pixel, the wall with its veil taken off (wall = ball + a·(255 − ball), one a in every channel);
   * near its apex it is still, and learning it at once left a ghost the falling ball merged with. A
   * patch uncovered by a watermark that moved on stays unveiled and is still learnt, a little later.
   */
  coveredUnveilFrames: number;
}

export const BACKGROUND_DEFAULTS: BackgroundOptions = {
  medianFrames: 15,
  learningRate: 0.03,
  unveilRate: 1,
  stillDelta: 12,
  veilSpread: 0.08,
  veilMaxOpacity: 0.6,
  veilMinOpacity: 0.04,
  coveredUnveilFrames: 0,
};

/** A gain that moves no background value (≤ 255) by this many grey levels or more is not applied (a still exposure reads 0.999-1.001). */
const UNSCALED_GREY = 0.5;

/** Every this many pixels enters the exposure estimate (about 14 000 samples at 640x360). */
const GAIN_STRIDE = 17;
/** A channel this bright may be clipped at 255, so its ratio understates the gain. */
const SATURATED = 250;
/** Background pixels darker than this (sum of channels) give ratios dominated by noise. */
const MIN_GAIN_SUM = 60;

/**
 * Global exposure of `frame` relative to `background`: the median over sampled pixels of
 * Σ frame / Σ background (channels summed), leaving out pixels in `covered` (objects) and clipped
 * ones. A flickering or slowly changing light scales the whole scene; objects cover a small minority.
 */
export function exposureGain(frame: Uint8Array, background: Float32Array, covered: Uint8Array | null, ratios: Float32Array): number {
  let count = 0;
  for (let i = 0, p = 0; p < frame.length; i += GAIN_STRIDE, p += 3 * GAIN_STRIDE) {
    if (covered !== null && covered[i] === 1) continue;
    const r = frame[p] as number;
    const g = frame[p + 1] as number;
    const b = frame[p + 2] as number;
    if (r >= SATURATED || g >= SATURATED || b >= SATURATED) continue;
    const below = (background[p] as number) + (background[p + 1] as number) + (background[p + 2] as number);
    if (below < MIN_GAIN_SUM) continue;
    ratios[count++] = (r + g + b) / below;
  }
  if (count === 0) return 1;
  return kthSmallest(ratios, count, count >> 1);
}

/** Room for the samples of `exposureGain` on frames of `length` bytes. */
export function gainSamples(length: number): Float32Array {
  return new Float32Array(Math.ceil(length / 3 / GAIN_STRIDE));
}

/** The frames the starting median uses: at most `medianFrames`, evenly spaced from the first. */
export function medianSample<T>(frames: readonly T[], options: BackgroundOptions = BACKGROUND_DEFAULTS): T[] {
  const stride = Math.max(1, Math.ceil(frames.length / options.medianFrames));
  return frames.filter((_, i) => i % stride === 0);
}

/**
 * Median of the bytes at offset p of `frames`. Only the smaller half (⌊n/2⌋ + 1 values) decides it:
 * those are kept sorted in `smallest` (room for them) as the column is read, and a value above them
 * all is dropped at once; insertion-sorting the whole column cost a third more on noisy frames.
 */
export function columnMedian(frames: readonly Uint8Array[], p: number, smallest: Uint8Array): number {
  const count = frames.length;
  const mid = count >> 1;
  let kept = 0;
  for (let k = 0; k < count; k++) {
    const value = (frames[k] as Uint8Array)[p] as number;
    let j: number;
    if (kept <= mid) j = kept++ - 1;
    else if (value >= (smallest[mid] as number)) continue;
    else j = mid - 1;
    while (j >= 0 && (smallest[j] as number) > value) {
      smallest[j + 1] = smallest[j] as number;
      j--;
    }
    smallest[j + 1] = value;
  }
  return count % 2 === 1 ? (smallest[mid] as number) : ((smallest[mid - 1] as number) + (smallest[mid] as number)) / 2;
}

/** Moves the background at offset p `rate` of the way towards the pixel (r, g, b) brought to its exposure (× `inverse`). */
function pullTowards(bg: Float32Array, p: number, r: number, g: number, b: number, inverse: number, rate: number): void {
  const br = bg[p] as number;
  const bgG = bg[p + 1] as number;
  const bb = bg[p + 2] as number;
  bg[p] = br + rate * (r * inverse - br);
  bg[p + 1] = bgG + rate * (g * inverse - bgG);
  bg[p + 2] = bb + rate * (b * inverse - bb);
}

/**
 * `BackgroundModel.update` at one pixel (offset p, index i) unless it may look unveiled (every
 * channel more than 8 levels below the background: listed in `candidates` for the rest of the test).
 * A pixel with a channel at `clipped` or above is not learnt. Returns the new count of candidates.
 */
function learnPixel(
  bg: Float32Array, p: number, r: number, g: number, b: number, covered: number,
  inverse: number, rate: number, clipped: number, candidates: Int32Array, count: number, i: number,
): number {
  const br = bg[p] as number;
  const bgG = bg[p + 1] as number;
  const bb = bg[p + 2] as number;
  const dr = r * inverse - br;
  const dg = g * inverse - bgG;
  const db = b * inverse - bb;
  // Only a veil strong enough to make foreground matters: it moves every channel by about the same,
  // so at least 8 levels for the weakest foreground (a distance of 24 over three channels). Tested
  // under detected objects too: a still unveiled patch can itself look like a disc.
  if (dr < -8 && dg < -8 && db < -8) {
    candidates[count] = i;
    return count + 1;
  }
  if (covered !== 1 && r < clipped && g < clipped && b < clipped) {
    bg[p] = br + rate * dr;
    bg[p + 1] = bgG + rate * dg;
    bg[p + 2] = bb + rate * db;
  }
  return count;
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
  /** Per pixel, how many frames in a row it has looked unveiled under an object (see coveredUnveilFrames). */
  private readonly coveredVeilStreak: Uint8Array;
  /** The pixels whose streak is not 0: the first `streakingCount` entries. */
  private readonly streaking: Int32Array;
  private streakingCount = 0;
  /** The veil candidates of the frame in `update` (pixel indices), and the streak each is to have. */
  private readonly veilCandidates: Int32Array;
  private readonly candidateRuns: Uint8Array;

  private constructor(rgb: Float32Array, noiseSigma: number) {
    this.rgb = rgb;
    this.noiseSigma = noiseSigma;
    const pixels = rgb.length / 3;
    this.coveredVeilStreak = new Uint8Array(pixels);
    this.streaking = new Int32Array(pixels);
    this.veilCandidates = new Int32Array(pixels);
    this.candidateRuns = new Uint8Array(pixels);
  }

  /** Builds the starting background from RGB24 frames of one size (at least one). */
  static fromFrames(frames: readonly Uint8Array[], options: BackgroundOptions = BACKGROUND_DEFAULTS): BackgroundModel {
    const first = frames[0];
    if (first === undefined) throw new RangeError('BackgroundModel.fromFrames needs at least one frame');
    const picked = medianSample(frames, options);
    // A flickering exposure would make half the frames outliers and inflate the noise: bring every
    // frame to the exposure of the first median, then take the median again.
    // The rough median only feeds exposureGain, which reads every GAIN_STRIDE-th pixel: only those are computed.
    const rough = BackgroundModel.median(picked, GAIN_STRIDE);
    const ratios = gainSamples(first.length);
    const chosen = picked.map((frame) => {
      const gain = exposureGain(frame, rough, null, ratios);
      // min(255, round(v / gain)) for each of the 256 values once, then looked up per byte.
      const levelOf = Uint8Array.from({ length: 256 }, (_, v) => Math.min(255, Math.round(v / gain)));
      const level = new Uint8Array(frame.length);
      for (let p = 0; p < frame.length; p++) level[p] = levelOf[frame[p] as number] as number;
      return level;
    });
    const rgb = BackgroundModel.median(chosen);
    return new BackgroundModel(rgb, BackgroundModel.estimateNoise(chosen, rgb));
  }

  /** Per-channel median of RGB frames of one size, at every `pixelStride`-th pixel (the others are left 0). */
  private static median(frames: readonly Uint8Array[], pixelStride = 1): Float32Array {
    const length = (frames[0] as Uint8Array).length;
    const rgb = new Float32Array(length);
    const smallest = new Uint8Array((frames.length >> 1) + 1);
    for (let pixel = 0; 3 * pixel < length; pixel += pixelStride) {
      for (let p = 3 * pixel; p < 3 * pixel + 3; p++) rgb[p] = columnMedian(frames, p, smallest);
    }
    return rgb;
  }

  /**
   * The background as it looks under exposure `gain`, into `out` (clipped at 255 like the frame); the
   * model itself, not to be written, when the gain moves no value by more than half a grey level.
   */
  scaledInto(gain: number, out: Float32Array): Float32Array {
    const rgb = this.rgb;
    if (Math.abs(gain - 1) * 255 < UNSCALED_GREY) return rgb;
    for (let p = 0, length = out.length; p < length; p++) {
      const scaled = (rgb[p] as number) * gain;
      out[p] = scaled > 255 ? 255 : scaled;
    }
    return out;
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

  /**
   * Moves every pixel outside `covered` (1 = part of a detected object) towards the frame brought
   * back to the background's exposure (divided by `gain`, see exposureGain).
   */
  update(frame: Uint8Array, covered: Uint8Array, gain = 1, options: BackgroundOptions = BACKGROUND_DEFAULTS): void {
    const bg = this.rgb;
    const inverse = 1 / gain;
    const rate = options.learningRate;
    // A clipped pixel divided by the gain reads darker than the scene is: it teaches nothing. Unscaled, no value reaches 256.
    const clipped = gain !== 1 ? SATURATED : 256;
    const pixels = covered.length;
    const candidates = this.veilCandidates;
    let count = 0;
    // One pass over every pixel of every frame, four pixels (three words of RGB, one of flags) at a time.
    const words = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const flags = new DataView(covered.buffer, covered.byteOffset, covered.byteLength);
    const whole = pixels - (pixels % 4);
    let i = 0;
    for (let p = 0; i < whole; i += 4, p += 12) {
      const first = words.getUint32(p, true);
      const second = words.getUint32(p + 4, true);
      const third = words.getUint32(p + 8, true);
      const four = flags.getUint32(i, true);
      count = learnPixel(bg, p, first & 255, (first >>> 8) & 255, (first >>> 16) & 255, four & 255, inverse, rate, clipped, candidates, count, i);
      count = learnPixel(bg, p + 3, first >>> 24, second & 255, (second >>> 8) & 255, (four >>> 8) & 255, inverse, rate, clipped, candidates, count, i + 1);
      count = learnPixel(bg, p + 6, (second >>> 16) & 255, second >>> 24, third & 255, (four >>> 16) & 255, inverse, rate, clipped, candidates, count, i + 2);
      count = learnPixel(bg, p + 9, (third >>> 8) & 255, (third >>> 16) & 255, third >>> 24, four >>> 24, inverse, rate, clipped, candidates, count, i + 3);
    }
    for (let p = 3 * i; i < pixels; i++, p += 3) {
      count = learnPixel(bg, p, frame[p]!, frame[p + 1]!, frame[p + 2]!, covered[i]!, inverse, rate, clipped, candidates, count, i);
    }
    this.unveilCandidates(frame, covered, count, inverse, clipped, options);
    if (this.previous === null) this.previous = frame.slice();
    else this.previous.set(frame);
  }

  /**
   * The rest of `update` for its `count` candidates: pixels whose every channel lies more than 8
   * levels below the background, the only ones that can look unveiled. Each is unveiled, or learnt
   * like any other pixel; the streaks of all other pixels end.
   */
  private unveilCandidates(frame: Uint8Array, covered: Uint8Array, count: number, inverse: number, clipped: number, options: BackgroundOptions): void {
    const bg = this.rgb;
    const candidates = this.veilCandidates;
    const runs = this.candidateRuns;
    const previous = this.previous ?? frame;
    const still = options.stillDelta;
    const hold = Math.min(254, options.coveredUnveilFrames);
    const streak = hold > 0 ? this.coveredVeilStreak : null;
    for (let k = 0; k < count; k++) {
      const i = candidates[k] as number;
      const p = 3 * i;
      const r = frame[p] as number;
      const g = frame[p + 1] as number;
      const b = frame[p + 2] as number;
      let unveiled =
        Math.abs(r - (previous[p] as number)) <= still &&
        Math.abs(g - (previous[p + 1] as number)) <= still &&
        Math.abs(b - (previous[p + 2] as number)) <= still &&
        isWhiteVeil(bg, frame, p, options.veilSpread, options.veilMaxOpacity, options.veilMinOpacity);
      if (streak !== null) {
        const run = unveiled && covered[i] === 1 ? (streak[i] as number) + 1 : 0;
        runs[k] = Math.min(255, run);
        if (run > 0 && run <= hold) unveiled = false;
      }
      if (unveiled) pullTowards(bg, p, r, g, b, inverse, options.unveilRate);
      else if (covered[i] !== 1 && r < clipped && g < clipped && b < clipped) pullTowards(bg, p, r, g, b, inverse, options.learningRate);
    }
    if (streak !== null) this.restartStreaks(count);
  }

  /** Ends every streak, then sets the candidates' new ones (`candidateRuns`): only listed pixels hold a streak, so only they are cleared. */
  private restartStreaks(count: number): void {
    const streak = this.coveredVeilStreak;
    const candidates = this.veilCandidates;
    const runs = this.candidateRuns;
    const streaking = this.streaking;
    for (let k = 0; k < this.streakingCount; k++) streak[streaking[k] as number] = 0;
    let listed = 0;
    for (let k = 0; k < count; k++) {
      const run = runs[k] as number;
      if (run === 0) continue;
      const i = candidates[k] as number;
      streak[i] = run;
      streaking[listed++] = i;
    }
    this.streakingCount = listed;
  }

  /**
   * Takes the frame (brought back to the background's exposure) at once for the pixels of the given
   * regions: ghosts, where the model still holds an object the scene no longer shows.
   */
  adopt(frame: Uint8Array, gain: number, labels: Int32Array, width: number, regions: readonly LabelledRegion[]): void {
    const inverse = 1 / gain;
    for (const region of regions) {
      for (let y = region.minY; y <= region.maxY; y++) {
        for (let i = y * width + region.minX, end = y * width + region.maxX; i <= end; i++) {
          if (labels[i] !== region.label) continue;
          for (let k = 3 * i; k < 3 * i + 3; k++) this.rgb[k] = (frame[k] as number) * inverse;
        }
      }
    }
  }
}
