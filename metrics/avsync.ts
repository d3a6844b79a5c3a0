import type { Failure } from '../prompts/codes.js';
import { detectOnsets } from './onsets.js';
import { pairOnsets, type OnsetPair } from './pair-onsets.js';
import type { TrackedObject } from './trajectory-types.js';
import type { FinishInput, Metric, MetricContext, MetricOutcome, MetricSession } from './types.js';
import { round } from './rounding.js';

/**
 * Published limits of audio-video offset, ms (audio early / audio late). ITU-R BT.1359-1 gives the
 * detectability thresholds (+45/−125 ms), EBU R37 the broadcast tolerance, ATSC IS-191 the stricter
 * end-to-end target. Suites pick one as the `avsync` thresholds.
 */
export const AV_SYNC_PROFILES = {
  'ITU-R BT.1359': { maxEarlyMs: 45, maxLateMs: 125 },
  'EBU R37': { maxEarlyMs: 40, maxLateMs: 60 },
  'ATSC IS-191': { maxEarlyMs: 15, maxLateMs: 45 },
} as const satisfies Record<string, { maxEarlyMs: number; maxLateMs: number }>;

/** Default thresholds of the avsync metric. */
export const AVSYNC_DEFAULT_THRESHOLDS = {
  /** Sound before the picture by more than this fails (ITU-R BT.1359 detectability). */
  maxEarlyMs: AV_SYNC_PROFILES['ITU-R BT.1359'].maxEarlyMs,
  /** Sound after the picture by more than this fails (ITU-R BT.1359 detectability). */
  maxLateMs: AV_SYNC_PROFILES['ITU-R BT.1359'].maxLateMs,
  /** Below this pairing confidence the offset is reported but not judged. */
  minConfidence: 0.3,
  /** A sound pairs with an impact within this distance of the common offset. */
  toleranceMs: 25,
  /** Offsets searched: ±searchWindowMs. */
  searchWindowMs: 500,
  /** Contacts of different objects closer than this are one event (they make one sound). */
  mergeContactsMs: 5,
} as const;

export interface AvSyncValue {
  hasAudio: boolean;
  /** audio − video, ms (positive: the sound comes late); null without audio or without a pair. */
  offsetMs: number | null;
  confidence: number;
  pairs: OnsetPair[];
  /** Sounds with no visible cause. */
  unmatchedAudio: number;
  /** Visible impacts with no sound; null unless the prompt expects audible impacts and the clip has audio. */
  silentImpacts: number | null;
  onsetsS: number[];
  /** The visual impact times used (all tracked objects, merged). */
  impactsS: number[];
}

export const avsyncMetric: Metric = {
  id: 'avsync',
  version: '1.1.0',
  description: 'Offset between impact sounds and the visible contacts that cause them',
  reference:
    'Spectral-flux onsets (Dixon 2006) refined by first threshold crossing; offset by consensus pairing with trajectory contact times; limits ITU-R BT.1359-1, EBU R37, ATSC IS-191',
  outputs: {
    offsetMs: { unit: 'ms', better: 'closer-to-expected', description: 'audio − video; positive when the sound comes late; 0 expected' },
    confidence: { unit: '1', better: 'higher', description: 'how well sounds and impacts agree on one offset' },
    unmatchedAudio: { unit: 'count', better: 'lower', description: 'impact-like sounds with no visible cause' },
    silentImpacts: { unit: 'count', better: 'lower', description: 'visible impacts without a sound (when impacts should be audible)' },
  },
  codes: ['av-desync'],
  needs: { frames: false, audio: true },
  after: ['trajectory'],
  defaultThresholds: AVSYNC_DEFAULT_THRESHOLDS,
  start(context: MetricContext): MetricSession {
    return {
      onFrame() {
        // Sound and the trajectory's contact times are all this metric reads.
      },
      finish: (input) => finishAvSync(context, input),
    };
  },
};

