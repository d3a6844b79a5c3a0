import type { PointTracks } from './cloth-measures.js';
import type { OpenCv } from './opencv.js';

/** Defaults of the feature tracker, in one place. */
export const POINT_TRACKER_DEFAULTS = {
  /** Points followed at once; new corners are only sought while fewer are alive. */
  maxAlivePoints: 400,
  /** Points ever started in one clip: bounds memory to frames × this many positions. */
  maxTotalPoints: 1600,
  /** Shi-Tomasi: a corner's smaller eigenvalue must reach this fraction of the best corner's. */
  qualityLevel: 0.01,
  /** Shi-Tomasi: corners at least this far apart, px. */
  minDistancePx: 3,
  /** Shi-Tomasi: side of the window the gradient covariance is summed over, px. */
  blockSizePx: 3,
  /** Lucas-Kanade: side of the search window at each pyramid level, px. */
  windowPx: 13,
  /** Lucas-Kanade: pyramid levels above the full frame (each halves it), for steps up to ~2^levels × window/2. */
  pyramidLevels: 3,
  /** A point is kept when tracking it back from the new frame lands within this of where it was, px. */
  maxForwardBackwardPx: 0.5,
  /** New corners are sought every this many frames, away from the points still alive. */
  reseedEveryFrames: 4,
  /**
   * A point the pyramid loses right after a step shorter than this, px (at rest: a patch that jumps
   * from rest is what a tracker must not lose; a point lost in motion, on a rippling flag, is left
   * lost, as a search there finds look-alikes of a repeating texture as often as the point)...
   */
  searchMaxRestStepPx: 0.5,
  /**
   * ...is sought again by template matching (its window in the previous frame) this far around where
   * it was, px: a patch that jumps most of a texture period in one frame is beyond Lucas-Kanade's
   * reach (its coarse levels blur the texture away), not beyond a search.
   */
  searchRadiusPx: 16,
  /** ...with a window this wide, px: smaller than Lucas-Kanade's, so a point near a popped patch's rim matches on the patch alone. */
  searchWindowPx: 9,
  /** ...taken when the best match's normalised squared difference is at most this... */
  maxMatchDifference: 0.15,
  /** ...and at most this fraction of the best one farther than a window's half-width from it (a unique match, not a look-alike of a repeating texture). */
  maxMatchAmbiguity: 0.5,
} as const;

export type PointTrackerOptions = { [K in keyof typeof POINT_TRACKER_DEFAULTS]: number };

/**
 * Follows corners through a clip: Shi-Tomasi corners (Shi & Tomasi 1994, OpenCV goodFeaturesToTrack)
 * on the first frame and again every few frames where no point is alive, pyramidal Lucas-Kanade
 * (Bouguet 2000, OpenCV calcOpticalFlowPyrLK) from frame to frame, and a forward-backward check
 * (Kalal et al. 2010): a point tracked forward and then back must return to where it was, else it is
 * lost for good. Keeps only the previous frame and the positions (frames × points ever started).
 */
export class PointTracker {
  private readonly options: PointTrackerOptions;
  private previous: { data: Uint8Array; width: number; height: number } | null = null;
  /** Positions per frame, x and y interleaved, for the points started by then; NaN once lost. */
  private readonly rows: Float32Array[] = [];
  /** Frame each point was started at. */
  private readonly startFrames: number[] = [];
  /** Ids of the points still alive and their positions in the previous frame. */
  private alive: number[] = [];
  private aliveXy: Float32Array = new Float32Array(0);

  constructor(
    private readonly cv: OpenCv,
    options: Partial<PointTrackerOptions> = {},
  ) {
    this.options = { ...POINT_TRACKER_DEFAULTS, ...options };
  }

