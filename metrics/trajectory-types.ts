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
  /** The scene's scale, px per metre: from the largest object of known diameter (see `scaleFromObjectId`). */
  pxPerM: number | null;
  /** The object whose measured diameter gave `pxPerM` (objects in one side view share the camera's scale). */
  scaleFromObjectId?: number;
  meanRadiusPx: number;
  /** Coefficient of restitution at each contact, in order. */
  restitution: number[];
  /** Contact times, seconds (sub-frame, from the intersection of adjacent arcs). */
  contactsS: number[];
  /** Times a free flight ended in a landing with no bounce seen (into rest or a roll), s: impacts, not contacts (no restitution). */
  landingsS: number[];
  arcs: FittedArc[];
  /** [timeS, xPx, yPx, radiusPx] per frame where the object was seen. */
  track: Array<[number, number, number, number]>;
}

/**
 * A collision between two tracked objects and its momentum balance. Momenta are vectors [x, y] (y down)
 * taken at `timeS` from each object's fitted arcs just before and just after it.
 */
export interface CollisionBalance {
  /** When the incoming arcs come within the sum of the radii, s. */
  timeS: number;
  /** The two objects' `TrackedObject.id`. */
  objectIds: [number, number];
  massesKg: [number, number];
  /** `prompt`: the prompt's massKg; `material-density`: a solid sphere ρ·π·d³/6 of the material's typical density. */
  massSource: 'prompt' | 'material-density';
  /** Σ m·v just before and just after, kg·px/s. */
  momentumBeforeKgPxS: [number, number];
  momentumAfterKgPxS: [number, number];
  /** The same in kg·m/s; null when the scale is unknown. */
  momentumBeforeKgMS: [number, number] | null;
  momentumAfterKgMS: [number, number] | null;
  /** |p after − p before| / Σ m·|v before|: the momentum gained or lost against the momentum brought in. */
  imbalance: number;
  /** Its standard error, from the standard errors of the fitted velocities. */
  imbalanceStdErr: number;
}

/**
 * One object across a given time (`--boundary S`, where a generated extension starts): the arc before
 * the boundary and the arc after it, fitted separately, compared at the boundary.
 */
export interface BoundaryObject {
  id: number;
  /**
   * A contact of the object falls at the boundary (no fit of 4 sightings between them): its velocity may
   * change there, so no continuation is predicted, and the jumps are taken at the contact, where the
   * arcs either side meet.
   */
  atContact: boolean;
  pointsBefore: number;
  pointsAfter: number;
  /** |position after − position before| at the boundary (or its contact), px, with its standard error; m when the scale is known. */
  jumpPx: number;
  jumpStdErrPx: number;
  jumpM: number | null;
  /** |velocity after − velocity before| at the boundary, px/s, with its standard error; m/s when the scale is known. */
  velocityJumpPxS: number;
  velocityJumpStdErrPxS: number;
  velocityJumpMS: number | null;
  gravityBeforePxS2: number;
  gravityBeforeStdErrPxS2: number;
  gravityAfterPxS2: number;
  gravityAfterStdErrPxS2: number;
  /**
   * The motion seen after the boundary (until the next contact) against the ballistic continuation of the
   * fit before it: RMS and largest distance, px (m with a scale); null at a contact.
   */
  predictionRmsPx: number | null;
  predictionMaxPx: number | null;
  predictionMaxM: number | null;
}

export interface BoundaryContinuity {
  boundaryS: number;
  /** Objects seen on both sides of the boundary. */
  objects: BoundaryObject[];
}

export interface TrajectoryValue {
  objects: TrackedObject[];
  /** The fields below are those of the main object (the most sightings in free flight, then the longest track); null when there is none. */
  gravityPxS2: number | null;
  gravityMS2: number | null;
  restitution: number[];
  contactsS: number[];
  /** Collisions between tracked objects with their momentum balance (present when the prompt gives the objects). */
  collisions?: CollisionBalance[];
  /** Continuity across the boundary, present when one was given. */
  boundary?: BoundaryContinuity;
  /**
   * The camera's own motion, estimated against the background: RMS of its offset about the mean, video
   * px. Tracks are in the background's coordinates (the camera's median place over the first half second), with the shake removed.
   */
  cameraShakePxRms?: number;
  /** True when frames were moved back to remove camera shake (false: a still camera, frames untouched). */
  cameraCompensated?: boolean;
}
