import type { Failure } from '../prompts/codes.js';
import type { Expectations } from '../prompts/schema.js';
import { readAudio } from '../media/audio.js';
import { analysisSize, readFrames } from '../media/frames.js';
import { probeVideo } from '../media/probe.js';
import { lumaFromYuv, YuvToRgb } from '../media/yuv.js';
import type { Frame, VideoInfo } from '../media/types.js';
import { orderMetrics } from './order.js';
import type { AnalysisFrame, Metric, MetricOutcome, MetricSession } from './types.js';

/** Frames are analysed at most this wide: detection at reduced size is where the speed comes from. */
export const DEFAULT_MAX_ANALYSIS_WIDTH = 640;
/** Audio rate for onset detection: a 21 µs sample leaves room for sub-millisecond onsets. */
export const ANALYSIS_AUDIO_RATE = 48_000;

export interface AnalyzeOptions {
  expect: Expectations;
  metrics: readonly Metric[];
  /** Per metric id, thresholds merged over the metric's defaults. */
  thresholds?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  maxAnalysisWidth?: number;
  /** Where a generated extension starts, s: metrics check continuity across it. */
  boundaryS?: number;
}

export interface AnalysisResult {
  video: VideoInfo;
  outcomes: Record<string, MetricOutcome>;
  /** Metrics that threw, with their message; the clip then fails. */
  errors: Record<string, string>;
  failures: Failure[];
}

/**
 * Decodes a clip once and runs every metric over it as a streaming session.
 * Throws MediaError only when the file cannot be read at all; a metric's own error is recorded.
 */
export async function analyzeVideo(path: string, options: AnalyzeOptions): Promise<AnalysisResult> {
  const video = await probeVideo(path);
  const metrics = orderMetrics(options.metrics);
  // The widest frame any metric that reads frames can use, at most maxAnalysisWidth.
  const maxWidth = options.maxAnalysisWidth ?? DEFAULT_MAX_ANALYSIS_WIDTH;
  const usableWidths = metrics.filter((m) => m.needs.frames).map((m) => Math.min(maxWidth, m.needs.frameWidthPx ?? maxWidth));
  const size = analysisSize(video.width, video.height, usableWidths.length === 0 ? maxWidth : Math.max(...usableWidths));
  const errors: Record<string, string> = {};
  const sessions = new Map<string, MetricSession>();
  for (const metric of metrics) {
    try {
      await metric.prepare?.();
      sessions.set(
        metric.id,
        metric.start({
          video,
          analysisScale: size.width / video.width,
          analysisWidth: size.width,
          analysisHeight: size.height,
          expect: options.expect,
          thresholds: { ...metric.defaultThresholds, ...options.thresholds?.[metric.id] },
          ...(options.boundaryS === undefined ? {} : { boundaryS: options.boundaryS }),
        }),
      );
    } catch (error) {
      errors[metric.id] = messageOf(error);
    }
  }

  // The audio is decoded by its own ffmpeg while the frames stream in: on two cores that hides its
  // decoding behind the frame loop. Stopped if the frames cannot be read.
  const stopAudio = new AbortController();
  const audioRead = metrics.some((m) => m.needs.audio) && video.hasAudio
    ? readAudio(path, { sampleRate: ANALYSIS_AUDIO_RATE, info: video, signal: stopAudio.signal })
    : Promise.resolve(null);
  audioRead.catch(() => undefined);
  try {
    if (metrics.some((metric) => metric.needs.frames)) {
      const frameSessions = metrics.filter((m) => m.needs.frames && sessions.has(m.id));
      // A frame reduced at least twice comes as Y'CbCr planes (ffmpeg's RGB conversion cost more than
      // the rest of the decode; no chroma is enlarged there); otherwise as RGB, ffmpeg's accurate
      // conversion: enlarging 4:2:0 chroma ourselves or by swscale moved 2-5 px balls' edges.
      const toRgb = 2 * size.width <= video.width ? new YuvToRgb(video.colorMatrix ?? 'bt601') : null;
      const pixelFormat = toRgb === null ? 'rgb24' : 'yuv444p';
      // Metrics read a frame's buffers during onFrame only (and copy what they keep), so the decoder's
      // frame and the RGB made from it are reused from frame to frame: no frame-sized garbage per frame.
      const rgbBuffer = toRgb === null ? undefined : new Uint8Array(3 * size.width * size.height);
      for await (const frame of readFrames(path, { pixelFormat, width: size.width, height: size.height, info: video, reuseBuffer: true })) {
        const analysisFrame = analysisFrameOf(frame, toRgb, rgbBuffer);
        for (const metric of frameSessions) {
          if (errors[metric.id] !== undefined) continue;
          try {
            sessions.get(metric.id)?.onFrame(analysisFrame);
          } catch (error) {
            errors[metric.id] = messageOf(error);
          }
        }
      }
    }
  } catch (error) {
    stopAudio.abort();
    throw error;
  }
  const audio = await audioRead;

  const outcomes: Record<string, MetricOutcome> = {};
  for (const metric of metrics) {
    const session = sessions.get(metric.id);
    if (!session || errors[metric.id] !== undefined) continue;
    try {
      outcomes[metric.id] = await session.finish({ audio, earlier: outcomes });
    } catch (error) {
      errors[metric.id] = messageOf(error);
    }
  }
  const failures = Object.values(outcomes).flatMap((outcome) => outcome.failures);
  return { video, outcomes, errors, failures };
}

/**
 * The frame as metrics read it, its RGB and grey made on first read, so each frame pays only for
 * what its metrics use. `toRgb`: the converter of yuv444p planes, or null when `frame` is RGB24;
 * `rgbBuffer`: where it writes the RGB. Grey is the clip's own luma (Y') from planes, BT.601 luma of
 * the RGB otherwise, in a buffer of its own (a metric may keep it).
 */
function analysisFrameOf(frame: Frame, toRgb: YuvToRgb | null, rgbBuffer: Uint8Array | undefined): AnalysisFrame {
  const pixels = frame.width * frame.height;
  let rgb: Uint8Array | null = null;
  let gray: Uint8Array | null = null;
  return {
    index: frame.index,
    timeS: frame.timeS,
    width: frame.width,
    height: frame.height,
    ...(toRgb === null ? {} : { yuv: { planes: frame.data, toRgb } }),
    get rgb(): Uint8Array {
      rgb ??= toRgb === null ? frame.data : toRgb.convert(frame.data, pixels, rgbBuffer);
      return rgb;
    },
    get gray(): Uint8Array {
      gray ??= toRgb === null ? lumaOf(frame.data) : lumaFromYuv(frame.data, pixels);
      return gray;
    },
  };
}

/** Luma from RGB by ITU-R BT.601 weights (integer approximation 77/150/29 over 256). */
export function lumaOf(rgb: Uint8Array): Uint8Array {
  const gray = new Uint8Array(rgb.length / 3);
  for (let i = 0, j = 0; i < gray.length; i++, j += 3) {
    gray[i] = (77 * rgb[j]! + 150 * rgb[j + 1]! + 29 * rgb[j + 2]!) >> 8;
  }
  return gray;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
