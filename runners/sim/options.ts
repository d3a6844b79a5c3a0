import type { Prompt } from '../../prompts/schema.js';
import type { Rgb } from './color.js';
import { SimError } from './errors.js';
import type { DefectCode } from './truth.js';

export interface DefectRequest {
  code: DefectCode;
  /** The defect's strength; `DEFECTS[code].defaultValue` when absent. */
  value?: number;
  /** What it acts on when not the whole scene: `droplets`, gravity-off on a splash's droplets only (the ball falls right). Splash scenes only. */
  target?: 'droplets';
}

export interface SimOptions {
  /** Frame size; when only one is given the other follows the prompt's aspect ratio. */
  width?: number;
  height?: number;
  fps?: number;
  /** Seeds the sensor noise, texture and watermark path. */
  seed?: number;
  crf?: number;
  /** Standard deviation of the Gaussian sensor noise, grey levels (0: none). */
  noiseSigma?: number;
  texture?: boolean;
  watermark?: boolean;
  /**
   * Adds the impact soundtrack. On by default for every ball scene, whatever the prompt's
   * `audibleImpacts` says: that field is what a metric may demand of a generated clip, while the
   * simulator's clips serve to validate the audio metrics too.
   */
  audio?: boolean;
  /** Length of the clip; the prompt's `durationS` when absent. */
  durationS?: number;
  defect?: DefectRequest | null;
  /**
   * Hand-held camera shake: RMS of the camera offset along each axis, frame px (0: a still camera).
   * Ball scenes only; see `cameraShakeOffsets`.
   */
  shakePx?: number;
  /**
   * Slow lighting change: the scene's exposure grows linearly from ×1 on the first frame to
   * ×(1 + lightingRamp) on the last (negative: it dims; above −1). Ball scenes only.
   */
  lightingRamp?: number;
  /** Draws every ball in this colour instead of the prompt's (a ball close to the wall's colour tests low contrast). Ball scenes only. */
  ballColorRgb?: Rgb;
}

/** Defaults of `SimOptions`, in one place. */
export const SIM_DEFAULTS = {
  /** Long side of the frame when neither width nor height is given. */
  longSidePx: 640,
  fps: 30,
  seed: 1,
  crf: 23,
  noiseSigma: 2,
  texture: true,
  watermark: true,
  audio: true,
  audioSampleRate: 48_000,
  shakePx: 0,
  lightingRamp: 0,
} as const;

/** Every option resolved to a value. */
export interface ClipSettings {
  width: number;
  height: number;
  fps: number;
  seed: number;
  crf: number;
  noiseSigma: number;
  texture: boolean;
  watermark: boolean;
  audio: boolean;
  /** RMS camera offset per axis, px (0: still). */
  shakePx: number;
  /** Exposure change from the first to the last frame, a share (0: steady light). */
  lightingRamp: number;
  /** Colour every ball is drawn in, or null for the prompt's colours. */
  ballColorRgb: Rgb | null;
  frameCount: number;
  /** frameCount / fps: the clip covers frame times 0 … (frameCount − 1) / fps. */
  durationS: number;
}

const ASPECT: Record<Prompt['aspectRatio'], number> = { '16:9': 16 / 9, '9:16': 9 / 16, '1:1': 1, '4:3': 4 / 3 };

/** Nearest even integer, at least 2: H.264 in yuv420p needs even sizes. */
function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

function frameSize(prompt: Prompt, options: SimOptions): { width: number; height: number } {
  const aspect = ASPECT[prompt.aspectRatio];
  if (options.width !== undefined && options.height !== undefined) return { width: options.width, height: options.height };
  if (options.width !== undefined) return { width: options.width, height: even(options.width / aspect) };
  if (options.height !== undefined) return { width: even(options.height * aspect), height: options.height };
  const long = SIM_DEFAULTS.longSidePx;
  return aspect >= 1 ? { width: long, height: even(long / aspect) } : { width: even(long * aspect), height: long };
}

/** Resolves the options against the prompt and checks them; bad values are `invalid-option` errors. */
export function resolveSettings(prompt: Prompt, options: SimOptions = {}): ClipSettings {
  const { width, height } = frameSize(prompt, options);
  const fps = options.fps ?? SIM_DEFAULTS.fps;
  const requestedS = options.durationS ?? prompt.durationS;
  const problem = (what: string): SimError => new SimError('invalid-option', prompt.id, what);
  for (const [name, size] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(size) || size < 16 || size % 2 !== 0) throw problem(`${name} ${size} must be an even integer of at least 16 px`);
  }
  if (!(Number.isFinite(fps) && fps > 0)) throw problem(`fps ${fps} must be a positive number`);
  if (!(Number.isFinite(requestedS) && requestedS > 0)) throw problem(`durationS ${requestedS} must be a positive number`);
  const noiseSigma = options.noiseSigma ?? SIM_DEFAULTS.noiseSigma;
  if (!(Number.isFinite(noiseSigma) && noiseSigma >= 0)) throw problem(`noiseSigma ${noiseSigma} must be ≥ 0`);
  const shakePx = options.shakePx ?? SIM_DEFAULTS.shakePx;
  if (!(Number.isFinite(shakePx) && shakePx >= 0)) throw problem(`shakePx ${shakePx} must be ≥ 0`);
  const lightingRamp = options.lightingRamp ?? SIM_DEFAULTS.lightingRamp;
  if (!(Number.isFinite(lightingRamp) && lightingRamp > -1)) throw problem(`lightingRamp ${lightingRamp} must be a number above −1`);
  const ballColorRgb = options.ballColorRgb ?? null;
  if (ballColorRgb !== null && !ballColorRgb.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
    throw problem(`ballColorRgb ${JSON.stringify(ballColorRgb)} must be three integers from 0 to 255`);
  }
  const frameCount = Math.max(1, Math.round(requestedS * fps));
  return {
    width,
    height,
    fps,
    seed: options.seed ?? SIM_DEFAULTS.seed,
    crf: options.crf ?? SIM_DEFAULTS.crf,
    noiseSigma,
    texture: options.texture ?? SIM_DEFAULTS.texture,
    watermark: options.watermark ?? SIM_DEFAULTS.watermark,
    audio: options.audio ?? SIM_DEFAULTS.audio,
    shakePx,
    lightingRamp,
    ballColorRgb,
    frameCount,
    durationS: frameCount / fps,
  };
}
