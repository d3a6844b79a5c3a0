import { arcPositionPx, fitArc, MIN_ARC_POINTS, type ArcPoint, type FitArcOptions } from './fit-arc.js';
import type { FittedArc } from './trajectory-types.js';

export interface SplitArcsOptions {
  /** A point further than this many fit RMS from the arc's prediction ends the arc ... */
  breakSigma: number;
  /** ... unless it is within this distance, px (the floor keeps near-exact fits from breaking on noise). */
  breakFloorPx: number;
  fit: FitArcOptions;
}

/** A run of consecutive points that one free-flight arc explains. */
export interface ArcSegment {
  /** Index of the first point and one past the last point, in the input. */
  startIndex: number;
  endIndex: number;
  arc: FittedArc;
}

/** Sum of squared residuals of a plain fit (no outlier removal) of points [start, end); Infinity when unfittable. */
function plainRss(points: readonly ArcPoint[], start: number, end: number, fit: FitArcOptions): number {
  const result = fitArc(points.slice(start, end), { ...fit, maxOutlierShare: 0 });
  if (result.status !== 'ok') return Infinity;
  return result.arc.rmsPx * result.arc.rmsPx * result.arc.points;
}

function predictionErrorPx(points: readonly ArcPoint[], start: number, end: number, at: number, fit: FitArcOptions) {
  const result = fitArc(points.slice(start, end), fit);
  if (result.status !== 'ok') return null;
  const p = points[at] as ArcPoint;
  const predicted = arcPositionPx(result.arc, p.timeS);
  return { errorPx: Math.hypot(p.xPx - predicted.xPx, p.yPx - predicted.yPx), rmsPx: result.arc.rmsPx };
}

/** A run's g must exceed this many standard errors to stand for a flight (analyzeTrack's free-flight sign). */
const FLIGHT_SIGMAS = 5;
/** ... and the runs fitted together must keep its g within this share: the same flight, not a different motion. */
const JOINED_G_SHARE = 0.1;

/**
 * Adjacent runs that one arc explains together, every sighting kept, within half the break floor RMS
 * (the seed's own test), with the g of the longer run, when that run is a flight: a misplaced sighting
 * inside a 4-point seed (a ball swollen by the other ball passing) bends the seed so the next sighting
 * misses it, and one flight is cut in two where nothing happened. Runs of a ball at rest, each too
 * short to bend, are left apart: together they would read as a long flight of g near 0.
 */
function joinUnbrokenRanges(points: readonly ArcPoint[], ranges: ReadonlyArray<[number, number]>, options: SplitArcsOptions): Array<[number, number]> {
  // A plain fit: with outliers dropped, the few sightings before a jump could go as outliers.
  const plain = { ...options.fit, maxOutlierShare: 0 };
  const joined: Array<[number, number]> = [];
  for (const range of ranges) {
    const previous = joined[joined.length - 1];
    if (previous !== undefined && previous[1] === range[0]) {
      const longer = previous[1] - previous[0] >= range[1] - range[0] ? previous : range;
      const flight = fitArc(points.slice(longer[0], longer[1]), plain);
      const together = fitArc(points.slice(previous[0], range[1]), plain);
      if (
        flight.status === 'ok' &&
        together.status === 'ok' &&
        flight.arc.gPxS2 > FLIGHT_SIGMAS * flight.arc.gStdErrPxS2 &&
        together.arc.rmsPx <= options.breakFloorPx / 2 &&
        Math.abs(together.arc.gPxS2 - flight.arc.gPxS2) <= JOINED_G_SHARE * flight.arc.gPxS2
      ) {
        previous[1] = range[1];
        continue;
      }
    }
    joined.push([range[0], range[1]]);
  }
  return joined;
}

/**
 * Splits a track into free-flight arcs: an arc grows point by point while each new point lies where
 * the arc fitted so far predicts it; a point that misses while the next one fits again is an outlier
 * frame, not a break. Each boundary is then moved by up to two points to where the two fits explain
 * the points best (the frame nearest a bounce can belong to either side). Runs too short to fit are left out.
 */
export function splitArcs(points: readonly ArcPoint[], options: SplitArcsOptions): ArcSegment[] {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  while (start + MIN_ARC_POINTS <= points.length) {
    const seed = fitArc(points.slice(start, start + MIN_ARC_POINTS), { ...options.fit, maxOutlierShare: 0 });
    if (seed.status !== 'ok' || seed.arc.rmsPx > options.breakFloorPx / 2) {
      start += 1;
      continue;
    }
    let end = start + MIN_ARC_POINTS;
    while (end < points.length) {
      const next = predictionErrorPx(points, start, end, end, options.fit);
      const tolerancePx = next === null ? 0 : Math.max(options.breakFloorPx, options.breakSigma * next.rmsPx);
      if (next !== null && next.errorPx <= tolerancePx) {
        end += 1;
        continue;
      }
      const after = end + 1 < points.length ? predictionErrorPx(points, start, end, end + 1, options.fit) : null;
      if (after !== null && after.errorPx <= tolerancePx) {
        end += 2; // `end` is an outlier frame; the fit's own outlier rejection drops it.
        continue;
      }
      break;
    }
    ranges.push([start, end]);
    start = end;
  }
  for (let k = 0; k + 1 < ranges.length; k++) {
    const left = ranges[k] as [number, number];
    const right = ranges[k + 1] as [number, number];
    if (left[1] !== right[0]) continue;
    let bestBoundary = left[1];
    let bestRss = Infinity;
    for (let shift = -2; shift <= 2; shift++) {
      const boundary = left[1] + shift;
      if (boundary - left[0] < MIN_ARC_POINTS || right[1] - boundary < MIN_ARC_POINTS) continue;
      const rss = plainRss(points, left[0], boundary, options.fit) + plainRss(points, boundary, right[1], options.fit);
      if (rss < bestRss) {
        bestRss = rss;
        bestBoundary = boundary;
      }
    }
    left[1] = bestBoundary;
    right[0] = bestBoundary;
  }
  const joined = joinUnbrokenRanges(points, ranges, options);
  const segments: ArcSegment[] = [];
  for (const [startIndex, endIndex] of joined) {
    const result = fitArc(points.slice(startIndex, endIndex), options.fit);
    if (result.status === 'ok') segments.push({ startIndex, endIndex, arc: result.arc });
  }
  return segments;
}
