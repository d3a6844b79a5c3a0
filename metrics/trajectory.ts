import type { ObjectSpec } from '../prompts/schema.js';
import { analyzeTrack, contactsOf, firstFlightOnly, flightSightings, interquartileMean, landingsOf, showsWhole, type TrackAnalysis, type VideoPoint } from './analyze-track.js';
import { AppearanceLog } from './appearance-signature.js';
import { BACKGROUND_DEFAULTS, BackgroundModel, exposureGain, gainSamples, medianSample, type BackgroundOptions } from './background.js';
import { CameraCompensator } from './camera-motion-compensator.js';
import { createBlobWorkspace, detectBlobs, foregroundThreshold, isNearBox, type BlobWorkspace, type PixelBox } from './detect-blobs.js';
import { checkBoundary } from './boundary.js';
import { checkMomentum } from './momentum.js';
import { handoverJumps, handovers, handoverVanishes } from './handover-jumps.js';
import { findReappearance } from './reappearance.js';
import { fillTrackGaps } from './fill-track-gaps.js';
import { splitAtLongGaps, Tracker, TRACKER_DEFAULTS, type Track, type TrackPoint } from './tracker.js';
import { checkTrajectory, keepsItsSize, reappearanceFailures, sizeChangeFailures, TRAJECTORY_DEFAULTS, type TrajectoryThresholds } from './trajectory-checks.js';
import { finalRest, inFlight } from './judged-sightings.js';
import { realAccelerationMS2 } from './real-time.js';
import type { TrackedObject, TrajectoryValue } from './trajectory-types.js';
import type { AnalysisFrame, Metric, MetricContext, MetricOutcome, MetricSession } from './types.js';

/**
 * The starting background is the median of (at most 15) frames of this first stretch of the clip: long
 * enough that a large slow ball leaves no ghost (37 px balls covered the same wall for most of 0.5 s).
 */
const WARMUP_S = 1.5;
/** ... buffered until the background exists: at most this many frames (41 MB at 640x360), so memory stays bounded at high frame rates. */
const MAX_WARMUP_FRAMES = 60;
/**
 * How long a pixel under a detected object must look like wall with its veil taken off before the
 * background takes it (see BackgroundOptions.coveredUnveilFrames): longer than a slow ball lingers
 * near its apex, short enough that a patch a watermark uncovered is soon learnt.
 */
const COVERED_UNVEIL_S = 0.5;
/** Tracks shorter than this are noise, frames. */
const MIN_TRACK_FRAMES = 8;
/**
 * A track seen in fewer than this share of the frames it spans is stray detections strung together
 * (a planted 0.25 s vanish in a 2.5 s clip still leaves 90%).
 */
const MIN_TRACK_DENSITY = 0.6;
/**
 * A track too sparse to keep whole is cut where it went unseen for longer than this, s, and each piece
 * judged alone: a splash's ball sinks out of sight and a speck near where it was last seen, 2 s later,
 * continues its track. Longer than a planted vanish (0.25 s), which must stay one track with a gap.
 */
const SPARSE_TRACK_GAP_S = 0.5;
/** A track whose centre never moves further than this many radii is scenery, not a moving object. */
const MIN_TRAVEL_RADII = 2;
/** Below this distance, in analysis px, a prediction miss is noise (H.264 at CRF 23 moves centres ~0.2 px). */
const BREAK_FLOOR_ANALYSIS_PX = 1.5;

interface BufferedFrame {
  index: number;
  timeS: number;
  rgb: Uint8Array;
}

/** True when a track was seen in at least MIN_TRACK_DENSITY of the frames it spans. */
function isDense(track: Track): boolean {
  const first = track.points[0];
  const last = track.points[track.points.length - 1];
  return first !== undefined && last !== undefined && track.points.length >= MIN_TRACK_DENSITY * (last.frameIndex - first.frameIndex + 1);
}

/**
 * True when a track is an object that moves: MIN_TRACK_FRAMES whole sightings (partial discs continue
 * a track but do not make one: a speck beside a landed ball, continued by them, is no object), seen in
 * most frames it spans, its whole sightings spread over MIN_TRAVEL_RADII of their mean radius.
 */
