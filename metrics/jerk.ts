/**
 * Motion smoothness of a tracked path: jerk (the third derivative of position) from finite
 * differences of consecutive sightings, against the jerk that position noise alone would give, and
 * the moments where the acceleration jumps although nothing touches (a ballistic path has constant
 * acceleration between contacts, so its true jerk is zero there).
 */
import { MAD_TO_SIGMA, median } from './robust-stats.js';
import { round } from './rounding.js';

/** Settings of `pathSmoothness`. */
export const JERK_DEFAULTS = {
  /** Sightings count as consecutive when their interval is within this fraction of the median interval. */
  intervalTolerance: 0.25,
  /** A window closer than this many frame intervals to a contact is the contact's, not the flight's. */
  contactMarginFrames: 1.5,
  /** A sighting whose radius departs from the median of its ±5 neighbours by more than this fraction is partly hidden or merged: its centre is not the ball's. */
  maxRadiusDeviation: 0.06,
  /** An acceleration jump is a change of acceleration larger than this many robust standard deviations of all changes... */
  jumpSigmas: 8,
  /** ...and than this many px/s² (sub-pixel noise on a clean clip makes σ tiny). */
  minJumpPxS2: 200,
} as const;

export interface PathSmoothness {
  /** Windows of four consecutive sightings away from contacts that were used. */
  windows: number;
  /** RMS of |(p₃ − 3p₂ + 3p₁ − p₀)| / Δt³ over those windows, px/s³; null without a window. */
  rmsJerkPxS3: number | null;
  /**
   * The RMS jerk white position noise of the arcs' fit residual σ would give: √20·σ / Δt³ (the third
   * difference weighs four independent errors by 1, 3, 3, 1); null without a residual.
   */
  noiseJerkPxS3: number | null;
  /** rmsJerk / noiseJerk: about 1 for a smooth path seen with noise, much more for a jerky one. */
  jerkRatio: number | null;
  /** Times (the middle of the two accelerations compared) where the acceleration jumps away from any contact, s. */
  accelerationJumpsS: number[];
}

/**
 * Smoothness of one path from its sightings `[t, x, y, r]` (s, px), the contact times between which
 * it flies free, and the RMS residual of its fitted arcs (px, the position noise). Windows with a
 * sighting whose radius is off its neighbours' (cut by the frame edge, merged with an overlay) are left out.
 */
export function pathSmoothness(
  track: ReadonlyArray<readonly number[]>,
  contactsS: readonly number[],
  fitRmsPx: number | null,
  options: Partial<typeof JERK_DEFAULTS> = {},
): PathSmoothness {
  const s = { ...JERK_DEFAULTS, ...options };
  const times = track.map((p) => p[0]!);
  const intervals = times.slice(1).map((t, i) => t - times[i]!);
  const dt = intervals.length > 0 ? median(intervals) : 0;
  const empty: PathSmoothness = { windows: 0, rmsJerkPxS3: null, noiseJerkPxS3: null, jerkRatio: null, accelerationJumpsS: [] };
  if (!(dt > 0) || track.length < 4) return empty;
  const radii = track.map((p) => p[3] ?? 0);
  const wholeDisc = radii.map((r, i) => {
    const local = median(radii.slice(Math.max(0, i - 5), i + 6));
    return Math.abs(r - local) <= s.maxRadiusDeviation * local;
  });
  const regular = (i: number): boolean => Math.abs(intervals[i]! - dt) <= s.intervalTolerance * dt && wholeDisc[i]! && wholeDisc[i + 1]!;
  // Gravity only turns a rise into a fall (y grows downwards): a fall turned into a rise is a bounce the contact list missed.
  const bouncesS = track.slice(1, -1).flatMap((p, k) => (p[2]! - track[k]![2]! > 0 && track[k + 2]![2]! - p[2]! < 0 ? [p[0]!] : []));
  const nearContact = (from: number, to: number): boolean =>
    [...contactsS, ...bouncesS].some((c) => c >= times[from]! - s.contactMarginFrames * dt && c <= times[to]! + s.contactMarginFrames * dt);

  let jerkSquares = 0;
  let windows = 0;
  const changes: Array<{ timeS: number; sizePxS2: number }> = [];
  for (let i = 0; i + 3 < track.length; i++) {
    if (!regular(i) || !regular(i + 1) || !regular(i + 2) || nearContact(i, i + 3)) continue;
    const [p0, p1, p2, p3] = [track[i]!, track[i + 1]!, track[i + 2]!, track[i + 3]!];
    const jx = p3[1]! - 3 * p2[1]! + 3 * p1[1]! - p0[1]!;
    const jy = p3[2]! - 3 * p2[2]! + 3 * p1[2]! - p0[2]!;
    const jerkPxS3 = Math.hypot(jx, jy) / dt ** 3;
    jerkSquares += jerkPxS3 * jerkPxS3;
    windows++;
    // The change between the accelerations at sightings i+1 and i+2 is the same third difference, over Δt².
    changes.push({ timeS: (p1[0]! + p2[0]!) / 2, sizePxS2: jerkPxS3 * dt });
  }
  if (windows === 0) return empty;
  const rmsJerkPxS3 = Math.sqrt(jerkSquares / windows);
  const noiseJerkPxS3 = fitRmsPx !== null && fitRmsPx > 0 ? (Math.sqrt(20) * fitRmsPx) / dt ** 3 : null;
  const sizes = changes.map((c) => c.sizePxS2);
  const centre = median(sizes);
  const sigma = MAD_TO_SIGMA * median(sizes.map((v) => Math.abs(v - centre)));
  const limit = Math.max(centre + s.jumpSigmas * sigma, s.minJumpPxS2);
  return {
    windows,
    rmsJerkPxS3: round(rmsJerkPxS3, 1),
    noiseJerkPxS3: noiseJerkPxS3 === null ? null : round(noiseJerkPxS3, 1),
    jerkRatio: noiseJerkPxS3 === null ? null : round(rmsJerkPxS3 / noiseJerkPxS3, 3),
    accelerationJumpsS: mergeEvents(changes.filter((c) => c.sizePxS2 > limit), 3 * dt).map((e) => round(e.timeS, 4)),
  };
}

