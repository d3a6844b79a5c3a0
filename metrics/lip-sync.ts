/**
 * Lip sync: the offset between a speaker's mouth movements and the speech, for clips where people
 * talk. MediaPipe finds the face and mouth in each frame (in headless Chromium, lip-sync-browser.ts);
 * the mouth opening over time is correlated with the speech envelope (lip-sync-signal.ts).
 * The face model is the user's (`--face-model PATH`, or PHYSEVAL_FACE_MODEL): without one the
 * measure is skipped, and a clip with no face is reported as such; neither is an error.
 */
import type { Failure } from '../prompts/codes.js';
import { desyncFailure, AV_SYNC_PROFILES } from './avsync.js';
import { openFaceBrowser, type FaceBrowser, type FaceModelKind, type FaceSighting } from './lip-sync-browser.js';
import { lipOpening, mouthContrast, mouthPatch } from './lip-sync-mouth.js';
import { estimateLag, speechEnvelope } from './lip-sync-signal.js';
import type { AnalysisFrame, FinishInput, Metric, MetricContext, MetricOutcome, MetricSession } from './types.js';

/**
 * Natural asynchrony of speech, ms: in running speech the sound trails the mouth gesture by up to
 * about 200 ms and leads it by up to about 40 ms (Schwartz & Savariaux 2014, PLoS Comput Biol
 * 10(7) e1003743), so a correlation offset that large is no transmission fault.
 */
export const NATURAL_SPEECH_ASYNCHRONY_MS = { audioLead: 40, audioLag: 200 } as const;

export const LIP_SYNC_DEFAULT_THRESHOLDS = {
  /** Sound early beyond the ITU-R BT.1359 detectability limit plus the natural audio lead fails. */
  maxEarlyMs: AV_SYNC_PROFILES['ITU-R BT.1359'].maxEarlyMs + NATURAL_SPEECH_ASYNCHRONY_MS.audioLead,
  /** Sound late beyond the ITU-R BT.1359 detectability limit plus the natural audio lag fails. */
  maxLateMs: AV_SYNC_PROFILES['ITU-R BT.1359'].maxLateMs + NATURAL_SPEECH_ASYNCHRONY_MS.audioLag,
  /** Below this confidence (1 − the chance of an equal peak between unrelated series) the offset is reported but not judged. */
  minConfidence: 0.95,
  /** Offsets searched: ±searchWindowMs. */
  searchWindowMs: 500,
  /** Fewest frames with a face (and sound) the offset is estimated from: about a second of speech. */
  minFaceFrames: 24,
} as const;

/** Frames go to the detector at most this wide (BlazeFace looks at 128 px anyway), in batches. */
export const LIP_SYNC_DETECT = { maxWidthPx: 320, batchFrames: 16 } as const;

export type LipSyncStatus = 'measured' | 'skipped' | 'no-audio' | 'no-face' | 'too-few-face-frames' | 'no-correlation';

export interface LipSyncValue {
  status: LipSyncStatus;
  /** Why there is no offset, in words; null when measured. */
  reason: string | null;
  model: FaceModelKind | null;
  hasAudio: boolean;
  faceFound: boolean;
  frames: number;
  faceFrames: number;
  /** audio − video, ms (positive: the sound comes late); null unless measured. */
  offsetMs: number | null;
  confidence: number;
  peakCorrelation: number | null;
  /** The best lag is at ±searchWindowMs: the true offset may be larger. */
  atSearchEdge: boolean;
}

export interface LipSyncOptions {
  /** A MediaPipe FaceLandmarker `.task` or FaceDetector `.tflite`; PHYSEVAL_FACE_MODEL when absent. */
  faceModelPath?: string;
  chromiumPath?: string;
}

