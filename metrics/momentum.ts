import type { Failure } from '../prompts/codes.js';
import type { ObjectSpec } from '../prompts/schema.js';
import { showsWhole, type ArcBoundary, type TrackAnalysis, type VideoPoint } from './analyze-track.js';
import { arcStateStdErr, evenSampleTimesS } from './arc-uncertainty.js';
import { arcPositionPx, arcVelocityPxS, fitArc, FIT_ARC_DEFAULTS, MIN_ARC_POINTS } from './fit-arc.js';
import { impliedMassKg } from './momentum-masses.js';
import { realSpeedMS } from './real-time.js';
import type { TrajectoryThresholds } from './trajectory-checks.js';
import type { CollisionBalance, FittedArc } from './trajectory-types.js';

/** What the momentum check needs to know about one tracked object. */
export interface CollidingObject {
  id: number;
  /** How sentences name it ("the cue ball", "ball 3"). */
  label: string;
  /** Every sighting, for an incoming flight the arc splitter left unfitted. */
  points: readonly VideoPoint[];
  analysis: TrackAnalysis;
  spec: ObjectSpec | null;
  /** Video px per metre, null when unknown. */
  pxPerM: number | null;
  /** How many times slower than real time the clip plays (expect.slowMotion; absent: 1). */
  slowMotion?: number;
}

/** A velocity change of at least this share of the speed is a contact (as for contacts in analyzeTrack). */
const CONTACT_DELTA_V_SHARE = 0.2;
/** Two objects' arc breaks this many frame intervals apart or less can be one collision. */
const SAME_MOMENT_FRAMES = 1.5;
/** Incoming arcs that never come closer than this many times the sum of the radii did not touch. */
const TOUCH_REACH_SHARE = 1.25;
/** Steps of the scan for the touching time. */
const TOUCH_SCAN_STEPS = 64;
/** A sighting smaller than this share of the object's mean radius is partly hidden (as in analyzeTrack). */
const PARTLY_HIDDEN_RADIUS_SHARE = 0.88;

type Vector = [number, number];

/** An object's flights just before and just after a collision. */
export interface CollisionArcs {
  arcIn: FittedArc;
  arcOut: FittedArc;
}

/** Two objects (indices) in one collision, at `timeS`, with their flights either side. */
export interface CollisionPair {
  a: number;
  b: number;
  timeS: number;
  sideA: CollisionArcs;
  sideB: CollisionArcs;
}

function changesVelocity(boundary: ArcBoundary): boolean {
  const { join } = boundary;
  const speedPxS = Math.max(Math.hypot(join.vxInPxS, join.vyInPxS), Math.hypot(join.vxOutPxS, join.vyOutPxS));
  return join.deltaVPxS > CONTACT_DELTA_V_SHARE * speedPxS;
}

function arcDistancePx(arcA: FittedArc, arcB: FittedArc, timeS: number): number {
  const p = arcPositionPx(arcA, timeS);
  const q = arcPositionPx(arcB, timeS);
  return Math.hypot(p.xPx - q.xPx, p.yPx - q.yPx);
}

/**
 * When two incoming arcs first come to `reachPx` (the sum of the radii) within [loS, hiS]: a scan,
 * then bisection on the crossing; the time of closest approach when they stay apart but within
 * TOUCH_REACH_SHARE × reach; null when they never come that close.
 */
