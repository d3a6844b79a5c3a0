import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { readAudio } from '../../media/audio.js';
import { findFfmpeg } from '../../media/locate.js';
import { encodeVideo } from '../../media/encode.js';
import type { AudioTrack, VideoInfo } from '../../media/types.js';
import { getPrompt } from '../../prompts/catalog.js';
import { expectationsSchema } from '../../prompts/schema.js';
import { simulateClip } from '../../runners/sim/index.js';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { median } from '../../metrics/robust-stats.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import { AV_SYNC_PROFILES, avsyncMetric, desyncFailure, type AvSyncValue } from '../../metrics/avsync.js';
import { detectOnsets } from '../../metrics/onsets.js';
import type { MetricContext, MetricOutcome } from '../../metrics/types.js';
import { SAMPLE_RATE, impactTrack } from './impact-audio.js';

const VIDEO: VideoInfo = {
  path: 'synthetic.mp4',
  sizeBytes: 0,
  width: 320,
  height: 180,
  fps: 30,
  variableFrameRate: false,
  frameCount: 75,
  durationS: 2.5,
  rotationDeg: 0,
  videoCodec: 'h264',
  hasAudio: true,
  audio: null,
};

function context(thresholds: Record<string, number> = {}, audibleImpacts = true): MetricContext {
  return {
    video: VIDEO,
    analysisScale: 1,
    analysisWidth: 320,
    analysisHeight: 180,
    expect: expectationsSchema.parse({ audibleImpacts }),
    thresholds: { ...avsyncMetric.defaultThresholds, ...thresholds },
  };
}

/** The part of a trajectory outcome avsync reads: per-object contact times. */
function trajectory(...contactsPerObject: number[][]): MetricOutcome {
  return { value: { objects: contactsPerObject.map((contactsS, id) => ({ id, contactsS })) }, failures: [] };
}

async function run(audio: AudioTrack | null, earlier: Record<string, MetricOutcome>, thresholds: Record<string, number> = {}) {
  const session = avsyncMetric.start(context(thresholds));
  const outcome = await session.finish({ audio, earlier });
  return { value: outcome.value as unknown as AvSyncValue, failures: outcome.failures };
}

const contactsS = [0.4127, 1.0318, 1.5221, 1.9134];

describe('avsync metric', () => {
  it('measures a sound 150 ms late and fails it in words', async () => {
    const samples = impactTrack(2.5, contactsS.map((t) => t + 0.15), { noiseRms: 0.003, seed: 2 });
    const { value, failures } = await run({ sampleRate: SAMPLE_RATE, samples }, { trajectory: trajectory(contactsS) });
    expect(value.hasAudio).toBe(true);
    expect(Math.abs(value.offsetMs! - 150)).toBeLessThan(0.5);
    expect(value.pairs).toHaveLength(4);
    expect(value.unmatchedAudio).toBe(0);
    expect(value.silentImpacts).toBe(0);
    expect(value.confidence).toBeGreaterThan(0.9);
    expect(failures).toEqual([{ code: 'av-desync', message: 'sound 150 ms late (limit 125 ms, ITU-R BT.1359)', atS: contactsS[0] }]);
  });

  it('passes 30 ms early under ITU-R BT.1359 but fails it under ATSC IS-191', async () => {
    const samples = impactTrack(2.5, contactsS.map((t) => t - 0.03), { seed: 3 });
    const audio = { sampleRate: SAMPLE_RATE, samples };
    const relaxed = await run(audio, { trajectory: trajectory(contactsS) });
    expect(relaxed.failures).toEqual([]);
    const strict = await run(audio, { trajectory: trajectory(contactsS) }, AV_SYNC_PROFILES['ATSC IS-191']);
    expect(strict.failures.map((f) => f.message)).toEqual(['sound 30 ms early (limit 15 ms, ATSC IS-191)']);
  });

  it('merges simultaneous contacts of two objects and counts sounds and impacts left over', async () => {
    // Object 1 hits object 0 at 1.0318 s (one sound); an unseen knock at 0.8 s; the last impact is silent.
    const samples = impactTrack(2.5, [0.4127, 0.8, 1.0318, 1.5221], { seed: 4 });
    const { value } = await run({ sampleRate: SAMPLE_RATE, samples }, { trajectory: trajectory(contactsS, [1.0319]) });
    expect(value.impactsS).toHaveLength(4);
    expect(Math.abs(value.offsetMs!)).toBeLessThan(0.5);
    expect(value.unmatchedAudio).toBe(1);
    expect(value.silentImpacts).toBe(1);
  });

  it("judges a bounce and the landing after it: the landing's sound makes the offset certain", async () => {
    // A bowling ball's one bounce (0.319 s) and its last hop's landing into rest (0.447 s), both heard 150 ms late.
    const samples = impactTrack(1.5, [0.319, 0.447].map((t) => t + 0.15), { seed: 6 });
    const audio = { sampleRate: SAMPLE_RATE, samples };
    const landed: MetricOutcome = { value: { objects: [{ id: 1, contactsS: [0.319], landingsS: [0.447] }] }, failures: [] };
    const judged = await run(audio, { trajectory: landed });
    expect(judged.value.impactsS).toEqual([0.319, 0.447]);
    expect(judged.value.pairs).toHaveLength(2);
    expect(Math.abs(judged.value.offsetMs! - 150)).toBeLessThan(0.5);
    expect(judged.failures.map((f) => f.code)).toEqual(['av-desync']);
    // The bounce alone pairs with either sound: no offset is certain enough to judge.
    const bounceOnly = await run(audio, { trajectory: trajectory([0.319]) });
    expect(bounceOnly.value.confidence).toBeLessThan(avsyncMetric.defaultThresholds['minConfidence'] as number);
    expect(bounceOnly.failures).toEqual([]);
  });

  it('reports a clip without audio as such, with no failure', async () => {
    const { value, failures } = await run(null, { trajectory: trajectory(contactsS) });
    expect(value).toMatchObject({ hasAudio: false, offsetMs: null, pairs: [], silentImpacts: null });
    expect(failures).toEqual([]);
  });

  it('has no visual impacts, hence no offset, without a trajectory outcome', async () => {
    const samples = impactTrack(2.5, contactsS, { seed: 5 });
    const { value, failures } = await run({ sampleRate: SAMPLE_RATE, samples }, {});
    expect(value.impactsS).toEqual([]);
    expect(value.onsetsS).toHaveLength(4);
    expect(value.offsetMs).toBeNull();
    expect(value.unmatchedAudio).toBe(4);
    expect(failures).toEqual([]);
  });
});

