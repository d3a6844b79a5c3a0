import type { Failure } from '../prompts/codes.js';
import { awayFromDrifts, centreVelocityPxS, clothPoints, cutInconsistentTracks, fallAccelerationPxS2, findJumps, firstTrackedFrame, frameStretch, histogram, horizontalNeighbourPairs, medianSpeedsPxS, motionEnergyPx2S2, movingPoints, pointsAt, pointStrains, pointSteps, quantile, restStart, firstRestAfterMoving, runningMedian, startWidthPx, steadyDrifts, type PointTracks } from './cloth-measures.js';
import { loadedOpenCv, loadOpenCv } from './opencv.js';
import { POINT_TRACKER_DEFAULTS, PointTracker } from './point-tracks.js';
import { downscaleGray, flowDownscaleFactor } from './warp-error.js';
import { realAccelerationMS2 } from './real-time.js';
import type { AnalysisFrame, Metric, MetricContext, MetricOutcome, MetricSession } from './types.js';
import { round, roundOrNull } from './rounding.js';

/** Default thresholds of the cloth metric; the largest strain allowed comes from the prompt (`expect.cloth.maxStretch`). */
export const CLOTH_DEFAULT_THRESHOLDS = {
  /** Frames are tracked shrunk by a whole factor to about this width, px: the tracker's windows and the limits below were validated there, and it is faster. */
  trackWidthPx: 320,
  /** A point belongs to the moving cloth once it travels this fraction of the frame width from where it was first seen. */
  minTravelFraction: 0.01,
  /** Cloth points are linked into one piece across gaps up to this fraction of the frame width. */
  linkFraction: 0.06,
  /** ...when their steps to the next frame differ by at most this fraction of the frame width (fabric carries its neighbours along; a watermark drifting past the cloth moves apart from it). */
  linkStepFraction: 0.015,
  /** Fewer cloth points than this and nothing is judged (a plain, textureless cloth); fewer still tracked and the cloth is sought again where it was lost. */
  minClothPoints: 8,
  /** Neighbour pairs for stretch: at most this many cloth widths apart... */
  pairGapWidths: 0.25,
  /** ...and at most this steep (|dy|/|dx|) when first seen together. */
  pairMaxSlope: 0.3,
  /** A track ends where its step departs from its 6 nearest neighbours' median step by more than this many cloth widths. */
  maxDeviationWidths: 0.03,
  /** Stretch of a frame: this quantile of its points' strains (the truth's ClothTruth.stretch is the same quantile of the fabric's). */
  stretchQuantile: 0.95,
  /** A frame's stretch is judged from at least this many points: a few survivors of a rippling flag say little of the whole. */
  minStrainPoints: 8,
  /** A frame's stretch is at most the strain this many points all reach, so that it is never one or two points' (an occlusion edge sliding over the cloth looks like a point that stretches). */
  minStretchedPoints: 3,
  /** Stretch must last this long (running median) to count, s: a one-frame tracking slip is not fabric. */
  stretchWindowS: 0.1,
  /** `faster-than-gravity` when the centre's downward acceleration exceeds g by this factor. */
  maxGravityRatio: 1.25,
  /** The free fall is fitted over at least this many frames. */
  minFallFrames: 4,
  /** At rest below this median speed of the points, cloth widths per second. */
  restSpeedWidthsS: 0.05,
  /** Speeds are smoothed over this window before judging rest, s. */
  speedWindowS: 0.2,
  /** A frame's speed is judged from at least this many points' steps. */
  minSpeedPoints: 5,
  /**
   * A point's steps over this window, s, that go a straight path at a constant speed (the mean step
   * more than `minDriftRatio` times their spread around it) are a steady drift, as a watermark
   * drifting over the picture moves its corners...
   */
  driftWindowS: 0.5,
  minDriftRatio: 3,
  /** ...and faster than this many frame widths per second (the simulator's watermark drifts at 0.12). */
  minDriftFrameWidthsS: 0.01,
  /** ...and the cloth's steps at points drifting, or within this fraction of the frame width of one, are left out of its speed (the watermark drags the points under it). */
  driftReachFraction: 0.05,
  /** `no-settling` when the cloth is not at rest over the last this many seconds (judged when its speed is known in at least half of those frames)... */
  settleTailS: 0.5,
  /** ...nor was for this long anywhere after it first moved (a cloth at rest that a pop or a watermark's drag moves later did settle)... */
  minRestS: 0.25,
  /** ...and its speed there is at least this fraction of its speed over the same time before (not dying away: it is not merely still settling). */
  minTailSpeedRatio: 1 / 3,
  /** `cloth-pop` when points start from rest with a step longer than this many cloth widths in one frame... */
  popJumpWidths: 0.05,
  /** ...at least this many at once... */
  minPopPoints: 5,
  /** ...but fewer than this fraction of all points tracked in the frame, background included (all at once is the camera). */
  maxPopFraction: 0.5,
} as const;

