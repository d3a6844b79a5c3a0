import type { Failure } from '../prompts/codes.js';
import { EPSILON_S, flightSightings, freeFlights, showsWhole, smallerThanAround, swollenSightings, type TrackAnalysis, type VideoPoint } from './analyze-track.js';
import { arcPositionPx, arcVelocityPxS } from './fit-arc.js';
import { realAccelerationMS2 } from './real-time.js';
import { predictPx } from './tracker.js';
import type { FittedArc } from './trajectory-types.js';

/**
 * Default thresholds of the trajectory checks (the `trajectory` metric's `defaultThresholds`).
 * Chosen against the simulator: exact clips measure g within about 1%, restitution within 0.02 and
 * centres within 0.1 px, while the planted defects are ×0.5 gravity, restitution 1.25, a jump of a
 * quarter frame width, 0.25 s unseen, ×1.6 radius and a ball leaving a collision twice too fast;
 * every threshold sits far from both.
 */
export const TRAJECTORY_DEFAULTS = {
  /** gravity-off: |g − expected| / expected above this (15%: g in m/s² is off by up to 10% on exact clips, the scale resting on a radius of a few px; a third of the planted ×0.5). */
  gravityTolerance: 0.15,
  /** gravity-inconsistent: two arcs' g must differ by more than this many combined standard errors ... */
  gravityInconsistentSigmas: 4,
  /** ... and by more than this share of the larger one (a practical size, so tiny but certain differences pass). */
  gravityInconsistentShare: 0.15,
  /**
   * ... both arcs having at least this many frames: on a 4 or 5 frame arc (the last small bounces) one
   * disturbed frame moves g by 30% while its standard error, from the same few residuals, stays small.
   * gravity-off likewise needs this many sightings in the flights its g comes from.
   */
  gravityInconsistentMinPoints: 6,
  /** energy-gain: a bounce with restitution above 1 + this (measurement error is about 0.02). */
  restitutionTolerance: 0.05,
  /** teleport: the two arcs around a break miss each other by more than this many radii (contacts: under 0.1). */
  teleportRadii: 3,
  /** ... both arcs having at least this many sightings (a jump mid-flight leaves long arcs either side), unless the jump is seen between their ends (seenJumpPx). */
  teleportMinArcPoints: 5,
  /** vanish: at least this many consecutive frames unseen away from the frame border (two-ball contacts hide 1 to 2). */
  vanishFrames: 4,
  /** size-change: median radius of the last quarter over the first quarter beyond this factor (either way). */
  sizeRatio: 1.2,
  /** shape-change: sustained elongation (beyond blur) above this × the ball's first sightings' (a sphere's image: under 1.1 at a 60° view's edge; 5 px balls read up to 1.2; planted 1.6). */
  shapeElongation: 1.3,
  /** momentum-violation: a collision's total momentum changes by more than this share of the momentum brought in ... */
  momentumTolerance: 0.15,
  /** ... and by more than this many standard errors (from the fitted velocities). */
  momentumSigmas: 3,
  /** At a given boundary (`--boundary S`), a position jump must also exceed this many standard errors to be a teleport. */
  boundarySigmas: 4,
} as const satisfies Record<string, number>;

export type TrajectoryThresholds = Record<keyof typeof TRAJECTORY_DEFAULTS, number>;

/** What the checks need to know about one object. */
export interface CheckedObject {
  /** "the ball", "the red ball": how sentences name it. */
  label: string;
  /** The sightings its size, shape and permanence are judged on (see `inFlight`). */
  points: readonly VideoPoint[];
  /** Every sighting of its track, before its first flight and after its last too (absent: `points`). */
  trackPoints?: readonly VideoPoint[];
  analysis: TrackAnalysis;
  /** Video px per metre, null when the expectation gives no size. */
  pxPerM: number | null;
  /** How many times slower than real time the clip plays (expect.slowMotion; absent: 1). */
  slowMotion?: number;
  frameIntervalS: number;
  /** Whether a disc lay under a translucent overlay (absent: none known). */
  underOverlay?: OverlayTest;
}

