import type { Failure } from '../prompts/codes.js';
import { partlyHidden, showsWhole, type TrackAnalysis, type VideoPoint } from './analyze-track.js';
import { arcStateStdErr, type ArcStateStdErr } from './arc-uncertainty.js';
import { arcPositionPx, arcVelocityPxS, fitArc, FIT_ARC_DEFAULTS, MIN_ARC_POINTS, type ArcPoint } from './fit-arc.js';
import { gravityText, type TrajectoryThresholds } from './trajectory-checks.js';
import { realSpeedMS } from './real-time.js';
import type { BoundaryContinuity, BoundaryObject, FittedArc } from './trajectory-types.js';

/** What the boundary check needs to know about one tracked object. */
export interface BoundedObject {
  id: number;
  label: string;
  points: readonly VideoPoint[];
  analysis: TrackAnalysis;
  pxPerM: number | null;
  /** How many times slower than real time the clip plays (expect.slowMotion; absent: 1). */
  slowMotion?: number;
}

/**
 * A frame time this close below the boundary still counts as after it: decoded timestamps of k/fps
 * carry rounding, and the frame at the boundary itself is the first of the continuation.
 */
const TIME_EPS_S = 1e-4;

type Vector = [number, number];

/** |a − b| and its standard error, the component variances weighted by the direction of a − b. */
function differenceWithStdErr(a: Vector, b: Vector, variance: Vector): { value: number; stdErr: number } {
  const dx = a[0] - b[0];
  const dy = a[1] - b[1];
  const value = Math.hypot(dx, dy);
  const combined = value > 0 ? (dx * dx * variance[0] + dy * dy * variance[1]) / (value * value) : (variance[0] + variance[1]) / 2;
  return { value, stdErr: Math.sqrt(combined) };
}

interface SideFit {
  arc: FittedArc;
  /** Standard errors of the fit's position and velocity at the comparison time. */
  stdErr: ArcStateStdErr;
}

function fitSide(points: readonly ArcPoint[], atS: number): SideFit | null {
  const result = fitArc(points, FIT_ARC_DEFAULTS);
  if (result.status !== 'ok') return null;
  const dropped = new Set(result.outlierIndices);
  const timesS = points.filter((_, i) => !dropped.has(i)).map((p) => p.timeS);
  const stdErr = arcStateStdErr(result.arc, timesS, atS);
  return stdErr === null ? null : { arc: result.arc, stdErr };
}

/**
 * The whole sightings of the flight that ends at the boundary and of the flight that starts there, and
 * the time to compare them at. The flight before: since the start of the last arc that leaves at
 * least MIN_ARC_POINTS sightings before the boundary; the flight after: up to the end of the first arc
 * that leaves as many after it (so where the arc splitter put a break near the boundary does not matter).
 * A contact between those two arcs is at the boundary: then each side stops at that contact (and at
 * any other), and the two are compared at the contact (where a bounce's arcs meet).
 */
function sidesOf(object: BoundedObject, boundaryS: number) {
  const hidden = partlyHidden(object.points);
  const whole = object.points.filter((p, i) => showsWhole(p) && !hidden[i]);
  const { arcs, boundaries } = object.analysis;
  const isAfter = (p: VideoPoint): boolean => p.timeS >= boundaryS - TIME_EPS_S;
  const seenBefore = (arc: FittedArc): number => whole.filter((p) => !isAfter(p) && p.timeS >= arc.startS - TIME_EPS_S).length;
  const seenAfter = (arc: FittedArc): number => whole.filter((p) => isAfter(p) && p.timeS <= arc.endS + TIME_EPS_S).length;
  const first = arcs.findLastIndex((arc) => seenBefore(arc) >= MIN_ARC_POINTS);
  const last = arcs.findIndex((arc) => seenAfter(arc) >= MIN_ARC_POINTS);
  if (first < 0 || last < 0) return null;
  // Contact k lies between arcs k and k + 1.
  const isContact = (k: number): boolean => boundaries[k]?.isContact === true;
  let contact = -1;
  for (let k = first; k < last; k++) {
    const timeS = boundaries[k]?.join.timeS ?? Infinity;
    const nearestS = boundaries[contact]?.join.timeS ?? Infinity;
    if (isContact(k) && Math.abs(timeS - boundaryS) < Math.abs(nearestS - boundaryS)) contact = k;
  }
  let startS = (arcs[first] as FittedArc).startS;
  let endS = (arcs[last] as FittedArc).endS;
  const contactS = boundaries[contact]?.join.timeS;
  if (contactS !== undefined) {
    let from = contact;
    while (from > first && !isContact(from - 1)) from--;
    let to = contact + 1;
    while (to < last && !isContact(to)) to++;
    startS = (arcs[from] as FittedArc).startS;
    endS = (arcs[to] as FittedArc).endS;
  }
  return {
    atContact: contactS !== undefined,
    compareAtS: contactS ?? boundaryS,
    before: whole.filter((p) => !isAfter(p) && p.timeS >= startS - TIME_EPS_S && p.timeS < (contactS ?? Infinity)),
    after: whole.filter((p) => isAfter(p) && p.timeS <= endS + TIME_EPS_S && p.timeS > (contactS ?? -Infinity)),
  };
}

/**
 * One object across the boundary: the flights before and after it fitted separately; the jumps in
 * position and velocity between the two fits at the boundary (at the contact, when one falls on the
 * boundary), with standard errors from both fits;
 * g on each side; and, away from a contact, how far the motion after the boundary strays from the
 * ballistic continuation of the fit before it. Null when either side has too few sightings to fit.
 */