/** Strain histogram range: from −20% in bins of 2%, the last bin holding everything above +100%. */
const STRAIN_BINS = { low: -0.2, width: 0.02, count: 61 } as const;
/** Series kept for charts are decimated to at most this many points. */
const MAX_SERIES_POINTS = 200;

export interface ClothValue {
  /** Points followed in the clip, and those judged to be on the cloth. */
  trackedPoints: number;
  clothPoints: number;
  /** Width of the cloth at the first frame (extent of its points along x), px of the tracked frames. */
  widthPx: number | null;
  /** Scale from `expect.cloth.widthM` over the measured width; null without a width in the prompt. */
  pxPerM: number | null;
  scaleSource: string;
  stretch: {
    maxAllowed: number;
    /** Largest strain sustained over `stretchWindowS` (running median of each frame's quantile). */
    sustained: number | null;
    sustainedAtS: number | null;
    /** Over every point's strain in every frame. */
    p50: number | null;
    p95: number | null;
    max: number | null;
    pairs: number;
    histogram: { lowStrain: number; binWidth: number; counts: number[] };
    /** [timeS, the frame's stretch quantile], decimated. */
    series: Array<[number, number]>;
  };
  fall: { accelerationPxS2: number; accelerationMS2: number | null; gravityRatio: number | null; endS: number } | null;
  settle: {
    /** From this time the cloth stays at rest; null when it never does. */
    settleS: number | null;
    restSpeedWidthsS: number;
    /** [timeS, median speed of the points not drifting steadily, cloth widths per second, smoothed], decimated; frames with too few such points left out. */
    speedSeries: Array<[number, number]>;
    /** [timeS, motion energy per unit mass, (m/s)² with a scale or (px/s)² without], decimated. */
    energySeries: Array<[number, number]>;
    energyUnit: '(m/s)^2' | '(px/s)^2';
  };
  pops: Array<{ atS: number; points: number }>;
  note: string | null;
}

export const clothMetric: Metric = {
  id: 'cloth',
  version: '1.3.0',
  description: 'Cloth: stretch between neighbouring texture points, free fall against g, settling, popping',
  reference:
    'Shi & Tomasi 1994 corners, pyramidal Lucas-Kanade (Bouguet 2000) with a forward-backward check (Kalal et al. 2010); engineering strain d/d0 − 1 of horizontal neighbour pairs; centre acceleration by least squares on its velocity; motion energy as mean squared point speed; rest by the median point speed, leaving out steady drifts (a watermark\'s straight path at constant speed) and the points near them',
  outputs: {
    stretch: { unit: 'strain', better: 'lower', description: 'largest strain between neighbouring cloth points sustained over 0.1 s' },
    gravityRatio: { unit: 'ratio to g', better: 'closer-to-expected', description: "the cloth centre's downward acceleration while it falls, over g (scale from expect.cloth.widthM)" },
    settleS: { unit: 's', better: 'lower', description: 'time from which the cloth stays at rest' },
    pops: { unit: 'count', better: 'lower', description: 'frames where cloth points jump from rest' },
  },
  codes: ['cloth-stretch', 'faster-than-gravity', 'no-settling', 'cloth-pop'],
  needs: { frames: true, audio: false },
  after: [],
  defaultThresholds: CLOTH_DEFAULT_THRESHOLDS,
  async prepare(): Promise<void> {
    await loadOpenCv();
  },
  start(context: MetricContext): MetricSession {
    return context.expect.cloth === undefined ? noClothSession : new ClothSession(context);
  },
};

