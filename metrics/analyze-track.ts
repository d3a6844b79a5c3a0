import type { BlobShape } from './detect-blobs.js';
import { joinArcs, restitution, type ArcJoin } from './contacts.js';
import { arcPositionPx, arcVelocityPxS, FIT_ARC_DEFAULTS, MIN_ARC_POINTS } from './fit-arc.js';
import { splitArcs } from './split-arcs.js';
import type { FittedArc } from './trajectory-types.js';

/** One sighting in video pixels (pixel i's centre at coordinate i, y down). */
export interface VideoPoint {
  frameIndex: number;
  timeS: number;
  xPx: number;
  yPx: number;
  radiusPx: number;
  /** True when the object touches the frame border, so part of it may be cut off. */
  atEdge: boolean;
  /** The sighting's outline (elongation, major axis); absent when it was not measured. */
  shape?: BlobShape;
  /** Radius of the circle through the sharp part of its outline, where there was one (see Blob.limbRadiusPx). */
  limbRadiusPx?: number;
  /** True when part of the object matched the background (see TrackPoint.partial): it was there, its centre and radius are biased. */
  partial?: boolean;
}

/** True when a sighting shows the whole object: not cut off by the frame border, not a partial disc. Only such a sighting's radius is the object's size. */
export function showsWhole(point: VideoPoint): boolean {
  return !point.atEdge && point.partial !== true;
}

/** Where consecutive arcs of one object meet, classified. */
export interface ArcBoundary {
  join: ArcJoin;
  /** Between two free flights, a bounce or a deflection that changes the velocity: a contact with the floor, a table or another object. */
  isContact: boolean;
  /** Both arcs are free flight, so the vertical speeds in and out are meaningful. */
  betweenFreeFlights: boolean;
  /** |v| just before, px/s. */
  speedInPxS: number;
}

export interface TrackAnalysis {
  arcs: FittedArc[];
  /** Arcs whose g is positive beyond 5 standard errors and visibly bends them: thrown or falling, not carried by a table. */
  freeFlight: boolean[];
  boundaries: ArcBoundary[];
  gravityPxS2: number | null;
  gravityStdErrPxS2: number | null;
  /** Interquartile mean radius over whole sightings (clear of the border, not partly hidden or swollen; all sightings when none is). */
  meanRadiusPx: number;
}

/** A track's free flights, in time order. */
export function freeFlights(analysis: Pick<TrackAnalysis, 'arcs' | 'freeFlight'>): FittedArc[] {
  return analysis.arcs.filter((_, k) => analysis.freeFlight[k] === true);
}

/** How many sightings a track's free flights were fitted on. */
export function flightSightings(analysis: Pick<TrackAnalysis, 'arcs' | 'freeFlight'>): number {
  return freeFlights(analysis).reduce((sum, arc) => sum + arc.points, 0);
}

export interface AnalyzeTrackOptions {
  frameIntervalS: number;
  /** Prediction misses below this never end an arc, video px (noise floor at analysis size). */
  breakFloorPx: number;
  /** True when a translucent overlay (a watermark) was seen over or beside the sighting. */
  touchesOverlay?: (point: VideoPoint) => boolean;
}

/** A velocity change of at least this share of the speed is a contact, not a tracking wobble. */
const CONTACT_DELTA_V_SHARE = 0.2;
/** An arc's g must exceed this many standard errors to count as free flight (at 3, a 4-frame stretch of noisy table roll passed). */
const FREE_FLIGHT_SIGMAS = 5;
/**
 * A free flight is seen in at least this share of the frames it spans: between sparser sightings a
 * ball can bounce unseen (a steel ball rattling on a plate, every other sighting blurred and set aside,
 * gave one 5-point "arc" over three bounces with g at 3% of the truth). Sightings set aside from the fit
 * count when they lie on the arc (see `seenOnArc`).
 */
