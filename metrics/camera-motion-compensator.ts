import { alignFrame, estimateShift, greyPyramid, isNegligibleShift, isUnreliableShift, medianPyramid, reductionFactor, STILL, type GreyPyramid, type ShiftEstimate } from './camera-motion.js';

/**
 * After this many frames in a row with a quiet shift the camera is taken as still and only every
 * `STILL_CHECK_EVERY`th frame is estimated (a still clip then pays an eighth of the cost); the first
 * shift that is not quiet brings back the estimate of every frame. Quiet is negligible (see
 * isNegligibleShift) once the camera is seen to move; before that, below `MOVING_SHIFT_PX`, since only
 * such shifts can start a run that shows a moving camera: a still camera's estimates stray by a few
 * hundredths of a pixel after a ball's trace in the background, and estimating every frame for them
 * took a third of the trajectory's CPU on a 10 s 720p clip. A shake that starts mid-clip goes
 * unremoved for at most `STILL_CHECK_EVERY` + `MOVING_FRAMES` frames.
 */
const STILL_AFTER_FRAMES = 15;
const STILL_CHECK_EVERY = 8;

/** The camera moves once this many trusted estimates in a row are at least `MOVING_SHIFT_PX` (analysis px) off. */
const MOVING_FRAMES = 4;
const MOVING_SHIFT_PX = 0.2;

/** The background model learns at 3% a frame: its reduced grey image is refreshed this often, not every frame. */
const BACKGROUND_REFRESH_FRAMES = 8;

/** What the trajectory metric reports of the camera's motion. */
export interface CameraMotionSummary {
  /** RMS over frames of the camera offset about its mean (2-D), video px; 0 for a still camera. */
  cameraShakePxRms: number;
  /** True when the camera was seen to move, so frames were moved back into the background's coordinates. */
  cameraCompensated: boolean;
}

/**
 * Removes a shaking camera's motion before background subtraction: each frame's translation against
 * the background model is estimated at reduced size, and the frame is resampled into the background's
 * coordinates (those of the warm-up's median), so objects are measured in the scene, not in the image.
 * Until the camera is seen to move (see `observe`), and after that whenever the shift is negligible, frames pass
 * through untouched: a still camera gives what it gave before.
 */
export class CameraCompensator {
  private readonly width: number;
  private readonly height: number;
  private readonly factor: number;
  private previous: ShiftEstimate = STILL;
  private readonly offsetsPx: Array<[number, number]> = [];
  /** Set once the camera is seen to move (see `observe`); frames are resampled only from then on. */
  private moving = false;
  /** Trusted estimates in a row at or above `MOVING_SHIFT_PX`. */
  private movingRun = 0;
  private readonly aligned: Uint8Array;
  /** The background's pyramid, rebuilt every `BACKGROUND_REFRESH_FRAMES` frames: the model changes slowly. */
  private backgroundPyramid: GreyPyramid | null = null;
  /** Frames in a row whose shift was negligible. */
  private stillRun = 0;
  /** Frames seen by `align`. */
  private framesSeen = 0;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.factor = reductionFactor(width);
    this.aligned = new Uint8Array(width * height * 3);
  }

  /**
   * The warm-up frames brought into common coordinates (edges extended), for the starting background:
   * those of their per-pixel median, where a shaking camera spends most time and no ball stays. The
   * same frames when the camera is not seen to move.
   */
  alignWarmup(frames: readonly Uint8Array[]): Uint8Array[] {
    if (frames.length === 0) return [];
    const pyramids = frames.map((rgb) => this.pyramid(rgb));
    const reference = medianPyramid(pyramids);
    let previous = STILL;
    const shifts = pyramids.map((pyramid) => (previous = estimateShift(reference, pyramid, previous)));
    for (const shift of shifts) this.observe(shift);
    if (!this.moving) return [...frames];
    return frames.map((rgb, k) => {
      const shift = shifts[k] ?? STILL;
      return isNegligibleShift(shift) || isUnreliableShift(shift) ? rgb : alignFrame(rgb, this.width, this.height, shift, null, new Uint8Array(rgb.length));
    });
  }

  /**
   * The frame in the coordinates of `backgroundRgb` (its pixels fill what the camera's motion uncovers),
   * or `rgb` itself when the camera is still or the shift negligible. The returned buffer is reused by the next call.
   */
  align(rgb: Uint8Array, backgroundRgb: Float32Array): Uint8Array {
    const frame = this.framesSeen++;
    if (this.stillRun >= STILL_AFTER_FRAMES && frame % STILL_CHECK_EVERY !== 0) return rgb;
    if (this.backgroundPyramid === null || frame % BACKGROUND_REFRESH_FRAMES === 0) this.backgroundPyramid = this.pyramid(backgroundRgb);
    const shift = estimateShift(this.backgroundPyramid, this.pyramid(rgb), this.previous);
    this.observe(shift);
    if (!this.moving || isNegligibleShift(shift) || isUnreliableShift(shift)) return rgb;
    return alignFrame(rgb, this.width, this.height, shift, backgroundRgb, this.aligned);
  }

  /** The camera's motion over the frames estimated so far, in video px (`analysisScale`: analysis px per video px). */
  summary(analysisScale: number): CameraMotionSummary {
    const n = this.offsetsPx.length;
    if (n === 0) return { cameraShakePxRms: 0, cameraCompensated: false };
    const meanX = this.offsetsPx.reduce((sum, [dx]) => sum + dx, 0) / n;
    const meanY = this.offsetsPx.reduce((sum, [, dy]) => sum + dy, 0) / n;
    const meanSquare = this.offsetsPx.reduce((sum, [dx, dy]) => sum + (dx - meanX) ** 2 + (dy - meanY) ** 2, 0) / n;
    return { cameraShakePxRms: Math.sqrt(meanSquare) / analysisScale, cameraCompensated: this.moving };
  }

  /**
   * Records a trusted estimate and decides whether the camera moves: `MOVING_FRAMES` trusted shifts in a
   * row of at least `MOVING_SHIFT_PX`. A still camera's estimates stray by a few hundredths of a pixel,
   * now and then a tenth (a ball across the texture, a vanishing object), and a flickering exposure
   * clips the wall in every other frame (an untrusted estimate, which breaks the run).
   */
  private observe(shift: ShiftEstimate): void {
    if (isUnreliableShift(shift)) {
      this.movingRun = 0;
      this.stillRun = 0;
      return;
    }
    this.previous = shift;
    this.offsetsPx.push([shift.dxPx, shift.dyPx]);
    const size = Math.hypot(shift.dxPx, shift.dyPx);
    const quiet = this.moving ? isNegligibleShift(shift) : size < MOVING_SHIFT_PX;
    this.stillRun = quiet ? this.stillRun + 1 : 0;
    this.movingRun = size >= MOVING_SHIFT_PX ? this.movingRun + 1 : 0;
    if (this.movingRun >= MOVING_FRAMES) this.moving = true;
  }

  private pyramid(rgb: Uint8Array | Float32Array): GreyPyramid {
    return greyPyramid(rgb, this.width, this.height, this.factor);
  }
}
