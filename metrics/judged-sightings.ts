/** Which of an object's sightings its size, shape, colour and permanence are judged on. */
import { freeFlights, type TrackAnalysis } from './analyze-track.js';

/**
 * The sightings from the start of an object's first free flight to the end of its last, where its
 * size, shape, colour and permanence are judged: before a throw a hand holds the ball (and the hand
 * may be what was tracked), after the last landing it rolls, rests or is picked up. All of them when
 * no flight was fitted.
 */
export function inFlight<T extends { timeS: number }>(points: readonly T[], analysis: TrackAnalysis, frameIntervalS: number): T[] {
  const flights = freeFlights(analysis);
  const first = flights[0];
  const last = flights[flights.length - 1];
  if (first === undefined || last === undefined) return [...points];
  const margin = frameIntervalS / 2;
  return points.filter((p) => p.timeS >= first.startS - margin && p.timeS <= last.endS + margin);
}

/** Sightings that make a final rest worth judging: 0.4 s at 30 fps. */
const MIN_REST_SIGHTINGS = 12;
/** Sightings of a resting object lie within this many radii of where it ends. */
const REST_DRIFT_RADII = 0.25;

/**
 * The sightings of the object's final rest after its last free flight: the trailing ones that all lie
 * within REST_DRIFT_RADII radii of its last place (none when fewer than MIN_REST_SIGHTINGS). A ball
 * lying still can neither grow nor change its colour; one that rolls or is picked up has left it.
 */
export function finalRest<T extends { timeS: number; xPx: number; yPx: number; radiusPx: number }>(points: readonly T[], analysis: TrackAnalysis, frameIntervalS: number): T[] {
  const lastFlight = freeFlights(analysis).at(-1);
  const last = points[points.length - 1];
  if (lastFlight === undefined || last === undefined) return [];
  let start = points.length;
  while (start > 0) {
    const p = points[start - 1] as T;
    if (p.timeS <= lastFlight.endS + frameIntervalS / 2 || Math.hypot(p.xPx - last.xPx, p.yPx - last.yPx) > REST_DRIFT_RADII * last.radiusPx) break;
    start--;
  }
  return points.length - start >= MIN_REST_SIGHTINGS ? points.slice(start) : [];
}