export function isMovingObject(track: Track): boolean {
  const whole = track.points.filter((p) => p.partial !== true);
  if (whole.length < MIN_TRACK_FRAMES || !isDense(track)) return false;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  let radiusSum = 0;
  for (const p of whole) {
    minX = Math.min(minX, p.xPx);
    maxX = Math.max(maxX, p.xPx);
    minY = Math.min(minY, p.yPx);
    maxY = Math.max(maxY, p.yPx);
    radiusSum += p.radiusPx;
  }
  return Math.hypot(maxX - minX, maxY - minY) >= MIN_TRAVEL_RADII * (radiusSum / whole.length);
}

/** Analysis px (pixel i's centre at i) to video px: the pixel grids share their outer edges. */
function toVideoPx(analysisPx: number, scale: number): number {
  return (analysisPx + 0.5) / scale - 0.5;
}

/** Sightings in free flight needed before they give an object's size (and those with a sharp outline, its sharp size). */
const MIN_SIZE_SIGHTINGS = 3;
/**
 * The sharp directions must give a radius this much larger than the whole coverage to replace it: on
 * balls seen whole the two agree within 2% (the dark limb reads a little wide, the lit side a little narrow).
 */
const LOST_COVERAGE_SHARE = 0.05;

/**
 * An object's radius for the scale, video px, from its sightings in free flight (clear of the floor,
 * where a dark ball resting on wood reads 7% small): their coverage radius, unless the coverage in the
 * directions where the outline is sharp (limb-circle.ts) says it is clearly larger in enough of them:
 * then part of the ball looked like the wall (a silver ball's lit side on a pale wall: 5.6 px reads 4.9
 * by coverage, about 5.5 in its sharp directions), and the sharp directions give the size.
 */
function scaleRadiusPx(flightPoints: readonly VideoPoint[], analysis: TrackAnalysis): number {
  const whole = flightPoints.filter(showsWhole);
  const coverageRadiusPx = whole.length >= MIN_SIZE_SIGHTINGS ? interquartileMean(whole.map((p) => p.radiusPx)) : analysis.meanRadiusPx;
  const limbRadii = whole.filter((p) => p.limbRadiusPx !== undefined).map((p) => p.limbRadiusPx as number);
  if (limbRadii.length < MIN_SIZE_SIGHTINGS) return coverageRadiusPx;
  const limbRadiusPx = interquartileMean(limbRadii);
  return limbRadiusPx > (1 + LOST_COVERAGE_SHARE) * coverageRadiusPx ? limbRadiusPx : coverageRadiusPx;
}

/**
 * The scene's px per metre from the object of known diameter that looks largest: objects filmed side
 * by side share the camera's scale, and a radius of a few px is measured to a fraction of a pixel,
 * so the largest gives the smallest relative error.
 */
function sceneScale(
  tracks: readonly Track[],
  analyses: readonly TrackAnalysis[],
  specs: ReadonlyArray<ObjectSpec | null>,
  points: ReadonlyArray<readonly VideoPoint[]>,
  thresholds: TrajectoryThresholds,
  frameIntervalS: number,
): { pxPerM: number; objectId: number } | null {
  let best: { pxPerM: number; objectId: number } | null = null;
  let bestRadiusPx = 0;
  for (const [i, analysis] of analyses.entries()) {
    const spec = specs[i];
    const track = tracks[i];
    const sightings = points[i];
    // A ball that grows or shrinks has no size to take the scale from.
    if (spec === null || spec === undefined || track === undefined || sightings === undefined || !keepsItsSize(sightings, thresholds)) continue;
    const radiusPx = scaleRadiusPx(inFlight(sightings, analysis, frameIntervalS), analysis);
    if (radiusPx <= bestRadiusPx) continue;
    best = { pxPerM: (2 * radiusPx) / spec.diameterM, objectId: track.id };
    bestRadiusPx = radiusPx;
  }
  return best;
}

/** Overlays kept per frame: a noisy clip has many veil-like specks, and a long one many frames. */
const MAX_OVERLAYS_PER_FRAME = 8;
/** An overlay narrower or shorter than this, px, hides no ball worth tracking (see underOverlay). */
const MIN_OVERLAY_SIDE_PX = 2;