export function createLipSyncMetric(options: LipSyncOptions = {}): Metric {
  // One browser per clip: prepare() opens it, start() takes it. Clips analysed at once (run -j) each
  // take one from the queue; which one does not matter.
  const opened: Array<FaceBrowser | null> = [];
  return {
    id: 'lipsync',
    version: '1.0.0',
    description: 'Offset between the mouth movements of a speaking face and the speech',
    reference:
      'MediaPipe face detection or face landmarks; mouth opening against the RMS envelope of the 300-3000 Hz band, cross-correlation peak with parabolic interpolation; confidence from the peak r with Bartlett (1935) effective sample size, Šidák-corrected over lags; limits ITU-R BT.1359-1 widened by the natural asynchrony of speech (Schwartz & Savariaux 2014)',
    outputs: {
      offsetMs: { unit: 'ms', better: 'closer-to-expected', description: 'audio − video; positive when the speech comes late; 0 expected' },
      confidence: { unit: '1', better: 'higher', description: '1 − the chance that unrelated mouth and sound reach the peak correlation' },
      peakCorrelation: { unit: '1', better: 'higher', description: "Pearson's r of mouth opening and speech envelope at the offset" },
      faceFrames: { unit: 'count', better: 'higher', description: 'frames in which a face was found' },
    },
    codes: ['av-desync'],
    needs: { frames: true, audio: true },
    after: [],
    defaultThresholds: LIP_SYNC_DEFAULT_THRESHOLDS,
    async prepare() {
      const faceModelPath = options.faceModelPath ?? process.env.PHYSEVAL_FACE_MODEL;
      opened.push(faceModelPath === undefined || faceModelPath === '' ? null : await openFaceBrowser({ faceModelPath, chromiumPath: options.chromiumPath }));
    },
    start(context) {
      const browser = opened.shift() ?? null;
      return browser === null ? skippedSession() : new LipSyncSession(context, browser);
    },
  };
}

/** The registered metric: its model comes from PHYSEVAL_FACE_MODEL (`physeval analyze --face-model` sets it). */
export const lipSyncMetric = createLipSyncMetric();

function skippedSession(): MetricSession {
  return {
    onFrame() {
      // No face model: nothing to look for.
    },
    finish: (input) =>
      outcomeOf({
        ...emptyValue('skipped', 'no face model: pass --face-model PATH (a MediaPipe FaceLandmarker .task or FaceDetector .tflite) or set PHYSEVAL_FACE_MODEL', null),
        hasAudio: input.audio !== null,
      }),
  };
}

function emptyValue(status: LipSyncStatus, reason: string, model: FaceModelKind | null): LipSyncValue {
  return { status, reason, model, hasAudio: false, faceFound: false, frames: 0, faceFrames: 0, offsetMs: null, confidence: 0, peakCorrelation: null, atSearchEdge: false };
}

function outcomeOf(value: LipSyncValue, failures: Failure[] = []): MetricOutcome {
  return { value: { ...value }, failures };
}

interface PendingFrame {
  timeS: number;
  small: Uint8Array;
  gray: Uint8Array;
}

/** Sends frames to the page in batches as they arrive, keeping only the frames still in flight. */
class LipSyncSession implements MetricSession {
  private readonly detectWidth: number;
  private readonly detectHeight: number;
  private batch: PendingFrame[] = [];
  private work: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private readonly timesS: number[] = [];
  private readonly sightings: Array<FaceSighting | null> = [];
  /** Mouth contrast per frame (NaN without a mouth region); read when the model gives no lips. */
  private readonly contrast: number[] = [];

  constructor(
    private readonly context: MetricContext,
    private readonly browser: FaceBrowser,
  ) {
    const width = Math.min(context.analysisWidth, LIP_SYNC_DETECT.maxWidthPx);
    this.detectWidth = width;
    this.detectHeight = Math.max(1, Math.round((context.analysisHeight * width) / context.analysisWidth));
  }

  onFrame(frame: AnalysisFrame): void {
    if (this.failure !== null) return;
    // Never throws: a session that threw would not be finished, and its browser not closed.
    try {
      this.batch.push({ timeS: frame.timeS, small: resampleRgb(frame.rgb, frame.width, frame.height, this.detectWidth, this.detectHeight), gray: frame.gray });
      if (this.batch.length >= LIP_SYNC_DETECT.batchFrames) this.flush();
    } catch (error) {
      this.failure = error;
    }
  }

