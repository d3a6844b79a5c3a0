/**
 * The shape of `metrics.trajectory` in results and in `analyze --json`.
 * Pixels are those of the original video (not the reduced analysis size); y grows downwards.
 */

/** A fitted free-flight arc: x(t) = x0 + vx·τ, y(t) = y0 + vy·τ + ½·g·τ², with τ = t − tRefS. */
export interface FittedArc {
  startS: number;
  endS: number;
  tRefS: number;
  x0Px: number;
  vxPxS: number;
  y0Px: number;
  vyPxS: number;
  gPxS2: number;
  gStdErrPxS2: number;
  /** Root-mean-square residual of the fit, px. */
  rmsPx: number;
  points: number;
}

export interface TrackedObject {
  id: number;
  frames: number;
  /** Combined over arcs (inverse-variance weighted); null when no arc could be fitted. */
  gravityPxS2: number | null;
  gravityStdErrPxS2: number | null;
  /** null when the scale (object diameter) is unknown. */
  gravityMS2: number | null;
  pxPerM: number | null;
  meanRadiusPx: number;
  /** Coefficient of restitution at each contact, in order. */
  restitution: number[];
  /** Contact times, seconds (sub-frame, from the intersection of adjacent arcs). */
  contactsS: number[];
  arcs: FittedArc[];
  /** [timeS, xPx, yPx, radiusPx] per frame where the object was seen. */
  track: Array<[number, number, number, number]>;
}

export interface TrajectoryValue {
  objects: TrackedObject[];
  /** The fields below are those of the main object (the longest track); null when there is none. */
  gravityPxS2: number | null;
  gravityMS2: number | null;
  restitution: number[];
  contactsS: number[];
}