/** A prompt without `expect.cloth` shows no cloth: nothing is tracked or judged. */
const noClothSession: MetricSession = {
  onFrame(): void {},
  finish(): MetricOutcome {
    return { value: { note: 'the prompt describes no cloth (expect.cloth): nothing judged' }, failures: [] };
  },
};

/** Keeps the previous frame (inside the tracker) and the point positions: frames × points ever started. */
class ClothSession implements MetricSession {
  private readonly tracker = new PointTracker(loadedOpenCv());
  private readonly timesS: number[] = [];
  private readonly thresholds: typeof CLOTH_DEFAULT_THRESHOLDS;
  private readonly shrink: number;

  constructor(private readonly context: MetricContext) {
    this.thresholds = { ...CLOTH_DEFAULT_THRESHOLDS, ...context.thresholds };
    this.shrink = flowDownscaleFactor(context.analysisWidth, this.thresholds.trackWidthPx);
  }

  onFrame(frame: AnalysisFrame): void {
    this.timesS.push(frame.timeS);
    const small = downscaleGray(frame.gray, frame.width, frame.height, this.shrink);
    this.tracker.push(small.data, small.width, small.height);
  }

  finish(): MetricOutcome {
    return judgeCloth(this.tracker.tracks(), this.timesS, { ...this.context, analysisWidth: Math.floor(this.context.analysisWidth / this.shrink) }, this.thresholds);
  }
}