const MIN_FLIGHT_COVERAGE = 0.5;
/**
 * Free flights of fewer points than this enter the combined g only when no longer one was seen: their
 * standard error rests on n − 3 degrees of freedom, and a 4-point hop of a ball settling on the floor,
 * 2 px high, read g at 57% of the truth ± 0.2% and outweighed every long arc (as in trajectory-checks'
 * gravityInconsistentMinPoints).
 */
const MIN_COMBINED_ARC_POINTS = 6;
/** Times closer than this, s, are one sighting's (an arc's end is its last sighting's time). */
export const EPSILON_S = 1e-6;

/** A sighting smaller than this share of the radius seen around it is partly hidden (noise on whole sightings: under 8%). */
const PARTLY_HIDDEN_RADIUS_SHARE = 0.88;
/** The radius seen around a sighting: the upper quartile within this many seconds either side (hiding only ever shrinks a ball). */
const RADIUS_WINDOW_S = 0.5;

/**
 * Sightings of a ball partly hidden (by an overlay it passes under, or pixels lost to the background):
 * the visible part's centroid lies off the ball's centre, towards the part still seen, so such a centre
 * is not on the ballistic path and its radius understates the ball. Judged against the sightings
 * around it, so a ball that really grows or shrinks over the clip keeps its sightings.
 */
export function partlyHidden(points: readonly VideoPoint[]): boolean[] {
  const shrunk = smallerThanAround(points, { windowS: RADIUS_WINDOW_S, quantile: 0.75, share: PARTLY_HIDDEN_RADIUS_SHARE });
  // An overlay covers a sliver first: the sighting just before or after a shrunk one already has its centre pulled.
  // A partial disc's own pixels were lost to the background, not to an overlay reaching its neighbours.
  const spreads = (i: number): boolean => shrunk[i] === true && points[i]?.partial !== true;
  return shrunk.map((isShrunk, i) => isShrunk || spreads(i - 1) || spreads(i + 1));
}

/**
 * Per sighting: true when its radius is below `share` of the `quantile` (nearest rank) of the radii of
 * the sightings within `windowS` of it, itself included.
 */
export function smallerThanAround(points: readonly VideoPoint[], around: { windowS: number; quantile: number; share: number }): boolean[] {
  return points.map((point) => {
    const radii = radiiAround(points, point, around.windowS);
    return point.radiusPx < around.share * (radii[Math.floor(around.quantile * (radii.length - 1))] ?? point.radiusPx);
  });
}

/** The radii of the sightings within `windowS` of `point`, itself included, in ascending order. */
function radiiAround(points: readonly VideoPoint[], point: VideoPoint, windowS: number): number[] {
  return points
    .filter((p) => Math.abs(p.timeS - point.timeS) <= windowS)
    .map((p) => p.radiusPx)
    .sort((a, b) => a - b);
}

/** A sighting this much larger than the track's median radius has merged with something beside it. */
const SWOLLEN_RADIUS_SHARE = 1.2;

/**
 * Sightings of a ball joined with something that touches it (an overlay's edge, a shadow): its radius
 * reads well above the track's median and its centre is pulled towards the other thing.
 */
export function swollenSightings(points: readonly VideoPoint[]): boolean[] {
  const radii = points.filter(showsWhole).map((p) => p.radiusPx).sort((a, b) => a - b);
  const medianPx = radii[radii.length >> 1];
  return points.map((p) => medianPx !== undefined && p.radiusPx > SWOLLEN_RADIUS_SHARE * medianPx);
}

/** Beside an overlay, a sighting at least this much larger than the median around it has merged with the overlay's glyphs... */
const OVERLAY_SWELL_SHARE = 0.05;
/** ...and more than this many robust standard deviations of the track's own radius noise away from far sightings. */
const OVERLAY_SWELL_SIGMAS = 6;

/**
 * Sightings beside an overlay that read larger than the median radius within RADIUS_WINDOW_S, by more
 * than OVERLAY_SWELL_SHARE and OVERLAY_SWELL_SIGMAS times the spread (1.4826 × MAD) of the radius
 * ratios of the sightings away from overlays: the overlay's glyphs merged with the ball and pulled its
 * centre. Far from overlays only `swollenSightings`' wider limit applies, which leaves room for noise.
 */