/** True when a disc at (x, y) of radius r, video px, lay under a translucent overlay in that frame. */
export type OverlayTest = (frameIndex: number, xPx: number, yPx: number, radiusPx: number) => boolean;

const round = (value: number, digits: number): string => value.toFixed(digits);
const seconds = (timeS: number): string => `${round(timeS, 2)} s`;

/** g in the units a person can compare: real m/s² with a scale, px/s² without. */
export function gravityText(gPxS2: number, pxPerM: number | null, slowMotion: number): string {
  return pxPerM === null ? `${Math.round(gPxS2)} px/s²` : `${round(realAccelerationMS2(gPxS2, pxPerM, slowMotion), 1)} m/s²`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The first pair of consecutive well-sampled free flights whose g differ, as arc indices, or null. */
function inconsistentArc(object: CheckedObject, t: TrajectoryThresholds): { before: number; after: number } | null {
  const flights = object.analysis.arcs.filter((arc, i) => object.analysis.freeFlight[i] && arc.points >= t.gravityInconsistentMinPoints);
  for (let k = 0; k + 1 < flights.length; k++) {
    const a = flights[k];
    const b = flights[k + 1];
    if (a === undefined || b === undefined) continue;
    const difference = Math.abs(a.gPxS2 - b.gPxS2);
    const combinedStdErr = Math.hypot(a.gStdErrPxS2, b.gStdErrPxS2);
    if (difference > t.gravityInconsistentSigmas * combinedStdErr && difference > t.gravityInconsistentShare * Math.max(a.gPxS2, b.gPxS2)) {
      return { before: object.analysis.arcs.indexOf(a), after: object.analysis.arcs.indexOf(b) };
    }
  }
  return null;
}

function gravityFailures(object: CheckedObject, expectedMS2: number, t: TrajectoryThresholds): Failure[] {
  const failures: Failure[] = [];
  const slowMotion = object.slowMotion ?? 1;
  const { arcs } = object.analysis;
  const split = inconsistentArc(object, t);
  if (split !== null) {
    const a = arcs[split.before];
    const b = arcs[split.after];
    if (a !== undefined && b !== undefined) {
      const verb = b.gPxS2 < a.gPxS2 ? 'drops' : 'rises';
      failures.push({
        code: 'gravity-inconsistent',
        message: `gravity on ${object.label} ${verb} from ${gravityText(a.gPxS2, object.pxPerM, slowMotion)} to ${gravityText(b.gPxS2, object.pxPerM, slowMotion)} at ${seconds(b.startS)}`,
        atS: b.startS,
      });
    }
  }
  if (object.pxPerM === null) return failures;
  // With inconsistent arcs the combined g means little: judge the first flight, before anything changed.
  const firstFlight = freeFlights(object.analysis)[0];
  const gPxS2 = split !== null ? (firstFlight?.gPxS2 ?? null) : object.analysis.gravityPxS2;
  // g from a few frames is no measure (see gravityInconsistentMinPoints): a desk leg's crossing with a
  // watermark, tracked as a 'ball', gave a 4-frame 'flight' at 57% of g.
  const sightingsInFlight = split !== null ? (firstFlight?.points ?? 0) : flightSightings(object.analysis);
  if (gPxS2 === null || sightingsInFlight < t.gravityInconsistentMinPoints) return failures;
  const gMS2 = realAccelerationMS2(gPxS2, object.pxPerM, slowMotion);
  const relative = gMS2 / expectedMS2 - 1;
  if (Math.abs(relative) > t.gravityTolerance) {
    const sign = relative > 0 ? '+' : '';
    failures.push({
      code: 'gravity-off',
      message: `gravity on ${object.label} is ${round(gMS2, 2)} m/s², expected ${round(expectedMS2, 2)} m/s² (${sign}${Math.round(relative * 100)}%)`,
      ...(firstFlight !== undefined ? { atS: firstFlight.startS } : {}),
    });
  }
  return failures;
}

/**
 * A passive bounce cannot return more vertical speed than it received: e = |vy out| / |vy in| ≤ 1.
 * Under one gravity the apex height goes as vy², so this is also the check that apexes do not grow
 * (compared directly, heights would mislead when gravity itself changes between arcs).
 */
function energyFailures(object: CheckedObject, t: TrajectoryThresholds): Failure[] {
  const failures: Failure[] = [];
  for (const b of object.analysis.boundaries) {
    if (b.join.kind !== 'bounce' || !b.isContact) continue;
    const e = Math.abs(b.join.vyOutPxS) / Math.abs(b.join.vyInPxS);
    if (e <= 1 + t.restitutionTolerance) continue;
    failures.push({
      code: 'energy-gain',
      message: `${object.label} gained energy at the bounce at ${seconds(b.join.timeS)} (restitution ${round(e, 2)})`,
      atS: b.join.timeS,
    });
  }
  return failures;
}

/**
 * How far an object moved from the last sighting of one arc to the first of the next beyond what its
 * speed there explains, px: |p_out(start) − p_in(end)| − max(|v_in(end)|, |v_out(start)|)·Δt, each arc
 * read on its own span, never extrapolated.
 */
export function seenJumpPx(arcIn: FittedArc, arcOut: FittedArc): number {
  const from = arcPositionPx(arcIn, arcIn.endS);
  const to = arcPositionPx(arcOut, arcOut.startS);
  const speedPxS = (arc: FittedArc, timeS: number): number => {
    const v = arcVelocityPxS(arc, timeS);
    return Math.hypot(v.vxPxS, v.vyPxS);
  };
  const explainedPx = Math.max(speedPxS(arcIn, arcIn.endS), speedPxS(arcOut, arcOut.startS)) * (arcOut.startS - arcIn.endS);
  return Math.hypot(to.xPx - from.xPx, to.yPx - from.yPx) - explainedPx;
}

function teleportFailures(object: CheckedObject, t: TrajectoryThresholds): Failure[] {
  const failures: Failure[] = [];
  const spans: Array<[number, number]> = [];
  const radiusPx = object.analysis.meanRadiusPx;
  object.analysis.boundaries.forEach((b, k) => {
    const arcIn = object.analysis.arcs[k];
    const arcOut = object.analysis.arcs[k + 1];
    if (arcIn === undefined || arcOut === undefined || b.join.gapPx <= t.teleportRadii * radiusPx) return;
    // Two arcs "miss" each other at their meeting only when both are fitted well enough to extrapolate
    // to it: a 3-frame arc between quick small bounces puts that point anywhere. A shorter arc counts
    // when the jump is seen between the arcs' own ends (a bowling ball jumping in its fall leaves 4
    // sightings before it lands), when both are free flights: a track that strayed onto a still speck
    // for a few frames and back has a jump between its ends too, in the tracking, not in the video.
    const bothFlights = object.analysis.freeFlight[k] === true && object.analysis.freeFlight[k + 1] === true;
    if (Math.min(arcIn.points, arcOut.points) < t.teleportMinArcPoints && !(bothFlights && seenJumpPx(arcIn, arcOut) > t.teleportRadii * radiusPx)) return;
    // Across a gap long enough to be a vanish, only two flights are held to meet: a golf ball's track
    // began on a still speck, lost it, and took the ball 1.4 s later; the speck's arc is no motion to continue.
    const missedFrames = Math.round((arcOut.startS - arcIn.endS) / object.frameIntervalS) - 1;
    if (missedFrames >= t.vanishFrames && !bothFlights) return;
    const explainedPx = Math.max(b.speedInPxS * object.frameIntervalS, 1);
    // The arcs never meet, so the jump happened between the last frame of one and the first of the next.
    const atS = (arcIn.endS + arcOut.startS) / 2;
    spans.push([arcIn.endS, arcOut.startS]);
    failures.push({
      code: 'teleport',
      message: `${object.label} jumped ${Math.round(b.join.gapPx)} px at ${seconds(atS)}, ${Math.round(b.join.gapPx / explainedPx)} times further than its motion explains`,
      atS,
    });
  });
  // A jump landing within the object's flights (from the start of the first to the end of the last, as
  // `inFlight`): a kick whose first frames read small is no flight of its own, yet it is the ball.
  const flights = freeFlights(object.analysis);
  const flightStartS = flights[0]?.startS ?? Infinity;
  const flightEndS = flights.at(-1)?.endS ?? -Infinity;
  for (const jump of sightedJumps(object.trackPoints ?? object.points, t.teleportRadii)) {
    if (jump.landsS < flightStartS - EPSILON_S || jump.landsS > flightEndS + EPSILON_S) continue;
    if (spans.some(([fromS, toS]) => jump.atS >= fromS - EPSILON_S && jump.atS <= toS + EPSILON_S)) continue;
    failures.push({
      code: 'teleport',
      message: `${object.label} jumped ${Math.round(jump.gapPx)} px at ${seconds(jump.atS)}, its motion the same on both sides (${Math.round(jump.stepPx)} px a frame before it)`,
      atS: jump.atS,
    });
  }
  return failures;
}

/** The motion after the jump agrees with the motion before within this share of its size (see sightedJumps) ... */
const SAME_MOTION_SHARE = 0.25;
/** ... plus this share of the radius: a centre read off a ball partly lost against the background leans by about that. */
const SAME_MOTION_NOISE_RADII = 0.25;
/** The motion must reach this many radii a frame: slower, a stray onto a still speck looks like the same motion. */
const SIGHTED_JUMP_MIN_MOTION_RADII = 0.5;

export interface SightedJump {
  /** Halfway between the last sighting before the jump and the first after it. */
  atS: number;
  /** The first sighting after it. */
  landsS: number;
  /** How far that sighting lies from where the motion before puts it, px. */
  gapPx: number;
  /** The step before the jump, px per frame. */
  stepPx: number;
}

type Step = { x: number; y: number };
const stepBetween = (p: VideoPoint, q: VideoPoint): Step => ({ x: q.xPx - p.xPx, y: q.yPx - p.yPx });
const size = (s: Step): number => Math.hypot(s.x, s.y);
const apart = (s: Step, t: Step): number => Math.hypot(s.x - t.x, s.y - t.y);

/**
 * Jumps seen in the sightings themselves, where the arcs leave a gap (a ball reading small for a few
 * frames is kept out of the fits, so the arc before a jump can end 0.3 s early): three sightings in
 * consecutive frames on each side of one step, moving under one constant acceleration A per frame²
 * (steps s_k = s_{k−1} + A): the velocity halfway through the jump read from either side agrees
 * (s_bc + A_before against s_de − A_after), and so do A before and after, within SAME_MOTION_SHARE of
 * the motion (the larger of |s| and 2·|A|) plus noise; the motion reaches half a radius a frame; and the
 * sighting after the jump lies more than `teleportRadii` radii from c + s_bc + A_before. A track that strayed onto a still speck or a drifting
 * watermark piece changes its motion there; a bounce reverses it. Gravity counts: a big steel ball
 * jumping at its apex moves 4 px a frame, but falls 10 px a frame faster each frame, on both sides.
 * Partial discs are left out: their centres lean.
 */
export function sightedJumps(points: readonly VideoPoint[], teleportRadii: number): SightedJump[] {
  const seen = points.filter((p) => p.partial !== true);
  const jumps: SightedJump[] = [];
  for (let i = 2; i + 3 < seen.length; i++) {
    const run = seen.slice(i - 2, i + 4);
    if (run.some((p, k) => k > 0 && p.frameIndex !== (run[k - 1] as VideoPoint).frameIndex + 1)) continue;
    const [a, b, c, d, e, f] = run as [VideoPoint, VideoPoint, VideoPoint, VideoPoint, VideoPoint, VideoPoint];
    const sAB = stepBetween(a, b);
    const sBC = stepBetween(b, c);
    const sDE = stepBetween(d, e);
    const sEF = stepBetween(e, f);
    const accBefore = { x: sBC.x - sAB.x, y: sBC.y - sAB.y };
    const accAfter = { x: sEF.x - sDE.x, y: sEF.y - sDE.y };
    const motion = Math.max(size(sBC), size(sDE), 2 * size(accBefore));
    const radiusPx = (c.radiusPx + d.radiusPx) / 2;
    if (motion < SIGHTED_JUMP_MIN_MOTION_RADII * radiusPx) continue;
    const tolerancePx = SAME_MOTION_SHARE * motion + SAME_MOTION_NOISE_RADII * radiusPx;
    const velocityBefore = { x: sBC.x + accBefore.x, y: sBC.y + accBefore.y };
    const velocityAfter = { x: sDE.x - accAfter.x, y: sDE.y - accAfter.y };
    if (apart(velocityAfter, velocityBefore) > tolerancePx || apart(accAfter, accBefore) > tolerancePx) continue;
    const gapPx = Math.hypot(d.xPx - (c.xPx + sBC.x + accBefore.x), d.yPx - (c.yPx + sBC.y + accBefore.y));
    if (gapPx > teleportRadii * radiusPx) jumps.push({ atS: (c.timeS + d.timeS) / 2, landsS: d.timeS, gapPx, stepPx: size(sBC) });
  }
  return jumps;
}

/**
 * True when, in every frame missed between two sightings, the object's place lies under a translucent
 * overlay: a white ball under a white watermark is hidden, not gone. The place is taken on the chord
 * between the two sightings or on the parabola through them and the nearest other one (constant
 * acceleration: across an apex the chord misses by more than the ball's size; a sighting of a
 * watermark's piece instead of the ball bends the parabola away): either will do.
 */
function hiddenByOverlay(object: SeenObject, index: number): boolean {
  const { underOverlay, points } = object;
  const before = points[index];
  const after = points[index + 1];
  if (underOverlay === undefined || before === undefined || after === undefined) return false;
  const earlier = points[index - 1];
  const later = points[index + 2];
  const third = earlier === undefined || (later !== undefined && later.frameIndex - after.frameIndex < before.frameIndex - earlier.frameIndex) ? later : earlier;
  const paths = [[before, after], ...(third === undefined ? [] : [[third, before, after].sort((a, b) => a.timeS - b.timeS)])];
  const radiusPx = Math.max(before.radiusPx, after.radiusPx);
  return paths.some((through) => {
    for (let frame = before.frameIndex + 1; frame < after.frameIndex; frame++) {
      const { xPx, yPx } = predictPx(through, before.timeS + (frame - before.frameIndex) * object.frameIntervalS);
      if (!underOverlay(frame, xPx, yPx, radiusPx)) return false;
    }
    return true;
  });
}

/** What the permanence checks need: an object's sightings, with how sentences name it and the overlays seen. */
type SeenObject = Pick<CheckedObject, 'label' | 'points' | 'frameIntervalS' | 'underOverlay'>;

/** `vanish` for every run of at least `vanishFrames` frames unseen between sightings, clear of the border and of overlays; `where` says where it came back. */
function vanishFailures(object: SeenObject, t: TrajectoryThresholds, where = false): Failure[] {
  const failures: Failure[] = [];
  for (let i = 0; i + 1 < object.points.length; i++) {
    const before = object.points[i] as VideoPoint;
    const after = object.points[i + 1] as VideoPoint;
    const missed = after.frameIndex - before.frameIndex - 1;
    if (missed < t.vanishFrames || before.atEdge || after.atEdge || hiddenByOverlay(object, i)) continue;
    const gapS = after.timeS - before.timeS - object.frameIntervalS;
    const atS = before.timeS + object.frameIntervalS;
    const back = where ? ` and came back ${Math.round(Math.hypot(after.xPx - before.xPx, after.yPx - before.yPx))} px away at ${seconds(after.timeS)}` : '';
    failures.push({ code: 'vanish', message: `${object.label} vanished for ${round(gapS, 2)} s at ${seconds(atS)}${back}`, atS });
  }
  return failures;
}

/**
 * `vanish` for an object no track followed through its disappearance (see findReappearance): `points`
 * are its last sightings before and its first after, judged like a gap in one track, and the sentence
 * says where it came back.
 */
export function reappearanceFailures(object: SeenObject, t: TrajectoryThresholds): Failure[] {
  return vanishFailures(object, t, true);
}

/** How an object's radius changed: median of the last quarter of its sightings (off the border) over the first; null when too few. */
function radiusChange(points: readonly VideoPoint[]): { startPx: number; endPx: number; ratio: number; atS: number } | null {
  const clear = points.filter(showsWhole);
  const quarter = Math.floor(clear.length / 4);
  if (quarter < 3) return null;
  const first = clear.slice(0, quarter);
  const startPx = median(first.map((p) => p.radiusPx));
  const endPx = median(clear.slice(-quarter).map((p) => p.radiusPx));
  return { startPx, endPx, ratio: endPx / startPx, atS: (first[first.length - 1] as VideoPoint).timeS };
}

/** True when a radius ratio stays within `sizeRatio` either way. */
const withinSizeRatio = (ratio: number, t: TrajectoryThresholds): boolean => ratio <= t.sizeRatio && ratio >= 1 / t.sizeRatio;

/** True unless the object's radius changes beyond `sizeRatio` either way (see sizeChangeFailures): its size then gives no scale. */
export function keepsItsSize(points: readonly VideoPoint[], t: TrajectoryThresholds): boolean {
  const change = radiusChange(points);
  return change === null || withinSizeRatio(change.ratio, t);
}

/** `size-change` when the radius over `points` changes beyond `sizeRatio` either way; `when` ends the sentence (" while at rest"). */
export function sizeChangeFailures(label: string, points: readonly VideoPoint[], t: TrajectoryThresholds, when: string): Failure[] {
  const change = radiusChange(points);
  if (change === null || withinSizeRatio(change.ratio, t)) return [];
  const { startPx, endPx, ratio, atS } = change;
  const verb = ratio > 1 ? 'grew' : 'shrank';
  return [
    {
      code: 'size-change',
      message: `${label} ${verb} from ${round(startPx, 1)} to ${round(endPx, 1)} px radius (×${round(ratio, 2)})${when}`,
      atS,
    },
  ];
}

/**
 * Consecutive judged sightings whose median elongation must exceed the threshold: one odd frame is no
 * new shape, nor are the three frames a ball spends passing under a watermark's edge (up to 1.4).
 */
const SHAPE_SIGHTINGS = 7;
/** ... spread over at most this many frames (a missed frame or two inside is fine). */
const SHAPE_SPAN_FRAMES = 10;
/** Below this radius, video px, a disc's pixels give its elongation only roughly. */
const SHAPE_MIN_RADIUS_PX = 4;
/**
 * A sighting whose radius is below this share of the 90th percentile of the radii around it lost part of
 * the ball, which a change of shape does not (it keeps the area): a steel ball whose lit side matches a
 * pale wall leaves a crescent, 1.3 long at 0.9 of the radius, 1.55 at 0.82, often for most of a second.
 */
const SHAPE_WHOLE_SHARE = 0.95;
/** ... the sightings around one being those within this many seconds of it. */
const SHAPE_WINDOW_S = 1;
/** A major axis within this angle of the motion may be motion blur's stretch. */
const BLUR_AXIS_RAD = Math.PI / 6;

/**
 * The elongation motion blur can give a disc of radius r that moves `stepPx` during one exposure:
 * sqrt(1 + d²/(3r²)), as a box blur of length d adds d²/12 to the variance r²/4 along the motion.
 * With the exposure taken as the whole frame interval, it is the most a frame can blur.
 */
export function blurElongation(stepPx: number, radiusPx: number): number {
  return Math.sqrt(1 + (stepPx * stepPx) / (3 * radiusPx * radiusPx));
}

/** Per sighting: the largest move per frame to either neighbour, px, and its direction (radians from +x). */
function frameSteps(points: readonly VideoPoint[]): Array<{ stepPx: number; angleRad: number }> {
  return points.map((p, i) => {
    let best = { stepPx: 0, angleRad: 0 };
    for (const q of [points[i - 1], points[i + 1]]) {
      if (q === undefined) continue;
      const frames = Math.abs(q.frameIndex - p.frameIndex);
      const stepPx = Math.hypot(q.xPx - p.xPx, q.yPx - p.yPx) / frames;
      if (stepPx > best.stepPx) best = { stepPx, angleRad: Math.atan2(q.yPx - p.yPx, q.xPx - p.xPx) };
    }
    return best;
  });
}

/** Angle between two undirected axes, radians in [0, π/2]. */
function axisAngleRad(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

/**
 * A ball's image is a disc in any view (perspective: at most a tenth longer at a wide lens's edge),
 * so a sustained elongation beyond the ball's first sightings' is a change of shape. Sightings at the
 * border, smaller than those around them (part of the ball lost) or merged with something (swollen)
 * are not judged; a stretch along the motion is discounted by the blur it could be (see `blurElongation`).
 */
function shapeFailures(object: CheckedObject, t: TrajectoryThresholds): Failure[] {
  const partial = smallerThanAround(object.points, { windowS: SHAPE_WINDOW_S, quantile: 0.9, share: SHAPE_WHOLE_SHARE });
  const swollen = swollenSightings(object.points);
  const steps = frameSteps(object.points);
  const judged: Array<{ point: VideoPoint; elongation: number }> = [];
  object.points.forEach((point, i) => {
    const { shape } = point;
    const step = steps[i];
    if (shape === undefined || step === undefined || point.atEdge || partial[i] || swollen[i] || point.radiusPx < SHAPE_MIN_RADIUS_PX) return;
    // Beside a translucent overlay the outline takes in the overlay's glyphs: a basketball hovering at its
    // apex beside a watermark read 1.3 times as tall as wide for 9 frames.
    if (object.underOverlay?.(point.frameIndex, point.xPx, point.yPx, point.radiusPx) === true) return;
    const blur = axisAngleRad(shape.majorAxisRad, step.angleRad) <= BLUR_AXIS_RAD ? blurElongation(step.stepPx, point.radiusPx) : 1;
    judged.push({ point, elongation: shape.elongation / blur });
  });
  // A change against the ball's own first sightings: a steady bias of the detector on one ball (a
  // steel ball on a pale wall reads up to 1.3 when whole) is no change of shape.
  const early = judged.slice(0, Math.max(SHAPE_SIGHTINGS, Math.floor(judged.length / 4)));
  const limit = t.shapeElongation * Math.max(1, median(early.map((s) => s.elongation)));
  for (let k = 0; k + SHAPE_SIGHTINGS <= judged.length; k++) {
    const window = judged.slice(k, k + SHAPE_SIGHTINGS);
    const first = window[0];
    const last = window[window.length - 1];
    if (first === undefined || last === undefined || last.point.frameIndex - first.point.frameIndex >= SHAPE_SPAN_FRAMES) continue;
    if (median(window.map((s) => s.elongation)) <= limit) continue;
    const onset = window.find((s) => s.elongation > limit) ?? first;
    const after = judged.filter((s) => s.point.timeS >= onset.point.timeS);
    const ratio = median(after.map((s) => s.elongation));
    const wide = Math.abs(Math.cos(onset.point.shape?.majorAxisRad ?? 0)) >= Math.SQRT1_2;
    return [
      {
        code: 'shape-change',
        message: `${object.label} turns into an ellipse ${round(ratio, 1)} times as ${wide ? 'wide as tall' : 'tall as wide'} from ${seconds(onset.point.timeS)}`,
        atS: onset.point.timeS,
      },
    ];
  }
  return [];
}

/**
 * Every physics check of one tracked object, as failures with sentences and times. When the size
 * changes, the scale (px per metre, from the size) is unknown, so g in m/s² is not judged.
 */
export function checkTrajectory(object: CheckedObject, expectedGravityMS2: number, thresholds: TrajectoryThresholds): Failure[] {
  const size = sizeChangeFailures(object.label, object.points, thresholds, '');
  const scaled = size.length === 0 ? object : { ...object, pxPerM: null };
  return [
    ...gravityFailures(scaled, expectedGravityMS2, thresholds),
    ...energyFailures(object, thresholds),
    ...teleportFailures(object, thresholds),
    ...vanishFailures(object, thresholds),
    ...size,
    ...shapeFailures(object, thresholds),
  ];
}