export function boundaryObject(object: BoundedObject, boundaryS: number): BoundaryObject | null {
  const sides = sidesOf(object, boundaryS);
  if (sides === null) return null;
  const atS = sides.compareAtS;
  const before = fitSide(sides.before, atS);
  const after = fitSide(sides.after, atS);
  if (before === null || after === null) return null;
  const positionBefore = arcPositionPx(before.arc, atS);
  const positionAfter = arcPositionPx(after.arc, atS);
  const velocityBefore = arcVelocityPxS(before.arc, atS);
  const velocityAfter = arcVelocityPxS(after.arc, atS);
  const jump = differenceWithStdErr([positionAfter.xPx, positionAfter.yPx], [positionBefore.xPx, positionBefore.yPx], [
    before.stdErr.xPx ** 2 + after.stdErr.xPx ** 2,
    before.stdErr.yPx ** 2 + after.stdErr.yPx ** 2,
  ]);
  const velocityJump = differenceWithStdErr([velocityAfter.vxPxS, velocityAfter.vyPxS], [velocityBefore.vxPxS, velocityBefore.vyPxS], [
    before.stdErr.vxPxS ** 2 + after.stdErr.vxPxS ** 2,
    before.stdErr.vyPxS ** 2 + after.stdErr.vyPxS ** 2,
  ]);
  let predictionRmsPx: number | null = null;
  let predictionMaxPx: number | null = null;
  if (!sides.atContact) {
    const misses = sides.after.map((p) => {
      const predicted = arcPositionPx(before.arc, p.timeS);
      return Math.hypot(p.xPx - predicted.xPx, p.yPx - predicted.yPx);
    });
    predictionRmsPx = Math.sqrt(misses.reduce((sum, m) => sum + m * m, 0) / misses.length);
    predictionMaxPx = Math.max(...misses);
  }
  const inMetres = (px: number | null): number | null => (px === null || object.pxPerM === null ? null : px / object.pxPerM);
  return {
    id: object.id,
    atContact: sides.atContact,
    pointsBefore: before.arc.points,
    pointsAfter: after.arc.points,
    jumpPx: jump.value,
    jumpStdErrPx: jump.stdErr,
    jumpM: inMetres(jump.value),
    velocityJumpPxS: velocityJump.value,
    velocityJumpStdErrPxS: velocityJump.stdErr,
    velocityJumpMS: object.pxPerM === null ? null : realSpeedMS(velocityJump.value, object.pxPerM, object.slowMotion ?? 1),
    gravityBeforePxS2: before.arc.gPxS2,
    gravityBeforeStdErrPxS2: before.arc.gStdErrPxS2,
    gravityAfterPxS2: after.arc.gPxS2,
    gravityAfterStdErrPxS2: after.arc.gStdErrPxS2,
    predictionRmsPx,
    predictionMaxPx,
    predictionMaxM: inMetres(predictionMaxPx),
  };
}

/**
 * Continuity of every object across the boundary, and the failures it shows: teleport when the
 * position jumps by more than `teleportRadii` radii and `boundarySigmas` standard errors,
 * gravity-inconsistent when g changes as the arc checks demand (sigmas, share, points on both sides).
 */
export function checkBoundary(
  objects: readonly BoundedObject[],
  boundaryS: number,
  t: TrajectoryThresholds,
): { boundary: BoundaryContinuity; failures: Failure[] } {
  const measured: BoundaryObject[] = [];
  const failures: Failure[] = [];
  const at = `at the boundary at ${boundaryS.toFixed(2)} s`;
  for (const object of objects) {
    const result = boundaryObject(object, boundaryS);
    if (result === null) continue;
    measured.push(result);
    const radiusPx = object.analysis.meanRadiusPx;
    if (result.jumpPx > t.teleportRadii * radiusPx && result.jumpPx > t.boundarySigmas * result.jumpStdErrPx) {
      const metres = result.jumpM === null ? '' : ` (${result.jumpM.toFixed(2)} m)`;
      failures.push({
        code: 'teleport',
        message: `${object.label} jumped ${Math.round(result.jumpPx)} px${metres} ${at}: the motion after it does not continue the motion before`,
        atS: boundaryS,
      });
    }
    const { gravityBeforePxS2: gBefore, gravityAfterPxS2: gAfter } = result;
    const difference = Math.abs(gAfter - gBefore);
    const enoughPoints = Math.min(result.pointsBefore, result.pointsAfter) >= t.gravityInconsistentMinPoints;
    if (
      enoughPoints &&
      difference > t.gravityInconsistentSigmas * Math.hypot(result.gravityBeforeStdErrPxS2, result.gravityAfterStdErrPxS2) &&
      difference > t.gravityInconsistentShare * Math.max(Math.abs(gBefore), Math.abs(gAfter))
    ) {
      failures.push({
        code: 'gravity-inconsistent',
        message: `gravity on ${object.label} ${gAfter < gBefore ? 'drops' : 'rises'} from ${gravityText(gBefore, object.pxPerM, object.slowMotion ?? 1)} to ${gravityText(gAfter, object.pxPerM, object.slowMotion ?? 1)} ${at}`,
        atS: boundaryS,
      });
    }
  }
  return { boundary: { boundaryS, objects: measured }, failures };
}