export function swollenByOverlay(points: readonly VideoPoint[], touchesOverlay: (point: VideoPoint) => boolean): boolean[] {
  const near = points.map(touchesOverlay);
  if (!near.some(Boolean)) return near;
  const ratioAround = (i: number): number => {
    const point = points[i] as VideoPoint;
    const radii = radiiAround(points, point, RADIUS_WINDOW_S);
    return point.radiusPx / (radii[radii.length >> 1] ?? point.radiusPx);
  };
  const farRatios = points.flatMap((_, i) => (near[i] ? [] : [ratioAround(i)])).sort((a, b) => a - b);
  const farMedian = farRatios[farRatios.length >> 1] ?? 1;
  const deviations = farRatios.map((r) => Math.abs(r - farMedian)).sort((a, b) => a - b);
  const sigma = 1.4826 * (deviations[deviations.length >> 1] ?? 0);
  const limit = Math.max(OVERLAY_SWELL_SHARE, OVERLAY_SWELL_SIGMAS * sigma);
  return points.map((_, i) => near[i] === true && ratioAround(i) - 1 > limit);
}

/** Mean of the values between the lower and upper quartile (the interquartile mean): one odd sighting does not move it. */
export function interquartileMean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.slice(Math.floor(sorted.length / 4), Math.max(Math.floor(sorted.length / 4) + 1, Math.ceil((3 * sorted.length) / 4)));
  return middle.reduce((sum, v) => sum + v, 0) / middle.length;
}

/**
 * Inverse-variance weighted mean, Σ(gᵢ/σᵢ²) / Σ(1/σᵢ²), with standard error 1/sqrt(Σ 1/σᵢ²).
 * Each σ is floored at 1e-9·|g| so an exact fit (σ = 0) cannot divide by zero.
 */
export function inverseVarianceMean(values: ReadonlyArray<{ value: number; stdErr: number }>): { value: number; stdErr: number } | null {
  let weightSum = 0;
  let weighted = 0;
  for (const { value, stdErr } of values) {
    const sigma = Math.max(stdErr, 1e-9 * Math.abs(value), 1e-12);
    const weight = 1 / (sigma * sigma);
    weightSum += weight;
    weighted += weight * value;
  }
  return weightSum > 0 ? { value: weighted / weightSum, stdErr: 1 / Math.sqrt(weightSum) } : null;
}

/** True when a sighting lies within its radius of where one of the two arcs, extended, puts it. */
function onEitherArc(point: VideoPoint, arcIn: FittedArc, arcOut: FittedArc): boolean {
  return [arcIn, arcOut].some((arc) => {
    const at = arcPositionPx(arc, point.timeS);
    return Math.hypot(point.xPx - at.xPx, point.yPx - at.yPx) <= point.radiusPx;
  });
}

/**
 * How many sightings show the object on `arc`: the arc's own points, and those set aside from its fit
 * (partly hidden, swollen, at the border) within its span and within `tolerancePx` of it. A 2.3 px steel
 * ball's radius reads ±10% in free fall, so the partly-hidden test set aside 8 of its 17 sightings of a
 * drop, every one within 0.5 px of the arc, and the drop fell short of the coverage a flight needs.
 */
export function seenOnArc(arc: FittedArc, setAside: readonly VideoPoint[], tolerancePx: number): number {
  const onIt = setAside.filter((p) => {
    if (p.timeS < arc.startS - EPSILON_S || p.timeS > arc.endS + EPSILON_S) return false;
    const at = arcPositionPx(arc, p.timeS);
    return Math.hypot(p.xPx - at.xPx, p.yPx - at.yPx) <= tolerancePx;
  });
  return arc.points + onIt.length;
}