/** The largest few overlays of a frame, copied (the workspace's list is reused), so memory stays bounded over a long clip. */
function largestOverlays(overlays: readonly PixelBox[]): PixelBox[] {
  const area = (box: PixelBox): number => (box.maxX - box.minX + 1) * (box.maxY - box.minY + 1);
  return overlays
    .filter((box) => box.maxX - box.minX + 1 >= MIN_OVERLAY_SIDE_PX && box.maxY - box.minY + 1 >= MIN_OVERLAY_SIDE_PX)
    .sort((a, b) => area(b) - area(a))
    .slice(0, MAX_OVERLAYS_PER_FRAME);
}

/**
 * The object the clip is about: the one with the most sightings in free flight, then the longest track.
 * A hand that throws is often tracked longer than the ball it throws (Tracker's BallTossOut: 17 frames
 * against 16), but only a few of its sightings ever fit an arc (5 against 10).
 */
function mainObjectIndex(objects: readonly TrackedObject[], analyses: readonly TrackAnalysis[]): number {
  const sightingsInFlight = (i: number): number => {
    const analysis = analyses[i];
    return analysis === undefined ? 0 : flightSightings(analysis);
  };
  let best = 0;
  for (let i = 1; i < objects.length; i++) {
    const gain = sightingsInFlight(i) - sightingsInFlight(best);
    if (gain > 0 || (gain === 0 && (objects[i]?.frames ?? 0) > (objects[best]?.frames ?? 0))) best = i;
  }
  return best;
}

/**
 * The expected object for each track: by rank of size when the prompt names several, else the one it
 * names. A track beyond the prompt's count is a piece of one of its objects (a ball's track broken where
 * it went unseen): it takes the object of the ranked track nearest its size. Two thrown balls of one size
 * left three tracks, and the one ranked last went without a mass, so their collision was not weighed.
 */
export function specsFor(tracks: ReadonlyArray<Pick<TrackAnalysis, 'meanRadiusPx'>>, specs: readonly ObjectSpec[]): Array<ObjectSpec | null> {
  if (specs.length === 0) return tracks.map(() => null);
  const only = specs[0];
  if (specs.length === 1 && only !== undefined) return tracks.map(() => only);
  const bySize = [...specs].sort((a, b) => b.diameterM - a.diameterM);
  const radiusOf = (i: number): number => tracks[i]?.meanRadiusPx ?? 0;
  const order = tracks.map((_, i) => i).sort((a, b) => radiusOf(b) - radiusOf(a));
  const ranked = order.slice(0, bySize.length);
  const result: Array<ObjectSpec | null> = tracks.map(() => null);
  ranked.forEach((trackIndex, rank) => {
    result[trackIndex] = bySize[rank] ?? null;
  });
  for (const trackIndex of order.slice(bySize.length)) {
    const nearest = ranked.reduce((best, i) => (Math.abs(radiusOf(i) - radiusOf(trackIndex)) < Math.abs(radiusOf(best) - radiusOf(trackIndex)) ? i : best));
    result[trackIndex] = result[nearest] ?? null;
  }
  return result;
}

/**
 * The spec, when its size tells it from the prompt's other objects; else null (the sentence says "ball"):
 * of a red and a blue ball of one size, size ranking names either, and a name would be a guess.
 */
export function namedBySize(spec: ObjectSpec | null, specs: readonly ObjectSpec[]): ObjectSpec | null {
  return spec !== null && specs.some((other) => other.diameterM === spec.diameterM && other.name !== spec.name) ? null : spec;
}

/** In a liquid scene, a tracked object under this share of the largest one's radius is a droplet the splash threw, not the object named. */
const DROPLET_RADIUS_SHARE = 0.5;

/** True when an object of `radiusPx` is small enough beside the largest tracked one to be a droplet. */
export function isDropletSized(radiusPx: number, largestRadiusPx: number): boolean {
  return radiusPx < DROPLET_RADIUS_SHARE * largestRadiusPx;
}