  /** Adds the next grey frame (row-major, one byte per pixel). */
  push(gray: Uint8Array, width: number, height: number): void {
    const k = this.rows.length;
    if (this.previous !== null && this.alive.length > 0) this.follow(gray, width, height);
    const o = this.options;
    if ((k % o.reseedEveryFrames === 0 || this.alive.length === 0) && this.alive.length < o.maxAlivePoints && this.startFrames.length < o.maxTotalPoints) {
      this.seed(gray, width, height, k);
    }
    const row = new Float32Array(2 * this.startFrames.length).fill(NaN);
    this.alive.forEach((id, n) => {
      row[2 * id] = this.aliveXy[2 * n] as number;
      row[2 * id + 1] = this.aliveXy[2 * n + 1] as number;
    });
    this.rows.push(row);
    this.previous = { data: gray, width, height };
  }

  /** Every position so far as dense tracks, plus the frame each point was started at. */
  tracks(): PointTracks & { startFrames: number[] } {
    const count = this.startFrames.length;
    const frameCount = this.rows.length;
    const xs = new Float32Array(count * frameCount).fill(NaN);
    const ys = new Float32Array(count * frameCount).fill(NaN);
    this.rows.forEach((row, k) => {
      for (let i = 0; i < row.length / 2; i += 1) {
        xs[k * count + i] = row[2 * i] as number;
        ys[k * count + i] = row[2 * i + 1] as number;
      }
    });
    return { count, frameCount, xs, ys, startFrames: [...this.startFrames] };
  }

  private follow(gray: Uint8Array, width: number, height: number): void {
    const { cv } = this;
    const o = this.options;
    const previous = this.previous as { data: Uint8Array; width: number; height: number };
    const before = cv.matFromArray(previous.height, previous.width, cv.CV_8UC1, previous.data);
    const after = cv.matFromArray(height, width, cv.CV_8UC1, gray);
    const from = cv.matFromArray(this.alive.length, 1, cv.CV_32FC2, this.aliveXy);
    const to = new cv.Mat();
    const back = new cv.Mat();
    const status = new cv.Mat();
    const backStatus = new cv.Mat();
    const error = new cv.Mat();
    const window = new cv.Size(o.windowPx, o.windowPx);
    const criteria = new cv.TermCriteria(cv.TermCriteria_COUNT + cv.TermCriteria_EPS, 30, 0.01);
    try {
      cv.calcOpticalFlowPyrLK(before, after, from, to, status, error, window, o.pyramidLevels, criteria);
      cv.calcOpticalFlowPyrLK(after, before, to, back, backStatus, error, window, o.pyramidLevels, criteria);
      const kept: number[] = [];
      const keptXy: number[] = [];
      this.alive.forEach((id, n) => {
        const x = to.data32F[2 * n] as number;
        const y = to.data32F[2 * n + 1] as number;
        const returnPx = Math.hypot((back.data32F[2 * n] as number) - (this.aliveXy[2 * n] as number), (back.data32F[2 * n + 1] as number) - (this.aliveXy[2 * n + 1] as number));
        const inside = x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1;
        const fromX = this.aliveXy[2 * n] as number;
        const fromY = this.aliveXy[2 * n + 1] as number;
        const followed = status.data[n] === 1 && backStatus.data[n] === 1 && inside && returnPx <= o.maxForwardBackwardPx;
        const found = followed ? { x, y } : this.wasAtRest(id, fromX, fromY) ? this.search(before, after, fromX, fromY) : null;
        if (found !== null) {
          kept.push(id);
          keptXy.push(found.x, found.y);
        }
      });
      this.alive = kept;
      this.aliveXy = Float32Array.from(keptXy);
    } finally {
      for (const mat of [before, after, from, to, back, status, backStatus, error]) mat.delete();
    }
  }

