/**
 * Teleports that break a track: the object jumps, its track ends, and a new track takes up its flight
 * elsewhere. Within one track the arcs' miss shows a jump (see trajectory-checks); across two, only
 * this does.
 */
import type { Failure } from '../prompts/codes.js';
import { freeFlights, type TrackAnalysis, type VideoPoint } from './analyze-track.js';
import { arcPositionPx, arcVelocityPxS } from './fit-arc.js';
import { sameSize, TRACKER_DEFAULTS } from './tracker.js';
import type { TrajectoryThresholds } from './trajectory-checks.js';

/** One tracked object, as the handover check needs it. */
export interface HandoverObject {
  /** How sentences name it. */
  label: string;
  /** Every sighting of its track, in time order. */
  points: readonly VideoPoint[];
  analysis: TrackAnalysis;
}

/** The new track's flight starts at most this many frames after the old track's last sighting. */
const MAX_HANDOVER_FRAMES = 8;
/** The two flights' velocities at the jump agree within this share of the speed ... */
const VELOCITY_SHARE = 0.25;
/** ... plus what gravity adds in this many frames (where in the gap the jump fell is unknown). */
const VELOCITY_GRAVITY_FRAMES = 1;
/** A sighting of another object within this many radii of where the old flight goes continues it: no jump. */
const CONTINUED_RADII = 2;
/** Frames after the new flight's start in which such a sighting is looked for. */
const CONTINUED_AFTER_FRAMES = 3;

/**
 * For each object whose track ends in free flight, a later object whose first free flight starts within
 * MAX_HANDOVER_FRAMES of that end, of the same size (the tracker's radius ratio), moving with the same
 * velocity (both flights read at the middle of the gap) but more than `teleportRadii` radii from where the
 * old flight goes; when no other object is seen on the old flight's way, the object jumped. Both flights
 * need `teleportMinArcPoints` sightings: their ends are extrapolated a few frames.
 */
export function handoverJumps(objects: readonly HandoverObject[], frameIntervalS: number, t: TrajectoryThresholds): Failure[] {
  const failures: Failure[] = [];
  const taken = new Set<number>();
  objects.forEach((before, a) => {
    const last = before.points.at(-1);
    const flightIn = freeFlights(before.analysis).at(-1);
    if (last === undefined || flightIn === undefined || flightIn.points < t.teleportMinArcPoints || last.timeS - flightIn.endS > 2 * frameIntervalS) return;
    const radiusPx = before.analysis.meanRadiusPx;
    for (const [b, after] of objects.entries()) {
      if (b === a || taken.has(b) || !sameSize(after.analysis.meanRadiusPx / radiusPx, TRACKER_DEFAULTS.maxRadiusRatio)) continue;
      const flightOut = freeFlights(after.analysis).find((arc) => arc.startS > last.timeS);
      if (flightOut === undefined || flightOut.points < t.teleportMinArcPoints || flightOut.startS - last.timeS > MAX_HANDOVER_FRAMES * frameIntervalS) continue;
      const atS = (last.timeS + flightOut.startS) / 2;
      const vIn = arcVelocityPxS(flightIn, atS);
      const vOut = arcVelocityPxS(flightOut, atS);
      const speed = Math.max(Math.hypot(vIn.vxPxS, vIn.vyPxS), Math.hypot(vOut.vxPxS, vOut.vyPxS));
      const slack = VELOCITY_SHARE * speed + VELOCITY_GRAVITY_FRAMES * Math.max(flightIn.gPxS2, flightOut.gPxS2) * frameIntervalS;
      if (Math.hypot(vOut.vxPxS - vIn.vxPxS, vOut.vyPxS - vIn.vyPxS) > slack) continue;
      const from = arcPositionPx(flightIn, atS);
      const to = arcPositionPx(flightOut, atS);
      const gapPx = Math.hypot(to.xPx - from.xPx, to.yPx - from.yPx);
      if (gapPx <= t.teleportRadii * radiusPx) continue;
      const untilS = flightOut.startS + CONTINUED_AFTER_FRAMES * frameIntervalS;
      const continued = objects.some((other, c) =>
        c !== a &&
        other.points.some((p) => {
          if (p.timeS <= last.timeS || p.timeS > untilS) return false;
          const on = arcPositionPx(flightIn, p.timeS);
          return Math.hypot(p.xPx - on.xPx, p.yPx - on.yPx) <= CONTINUED_RADII * radiusPx;
        }),
      );
      if (continued) continue;
      taken.add(b);
      failures.push({
        code: 'teleport',
        message: `${after.label} took up the flight of ${before.label} ${Math.round(gapPx)} px from where it was going at ${atS.toFixed(2)} s, with its velocity: the same object jumped`,
        atS,
      });
      return;
    }
  });
  return failures;
}