/** How a failure's sentence names an object: "the tennis ball" when it is the only one, else by name and id ("droplet 6" for a splash's droplet). */
export function objectLabel(id: number, spec: ObjectSpec | null, objectCount: number, droplet: boolean): string {
  if (droplet) return `droplet ${id}`;
  const name = spec?.name ?? 'ball';
  return objectCount === 1 ? `the ${name}` : `${name} ${id}`;
}

class TrajectorySession implements MetricSession {
  private readonly context: MetricContext;
  private readonly warmupFrames: number;
  private readonly buffered: BufferedFrame[] = [];
  private background: BackgroundModel | null = null;
  private thresholdDistance = 0;
  private readonly workspace: BlobWorkspace;
  /** Per frame index, the translucent overlays seen (analysis px); frames without any are absent. */
  private readonly overlays = new Map<number, PixelBox[]>();
  private readonly tracker: Tracker;
  /** The background under the current frame's exposure, and room for the exposure samples. */
  private readonly exposed: Float32Array;
  private readonly gainRatios: Float32Array;
  /** Colour and texture of every detection, for the temporal metric's appearance consistency. */
  private readonly appearance = new AppearanceLog();
  /** A shaking camera's motion is removed before background subtraction: tracks are in the scene's coordinates. */
  private readonly camera: CameraCompensator;
  private readonly backgroundOptions: BackgroundOptions;

  constructor(context: MetricContext) {
    this.context = context;
    const fps = context.video.fps > 0 ? context.video.fps : 30;
    this.warmupFrames = Math.max(3, Math.min(MAX_WARMUP_FRAMES, Math.round(WARMUP_S * fps)));
    this.backgroundOptions = { ...BACKGROUND_DEFAULTS, coveredUnveilFrames: Math.round(COVERED_UNVEIL_S * fps) };
    this.workspace = createBlobWorkspace(context.analysisWidth, context.analysisHeight);
    this.tracker = new Tracker(context.analysisWidth, context.analysisHeight);
    this.exposed = new Float32Array(context.analysisWidth * context.analysisHeight * 3);
    this.gainRatios = gainSamples(this.exposed.length);
    this.camera = new CameraCompensator(context.analysisWidth, context.analysisHeight);
  }

  onFrame(frame: AnalysisFrame): void {
    if (this.background !== null) {
      this.process(frame.index, frame.timeS, frame.rgb);
      return;
    }
    // The decoder may reuse its buffer: keep a copy until the background exists.
    this.buffered.push({ index: frame.index, timeS: frame.timeS, rgb: frame.rgb.slice() });
    if (this.buffered.length >= this.warmupFrames) this.flushWarmup();
  }

  private flushWarmup(): void {
    if (this.buffered.length === 0) return;
    // Only the frames the median takes are brought into common coordinates: aligning all 1.5 s of them cost a tenth of the analysis.
    this.background = BackgroundModel.fromFrames(this.camera.alignWarmup(medianSample(this.buffered.map((f) => f.rgb))));
    this.thresholdDistance = foregroundThreshold(this.background.noiseSigma);
    for (const f of this.buffered.splice(0)) this.process(f.index, f.timeS, f.rgb);
  }

  private process(index: number, timeS: number, frameRgb: Uint8Array): void {
    const background = this.background as BackgroundModel;
    const rgb = this.camera.align(frameRgb, background.rgb);
    // Objects of the previous frame are left out of the exposure estimate; they move little in a frame.
    const gain = exposureGain(rgb, background.rgb, this.workspace.covered, this.gainRatios);
    const blobs = detectBlobs(rgb, background.scaledInto(gain, this.exposed), this.thresholdDistance, this.workspace);
    const overlays = largestOverlays(this.workspace.overlays);
    if (overlays.length > 0) this.overlays.set(index, overlays);
    this.tracker.update(index, timeS, blobs, overlays, this.workspace.partials);
    this.appearance.record(index, rgb, this.context.analysisWidth, this.context.analysisHeight, blobs);
    background.update(rgb, this.workspace.covered, gain, this.backgroundOptions);
    if (this.workspace.ghosts.length > 0) background.adopt(rgb, gain, this.workspace.labels, this.context.analysisWidth, this.workspace.ghosts);
  }

