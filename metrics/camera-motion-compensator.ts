import { alignFrame, estimateShift, greyPyramid, isNegligibleShift, reductionFactor, STILL, type GreyPyramid, type ShiftEstimate } from './camera-motion.js';

/** The background model learns at 3% a frame: its reduced grey image is refreshed this often, not every frame. */
const BACKGROUND_REFRESH_FRAMES = 8;

/** What the trajectory metric reports of the camera's motion. */
export interface CameraMotionSummary {
  /** RMS over frames of the camera offset about its mean (2-D), video px; 0 for a still camera. */
  cameraShakePxRms: number;
  /** True when at least one frame was moved back into the background's coordinates. */
  cameraCompensated: boolean;
}

/**
 * Removes a shaking camera's motion before background subtraction: each frame's translation against
 * the background model is estimated at reduced size, and the frame is resampled into the background's
 * coordinates (those of the first frame), so objects are measured in the scene, not in the image.
 * Frames with a negligible shift are passed through untouched: a still camera gives what it gave before.
 */
export class CameraCompensator {
  private readonly width: number;
  private readonly height: number;
  private readonly factor: number;
  private previous: ShiftEstimate = STILL;
  private readonly offsetsPx: Array<[number, number]> = [];
  private compensated = false;
  private readonly aligned: Uint8Array;
  /** The background's pyramid, rebuilt every `BACKGROUND_REFRESH_FRAMES` frames: the model changes slowly. */
  private backgroundPyramid: GreyPyramid | null = null;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.factor = reductionFactor(width);
    this.aligned = new Uint8Array(width * height * 3);
  }

  /**
   * The warm-up frames brought into the first one's coordinates (edges extended), for the starting
   * background; the same frames when the camera is still.
   */
  alignWarmup(frames: readonly Uint8Array[]): Uint8Array[] {
    const first = frames[0];
    if (first === undefined) return [];
    const reference = this.pyramid(first);
    let previous = STILL;
    return frames.map((rgb) => {
      const shift = estimateShift(reference, this.pyramid(rgb), previous);
      previous = shift;
      return isNegligibleShift(shift) ? rgb : alignFrame(rgb, this.width, this.height, shift, null, new Uint8Array(rgb.length));
    });
  }

  /**
   * The frame in the coordinates of `backgroundRgb` (its pixels fill what the camera's motion uncovers),
   * or `rgb` itself when the shift is negligible. The returned buffer is reused by the next call.
   */
  align(rgb: Uint8Array, backgroundRgb: Float32Array): Uint8Array {
    if (this.backgroundPyramid === null || this.offsetsPx.length % BACKGROUND_REFRESH_FRAMES === 0) this.backgroundPyramid = this.pyramid(backgroundRgb);
    const shift = estimateShift(this.backgroundPyramid, this.pyramid(rgb), this.previous);
    this.previous = shift;
    this.offsetsPx.push([shift.dxPx, shift.dyPx]);
    if (isNegligibleShift(shift)) return rgb;
    this.compensated = true;
    return alignFrame(rgb, this.width, this.height, shift, backgroundRgb, this.aligned);
  }

  /** The camera's motion over the frames seen so far, in video px (`analysisScale`: analysis px per video px). */
  summary(analysisScale: number): CameraMotionSummary {
    const n = this.offsetsPx.length;
    if (n === 0) return { cameraShakePxRms: 0, cameraCompensated: false };
    const meanX = this.offsetsPx.reduce((sum, [dx]) => sum + dx, 0) / n;
    const meanY = this.offsetsPx.reduce((sum, [, dy]) => sum + dy, 0) / n;
    const meanSquare = this.offsetsPx.reduce((sum, [dx, dy]) => sum + (dx - meanX) ** 2 + (dy - meanY) ** 2, 0) / n;
    return { cameraShakePxRms: Math.sqrt(meanSquare) / analysisScale, cameraCompensated: this.compensated };
  }

  private pyramid(rgb: Uint8Array | Float32Array): GreyPyramid {
    return greyPyramid(rgb, this.width, this.height, this.factor);
  }
}