function finishAvSync(context: MetricContext, input: FinishInput): MetricOutcome {
  const thresholds = { ...AVSYNC_DEFAULT_THRESHOLDS, ...context.thresholds };
  const impactsS = mergeCloseTimes(visualImpactsS(input.earlier['trajectory']), thresholds.mergeContactsMs / 1000);
  if (input.audio === null) {
    const value: AvSyncValue = { hasAudio: false, offsetMs: null, confidence: 0, pairs: [], unmatchedAudio: 0, silentImpacts: null, onsetsS: [], impactsS };
    return { value: { ...value }, failures: [] };
  }

  const audioDurationS = input.audio.samples.length / input.audio.sampleRate;
  const onsetsS = detectOnsets(input.audio.samples, input.audio.sampleRate).map((onset) => onset.timeS);
  const pairing = pairOnsets(impactsS, onsetsS, { toleranceMs: thresholds.toleranceMs, searchWindowMs: thresholds.searchWindowMs });
  // An impact whose sound would fall outside the track cannot be silent: only count audible positions.
  const shiftS = (pairing.offsetMs ?? 0) / 1000;
  const silent = pairing.unpairedVideoS.filter((t) => t + shiftS >= 0 && t + shiftS < audioDurationS).length;
  const value: AvSyncValue = {
    hasAudio: true,
    offsetMs: pairing.offsetMs === null ? null : round(pairing.offsetMs, 3),
    confidence: round(pairing.confidence, 3),
    pairs: pairing.pairs.map((p) => ({ videoS: round(p.videoS, 6), audioS: round(p.audioS, 6) })),
    unmatchedAudio: pairing.unpairedAudioS.length,
    silentImpacts: context.expect.audibleImpacts ? silent : null,
    onsetsS: onsetsS.map((t) => round(t, 6)),
    impactsS: impactsS.map((t) => round(t, 6)),
  };
  const failures: Failure[] = [];
  const failure = desyncFailure(pairing.offsetMs, pairing.confidence, thresholds, pairing.pairs[0]?.videoS);
  if (failure) failures.push(failure);
  return { value: { ...value }, failures };
}

/** `av-desync` when a confident offset is outside [−maxEarlyMs, +maxLateMs]; the message names the standard the limits come from. */
export function desyncFailure(
  offsetMs: number | null,
  confidence: number,
  limits: { maxEarlyMs: number; maxLateMs: number; minConfidence: number },
  atS?: number,
): Failure | null {
  if (offsetMs === null || confidence < limits.minConfidence) return null;
  const late = offsetMs > limits.maxLateMs;
  const early = offsetMs < -limits.maxEarlyMs;
  if (!late && !early) return null;
  const limitMs = late ? limits.maxLateMs : limits.maxEarlyMs;
  const source = profileName(limits.maxEarlyMs, limits.maxLateMs);
  const message = `sound ${Math.round(Math.abs(offsetMs))} ms ${late ? 'late' : 'early'} (limit ${limitMs} ms${source ? `, ${source}` : ''})`;
  return atS === undefined ? { code: 'av-desync', message } : { code: 'av-desync', message, atS };
}

function profileName(maxEarlyMs: number, maxLateMs: number): string | undefined {
  for (const [name, profile] of Object.entries(AV_SYNC_PROFILES)) {
    if (profile.maxEarlyMs === maxEarlyMs && profile.maxLateMs === maxLateMs) return name;
  }
  return undefined;
}

/** Contact and landing times of every tracked object in a trajectory outcome; none when the outcome is missing or malformed. */
function visualImpactsS(trajectory: MetricOutcome | undefined): number[] {
  const objects = trajectory?.value['objects'];
  if (!Array.isArray(objects)) return [];
  const times: number[] = [];
  for (const object of objects as unknown[]) {
    if (typeof object !== 'object' || object === null) continue;
    const fields = object as Partial<Record<keyof TrackedObject, unknown>>;
    for (const impacts of [fields.contactsS, fields.landingsS]) {
      if (!Array.isArray(impacts)) continue;
      for (const t of impacts as unknown[]) if (typeof t === 'number' && Number.isFinite(t)) times.push(t);
    }
  }
  return times.sort((a, b) => a - b);
}

/** Sorted times with any run closer than `gapS` replaced by its mean. */
function mergeCloseTimes(sortedS: readonly number[], gapS: number): number[] {
  const merged: number[] = [];
  let group: number[] = [];
  for (const t of sortedS) {
    if (group.length > 0 && t - group[group.length - 1]! > gapS) {
      merged.push(group.reduce((a, b) => a + b, 0) / group.length);
      group = [];
    }
    group.push(t);
  }
  if (group.length > 0) merged.push(group.reduce((a, b) => a + b, 0) / group.length);
  return merged;
}
