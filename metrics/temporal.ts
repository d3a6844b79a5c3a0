import type { Failure } from '../prompts/codes.js';
import { appearanceChanges, type ObjectAppearanceChange } from './appearance.js';
import type { ObjectAppearance } from './appearance-signature.js';
import { flickerIndex, flickerResiduals } from './flicker.js';
import { meanAbsoluteDifference, summariseFrame, summarisePlanes } from './frame-difference.js';
import { frameIntervalStats } from './frame-intervals.js';
import { findFrozenRuns } from './frozen-runs.js';
import { globalMotionSmoothness, pathSmoothness, type GlobalMotionSmoothness, type PathSmoothness } from './jerk.js';
import { loadedOpenCv, loadOpenCv, type OpenCv } from './opencv.js';
import { median } from './robust-stats.js';
import { findSceneCuts } from './scene-cuts.js';
import type { AnalysisFrame, FinishInput, Metric, MetricContext, MetricOutcome, MetricSession } from './types.js';
import { farnebackFlow, flowDownscaleFactor, warpConsistency, type GrayImage, type WarpConsistency } from './warp-error.js';
import { round } from './rounding.js';

/** Default thresholds of the temporal metric. */
export const TEMPORAL_DEFAULT_THRESHOLDS = {
  /** `flicker` when, over any `flickerWindowS`, the median frame-to-frame brightness residual exceeds this fraction of the mean level. */
  maxFlickerIndex: 0.02,
  /** Length of the window of the flicker index, seconds. */
  flickerWindowS: 0.5,
  /** `flicker` when, over any `flickerWindowS`, the median jump of the motion-compensated log gain from its neighbours exceeds this. */
  maxFlowFlickerIndex: 0.02,
  /** `flicker` also when one frame alone jumps by more than this fraction (a flash). */
  maxFrameFlicker: 0.15,
  /** Frames repeat when they differ by at most this many grey levels on average... */
  maxStillDiff: 0.03,
  /** ...or by at most this fraction of the clip's 75th-percentile frame difference. */
  relativeStillDiff: 0.05,
  /** `frozen-frames` from this many identical frames in a row. */
  minFrozenFrames: 3,
  /** `timing-irregular` when a frame interval departs from the median interval by more than this fraction. */
  maxIntervalDeviation: 0.25,
  /** `scene-cut` when the colour histogram changes by at least this total-variation distance... */
  minCutDistance: 0.3,
  /** ...and this many times the typical change around it. */
  minCutRatio: 4,
  /** `appearance-change` when a tracked object's exposure-normalised colour, first third against last third of its sightings, differs by more than this CIE76 ΔE. */
  maxAppearanceDeltaE: 20,
} as const;

/** Frames on each side of a scene cut left out of the flicker residuals (the window of a residual). */
const FLICKER_HALF_WINDOW_FRAMES = 3;

export interface TemporalValue {
  /** Worst windowed median of the flicker residual, relative to the mean level; null when the clip is too short to judge. */
  flickerIndex: number | null;
  worstFlickerAtS: number | null;
  /** Mean luma (0-255) of every frame. */
  lumaSeries: number[];
  /** Flicker residual of every frame (null where not judged). */
  flickerSeries: Array<number | null>;
  frozenRuns: Array<{ startS: number; frames: number; freeze: boolean }>;
  frameIntervalMs: { mean: number; std: number; max: number; min: number; median: number };
  sceneCutsS: number[];
  /** Consistency after warping each frame onto the next with optical flow; null values where nothing was tracked. */
  warp: {
    /** Lai et al. 2018 warping error, mean over frame pairs, fraction of 255. */
    errorMean: number | null;
    /** Mean and lowest SSIM between the warped previous frame and the current one. */
    ssimMean: number | null;
    ssimMin: number | null;
    /** Mean fraction of pixels that passed the forward-backward flow test. */
    reliableFraction: number | null;
    /** Worst windowed median of the log-gain jump not explained by a smooth lighting change. */
    flickerIndex: number | null;
    worstFlickerAtS: number | null;
  };
  /** Motion-compensated log gain from the previous frame to each frame (null for the first and where untracked). */
  logGainSeries: Array<number | null>;
  /** Colour consistency of each object the trajectory metric tracked (empty without it). */
  appearance: ObjectAppearanceChange[];
  /** Motion smoothness of each object the trajectory metric tracked: jerk against its noise, and acceleration jumps away from contacts. */
  motion: Array<{ id: number } & PathSmoothness>;
  /** Smoothness of the whole picture's motion (the camera's, mostly) from the optical flow, in video px. */
  cameraMotion: GlobalMotionSmoothness;
}