/** One event per run of changes closer than `gapS` (a single bad sighting disturbs three windows): the largest one. */
function mergeEvents(changes: ReadonlyArray<{ timeS: number; sizePxS2: number }>, gapS: number): Array<{ timeS: number; sizePxS2: number }> {
  const events: Array<{ timeS: number; sizePxS2: number; lastS: number }> = [];
  for (const change of changes) {
    const last = events[events.length - 1];
    if (last !== undefined && change.timeS - last.lastS <= gapS) {
      last.lastS = change.timeS;
      if (change.sizePxS2 > last.sizePxS2) Object.assign(last, { timeS: change.timeS, sizePxS2: change.sizePxS2 });
    } else {
      events.push({ ...change, lastS: change.timeS });
    }
  }
  return events;
}

export interface GlobalMotionSmoothness {
  /** Frame pairs whose motion was measured, and windows of three consecutive ones used for the jerk. */
  pairs: number;
  windows: number;
  /** RMS speed of the whole picture, px/s. */
  rmsSpeedPxS: number | null;
  /** RMS of the second difference of that velocity, (v₂ − 2v₁ + v₀) / Δt², px/s³: near 0 for a still or smoothly panning camera, large for shake. */
  rmsJerkPxS3: number | null;
}

/**
 * Smoothness of the whole picture's motion from the optical flow: `motionPx[k]` is the mean motion
 * from frame k − 1 to frame k (px; null where none was measured), frames `frameIntervalS` apart.
 */
export function globalMotionSmoothness(motionPx: ReadonlyArray<readonly [number, number] | null>, frameIntervalS: number): GlobalMotionSmoothness {
  const dt = frameIntervalS;
  let speedSquares = 0;
  let pairs = 0;
  let jerkSquares = 0;
  let windows = 0;
  motionPx.forEach((motion, k) => {
    if (motion === null || !(dt > 0)) return;
    speedSquares += (motion[0] ** 2 + motion[1] ** 2) / dt ** 2;
    pairs++;
    const before = motionPx[k - 1];
    const after = motionPx[k + 1];
    if (before === null || before === undefined || after === null || after === undefined) return;
    // Velocities are motions over Δt; their second difference over Δt² is the jerk.
    jerkSquares += ((after[0] - 2 * motion[0] + before[0]) ** 2 + (after[1] - 2 * motion[1] + before[1]) ** 2) / dt ** 6;
    windows++;
  });
  return {
    pairs,
    windows,
    rmsSpeedPxS: pairs > 0 ? round(Math.sqrt(speedSquares / pairs), 2) : null,
    rmsJerkPxS3: windows > 0 ? round(Math.sqrt(jerkSquares / windows), 1) : null,
  };
}
