import type { YuvToRgb } from '../media/yuv.js';
import type { Failure, FailureCode } from '../prompts/codes.js';
import type { Expectations } from '../prompts/schema.js';
import type { AudioTrack, Frame, VideoInfo } from '../media/types.js';

export type Better = 'higher' | 'lower' | 'closer-to-expected';

export interface MetricOutputSpec {
  unit: string;
  better: Better;
  description: string;
}

/**
 * A frame as every metric sees it: decoded once at analysis size, in both grey and RGB. `rgb` and
 * `yuv.planes` are reused for the next frame once `onFrame` returns: copy what must be kept. `gray` is the frame's own.
 */
export interface AnalysisFrame {
  index: number;
  timeS: number;
  width: number;
  height: number;
  rgb: Uint8Array;
  gray: Uint8Array;
  /** The frame as decoded when it came as yuv444p planes (Y', Cb, Cr, limited range) and the clip's converter: a metric may summarise them without the RGB. */
  yuv?: { planes: Uint8Array; toRgb: YuvToRgb };
}

export interface MetricContext {
  video: VideoInfo;
  /** Analysis frames are `video` scaled by this factor (analysis px = video px × scale). */
  analysisScale: number;
  analysisWidth: number;
  analysisHeight: number;
  expect: Expectations;
  /** Thresholds for this metric, already merged over its defaults. */
  thresholds: Readonly<Record<string, number>>;
  /** Where a generated extension of the clip starts, s (`--boundary S`): continuity is checked across it. */
  boundaryS?: number;
}

export interface MetricOutcome {
  /** JSON-serialisable measurements, keyed by output name. */
  value: Record<string, unknown>;
  failures: Failure[];
}

/** Input to `finish`: the clip's audio (null when it has none) and the outcomes of earlier metrics. */
export interface FinishInput {
  audio: AudioTrack | null;
  earlier: Readonly<Record<string, MetricOutcome>>;
}

/** One clip's streaming analysis: frames arrive in order, once each, then `finish` is called. */
export interface MetricSession {
  onFrame(frame: AnalysisFrame): void;
  finish(input: FinishInput): Promise<MetricOutcome> | MetricOutcome;
}

export interface Metric {
  id: string;
  /** Bumped whenever the numbers it produces could change. */
  version: string;
  description: string;
  /** Paper, standard or formula the measure follows. */
  reference: string;
  outputs: Record<string, MetricOutputSpec>;
  codes: readonly FailureCode[];
  /**
   * What the metric reads. `frameWidthPx`: the widest analysis frame it can use (absent: any); the
   * clip is decoded at the largest width any requested metric can use, so a metric that works on
   * small frames alone does not pay for a full-size decode.
   */
  needs: { frames: boolean; audio: boolean; frameWidthPx?: number };
  /** Metric ids whose outcomes `finish` reads from `earlier`. */
  after: readonly string[];
  defaultThresholds: Readonly<Record<string, number>>;
  /**
   * Optional asynchronous set-up awaited once before `start` (e.g. loading a wasm module), so that
   * `onFrame` can stay synchronous; when it rejects, the metric is recorded as an error.
   */
  prepare?(): Promise<void>;
  start(context: MetricContext): MetricSession;
}

export type { AudioTrack, Frame, VideoInfo };