describe('desyncFailure', () => {
  const limits = { maxEarlyMs: 45, maxLateMs: 125, minConfidence: 0.3 };
  it('judges only confident offsets outside the limits, and names custom limits without a standard', () => {
    expect(desyncFailure(124.9, 1, limits)).toBeNull();
    expect(desyncFailure(-46, 0.2, limits)).toBeNull();
    expect(desyncFailure(-46, 0.9, limits)?.message).toBe('sound 46 ms early (limit 45 ms, ITU-R BT.1359)');
    expect(desyncFailure(70, 0.9, { ...limits, maxLateMs: 50 })?.message).toBe('sound 70 ms late (limit 50 ms)');
  });
});

describe('onsets through AAC', () => {
  const directory = mkdtempSync(join(tmpdir(), 'physeval-avsync-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('stay within 0.5 ms of the planted impacts after an H.264/AAC round trip', async () => {
    const impactsS = [0.3131, 0.7002, 1.1497, 1.4443, 1.7316];
    const samples = impactTrack(2, impactsS, { noiseRms: 0.002, music: 0.03, seed: 9 });
    const outPath = join(directory, 'aac.mp4');
    const grey = new Uint8Array(320 * 180 * 3).fill(90);
    await encodeVideo(Array.from({ length: 60 }, () => grey), { outPath, width: 320, height: 180, fps: 30, audio: { sampleRate: SAMPLE_RATE, samples } });
    const decoded = spawnSync(findFfmpeg(), ['-v', 'error', '-i', outPath, '-map', '0:a:0', '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 'f32le', 'pipe:1'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(decoded.status).toBe(0);
    const bytes = decoded.stdout;
    const pcm = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const onsets = detectOnsets(pcm, SAMPLE_RATE);
    expect(onsets).toHaveLength(impactsS.length);
    const errorsMs = onsets.map((o, i) => (o.timeS - impactsS[i]!) * 1000);
    expect(Math.max(...errorsMs.map(Math.abs))).toBeLessThan(0.5);
  });
});

describe('avsync on simulated clips (H.264 + AAC)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'physeval-avsync-sim-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  let clipNumber = 0;

  async function simulate(id: string, fps: number, offsetMs: number, width = 320) {
    const prompt = getPrompt(id);
    const outPath = join(directory, `clip-${clipNumber++}.mp4`);
    const truth = await simulateClip(prompt, outPath, {
      width,
      height: (width * 9) / 16,
      fps,
      durationS: 3,
      seed: Math.abs(offsetMs) + fps,
      defect: offsetMs === 0 ? null : { code: 'av-desync', value: offsetMs },
    });
    return { prompt, outPath, truth };
  }

  it('finds every impact sound within 0.5 ms of truth', async () => {
    for (const [id, offsetMs] of [['ping-pong-bounce-table', 0], ['golf-ball-bounce-tiles', -120], ['steel-ball-on-glass-plate', 80]] as const) {
      const { outPath, truth } = await simulate(id, 30, offsetMs);
      const audio = await readAudio(outPath, { sampleRate: SAMPLE_RATE });
      const onsetsS = detectOnsets(audio!.samples, SAMPLE_RATE).map((o) => o.timeS);
      const distanceMs = (t: number, to: readonly number[]): number => Math.min(...to.map((u) => Math.abs(u - t) * 1000));
      // Every impact with a full STFT window of sound is found, and every onset is an impact.
      for (const t of truth.audio!.impactsS.filter((t) => t < 2.98)) expect(distanceMs(t, onsetsS)).toBeLessThan(0.5);
      for (const t of onsetsS) expect(distanceMs(t, truth.audio!.impactsS)).toBeLessThan(0.5);
    }
  });

  it('still finds them under a music bed and room tone at −46 dBFS', async () => {
    const { outPath, truth } = await simulate('basketball-bounce-hardwood', 30, 60);
    const audio = await readAudio(outPath, { sampleRate: SAMPLE_RATE });
    const bed = impactTrack(audio!.samples.length / SAMPLE_RATE, [], { noiseRms: 0.005, music: 0.1, seed: 11 });
    const mixed = audio!.samples.map((v, i) => v + (bed[i] ?? 0));
    const onsetsS = detectOnsets(mixed, SAMPLE_RATE).map((o) => o.timeS);
    const impactsS = truth.audio!.impactsS.filter((t) => t < 2.95);
    expect(onsetsS.slice(0, impactsS.length)).toHaveLength(impactsS.length);
    impactsS.forEach((t, i) => expect(Math.abs(onsetsS[i]! - t) * 1000).toBeLessThan(0.5));
    // Nothing but impacts: an onset after the last judged impact is the one in the clip's last 50 ms.
    for (const t of onsetsS.slice(impactsS.length)) expect(t).toBeGreaterThan(2.95);
  });

  it('recovers planted offsets from −200 to +200 ms given the true contact times', async () => {
    for (const offsetMs of [-200, -60, 0, 90, 200]) {
      const { prompt, outPath, truth } = await simulate('tennis-ball-bounce-concrete', 30, offsetMs);
      const audio = await readAudio(outPath, { sampleRate: SAMPLE_RATE });
      const session = avsyncMetric.start({ ...context(), expect: prompt.expect });
      const contacts = trajectory(...truth.objects.map((o) => o.contactsS));
      const value = (await session.finish({ audio, earlier: { trajectory: contacts } })).value as unknown as AvSyncValue;
      expect(Math.abs(value.offsetMs! - truth.audio!.offsetMs)).toBeLessThan(0.5);
    }
  });

  it('meets the target with the trajectory metric: offset error at most 5 ms median, 10 ms worst, at 24, 30 and 60 fps', async () => {
    const errorsMs: number[] = [];
    for (const [id, fps, offsetMs] of [
      ['tennis-ball-bounce-concrete', 24, -150],
      ['tennis-ball-bounce-concrete', 30, 200],
      ['ping-pong-bounce-table', 60, -200],
      ['ping-pong-bounce-table', 24, 100],
    ] as const) {
      const { prompt, outPath, truth } = await simulate(id, fps, offsetMs, 640);
      const result = await analyzeVideo(outPath, { expect: prompt.expect, metrics: [trajectoryMetric, avsyncMetric] });
      const value = result.outcomes['avsync']!.value as unknown as AvSyncValue;
      errorsMs.push(Math.abs(value.offsetMs! - truth.audio!.offsetMs));
      expect(result.outcomes['avsync']!.failures.map((f) => f.code)).toEqual(offsetMs > 125 || offsetMs < -45 ? ['av-desync'] : []);
    }
    expect(median(errorsMs)).toBeLessThanOrEqual(5);
    expect(Math.max(...errorsMs)).toBeLessThanOrEqual(10);
  });
});