/** Measures and judges the cloth from its point tracks (in px of frames `context.analysisWidth` wide). */
export function judgeCloth(tracks: PointTracks, timesS: readonly number[], context: MetricContext, t: typeof CLOTH_DEFAULT_THRESHOLDS): MetricOutcome {
  const cloth = context.expect.cloth;
  const maxAllowed = cloth?.maxStretch ?? 0.1;
  const fps = frameRate(timesS, context.video.fps);
  const timeOf = (frame: number): number => round(timesS[frame] ?? frame / fps, 3);
  const frameWidth = context.analysisWidth;
  // Points lost are replaced by new corners within the tracker's reseeding interval.
  const members = clothPoints(tracks, movingPoints(tracks, t.minTravelFraction * frameWidth), { linkPx: t.linkFraction * frameWidth, maxStepDifferencePx: t.linkStepFraction * frameWidth, minAlive: t.minClothPoints, recentFrames: POINT_TRACKER_DEFAULTS.reseedEveryFrames });
  const firstFrame = members.reduce((first, i) => Math.min(first, firstTrackedFrame(tracks, i) ?? Infinity), Infinity);
  const widthPx = members.length >= t.minClothPoints ? startWidthPx(tracks, members, t.linkFraction * frameWidth) : null;
  const empty: ClothValue = {
    trackedPoints: tracks.count,
    clothPoints: members.length,
    widthPx: null,
    pxPerM: null,
    scaleSource: 'none',
    stretch: { maxAllowed, sustained: null, sustainedAtS: null, p50: null, p95: null, max: null, pairs: 0, histogram: { lowStrain: STRAIN_BINS.low, binWidth: STRAIN_BINS.width, counts: [] }, series: [] },
    fall: null,
    settle: { settleS: null, restSpeedWidthsS: t.restSpeedWidthsS, speedSeries: [], energySeries: [], energyUnit: '(px/s)^2' },
    pops: [],
    note: null,
  };
  if (widthPx === null || widthPx <= 0) {
    return { value: { ...empty, note: `only ${members.length} moving texture points on the cloth (at least ${t.minClothPoints} needed): nothing judged` }, failures: [] };
  }
  const pxPerM = cloth === undefined ? null : widthPx / cloth.widthM;
  const failures: Failure[] = [];
  const steady = cutInconsistentTracks(tracks, members, 6, t.maxDeviationWidths * widthPx);

  // Stretch: each frame's quantile over its points' strains, sustained over a window.
  // Pairs only among the points of the first frame: a later reference may already be stretched or
  // folded (a fold shortens a pair in the picture, and unfolding would then look like stretch).
  const firstPoints = members.filter((i) => firstTrackedFrame(steady, i) === firstFrame);
  const pairs = horizontalNeighbourPairs(pointsAt(steady, firstPoints, firstFrame), t.pairGapWidths * widthPx, t.pairMaxSlope);
  const all: number[] = [];
  const perFrame: Array<number | null> = [];
  for (let k = 0; k < tracks.frameCount; k += 1) {
    const strains = pointStrains(steady, pairs, k);
    all.push(...strains);
    perFrame.push(strains.length >= t.minStrainPoints ? frameStretch(strains, t.stretchQuantile, t.minStretchedPoints) : null);
  }
  const judged = perFrame.flatMap((s, k) => (s === null ? [] : [{ k, s }]));
  const window = Math.max(1, Math.round(t.stretchWindowS * fps));
  const sustainedSeries = runningMedian(judged.map((j) => j.s), window);
  let worst: number | null = null;
  sustainedSeries.forEach((s, n) => {
    if (worst === null || s > (sustainedSeries[worst] as number)) worst = n;
  });
  const sustained = worst === null ? null : (sustainedSeries[worst] as number);
  const sustainedAtS = worst === null ? null : timeOf(judged[worst]?.k ?? 0);
  if (sustained !== null && sustainedAtS !== null && sustained > maxAllowed) {
    failures.push({ code: 'cloth-stretch', message: `neighbouring points on the cloth move ${percent(sustained)} apart (fabric allows ${percent(maxAllowed)}) at ${sustainedAtS.toFixed(2)} s`, atS: sustainedAtS });
  }

  // Free fall: the centre's downward acceleration against g, in px/s² through the width scale (g per
  // clip second², g/slowMotion², in a slow-motion clip).
  const steps = pointSteps(steady, members);
  const velocity = centreVelocityPxS(steps, fps);
  const fit = fallAccelerationPxS2(velocity, fps, t.minFallFrames);
  const { slowMotion } = context.expect;
  const gravityPxS2 = pxPerM === null ? null : (context.expect.gravityMS2 * pxPerM) / (slowMotion * slowMotion);
  const fall = fit === null ? null : {
    accelerationPxS2: round(fit.accelerationPxS2, 1),
    accelerationMS2: pxPerM === null ? null : round(realAccelerationMS2(fit.accelerationPxS2, pxPerM, slowMotion), 3),
    gravityRatio: gravityPxS2 === null ? null : round(fit.accelerationPxS2 / gravityPxS2, 3),
    endS: timeOf(fit.endFrame),
  };
  if (fall !== null && fall.gravityRatio !== null && fall.accelerationMS2 !== null && fall.gravityRatio > t.maxGravityRatio) {
    failures.push({
      code: 'faster-than-gravity',
      message: `the cloth's centre falls with ${fall.accelerationMS2.toFixed(1)} m/s², ${fall.gravityRatio.toFixed(2)} times g, until ${fall.endS.toFixed(2)} s (scale from the cloth's ${cloth?.widthM ?? '?'} m width)`,
      atS: 0,
    });
  }

  // Settling: the median speed of the cloth's points, smoothed, must fall to rest and stay there (the
  // median: a few points slipping do not hold the cloth moving). Once the cloth has first come to rest,
  // points drifting steadily and those near them are left out (a watermark drifting over it); before,
  // the cloth itself may drift (a scarf floating down at its terminal speed). Frames with fewer points
  // than minSpeedPoints say nothing.
  const energyPx = motionEnergyPx2S2(steps, fps);
  const speedWindow = Math.max(1, Math.round(t.speedWindowS * fps));
  const minRestFrames = Math.max(2, Math.round(t.minRestS * fps));
  const smoothedSpeeds = (frameSteps: typeof steps): Array<{ k: number; speed: number }> => {
    const known = medianSpeedsPxS(frameSteps, fps, t.minSpeedPoints).flatMap((speed, k) => (speed === null ? [] : [{ k, speed: speed / widthPx }]));
    const smooth = runningMedian(known.map((s) => s.speed), speedWindow);
    return known.map((s, n) => ({ k: s.k, speed: smooth[n] as number }));
  };
  const withDrifts = smoothedSpeeds(steps);
  const firstRest = firstRestAfterMoving(withDrifts.map((s) => s.speed), t.restSpeedWidthsS, minRestFrames);
  const firstRestFrame = firstRest === null ? tracks.frameCount : (withDrifts[firstRest]?.k ?? tracks.frameCount);
  const everyStep = pointSteps(tracks, Array.from({ length: tracks.count }, (_, i) => i));
  const drifting = steadyDrifts(everyStep, Math.max(1, Math.round((t.driftWindowS * fps) / 2)), (t.minDriftFrameWidthsS * frameWidth) / fps, t.minDriftRatio);
  const awayFromDrift = awayFromDrifts(tracks, steps, drifting, t.driftReachFraction * frameWidth);
  const speedWidths = smoothedSpeeds(steps.map((frame, k) => (k < firstRestFrame ? frame : (awayFromDrift[k] ?? []))));
  const smoothed = speedWidths.map((s) => s.speed);
  const tailFrames = Math.max(2, Math.round(t.settleTailS * fps));
  const tailStart = tracks.frameCount - tailFrames;
  const tail = speedWidths.filter((s) => s.k >= tailStart);
  const before = speedWidths.filter((s) => s.k >= tailStart - tailFrames && s.k < tailStart);
  const tailSeen = 2 * tail.length >= tailFrames;
  const restIndex = tailSeen ? restStart(smoothed, t.restSpeedWidthsS, tail.length) : null;
  const settleS = restIndex === null ? null : timeOf(speedWidths[restIndex]?.k ?? 0);
  const tailSpeed = mean(tail.map((s) => s.speed));
  const beforeSpeed = mean(before.map((s) => s.speed));
  const expectsRest = cloth?.windMS === undefined || cloth.windMS === 0;
  // Never at rest once it had moved (a cloth at rest that something moves later, a pop or a watermark
  // dragging its points, did settle), moving over the tail, not in one frame of it, and not dying away
  // (a cloth still settling).
  const rested = firstRest !== null;
  if (expectsRest && tailSeen && settleS === null && !rested && before.length > 0 && tailSpeed > t.restSpeedWidthsS && tailSpeed >= t.minTailSpeedRatio * beforeSpeed) {
    failures.push({
      code: 'no-settling',
      message: `the cloth keeps moving to the end (median point speed ${tailSpeed.toFixed(2)} cloth widths/s over the last ${t.settleTailS} s, ${percent(tailSpeed / Math.max(beforeSpeed, Number.EPSILON))} of the ${t.settleTailS} s before: not dying away) instead of coming to rest`,
      atS: timeOf(Math.max(0, tailStart)),
    });
  }
  const settleNote = expectsRest && !tailSeen ? `settling not judged: fewer than ${t.minSpeedPoints} cloth points followed (and not drifting steadily) in ${tailFrames - tail.length} of the last ${tailFrames} frames` : null;

  // Popping: points that start from rest with a long step, while the rest of the cloth does not (raw
  // tracks: the neighbour check would cut a jumping patch at its border).
  const rawSteps = pointSteps(tracks, members);
  // Jumps in consecutive frames are one pop (points lost at the jump and found again by the tracker's
  // search jump a frame later than those followed), at its first frame with its most points.
  const jumps = findJumps(rawSteps, t.popJumpWidths * widthPx, t.minPopPoints).filter((jump) => jump.points < t.maxPopFraction * (everyStep[jump.frame]?.length ?? 0));
  const events = jumps.reduce<Array<{ frame: number; last: number; points: number }>>((merged, jump) => {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && jump.frame === previous.last + 1) merged[merged.length - 1] = { ...previous, last: jump.frame, points: Math.max(previous.points, jump.points) };
    else merged.push({ frame: jump.frame, last: jump.frame, points: jump.points });
    return merged;
  }, []);
  const pops = events.map((event) => ({ atS: timeOf(event.frame), points: event.points }));
  for (const pop of pops) {
    failures.push({ code: 'cloth-pop', message: `${pop.points} points on the cloth jump more than ${percent(t.popJumpWidths)} of its width from rest in one frame at ${pop.atS.toFixed(2)} s`, atS: pop.atS });
  }

  const energyScale = pxPerM === null ? 1 : 1 / (pxPerM * pxPerM);
  const value: ClothValue = {
    trackedPoints: tracks.count,
    clothPoints: members.length,
    widthPx: round(widthPx, 2),
    pxPerM: pxPerM === null ? null : round(pxPerM, 3),
    scaleSource: pxPerM === null ? 'none: the prompt gives no cloth width' : `expect.cloth.widthM (${cloth?.widthM} m) over the cloth's measured width at the first frame (${widthPx.toFixed(1)} px)`,
    stretch: {
      maxAllowed,
      sustained: sustained === null ? null : round(sustained, 4),
      sustainedAtS,
      p50: roundOrNull(quantile(all, 0.5), 4),
      p95: roundOrNull(quantile(all, 0.95), 4),
      max: all.length === 0 ? null : round(all.reduce((a, b) => Math.max(a, b), -Infinity), 4),
      pairs: pairs.length,
      histogram: { lowStrain: STRAIN_BINS.low, binWidth: STRAIN_BINS.width, counts: histogram(all, STRAIN_BINS.low, STRAIN_BINS.width, STRAIN_BINS.count) },
      series: decimate(judged.map((j) => [timeOf(j.k), round(j.s, 4)])),
    },
    fall,
    settle: {
      settleS,
      restSpeedWidthsS: t.restSpeedWidthsS,
      speedSeries: decimate(speedWidths.map((s) => [timeOf(s.k), round(s.speed, 4)])),
      energySeries: decimate(energyPx.map((e, k) => [timeOf(k), roundSignificant(e * energyScale, 4)])),
      energyUnit: pxPerM === null ? '(px/s)^2' : '(m/s)^2',
    },
    pops,
    note: settleNote,
  };
  return { value: { ...value }, failures };
}

function frameRate(timesS: readonly number[], fallbackFps: number): number {
  const intervals = timesS.slice(1).map((t, k) => t - (timesS[k] as number));
  const median = quantile(intervals, 0.5);
  return median !== null && median > 0 ? 1 / median : fallbackFps;
}

/** Every n-th point so at most MAX_SERIES_POINTS remain (the last always kept). */
function decimate(series: Array<[number, number]>): Array<[number, number]> {
  if (series.length <= MAX_SERIES_POINTS) return series;
  const step = Math.ceil(series.length / (MAX_SERIES_POINTS - 1));
  return series.filter((_, k) => k % step === 0 || k === series.length - 1);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function roundSignificant(value: number, digits: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(digits));
}