/** Splits one object's track into arcs, finds the contacts between them, and combines g over free flights. */
export function analyzeTrack(points: readonly VideoPoint[], options: AnalyzeTrackOptions): TrackAnalysis {
  // A centre measured on an object cut off by the frame border or partly hidden is biased: fit only whole sightings.
  const hidden = partlyHidden(points);
  const swollen = swollenSightings(points);
  const byOverlay = options.touchesOverlay === undefined ? null : swollenByOverlay(points, options.touchesOverlay);
  const isWhole = points.map((p, i) => showsWhole(p) && !hidden[i] && !swollen[i] && byOverlay?.[i] !== true);
  const whole = points.filter((_, i) => isWhole[i]);
  // Partial discs count towards coverage apart (partialsWithin): their centres lean off the arc by design.
  const setAside = points.filter((p, i) => !isWhole[i] && p.partial !== true);
  const segments = splitArcs(whole, { breakSigma: 4, breakFloorPx: options.breakFloorPx, fit: { ...FIT_ARC_DEFAULTS, outlierFloorPx: options.breakFloorPx } });
  const arcs = segments.map((s) => s.arc);
  // Free flight bends the path visibly: its sag below the chord, g·T²/8 over the arc's duration T, must
  // clear the noise floor (a ball rolling on a table has a certain but tiny g and no such sag), and it
  // must be seen in enough of its frames (MIN_FLIGHT_COVERAGE), on the arc within the break floor.
  const framesSpanned = (arc: FittedArc): number => Math.round((arc.endS - arc.startS) / options.frameIntervalS) + 1;
  // A partial disc within the arc saw the object there, though its centre is not fitted.
  const partialsWithin = (arc: FittedArc): number => points.filter((p) => p.partial === true && p.timeS > arc.startS && p.timeS < arc.endS).length;
  const freeFlight = arcs.map(
    (arc) =>
      arc.gPxS2 > FREE_FLIGHT_SIGMAS * arc.gStdErrPxS2 &&
      (arc.gPxS2 * (arc.endS - arc.startS) ** 2) / 8 >= options.breakFloorPx &&
      seenOnArc(arc, setAside, options.breakFloorPx) + partialsWithin(arc) >= MIN_FLIGHT_COVERAGE * framesSpanned(arc),
  );
  const boundaries: ArcBoundary[] = [];
  for (let k = 0; k + 1 < arcs.length; k++) {
    const arcIn = arcs[k] as FittedArc;
    const arcOut = arcs[k + 1] as FittedArc;
    const join = joinArcs(arcIn, arcOut, options.frameIntervalS);
    const vIn = arcVelocityPxS(arcIn, join.timeS);
    const vOut = arcVelocityPxS(arcOut, join.timeS);
    const speedInPxS = Math.hypot(vIn.vxPxS, vIn.vyPxS);
    const speedPxS = Math.max(speedInPxS, Math.hypot(vOut.vxPxS, vOut.vyPxS));
    // Sightings enough for an arc of their own between the two arcs, further than their radius from where
    // either arc would put them, are hops that fitted no arc (a steel ball's 4-frame hops, blurred and read
    // partly hidden): bounces may lie unseen between, so the two arcs' speeds belong to no one event.
    const unexplained = points.filter((p) => p.timeS > arcIn.endS + EPSILON_S && p.timeS < arcOut.startS - EPSILON_S && !onEitherArc(p, arcIn, arcOut)).length;
    const betweenFreeFlights = (freeFlight[k] ?? false) && (freeFlight[k + 1] ?? false) && unexplained < MIN_ARC_POINTS;
    // A bounce needs an arrival: at least two frame intervals of fall since the apex of the arc before
    // (so vy ≥ 2·g·Δt). Without it the "bounce" is an arc boundary near an apex or a table edge.
    const arrives = join.vyInPxS >= 2 * arcIn.gPxS2 * options.frameIntervalS;
    boundaries.push({
      join,
      // Leaving a table or settling into a roll changes the acceleration, not the velocity: no contact.
      isContact: betweenFreeFlights && ((join.kind === 'bounce' && arrives) || join.deltaVPxS > CONTACT_DELTA_V_SHARE * speedPxS),
      betweenFreeFlights,
      speedInPxS,
    });
  }
  const flights = arcs.filter((_, i) => freeFlight[i]);
  const wellSampled = flights.filter((arc) => arc.points >= MIN_COMBINED_ARC_POINTS);
  const combined = inverseVarianceMean((wellSampled.length > 0 ? wellSampled : flights).map((arc) => ({ value: arc.gPxS2, stdErr: arc.gStdErrPxS2 })));
  const meanRadiusPx = interquartileMean((whole.length > 0 ? whole : points).map((p) => p.radiusPx));
  return {
    arcs,
    freeFlight,
    boundaries,
    gravityPxS2: combined?.value ?? null,
    gravityStdErrPxS2: combined?.stdErr ?? null,
    meanRadiusPx,
  };
}