export const temporalMetric: Metric = {
  id: 'temporal',
  version: '1.3.0',
  description: 'Flicker, frozen frames, irregular frame timing, scene cuts and the colour consistency of tracked objects',
  reference:
    'Warping error with a motion-boundary occlusion mask (Sundaram et al. 2010): Lai et al. 2018 (ECCV), Farneback flow; appearance: CIE76 ΔE of exposure-normalised object colours; SSIM: Wang et al. 2004; flicker: residual of mean luma/RGB against the median of ±3 neighbouring frames; frozen frames: mean absolute frame difference; scene cuts: colour-histogram total-variation distance against its local level',
  outputs: {
    flickerIndex: { unit: 'fraction of mean level', better: 'lower', description: 'robust frame-to-frame brightness change not explained by a smooth lighting change' },
    warpError: { unit: 'fraction of 255', better: 'lower', description: 'mean absolute difference between each frame and the previous one warped onto it by optical flow, on reliably tracked pixels' },
    warpSsim: { unit: 'SSIM', better: 'higher', description: 'structural similarity between each frame and the previous one warped onto it' },
    flowFlickerIndex: { unit: 'log gain', better: 'lower', description: 'motion-compensated frame-to-frame gain jumps not explained by a smooth lighting change' },
    frozenFrames: { unit: 'frames', better: 'lower', description: 'frames inside runs judged a freeze' },
    frameIntervalStdMs: { unit: 'ms', better: 'lower', description: 'standard deviation of the frame intervals' },
    sceneCuts: { unit: 'count', better: 'lower', description: 'abrupt whole-frame changes' },
    cameraMotion: { unit: 'px/s³', better: 'lower', description: "RMS speed and jerk of the whole picture's mean optical flow: a shaking camera is jerky, a still or panning one is not" },
    motion: { unit: 'px/s³', better: 'lower', description: 'per tracked object, RMS jerk of the path between contacts against the jerk its position noise explains, and times where the acceleration jumps without a contact' },
    appearance: { unit: 'CIE76 ΔE', better: 'lower', description: "per tracked object, the change of its exposure-normalised colour from the first to the last third of its sightings" },
  },
  codes: ['flicker', 'frozen-frames', 'timing-irregular', 'scene-cut', 'appearance-change'],
  // Flow, levels and histograms all work on ~80 px cells: alone (without the trajectory metric) the clip
  // is decoded straight to that size, ffmpeg averaging every pixel into the cells (at 320 px the
  // decode and the cell sums in Node took more than the metric's own work).
  needs: { frames: true, audio: false, frameWidthPx: 80 },
  after: ['trajectory'],
  defaultThresholds: TEMPORAL_DEFAULT_THRESHOLDS,
  async prepare(): Promise<void> {
    await loadOpenCv();
  },
  start(context: MetricContext): MetricSession {
    return new TemporalSession(context);
  },
};

/** Keeps a few numbers per frame and only the previous small grey frame, so memory grows only by numbers per frame. */
class TemporalSession implements MetricSession {
  private readonly thresholds: typeof TEMPORAL_DEFAULT_THRESHOLDS;
  private readonly timesS: number[] = [];
  private readonly frameIndices: number[] = [];
  private readonly channels: [number[], number[], number[], number[]] = [[], [], [], []];
  private readonly differences: number[] = [];
  private readonly histograms: Float64Array[] = [];
  private previousSmall: GrayImage | null = null;
  private readonly warps: Array<WarpConsistency | null> = [];
  private readonly cv: OpenCv;
  private readonly flowFactor: number;

  constructor(private readonly context: MetricContext) {
    this.thresholds = { ...TEMPORAL_DEFAULT_THRESHOLDS, ...context.thresholds };
    this.cv = loadedOpenCv();
    this.flowFactor = flowDownscaleFactor(context.analysisWidth);
  }

