/**
 * Teleports and vanishes that break a track: the object jumps, or goes unseen, its track ends, and
 * another track takes up its flight, elsewhere or where it was going. Within one track the arcs' miss
 * and the gaps show them (see trajectory-checks); across two, only this does.
 */
import type { Failure } from '../prompts/codes.js';
import { EPSILON_S, freeFlights, type TrackAnalysis, type VideoPoint } from './analyze-track.js';
import { arcPositionPx, arcVelocityPxS } from './fit-arc.js';
import { sameSize, TRACKER_DEFAULTS } from './tracker.js';
import { reappearanceFailures, type OverlayTest, type TrajectoryThresholds } from './trajectory-checks.js';

/** One tracked object, as the handover check needs it. */
export interface HandoverObject {
  /** How sentences name it. */
  label: string;
  /** Every sighting of its track, in time order. */
  points: readonly VideoPoint[];
  analysis: TrackAnalysis;
}

/** The new track's flight starts at most this many frames after the old track's last sighting, for a jump ... */
const MAX_HANDOVER_FRAMES = 8;
/** ... or this long after it, for a vanish: over a longer gap the ball may have bounced unseen. */
const MAX_VANISH_GAP_S = 0.5;
/** The two flights' velocities at the jump agree within this share of the speed ... */
const VELOCITY_SHARE = 0.25;
/** ... plus what gravity adds in this many frames (where in the gap the jump fell is unknown). */
const VELOCITY_GRAVITY_FRAMES = 1;
/** A sighting of another object within this many radii of where the old flight goes continues it: no jump. */
const CONTINUED_RADII = 2;
/** Frames after the new flight's start in which such a sighting is looked for. */
const CONTINUED_AFTER_FRAMES = 3;

/** An object's flight that ended with its track, and a later object's first flight that moves on with its velocity. */
export interface Handover {
  before: HandoverObject;
  after: HandoverObject;
  /** Index of `after` among the objects. */
  afterIndex: number;
  /** How long after the old track's last sighting the new flight starts, s. */
  delayS: number;
  /** The old track's last sighting, and the first sighting of `after` since on the old flight's way (null: none). */
  last: VideoPoint;
  firstOnWay: VideoPoint | null;
  /** The middle of the gap, s, and how far the new flight is there from where the old one goes, px. */
  atS: number;
  gapPx: number;
  radiusPx: number;
  /** True when `after` itself was seen on the old flight's way before its new flight began. */
  seenOnWayBefore: boolean;
}

/**
 * For each object whose track ends in free flight (its last flight of `teleportMinArcPoints` sightings
 * ends within two frames of its last sighting), the later objects whose first free flight after it
 * (as many sightings) starts within the longer of the jump's and the vanish's delays, of the same size (the tracker's radius ratio) and with
 * the same velocity (both flights read at the middle of the gap), and on whose old flight's way no
 * other object is seen: the same object, taken up by another track.
 */