/**
 * The analysis cut after its first free flight: in a scene with liquid, an object that has flown once
 * has entered the liquid or been thrown up by it, and what it does next (sinking, slowed by drag and
 * buoyancy; or a speck on the table its track was joined to) is no free fall to hold against g, nor a
 * jump to judge. Droplets are objects of their own, whose first flight is their ballistic arc.
 */
export function firstFlightOnly(analysis: TrackAnalysis): TrackAnalysis {
  const first = analysis.freeFlight.indexOf(true);
  if (first < 0) return analysis;
  const arc = analysis.arcs[first] as FittedArc;
  return {
    ...analysis,
    arcs: analysis.arcs.slice(0, first + 1),
    freeFlight: analysis.freeFlight.slice(0, first + 1),
    boundaries: analysis.boundaries.slice(0, first).map((b) => ({ ...b, isContact: false, betweenFreeFlights: false })),
    gravityPxS2: arc.gPxS2,
    gravityStdErrPxS2: arc.gStdErrPxS2,
  };
}

/**
 * A landing arrives after at least this many frame intervals of fall (vy ≥ n·g·Δt): one, not a bounce's
 * two, since the last hop before rest is often a few px high and its short arc's g reads low.
 */
const LANDING_MIN_FALL_FRAMES = 1;
/** A landing stops at least this share of the fall: what vertical speed is left after it (px/s down) is at most half. */
const LANDING_KEPT_VY_SHARE = 0.5;
/** ... and the flight meets the path after it within this share of the object's radius (no jump between them). */
const LANDING_MAX_GAP_RADII = 0.5;

/**
 * Times at which a free flight ends in a landing: it arrives falling, the path after it is no free
 * flight (rest, or a roll) and the fall is stopped where they meet. An impact that is heard, though no
 * bounce follows (a bowling ball's last hop into rest); not a contact, which needs a flight on both
 * sides for its restitution. The time is the joinArcs closest approach of the arc and the path after
 * it: where the fall reaches the resting height.
 */
export function landingsOf(analysis: TrackAnalysis, frameIntervalS: number): number[] {
  const landingsS: number[] = [];
  analysis.boundaries.forEach((boundary, k) => {
    const arcIn = analysis.arcs[k];
    if (arcIn === undefined || analysis.freeFlight[k] !== true || analysis.freeFlight[k + 1] !== false) return;
    const { join } = boundary;
    const arrives = join.vyInPxS >= LANDING_MIN_FALL_FRAMES * arcIn.gPxS2 * frameIntervalS;
    const stopped = join.vyOutPxS <= LANDING_KEPT_VY_SHARE * join.vyInPxS;
    if (arrives && stopped && join.gapPx <= LANDING_MAX_GAP_RADII * analysis.meanRadiusPx) landingsS.push(join.timeS);
  });
  return landingsS;
}

/** Contact times and the restitution at each (see `restitution`; 0 when it cannot be measured). */
export function contactsOf(analysis: TrackAnalysis): { contactsS: number[]; restitution: number[] } {
  const contactsS: number[] = [];
  const values: number[] = [];
  for (const b of analysis.boundaries) {
    if (!b.isContact) continue;
    contactsS.push(b.join.timeS);
    values.push(restitution(b.join) ?? 0);
  }
  return { contactsS, restitution: values };
}