  onFrame(frame: AnalysisFrame): void {
    this.timesS.push(frame.timeS);
    this.frameIndices.push(frame.index);
    const summary =
      frame.yuv === undefined
        ? summariseFrame(frame.rgb, frame.width, frame.height, this.flowFactor)
        : summarisePlanes(frame.yuv.planes, frame.width, frame.height, this.flowFactor, frame.yuv.toRgb);
    [summary.meanLuma, ...summary.meanRgb].forEach((mean, c) => this.channels[c]!.push(mean));
    this.histograms.push(summary.histogram);
    const small = summary.small;
    const previous = this.previousSmall;
    if (previous === null) {
      this.warps.push(null);
    } else {
      this.differences.push(meanAbsoluteDifference(small.data, previous.data));
      this.warps.push(warpConsistency(previous, small, farnebackFlow(this.cv, small, previous)));
    }
    this.previousSmall = small;
  }

  /** A motion on the small flow frames in video px. */
  private toVideoPx(motion: [number, number] | null): [number, number] | null {
    const scale = this.flowFactor / this.context.analysisScale;
    return motion === null ? null : [motion[0] * scale, motion[1] * scale];
  }

  /** Each tracked object's colour change, with every frame's level over the clip's median level as its exposure. */
  private appearance(input: FinishInput): ObjectAppearanceChange[] {
    const luma = this.channels[0];
    const level = median(luma);
    const byFrame = new Map(this.frameIndices.map((index, i) => [index, luma[i]!]));
    const gainOf = (frameIndex: number): number => (level > 0 ? (byFrame.get(frameIndex) ?? level) / level : 1);
    return appearanceChanges(objectAppearances(input), gainOf, { maxDeltaE: this.thresholds.maxAppearanceDeltaE });
  }