export function touchTimeS(arcA: FittedArc, arcB: FittedArc, reachPx: number, loS: number, hiS: number): number | null {
  let closestS = loS;
  let closestPx = Infinity;
  let previousS = loS;
  for (let i = 0; i <= TOUCH_SCAN_STEPS; i++) {
    const t = loS + ((hiS - loS) * i) / TOUCH_SCAN_STEPS;
    const d = arcDistancePx(arcA, arcB, t);
    if (d <= reachPx) {
      let lo = previousS;
      let hi = t;
      for (let k = 0; k < 40 && hi - lo > 1e-7; k++) {
        const mid = (lo + hi) / 2;
        if (arcDistancePx(arcA, arcB, mid) > reachPx) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    }
    if (d < closestPx) {
      closestPx = d;
      closestS = t;
    }
    previousS = t;
  }
  return closestPx <= TOUCH_REACH_SHARE * reachPx ? closestS : null;
}

/** Whether the velocity changes across a collision at `timeS` by at least CONTACT_DELTA_V_SHARE of the speed. */
function changesVelocityAt(side: CollisionArcs, timeS: number): boolean {
  const vIn = arcVelocityPxS(side.arcIn, timeS);
  const vOut = arcVelocityPxS(side.arcOut, timeS);
  const speedPxS = Math.max(Math.hypot(vIn.vxPxS, vIn.vyPxS), Math.hypot(vOut.vxPxS, vOut.vyPxS));
  return Math.hypot(vOut.vxPxS - vIn.vxPxS, vOut.vyPxS - vIn.vyPxS) > CONTACT_DELTA_V_SHARE * speedPxS;
}

/**
 * Candidate flights of object B around a collision at about `nearS`, keyed by B's outgoing arc: each
 * break of B with a change of velocity; and, when B's outgoing arc starts there with no arc of B
 * ending in the MIN_ARC_POINTS frames before, an incoming flight fitted on B's own sightings before
 * `nearS` (whole ones: clear of the frame edge, not shrunk by the other ball over them). The arc
 * splitter leaves such a flight out when it has only 4 or 5 frames and one of them is hidden.
 */
function candidateSides(object: CollidingObject, nearS: number, frameIntervalS: number): Array<{ outArc: number; timeS: number; side: CollisionArcs }> {
  const { arcs, boundaries, meanRadiusPx } = object.analysis;
  const candidates: Array<{ outArc: number; timeS: number; side: CollisionArcs }> = [];
  boundaries.forEach((b, k) => {
    const arcIn = arcs[k];
    const arcOut = arcs[k + 1];
    if (arcIn !== undefined && arcOut !== undefined && changesVelocity(b)) candidates.push({ outArc: k + 1, timeS: b.join.timeS, side: { arcIn, arcOut } });
  });
  const outArc = arcs.findIndex((arc) => arc.startS >= nearS - frameIntervalS / 2);
  const arcOut = arcs[outArc];
  const previousEndS = arcs[outArc - 1]?.endS ?? -Infinity;
  if (arcOut === undefined || previousEndS >= nearS - MIN_ARC_POINTS * frameIntervalS) return candidates;
  const sightings = object.points.filter(
    (p) => p.timeS > previousEndS && p.timeS <= nearS && showsWhole(p) && p.radiusPx >= PARTLY_HIDDEN_RADIUS_SHARE * meanRadiusPx,
  );
  const fitted = sightings.length >= MIN_ARC_POINTS ? fitArc(sightings, FIT_ARC_DEFAULTS) : null;
  if (fitted?.status === 'ok') candidates.push({ outArc, timeS: (fitted.arc.endS + arcOut.startS) / 2, side: { arcIn: fitted.arc, arcOut } });
  return candidates;
}

/**
 * Collisions between tracked objects: both objects change velocity at the same moment (breaks within
 * 1.5 frames), and their incoming flights touch (come to the sum of the radii) then. Each outgoing
 * arc takes part in one collision at most.
 */
export function findCollisions(objects: readonly CollidingObject[], frameIntervalS: number): CollisionPair[] {
  const pairs: CollisionPair[] = [];
  const taken = objects.map(() => new Set<number>());
  const marginS = SAME_MOMENT_FRAMES * frameIntervalS;
  objects.forEach((objectA, a) => {
    const takenA = taken[a] as Set<number>;
    objectA.analysis.boundaries.forEach((breakA, k) => {
      const arcIn = objectA.analysis.arcs[k];
      const arcOut = objectA.analysis.arcs[k + 1];
      if (takenA.has(k + 1) || arcIn === undefined || arcOut === undefined || !changesVelocity(breakA)) return;
      const sideA = { arcIn, arcOut };
      let best: Omit<CollisionPair, 'sideA'> & { outArc: number; apartS: number } | null = null;
      objects.forEach((objectB, b) => {
        if (b === a) return;
        for (const candidate of candidateSides(objectB, breakA.join.timeS, frameIntervalS)) {
          const apartS = Math.abs(candidate.timeS - breakA.join.timeS);
          if ((taken[b] as Set<number>).has(candidate.outArc) || apartS > marginS || (best !== null && apartS >= best.apartS)) continue;
          const loS = Math.min(breakA.join.timeS, candidate.timeS) - marginS;
          const hiS = Math.max(breakA.join.timeS, candidate.timeS) + marginS;
          const reachPx = objectA.analysis.meanRadiusPx + objectB.analysis.meanRadiusPx;
          const timeS = touchTimeS(arcIn, candidate.side.arcIn, reachPx, loS, hiS);
          if (timeS === null || !changesVelocityAt(candidate.side, timeS)) continue;
          best = { a, b, timeS, sideB: candidate.side, outArc: candidate.outArc, apartS };
        }
      });
      const found = best as (Omit<CollisionPair, 'sideA'> & { outArc: number }) | null;
      if (found === null) return;
      takenA.add(k + 1);
      (taken[found.b] as Set<number>).add(found.outArc);
      pairs.push({ a, b: found.b, timeS: found.timeS, sideA, sideB: found.sideB });
    });
  });
  return pairs.sort((p, q) => p.timeS - q.timeS);
}

/** Velocity of an arc at a time, with the standard errors of its components; null when they cannot be had. */
function velocityWithStdErr(arc: FittedArc, timeS: number): { v: Vector; stdErr: Vector } | null {
  const v = arcVelocityPxS(arc, timeS);
  const stdErr = arcStateStdErr(arc, evenSampleTimesS(arc), timeS);
  return stdErr === null ? null : { v: [v.vxPxS, v.vyPxS], stdErr: [stdErr.vxPxS, stdErr.vyPxS] };
}

/** One object in a collision: its mass and its arcs just before and just after. */
export interface CollisionSide {
  massKg: number;
  arcIn: FittedArc;
  arcOut: FittedArc;
}

export interface MomentumBalance {
  beforeKgPxS: Vector;
  afterKgPxS: Vector;
  imbalance: number;
  imbalanceStdErr: number;
}

/**
 * Momentum balance of one collision, Σ mᵢ·vᵢ before against after, each vᵢ from the object's fitted arcs
 * at the collision time (gravity's impulse over an instant is nil, so any difference is the collision's).
 * imbalance = |Δp| / Σ mᵢ·|vᵢ before|; its standard error by first-order propagation of the velocity
 * standard errors through |Δp| (masses taken as exact). Null when nothing moves in, or an arc is too
 * short for standard errors.
 */
export function momentumBalance(sides: readonly CollisionSide[], timeS: number): MomentumBalance | null {
  const before: Vector = [0, 0];
  const after: Vector = [0, 0];
  const variance: Vector = [0, 0];
  let broughtIn = 0;
  for (const { massKg, arcIn, arcOut } of sides) {
    const vIn = velocityWithStdErr(arcIn, timeS);
    const vOut = velocityWithStdErr(arcOut, timeS);
    if (vIn === null || vOut === null) return null;
    for (const axis of [0, 1] as const) {
      before[axis] += massKg * vIn.v[axis];
      after[axis] += massKg * vOut.v[axis];
      variance[axis] += massKg * massKg * (vIn.stdErr[axis] ** 2 + vOut.stdErr[axis] ** 2);
    }
    broughtIn += massKg * Math.hypot(vIn.v[0], vIn.v[1]);
  }
  if (!(broughtIn > 0)) return null;
  const dx = after[0] - before[0];
  const dy = after[1] - before[1];
  const change = Math.hypot(dx, dy);
  // σ of |Δp|: the component variances weighted by the direction of Δp (their mean when Δp is 0).
  const changeVariance = change > 0 ? (dx * dx * variance[0] + dy * dy * variance[1]) / (change * change) : (variance[0] + variance[1]) / 2;
  return { beforeKgPxS: before, afterKgPxS: after, imbalance: change / broughtIn, imbalanceStdErr: Math.sqrt(changeVariance) / broughtIn };
}

const massText = (massKg: number): string => (massKg >= 0.1 ? massKg.toFixed(2) : massKg.toPrecision(2));

/**
 * Momentum balance of every collision between tracked objects whose masses the prompt implies, and
 * momentum-violation where the imbalance passes `momentumTolerance` and `momentumSigmas` standard errors.
 */
export function checkMomentum(
  objects: readonly CollidingObject[],
  frameIntervalS: number,
  t: TrajectoryThresholds,
): { collisions: CollisionBalance[]; failures: Failure[] } {
  const collisions: CollisionBalance[] = [];
  const failures: Failure[] = [];
  for (const pair of findCollisions(objects, frameIntervalS)) {
    const objectA = objects[pair.a] as CollidingObject;
    const objectB = objects[pair.b] as CollidingObject;
    if (objectA.spec === null || objectB.spec === null) continue;
    const massA = impliedMassKg(objectA.spec);
    const massB = impliedMassKg(objectB.spec);
    const balance = momentumBalance(
      [
        { massKg: massA.massKg, ...pair.sideA },
        { massKg: massB.massKg, ...pair.sideB },
      ],
      pair.timeS,
    );
    if (balance === null) continue;
    // One scale for both: the mean of the two objects' own scales.
    const pxPerM = objectA.pxPerM !== null && objectB.pxPerM !== null ? (objectA.pxPerM + objectB.pxPerM) / 2 : null;
    const slowMotion = objectA.slowMotion ?? 1;
    const inMetres = (p: Vector): Vector | null => (pxPerM === null ? null : [realSpeedMS(p[0], pxPerM, slowMotion), realSpeedMS(p[1], pxPerM, slowMotion)]);
    const massSource = massA.source === 'prompt' && massB.source === 'prompt' ? 'prompt' : 'material-density';
    collisions.push({
      timeS: pair.timeS,
      objectIds: [objectA.id, objectB.id],
      massesKg: [massA.massKg, massB.massKg],
      massSource,
      momentumBeforeKgPxS: balance.beforeKgPxS,
      momentumAfterKgPxS: balance.afterKgPxS,
      momentumBeforeKgMS: inMetres(balance.beforeKgPxS),
      momentumAfterKgMS: inMetres(balance.afterKgPxS),
      imbalance: balance.imbalance,
      imbalanceStdErr: balance.imbalanceStdErr,
    });
    if (balance.imbalance <= t.momentumTolerance || balance.imbalance <= t.momentumSigmas * balance.imbalanceStdErr) continue;
    const masses = `${massText(massA.massKg)} and ${massText(massB.massKg)} kg, ${massSource === 'prompt' ? "the prompt's masses" : 'from size and material density'}`;
    failures.push({
      code: 'momentum-violation',
      message:
        `momentum is not conserved in the collision of ${objectA.label} and ${objectB.label} at ${pair.timeS.toFixed(2)} s: ` +
        `it changes by ${Math.round(balance.imbalance * 100)}% ± ${Math.max(1, Math.round(balance.imbalanceStdErr * 100))}% of the momentum brought in (${masses})`,
      atS: pair.timeS,
    });
  }
  return { collisions, failures };
}