export function handovers(objects: readonly HandoverObject[], frameIntervalS: number, t: TrajectoryThresholds): Handover[][] {
  const maxDelayS = Math.max(MAX_HANDOVER_FRAMES * frameIntervalS, MAX_VANISH_GAP_S) + EPSILON_S;
  return objects.map((before, a) => {
    const last = before.points.at(-1);
    const flightIn = freeFlights(before.analysis).at(-1);
    if (last === undefined || flightIn === undefined || flightIn.points < t.teleportMinArcPoints || last.timeS - flightIn.endS > 2 * frameIntervalS + EPSILON_S) return [];
    const radiusPx = before.analysis.meanRadiusPx;
    const found: Handover[] = [];
    for (const [b, after] of objects.entries()) {
      if (b === a || !sameSize(after.analysis.meanRadiusPx / radiusPx, TRACKER_DEFAULTS.maxRadiusRatio)) continue;
      const flightOut = freeFlights(after.analysis).find((arc) => arc.startS > last.timeS);
      if (flightOut === undefined || flightOut.points < t.teleportMinArcPoints || flightOut.startS - last.timeS > maxDelayS) continue;
      const atS = (last.timeS + flightOut.startS) / 2;
      const vIn = arcVelocityPxS(flightIn, atS);
      const vOut = arcVelocityPxS(flightOut, atS);
      const speed = Math.max(Math.hypot(vIn.vxPxS, vIn.vyPxS), Math.hypot(vOut.vxPxS, vOut.vyPxS));
      const slack = VELOCITY_SHARE * speed + VELOCITY_GRAVITY_FRAMES * Math.max(flightIn.gPxS2, flightOut.gPxS2) * frameIntervalS;
      if (Math.hypot(vOut.vxPxS - vIn.vxPxS, vOut.vyPxS - vIn.vyPxS) > slack) continue;
      const from = arcPositionPx(flightIn, atS);
      const to = arcPositionPx(flightOut, atS);
      const untilS = flightOut.startS + CONTINUED_AFTER_FRAMES * frameIntervalS;
      const onWay = (p: VideoPoint, reachRadii: number): boolean => {
        const on = arcPositionPx(flightIn, p.timeS);
        return Math.hypot(p.xPx - on.xPx, p.yPx - on.yPx) <= reachRadii * radiusPx;
      };
      const continued = objects.some((other, c) => c !== a && c !== b && other.points.some((p) => p.timeS > last.timeS && p.timeS <= untilS && onWay(p, CONTINUED_RADII)));
      if (continued) continue;
      const since = after.points.filter((p) => p.timeS > last.timeS);
      found.push({
        before,
        after,
        afterIndex: b,
        delayS: flightOut.startS - last.timeS,
        last,
        firstOnWay: since.find((p) => onWay(p, t.teleportRadii)) ?? null,
        atS,
        gapPx: Math.hypot(to.xPx - from.xPx, to.yPx - from.yPx),
        radiusPx,
        seenOnWayBefore: since.some((p) => p.timeS < flightOut.startS - EPSILON_S && onWay(p, CONTINUED_RADII)),
      });
    }
    return found;
  });
}

/**
 * Teleports that break the track, among `found` (see `handovers`): a handover within MAX_HANDOVER_FRAMES whose new
 * flight is more than `teleportRadii` radii from where the old flight goes: the object jumped.
 */
export function handoverJumps(found: readonly Handover[][], frameIntervalS: number, t: TrajectoryThresholds): Failure[] {
  const failures: Failure[] = [];
  const taken = new Set<number>();
  const maxDelayS = MAX_HANDOVER_FRAMES * frameIntervalS + EPSILON_S;
  for (const candidates of found) {
    const jump = candidates.find((h) => h.delayS <= maxDelayS && !taken.has(h.afterIndex) && !h.seenOnWayBefore && h.gapPx > t.teleportRadii * h.radiusPx);
    if (jump === undefined) continue;
    taken.add(jump.afterIndex);
    failures.push({
      code: 'teleport',
      message: `${jump.after.label} took up the flight of ${jump.before.label} ${Math.round(jump.gapPx)} px from where it was going at ${jump.atS.toFixed(2)} s, with its velocity: the same object jumped`,
      atS: jump.atS,
    });
  }
  return failures;
}

/**
 * Vanishes that break the track, among `found` (see `handovers`): a handover within MAX_VANISH_GAP_S whose new flight
 * goes on where the old one was going (within `teleportRadii` radii), judged as a gap in one track
 * (reappearanceFailures: `vanishFrames` unseen, clear of the border and of overlays). A ball that vanished
 * for 0.27 s came back as the next sighting of a watermark's piece tracked from before, not of its own track.
 */
export function handoverVanishes(found: readonly Handover[][], frameIntervalS: number, t: TrajectoryThresholds, underOverlay?: OverlayTest): Failure[] {
  return found.flatMap((candidates) => {
    const back = candidates.find((h) => h.delayS <= MAX_VANISH_GAP_S + EPSILON_S && h.gapPx <= t.teleportRadii * h.radiusPx && h.firstOnWay !== null);
    const returnS = back?.firstOnWay?.timeS;
    if (back === undefined || returnS === undefined) return [];
    const beforePoints = back.before.points.slice(-2);
    const afterPoints = back.after.points.filter((p) => p.timeS >= returnS).slice(0, 2);
    const seen = { label: back.before.label, points: [...beforePoints, ...afterPoints], frameIntervalS, ...(underOverlay === undefined ? {} : { underOverlay }) };
    return reappearanceFailures(seen, t);
  });
}