  /** Whether point `id`, now at (x, y), stepped less than searchMaxRestStepPx into the previous frame (false when it was not tracked the frame before). */
  private wasAtRest(id: number, x: number, y: number): boolean {
    const earlier = this.rows[this.rows.length - 2];
    const earlierX = earlier?.[2 * id];
    const earlierY = earlier?.[2 * id + 1];
    if (earlierX === undefined || earlierY === undefined || Number.isNaN(earlierX) || Number.isNaN(earlierY)) return false;
    return Math.hypot(x - earlierX, y - earlierY) < this.options.searchMaxRestStepPx;
  }

  /**
   * Where the window around (x, y) in `before` is in `after`, by template matching (OpenCV
   * matchTemplate, normalised squared difference) within searchRadiusPx; null when the window leaves
   * the frame or the best match is poor or not unique. Whole pixels: a jump this far is no sub-pixel matter.
   */
  private search(before: InstanceType<OpenCv['Mat']>, after: InstanceType<OpenCv['Mat']>, x: number, y: number): { x: number; y: number } | null {
    const { cv } = this;
    const o = this.options;
    const side = o.searchWindowPx;
    const half = Math.floor(side / 2);
    const left = Math.round(x) - half;
    const top = Math.round(y) - half;
    const reach = o.searchRadiusPx;
    if (left - reach < 0 || top - reach < 0 || left + side + reach > before.cols || top + side + reach > before.rows) return null;
    const template = before.roi(new cv.Rect(left, top, side, side));
    const area = after.roi(new cv.Rect(left - reach, top - reach, side + 2 * reach, side + 2 * reach));
    const scores = new cv.Mat();
    try {
      cv.matchTemplate(area, template, scores, cv.TM_SQDIFF_NORMED);
      const at = (r: number, c: number): number => scores.data32F[r * scores.cols + c] as number;
      let best = { score: Infinity, row: 0, col: 0 };
      for (let r = 0; r < scores.rows; r += 1) for (let c = 0; c < scores.cols; c += 1) if (at(r, c) < best.score) best = { score: at(r, c), row: r, col: c };
      if (best.score > o.maxMatchDifference) return null;
      // The best score away from the best match: a repeating texture offers look-alikes.
      let rival = Infinity;
      for (let r = 0; r < scores.rows; r += 1) for (let c = 0; c < scores.cols; c += 1) if (Math.max(Math.abs(r - best.row), Math.abs(c - best.col)) > half) rival = Math.min(rival, at(r, c));
      if (best.score > o.maxMatchAmbiguity * rival) return null;
      return { x: x + best.col - reach, y: y + best.row - reach };
    } finally {
      template.delete();
      area.delete();
      scores.delete();
    }
  }

  /** Starts new points at Shi-Tomasi corners at least the minimum distance from every alive point. */
  private seed(gray: Uint8Array, width: number, height: number, k: number): void {
    const { cv } = this;
    const o = this.options;
    const wanted = Math.min(o.maxAlivePoints - this.alive.length, o.maxTotalPoints - this.startFrames.length);
    if (wanted <= 0) return;
    const image = cv.matFromArray(height, width, cv.CV_8UC1, gray);
    const mask = new cv.Mat(height, width, cv.CV_8UC1, new cv.Scalar(255));
    const corners = new cv.Mat();
    try {
      for (let n = 0; n < this.alive.length; n += 1) {
        cv.circle(mask, new cv.Point(this.aliveXy[2 * n] as number, this.aliveXy[2 * n + 1] as number), o.minDistancePx, new cv.Scalar(0), -1);
      }
      cv.goodFeaturesToTrack(image, corners, wanted, o.qualityLevel, o.minDistancePx, mask, o.blockSizePx);
      const xy = Array.from(this.aliveXy);
      for (let n = 0; n < corners.rows; n += 1) {
        this.alive.push(this.startFrames.length);
        this.startFrames.push(k);
        xy.push(corners.data32F[2 * n] as number, corners.data32F[2 * n + 1] as number);
      }
      this.aliveXy = Float32Array.from(xy);
    } finally {
      image.delete();
      mask.delete();
      corners.delete();
    }
  }
}