  finish(input: FinishInput): MetricOutcome {
    const t = this.thresholds;
    const timeOf = (frame: number): number => round(this.timesS[frame] ?? 0, 4);
    const failures: Failure[] = [];

    const cuts = findSceneCuts(this.histograms, { minDistance: t.minCutDistance, minRatio: t.minCutRatio });
    for (const cut of cuts) failures.push({ code: 'scene-cut', message: `the scene changes abruptly at ${timeOf(cut).toFixed(2)} s`, atS: timeOf(cut) });

    const luma = this.channels[0];
    const meanLuma = luma.length > 0 ? luma.reduce((a, b) => a + b, 0) / luma.length : 0;
    const nearCuts = new Set<number>();
    for (const cut of cuts) for (let i = cut - FLICKER_HALF_WINDOW_FRAMES; i < cut + FLICKER_HALF_WINDOW_FRAMES; i++) nearCuts.add(i);
    const residuals = flickerResiduals(this.channels, meanLuma, nearCuts, { halfWindowFrames: FLICKER_HALF_WINDOW_FRAMES });
    const intervals = frameIntervalStats(this.timesS);
    const fps = intervals.medianMs > 0 ? 1000 / intervals.medianMs : this.context.video.fps;
    const flicker = flickerIndex(residuals, Math.max(5, t.flickerWindowS * fps));
    const logGains = this.warps.map((w, i) => (w === null || nearCuts.has(i) ? null : w.logGain));
    const flowFlicker = flickerIndex(gainJumps(logGains, FLICKER_HALF_WINDOW_FRAMES), Math.max(5, t.flickerWindowS * fps));
    if (flowFlicker.index !== null && flowFlicker.index > t.maxFlowFlickerIndex && flowFlicker.worstFrame !== null) {
      failures.push({
        code: 'flicker',
        message: `after motion compensation the brightness jumps by ${percent(Math.expm1(flowFlicker.index))} from frame to frame (limit ${percent(Math.expm1(t.maxFlowFlickerIndex))}), worst at ${timeOf(flowFlicker.worstFrame).toFixed(2)} s`,
        atS: timeOf(flowFlicker.worstFrame),
      });
    } else if (flicker.index !== null && flicker.index > t.maxFlickerIndex && flicker.worstFrame !== null) {
      failures.push({
        code: 'flicker',
        message: `brightness flickers by ${percent(flicker.index)} from frame to frame (limit ${percent(t.maxFlickerIndex)}), worst at ${timeOf(flicker.worstFrame).toFixed(2)} s`,
        atS: timeOf(flicker.worstFrame),
      });
    } else {
      const flash = worstResidualFrame(residuals);
      if (flash !== null && Math.abs(residuals[flash]!) > t.maxFrameFlicker) {
        failures.push({
          code: 'flicker',
          message: `one frame jumps in brightness by ${percent(Math.abs(residuals[flash]!))} at ${timeOf(flash).toFixed(2)} s (limit ${percent(t.maxFrameFlicker)})`,
          atS: timeOf(flash),
        });
      }
    }

    const frozen = findFrozenRuns(this.differences, { maxStillDiff: t.maxStillDiff, relativeStillDiff: t.relativeStillDiff, minFrames: t.minFrozenFrames });
    for (const run of frozen.runs.filter((r) => r.freeze)) {
      failures.push({
        code: 'frozen-frames',
        message: `the picture freezes for ${run.frames} frames from ${timeOf(run.startFrame).toFixed(2)} s while the clip moves elsewhere`,
        atS: timeOf(run.startFrame),
      });
    }

    if (intervals.worstFrame !== null && intervals.worstDeviation > t.maxIntervalDeviation) {
      const worstMs = (this.timesS[intervals.worstFrame]! - this.timesS[intervals.worstFrame - 1]!) * 1000;
      failures.push({
        code: 'timing-irregular',
        message: `a frame interval of ${worstMs.toFixed(1)} ms against a typical ${intervals.medianMs.toFixed(1)} ms (tolerance ${percent(t.maxIntervalDeviation)}) at ${timeOf(intervals.worstFrame).toFixed(2)} s`,
        atS: timeOf(intervals.worstFrame),
      });
    }

    const appearance = this.appearance(input);
    for (const object of appearance) {
      if (object.deltaE === null || object.deltaE <= t.maxAppearanceDeltaE) continue;
      const atS = object.changeAtS ?? undefined;
      failures.push({
        code: 'appearance-change',
        message: `object ${object.id} changes colour by ΔE ${object.deltaE.toFixed(0)} (limit ${t.maxAppearanceDeltaE}) beyond what the lighting explains${atS === undefined ? '' : `, from ${atS.toFixed(2)} s`}`,
        ...(atS === undefined ? {} : { atS }),
      });
    }

    const value: TemporalValue = {
      flickerIndex: flicker.index === null ? null : round(flicker.index, 5),
      worstFlickerAtS: flicker.worstFrame === null ? null : timeOf(flicker.worstFrame),
      lumaSeries: luma.map((l) => round(l, 2)),
      flickerSeries: residuals.map((r) => (r === null ? null : round(r, 5))),
      frozenRuns: frozen.runs.filter((r) => r.frames >= 2).map((r) => ({ startS: timeOf(r.startFrame), frames: r.frames, freeze: r.freeze })),
      frameIntervalMs: {
        mean: round(intervals.meanMs, 3),
        std: round(intervals.stdMs, 3),
        max: round(intervals.maxMs, 3),
        min: round(intervals.minMs, 3),
        median: round(intervals.medianMs, 3),
      },
      sceneCutsS: cuts.map(timeOf),
      warp: warpSummary(this.warps, flowFlicker.index, flowFlicker.worstFrame === null ? null : timeOf(flowFlicker.worstFrame)),
      logGainSeries: logGains.map((g) => (g === null ? null : round(g, 5))),
      appearance,
      cameraMotion: globalMotionSmoothness(this.warps.map((w) => this.toVideoPx(w?.meanMotionPx ?? null)), 1 / fps),
      motion: trackedPaths(input).map((path) => ({ id: path.id, ...pathSmoothness(path.track, path.contactsS, path.fitRmsPx) })),
    };
    return { value: { ...value }, failures };
  }
}

/** Reads the trajectory metric's per-sighting signatures, when it ran, and judges each object's colour against the frame levels. */
function objectAppearances(input: FinishInput): ObjectAppearance[] {
  const recorded = input.earlier['trajectory']?.value['appearance'];
  return Array.isArray(recorded) ? recorded.filter(isObjectAppearance) : [];
}