  /**
   * True when a translucent white layer seen in frame `frameIndex` comes within 1.5 radii of (x, y),
   * video px (a disc of radius r), and is at least half the radius wide and tall: a watermark over the ball, or the ball's
   * own lit side read as a veil on a pale wall. A one-pixel sliver beside a large ball is neither.
   */
  private readonly underOverlay = (frameIndex: number, xPx: number, yPx: number, radiusPx: number): boolean => {
    const scale = this.context.analysisScale;
    const x = (xPx + 0.5) * scale - 0.5;
    const y = (yPx + 0.5) * scale - 0.5;
    const r = radiusPx * scale;
    // Half a radius more: the place is interpolated between sightings, not seen (see hiddenByOverlay).
    const reach = 1.5 * r;
    return (this.overlays.get(frameIndex) ?? []).some(
      (box) => box.maxX - box.minX + 1 >= r / 2 && box.maxY - box.minY + 1 >= r / 2 && isNearBox(box, x, y, reach),
    );
  };

  private videoPoints(track: Track): VideoPoint[] {
    const scale = this.context.analysisScale;
    return track.points.map((p) => ({
      frameIndex: p.frameIndex,
      timeS: p.timeS,
      xPx: toVideoPx(p.xPx, scale),
      yPx: toVideoPx(p.yPx, scale),
      radiusPx: p.radiusPx / scale,
      atEdge: this.tracker.atBorder(p.xPx, p.yPx, p.radiusPx),
      shape: p.shape,
      ...(p.limbRadiusPx === undefined ? {} : { limbRadiusPx: p.limbRadiusPx / scale }),
      ...(p.partial === true ? { partial: true } : {}),
    }));
  }

  /** The tracker's tracks, their gaps filled (see fillTrackGaps), a sparse one cut into its pieces (see SPARSE_TRACK_GAP_S). */
  private trackPieces(fps: number): Track[] {
    const tracks = fillTrackGaps(this.tracker.tracks());
    let nextId = tracks.reduce((max, t) => Math.max(max, t.id), 0) + 1;
    const maxGapFrames = Math.round(SPARSE_TRACK_GAP_S * fps);
    return tracks.flatMap((track) => {
      if (isDense(track)) return [track];
      const pieces = splitAtLongGaps(track, maxGapFrames, nextId);
      nextId += pieces.length - 1;
      return pieces;
    });
  }

  /**
   * The failures of a clip where no track moved: `vanish` when an object went unseen and was found
   * again elsewhere (object permanence, see findReappearance), else `no-object`.
   */
  private withoutMovingObject(pieces: readonly Track[], thresholds: TrajectoryThresholds, frameIntervalS: number): MetricOutcome['failures'] {
    const found = findReappearance(pieces, {
      minGapFrames: thresholds.vanishFrames,
      minLaterSightings: MIN_TRACK_FRAMES,
      maxRadiusRatio: TRACKER_DEFAULTS.maxRadiusRatio,
      minTravelRadii: MIN_TRAVEL_RADII,
      atBorder: (xPx, yPx, radiusPx) => this.tracker.atBorder(xPx, yPx, radiusPx),
    });
    if (found !== null) {
      const specs = this.context.expect.objects;
      const label = objectLabel(found.after.id, specs.length === 1 ? (specs[0] ?? null) : null, 1, false);
      // Two sightings either side of the gap, so the overlay check can follow a parabola through it.
      const points = this.videoPoints({ id: found.after.id, points: [...found.before.points.slice(-2), ...found.after.points.slice(0, 2)] });
      const vanished = reappearanceFailures({ label, points, frameIntervalS, underOverlay: this.underOverlay }, thresholds);
      if (vanished.length > 0) return vanished;
    }
    return [{ code: 'no-object', message: 'no moving object was found in the clip' }];
  }

