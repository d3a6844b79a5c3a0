import { median, medianAbsoluteDeviation } from './robust-stats.js';

/** Settings of `pairOnsets`; the avsync metric passes its thresholds of the same names. */
export const PAIRING_DEFAULTS = {
  /** Offsets searched: audio − video within ±searchWindowMs. */
  searchWindowMs: 500,
  /** A sound and an impact pair when their difference is this close to the common offset. */
  toleranceMs: 25,
} as const;

export type PairingOptions = { -readonly [K in keyof typeof PAIRING_DEFAULTS]: number };

export interface OnsetPair {
  videoS: number;
  audioS: number;
}

export interface Pairing {
  /** Median of audio − video over the pairs, ms; null when nothing paired. */
  offsetMs: number | null;
  /** In [0, 1]; see `pairOnsets`. */
  confidence: number;
  pairs: OnsetPair[];
  /** Times of the sounds and of the impacts left without a partner. */
  unpairedAudioS: number[];
  unpairedVideoS: number[];
  /** Robust spread of the paired differences around the offset, ms. */
  madMs: number;
}

/**
 * Pairs impact times seen in the picture with sound onsets and estimates offset = audio − video.
 * Consensus search (in the manner of RANSAC, Fischler & Bolles 1981): every difference within the
 * search window is a candidate offset; the one that pairs the most events within the tolerance
 * wins (ties: the tighter, then the smaller offset); the offset is then the median of the paired
 * differences, re-paired once around it.
 * confidence = (1 − 2⁻ⁿ) · max(0, 1 − MAD/tolerance) · (1 − ½·(runnerUp/n)²) · √(n / max(V, A)):
 * more pairs, tighter agreement, no rival offset (runnerUp: the most pairs any offset at least two
 * tolerances away achieves) and a larger share of the V impacts and A sounds explained.
 */
export function pairOnsets(videoS: readonly number[], audioS: readonly number[], options: Partial<PairingOptions> = {}): Pairing {
  const settings = { ...PAIRING_DEFAULTS, ...options };
  const video = [...videoS].sort((a, b) => a - b);
  const audio = [...audioS].sort((a, b) => a - b);
  const toleranceS = settings.toleranceMs / 1000;
  const windowS = settings.searchWindowMs / 1000;

  const candidates: Array<{ offsetS: number; count: number; spreadS: number }> = [];
  for (const v of video) {
    for (const a of audio) {
      const offsetS = a - v;
      if (Math.abs(offsetS) > windowS) continue;
      const matched = matchAtOffset(video, audio, offsetS, toleranceS);
      const spreadS = matched.reduce((sum, p) => sum + Math.abs(p.audioS - p.videoS - offsetS), 0);
      candidates.push({ offsetS, count: matched.length, spreadS });
    }
  }
  const none: Pairing = { offsetMs: null, confidence: 0, pairs: [], unpairedAudioS: audio, unpairedVideoS: video, madMs: 0 };
  if (candidates.length === 0) return none;
  candidates.sort((p, q) => q.count - p.count || p.spreadS - q.spreadS || Math.abs(p.offsetS) - Math.abs(q.offsetS));
  const best = candidates[0]!;

  let pairs = matchAtOffset(video, audio, best.offsetS, toleranceS);
  const refinedS = median(pairs.map((p) => p.audioS - p.videoS));
  pairs = matchAtOffset(video, audio, refinedS, toleranceS);
  if (pairs.length === 0) return none;
  const differencesS = pairs.map((p) => p.audioS - p.videoS);
  const offsetS = median(differencesS);
  const madMs = medianAbsoluteDeviation(differencesS) * 1000;

  let runnerUp = 0;
  for (const candidate of candidates) {
    if (Math.abs(candidate.offsetS - offsetS) >= 2 * toleranceS) runnerUp = Math.max(runnerUp, candidate.count);
  }
  const n = pairs.length;
  const explained = Math.sqrt(n / Math.max(video.length, audio.length));
  const confidence = (1 - 2 ** -n) * Math.max(0, 1 - madMs / settings.toleranceMs) * (1 - 0.5 * (Math.min(runnerUp, n) / n) ** 2) * explained;

  const pairedVideo = new Set(pairs.map((p) => p.videoS));
  const pairedAudio = new Set(pairs.map((p) => p.audioS));
  return {
    offsetMs: offsetS * 1000,
    confidence,
    pairs,
    unpairedAudioS: audio.filter((a) => !pairedAudio.has(a)),
    unpairedVideoS: video.filter((v) => !pairedVideo.has(v)),
    madMs,
  };
}

/**
 * One-to-one pairs of sorted times whose difference is within tolerance of offset, closest first:
 * a spurious impact just before a real one cannot take the real one's sound.
 */
function matchAtOffset(video: readonly number[], audio: readonly number[], offsetS: number, toleranceS: number): OnsetPair[] {
  const candidates: Array<{ v: number; a: number; residualS: number }> = [];
  let first = 0;
  video.forEach((videoS, v) => {
    const expectedS = videoS + offsetS;
    while (first < audio.length && audio[first]! < expectedS - toleranceS) first++;
    for (let a = first; a < audio.length && audio[a]! <= expectedS + toleranceS; a++) {
      candidates.push({ v, a, residualS: Math.abs(audio[a]! - expectedS) });
    }
  });
  candidates.sort((p, q) => p.residualS - q.residualS);
  const usedVideo = new Uint8Array(video.length);
  const usedAudio = new Uint8Array(audio.length);
  const pairs: OnsetPair[] = [];
  for (const { v, a } of candidates) {
    if (usedVideo[v] === 1 || usedAudio[a] === 1) continue;
    usedVideo[v] = 1;
    usedAudio[a] = 1;
    pairs.push({ videoS: video[v]!, audioS: audio[a]! });
  }
  return pairs.sort((p, q) => p.videoS - q.videoS);
}