interface TrackedPath {
  id: number;
  track: number[][];
  contactsS: number[];
  /** RMS residual of the object's fitted arcs, px (points-weighted); null without arcs. */
  fitRmsPx: number | null;
}

/** Reads the tracks, contacts (collisions with other objects included) and arc residuals of the trajectory metric's objects, when it ran. */
function trackedPaths(input: FinishInput): TrackedPath[] {
  const trajectory = input.earlier['trajectory']?.value;
  const objects = trajectory?.['objects'];
  if (!Array.isArray(objects)) return [];
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');
  const collisions = Array.isArray(trajectory?.['collisions']) ? (trajectory['collisions'] as unknown[]) : [];
  const collisionsOf = (id: number): number[] =>
    collisions.flatMap((c) =>
      typeof c === 'object' && c !== null && 'timeS' in c && 'objectIds' in c && typeof c.timeS === 'number' && numbers(c.objectIds) && c.objectIds.includes(id) ? [c.timeS] : [],
    );
  return objects.flatMap((object: unknown): TrackedPath[] => {
    if (typeof object !== 'object' || object === null || !('id' in object) || !('track' in object) || !('contactsS' in object) || !('arcs' in object)) return [];
    const { id, track, contactsS, arcs } = object;
    if (typeof id !== 'number' || !Array.isArray(track) || !track.every(numbers) || !numbers(contactsS) || !Array.isArray(arcs)) return [];
    let squares = 0;
    let points = 0;
    for (const arc of arcs as unknown[]) {
      if (typeof arc !== 'object' || arc === null || !('rmsPx' in arc) || !('points' in arc)) continue;
      if (typeof arc.rmsPx !== 'number' || typeof arc.points !== 'number') continue;
      squares += arc.points * arc.rmsPx ** 2;
      points += arc.points;
    }
    return [{ id, track, contactsS: [...contactsS, ...collisionsOf(id)], fitRmsPx: points > 0 ? Math.sqrt(squares / points) : null }];
  });
}

function isObjectAppearance(value: unknown): value is ObjectAppearance {
  if (typeof value !== 'object' || value === null || !('id' in value) || !('samples' in value)) return false;
  return typeof value.id === 'number' && Array.isArray(value.samples) && value.samples.every((s: unknown) => Array.isArray(s) && s.length === 6 && s.every((n: unknown) => typeof n === 'number'));
}

/**
 * Gain jump of each frame: its log gain minus the median log gain of the `k` frames on each side. A
 * lighting ramp is a steady gain (jump ≈ 0); flicker is a gain that changes from one frame to the next.
 */
export function gainJumps(logGains: ReadonlyArray<number | null>, k: number): Array<number | null> {
  return logGains.map((gain, i) => {
    if (gain === null) return null;
    const neighbours: number[] = [];
    for (let j = Math.max(0, i - k); j <= Math.min(logGains.length - 1, i + k); j++) {
      const other = logGains[j];
      if (j !== i && other !== null && other !== undefined) neighbours.push(other);
    }
    return neighbours.length >= k ? gain - median(neighbours) : null;
  });
}

function warpSummary(warps: ReadonlyArray<WarpConsistency | null>, flickerIndex: number | null, worstFlickerAtS: number | null): TemporalValue['warp'] {
  const mean = (values: number[]): number | null => (values.length > 0 ? round(values.reduce((a, b) => a + b, 0) / values.length, 5) : null);
  const present = <K extends keyof WarpConsistency>(key: K): number[] =>
    warps.flatMap((w) => (w === null || w[key] === null ? [] : [w[key] as number]));
  const ssims = present('ssim');
  return {
    errorMean: mean(present('warpError')),
    ssimMean: mean(ssims),
    ssimMin: ssims.length > 0 ? round(Math.min(...ssims), 5) : null,
    reliableFraction: mean(present('reliableFraction')),
    flickerIndex: flickerIndex === null ? null : round(flickerIndex, 5),
    worstFlickerAtS,
  };
}

function worstResidualFrame(residuals: ReadonlyArray<number | null>): number | null {
  let worst: number | null = null;
  residuals.forEach((r, i) => {
    if (r !== null && (worst === null || Math.abs(r) > Math.abs(residuals[worst]!))) worst = i;
  });
  return worst;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}