  finish(): MetricOutcome {
    this.flushWarmup();
    const thresholds: TrajectoryThresholds = { ...TRAJECTORY_DEFAULTS, ...this.context.thresholds };
    const fps = this.context.video.fps > 0 ? this.context.video.fps : 30;
    const frameIntervalS = 1 / fps;
    const pieces = this.trackPieces(fps);
    const moving = pieces.filter(isMovingObject);
    const movingPoints = moving.map((t) => this.videoPoints(t));
    const touchesOverlay = (point: VideoPoint): boolean => this.underOverlay(point.frameIndex, point.xPx, point.yPx, point.radiusPx);
    const inLiquidScene = this.context.expect.fluid !== undefined;
    const movingAnalyses = movingPoints.map((p) => {
      const analysis = analyzeTrack(p, { frameIntervalS, breakFloorPx: BREAK_FLOOR_ANALYSIS_PX / this.context.analysisScale, touchesOverlay });
      return inLiquidScene ? firstFlightOnly(analysis) : analysis;
    });
    // Objects are what falls or is thrown: a track with a free flight. Anything else that moves
    // (a watermark's part, a flickering patch) is left out, unless nothing flies at all, when the
    // longest moving track stands for the object so a clip without gravity still gets its checks.
    let kept = moving.map((_, i) => i).filter((i) => movingAnalyses[i]?.freeFlight.some(Boolean));
    if (kept.length === 0 && moving.length > 0) {
      const longest = moving.reduce((best, t, i) => (t.points.length > (moving[best]?.points.length ?? 0) ? i : best), 0);
      kept = [longest];
    }
    const tracks = kept.map((i) => moving[i] as Track);
    const points = kept.map((i) => movingPoints[i] as VideoPoint[]);
    const analyses = kept.map((i) => movingAnalyses[i] as TrackAnalysis);
    const specs = specsFor(analyses, this.context.expect.objects);
    const objects: TrackedObject[] = [];
    const failures: MetricOutcome['failures'] = [];
    const checked: Array<{ id: number; label: string; points: VideoPoint[]; analysis: TrackAnalysis; spec: ObjectSpec | null; pxPerM: number | null; slowMotion: number }> = [];
    const { slowMotion } = this.context.expect;
    const scale = sceneScale(tracks, analyses, specs, points, thresholds, frameIntervalS);
    const largestRadiusPx = Math.max(0, ...analyses.map((a) => a.meanRadiusPx));
    tracks.forEach((track, i) => {
      const analysis = analyses[i] as TrackAnalysis;
      const trackPoints = points[i] as VideoPoint[];
      const spec = specs[i] ?? null;
      const pxPerM = spec === null ? null : (scale?.pxPerM ?? null);
      const { contactsS, restitution } = contactsOf(analysis);
      objects.push({
        id: track.id,
        frames: track.points.length,
        gravityPxS2: analysis.gravityPxS2,
        gravityStdErrPxS2: analysis.gravityStdErrPxS2,
        gravityMS2: analysis.gravityPxS2 !== null && pxPerM !== null ? realAccelerationMS2(analysis.gravityPxS2, pxPerM, slowMotion) : null,
        pxPerM,
        ...(pxPerM === null || scale === null ? {} : { scaleFromObjectId: scale.objectId }),
        meanRadiusPx: analysis.meanRadiusPx,
        restitution,
        contactsS,
        landingsS: landingsOf(analysis, frameIntervalS),
        arcs: analysis.arcs,
        track: trackPoints.map((p) => [p.timeS, p.xPx, p.yPx, p.radiusPx]),
      });
      const label = objectLabel(track.id, namedBySize(spec, this.context.expect.objects), tracks.length, inLiquidScene && isDropletSized(analysis.meanRadiusPx, largestRadiusPx));
      const checks = checkTrajectory(
        { label, points: inFlight(trackPoints, analysis, frameIntervalS), trackPoints, analysis, pxPerM, slowMotion, frameIntervalS, underOverlay: this.underOverlay },
        this.context.expect.gravityMS2,
        thresholds,
      );
      const atRest = checks.some((f) => f.code === 'size-change') ? [] : sizeChangeFailures(label, finalRest(trackPoints, analysis, frameIntervalS), thresholds, ' while at rest');
      failures.push(...checks, ...atRest);
      checked.push({ id: track.id, label, points: trackPoints, analysis, spec, pxPerM, slowMotion });
    });
    if (objects.length === 0) failures.push(...this.withoutMovingObject(pieces, thresholds, frameIntervalS));
    const momentum = this.context.expect.objects.length > 0 ? checkMomentum(checked, frameIntervalS, thresholds) : null;
    const handed = handovers(checked, frameIntervalS, thresholds);
    failures.push(...(momentum?.failures ?? []), ...handoverJumps(handed, frameIntervalS, thresholds), ...handoverVanishes(handed, frameIntervalS, thresholds, this.underOverlay));
    const { boundaryS } = this.context;
    const boundary = boundaryS === undefined ? null : checkBoundary(checked, boundaryS, thresholds);
    if (boundary !== null) {
      // The arc checks may see the same jump or change of g at the boundary; its sentence names the boundary.
      const seenAtBoundary = (f: MetricOutcome['failures'][number]): boolean =>
        boundary.failures.some((b) => b.code === f.code && Math.abs((f.atS ?? -Infinity) - (b.atS ?? Infinity)) <= 2 * frameIntervalS);
      const kept = failures.filter((f) => !seenAtBoundary(f));
      failures.splice(0, failures.length, ...kept, ...boundary.failures);
    }
    const main = objects[mainObjectIndex(objects, analyses)];
    const value: TrajectoryValue = {
      objects,
      gravityPxS2: main?.gravityPxS2 ?? null,
      gravityMS2: main?.gravityMS2 ?? null,
      restitution: main?.restitution ?? [],
      contactsS: main?.contactsS ?? [],
      ...(momentum === null ? {} : { collisions: momentum.collisions }),
      ...(boundary === null ? {} : { boundary: boundary.boundary }),
      ...this.camera.summary(this.context.analysisScale),
    };
    failures.sort((a, b) => (a.atS ?? 0) - (b.atS ?? 0));
    const appearance = tracks.map((track, i) => {
      const analysis = analyses[i] as TrackAnalysis;
      return { id: track.id, samples: this.appearance.samplesFor([...inFlight(track.points, analysis, frameIntervalS), ...finalRest(track.points, analysis, frameIntervalS)]) };
    });
    return { value: { ...value, appearance }, failures };
  }
}