  async finish(input: FinishInput): Promise<MetricOutcome> {
    try {
      this.flush();
      await this.work;
    } finally {
      await this.browser.close();
    }
    if (this.failure !== null) throw this.failure;
    return this.measure(input);
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    this.work = this.work.then(async () => {
      if (this.failure !== null) return;
      try {
        const found = await this.browser.detect(batch.map((f) => f.small), this.detectWidth, this.detectHeight, batch.map((f) => f.timeS));
        const scale = this.context.analysisWidth / this.detectWidth;
        batch.forEach((frame, i) => {
          const sighting = found[i] ?? null;
          this.timesS.push(frame.timeS);
          this.sightings.push(sighting);
          const patch = sighting === null ? null : mouthPatch(frame.gray, this.context.analysisWidth, this.context.analysisHeight, sighting, scale);
          this.contrast.push(patch === null ? Number.NaN : mouthContrast(patch));
        });
      } catch (error) {
        this.failure = error;
      }
    });
  }

  private measure(input: FinishInput): MetricOutcome {
    const thresholds = { ...LIP_SYNC_DEFAULT_THRESHOLDS, ...this.context.thresholds };
    const faceFrames = this.sightings.filter((s) => s !== null).length;
    const base: LipSyncValue = {
      ...emptyValue('measured', '', this.browser.kind),
      hasAudio: input.audio !== null,
      faceFound: faceFrames > 0,
      frames: this.sightings.length,
      faceFrames,
    };
    if (faceFrames === 0) return outcomeOf({ ...base, status: 'no-face', reason: 'no face in any frame' });
    if (input.audio === null) return outcomeOf({ ...base, status: 'no-audio', reason: 'the clip has no audio' });
    if (faceFrames < thresholds.minFaceFrames) {
      return outcomeOf({ ...base, status: 'too-few-face-frames', reason: `a face in ${faceFrames} frames; at least ${thresholds.minFaceFrames} are needed` });
    }
    const openings = this.browser.kind === 'face-landmarker'
      ? Float64Array.from(this.sightings, (s) => (s?.lips ? lipOpening(s.lips) : Number.NaN))
      : Float64Array.from(this.contrast);
    const envelope = speechEnvelope(input.audio, this.timesS, 1 / this.context.video.fps);
    const lag = estimateLag(openings, envelope, this.context.video.fps, thresholds.searchWindowMs, thresholds.minFaceFrames);
    if (lag === null) return outcomeOf({ ...base, status: 'no-correlation', reason: 'the mouth opening or the speech envelope does not vary' });
    const value: LipSyncValue = {
      ...base,
      reason: null,
      offsetMs: lag.offsetMs,
      confidence: lag.confidence,
      peakCorrelation: lag.peakCorrelation,
      atSearchEdge: lag.atSearchEdge,
    };
    const failure = desyncFailure(lag.offsetMs, lag.confidence, thresholds);
    return outcomeOf(value, failure === null ? [] : [{ ...failure, message: `speech against the lips: ${failure.message}` }]);
  }
}

/** Bilinear resampling of an RGB frame to another size. */
export function resampleRgb(rgb: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  if (outWidth === width && outHeight === height) return rgb;
  const out = new Uint8Array(outWidth * outHeight * 3);
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(height - 1, Math.max(0, ((y + 0.5) * height) / outHeight - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(width - 1, Math.max(0, ((x + 0.5) * width) / outWidth - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const top = rgb[3 * (y0 * width + x0) + c]! * (1 - fx) + rgb[3 * (y0 * width + x1) + c]! * fx;
        const bottom = rgb[3 * (y1 * width + x0) + c]! * (1 - fx) + rgb[3 * (y1 * width + x1) + c]! * fx;
        out[3 * (y * outWidth + x) + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}