export { TRAJECTORY_DEFAULTS };

/** Tracks moving balls, fits their free-flight arcs, and checks gravity, bounces and continuity. */
export const trajectoryMetric: Metric = {
  id: 'trajectory',
  version: '0.9.0',
  description: 'Tracks moving objects, fits ballistic arcs between contacts, and checks gravity, energy at bounces, jumps, gaps and size.',
  reference:
    'Least-squares parabola y = y0 + vy·τ + ½gτ² on centred time; inverse-variance combination of arcs; contact time at the intersection of adjacent arcs; restitution by Newton\'s experimental law; momentum balance Σm·v before and after a collision; ballistic continuation across a boundary.',
  outputs: {
    gravityMS2: { unit: 'm/s²', better: 'closer-to-expected', description: "gravity measured on the main object's free flights" },
    gravityPxS2: { unit: 'px/s²', better: 'closer-to-expected', description: 'the same in video pixels, without the scale' },
    restitution: { unit: '1', better: 'closer-to-expected', description: 'coefficient of restitution at each contact of the main object' },
    contactsS: { unit: 's', better: 'closer-to-expected', description: 'contact times of the main object, sub-frame' },
    objects: { unit: 'various', better: 'closer-to-expected', description: 'every tracked object: track, arcs, g per object, contacts' },
    collisions: { unit: 'kg·px/s', better: 'closer-to-expected', description: 'collisions between tracked objects: total momentum before and after, relative imbalance' },
    appearance: { unit: 'RGB 0-255', better: 'closer-to-expected', description: 'per tracked object and sighting: mean colour of the inner disc and the coefficient of variation of its luma (read by the temporal metric)' },
    boundary: { unit: 'px', better: 'lower', description: 'with a boundary time: jumps in position, velocity and g across it, and the miss of the motion predicted from before it' },
  },
  codes: ['no-object', 'gravity-off', 'gravity-inconsistent', 'energy-gain', 'teleport', 'vanish', 'size-change', 'shape-change', 'momentum-violation'],
  needs: { frames: true, audio: false },
  after: [],
  defaultThresholds: TRAJECTORY_DEFAULTS,
  start: (context) => new TrajectorySession(context),
};
