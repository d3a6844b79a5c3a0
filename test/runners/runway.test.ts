import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../media/probe.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { Prompt } from '../../prompts/schema.js';
import { createProviderGenerator } from '../../runners/provider-generator.js';
import type { HttpResponse, ProviderRequest } from '../../runners/provider-protocol.js';
import { createRunwayProtocol, runwayInfo, type RunwayModelName } from '../../runners/providers/runway.js';
import type { GenerationStage } from '../../runners/types.js';
import { fixtureDir } from '../media/fixtures.js';
import { FAST_LIFECYCLE, filesUnder, makeClipsForPrompts, makeFixtureClips, promptWithFaults, runSmokeSuite, SMOKE_PROMPT_IDS } from './fake-server-kit.js';
import { startFakeRunwayServer, type FakeRunwayServer } from './fake-runway-server.js';

const KEY = 'key_test_PHYSEVAL_RUNWAY_SECRET_77';
const BASE = { baseUrl: 'http://127.0.0.1:9', key: KEY };
const bounce = getPrompt('basketball-bounce-hardwood');
const silentLob = { ...getPrompt('tennis-ball-lob'), expect: { ...getPrompt('tennis-ball-lob').expect, audibleImpacts: false } };

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: {}, json: body, text: JSON.stringify(body) };
}

function prepared(model: RunwayModelName, prompt: Prompt, seed = 11): ProviderRequest {
  const request = createRunwayProtocol(model).prepare(prompt, seed);
  if ('unsupported' in request) throw new Error(request.unsupported);
  return request;
}

describe('the Runway protocol on recorded bodies', () => {
  it('maps a 5 s 16:9 prompt onto gen4.5 text_to_video: ratio 1280:720, duration 5, the seed', () => {
    const request = prepared('gen4.5', bounce);
    expect(request.body).toEqual({ model: 'gen4.5', promptText: bounce.text, ratio: '1280:720', duration: 5, seed: 11 });
    expect(request.billedSeconds).toBe(5);
    expect(request.notes).toEqual(['POST /v1/text_to_video: model gen4.5, ratio 1280:720, duration 5', "runway gen4.5 makes silent video; the prompt's impact sounds cannot be judged"]);
    const spec = createRunwayProtocol('gen4.5').submitRequest(request, BASE);
    expect([spec.method, spec.url]).toEqual(['POST', 'http://127.0.0.1:9/v1/text_to_video']);
    expect(spec.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'x-runway-version': '2024-11-06' });
  });

  it('asks veo3.1 for audio only when the prompt needs it, rounds 5 s up to 6 and sends no seed', () => {
    expect(prepared('veo3.1', bounce).body).toEqual({ model: 'veo3.1', promptText: bounce.text, ratio: '1280:720', duration: 6, audio: true });
    expect(prepared('veo3.1_fast', { ...silentLob, durationS: 3 }).body).toMatchObject({ duration: 4, audio: false });
    expect(prepared('veo3.1', bounce).notes).toContain('the seed cannot be honoured: runway veo3.1 takes no seed');
    expect(prepared('veo3', bounce).body).toEqual({ model: 'veo3', promptText: bounce.text, ratio: '1280:720', duration: 8 });
  });

  it('sends gen4_turbo only with a start image, to image_to_video, and says what it cannot do', () => {
    expect(createRunwayProtocol('gen4_turbo').prepare(bounce, 1)).toEqual({ unsupported: 'runway gen4_turbo needs a start image (image-to-video only)' });
    const dir = fixtureDir('runway-image');
    try {
      const path = join(dir.dir, 'first.jpg');
      writeFileSync(path, Buffer.from([0xff, 0xd8, 0xff]));
      const request = prepared('gen4_turbo', { ...bounce, aspectRatio: '4:3', startImage: path });
      expect(request.mode).toBe('image-to-video');
      expect(request.body).toMatchObject({ model: 'gen4_turbo', ratio: '1104:832', promptImage: 'data:image/jpeg;base64,/9j/' });
      expect(createRunwayProtocol('gen4_turbo').submitRequest(request, BASE).url).toBe('http://127.0.0.1:9/v1/image_to_video');
      const large = join(dir.dir, 'large.png');
      writeFileSync(large, Buffer.alloc(4 * 1024 * 1024));
      expect(createRunwayProtocol('gen4_turbo').prepare({ ...bounce, startImage: large }, 1)).toMatchObject({ unsupported: expect.stringContaining('Runway takes at most 5242880') });
    } finally {
      dir.remove();
    }
    expect(createRunwayProtocol('gen4.5').prepare({ ...bounce, aspectRatio: '1:1' }, 1)).toEqual({ unsupported: 'runway gen4.5 makes 16:9 or 9:16 clips, not 1:1' });
    expect(createRunwayProtocol('veo3.1').prepare({ ...bounce, durationS: 9 }, 1)).toEqual({ unsupported: 'runway veo3.1 makes clips of at most 8 s; the prompt asks for 9 s' });
  });

  it('reads every task state: queued, throttled, running as a percent, succeeded without auth on the output, and failures by code', () => {
    const protocol = createRunwayProtocol('gen4.5');
    const task = { id: 't1', createdAt: '2026-11-25T16:00:00.000Z' };
    expect(protocol.parseSubmit(json(200, { id: 't1' }))).toEqual({ kind: 'job', jobId: 't1' });
    expect(protocol.parseSubmit(json(400, { error: 'Model gen3a_turbo is no longer available.' })).kind).toBe('unavailable');
    expect(protocol.parseSubmit(json(400, { error: 'Invalid ratio 1:1 for gen4.5.' })).kind).toBe('failed');
    expect(protocol.parsePoll(json(200, { ...task, status: 'PENDING' }), 't1', BASE)).toEqual({ kind: 'pending', note: 'queued' });
    expect(protocol.parsePoll(json(200, { ...task, status: 'THROTTLED' }), 't1', BASE)).toEqual({ kind: 'pending', note: 'throttled' });
    expect(protocol.parsePoll(json(200, { ...task, status: 'RUNNING', progress: 0.42 }), 't1', BASE)).toEqual({ kind: 'pending', note: 'running', progress: 42 });
    expect(protocol.parsePoll(json(200, { ...task, status: 'SUCCEEDED', output: ['https://cdn.example/o.mp4?sig=1'] }), 't1', BASE)).toEqual({
      kind: 'succeeded',
      download: { method: 'GET', url: 'https://cdn.example/o.mp4?sig=1', headers: {} },
    });
    expect(protocol.parsePoll(json(200, { ...task, status: 'FAILED', failure: 'Flagged.', failureCode: 'SAFETY.INPUT.TEXT' }), 't1', BASE)).toEqual({
      kind: 'refused',
      message: 'Runway task t1 failed (SAFETY.INPUT.TEXT): Flagged.',
    });
    expect(protocol.parsePoll(json(200, { ...task, status: 'FAILED', failure: 'Bad output.', failureCode: 'INTERNAL.BAD_OUTPUT.CODE01' }), 't1', BASE).kind).toBe('failed');
    expect(protocol.parsePoll(json(200, { ...task, status: 'CANCELLED' }), 't1', BASE).kind).toBe('failed');
  });
});

describe('Runway through the job lifecycle against a fake Runway API', () => {
  const fixture = fixtureDir('runway');
  let server: FakeRunwayServer;

  beforeAll(async () => {
    const clips = await makeFixtureClips(fixture.dir);
    server = await startFakeRunwayServer({ key: KEY, clips: clips.source });
  });
  afterAll(async () => {
    await server.close();
    fixture.remove();
  });

  async function generate(prompt: Prompt, model: RunwayModelName = 'gen4.5') {
    const env = { RUNWAYML_API_SECRET: KEY, RUNWAYML_BASE_URL: server.url, PHYSEVAL_CACHE_DIR: fixture.file('cache') };
    const generator = createProviderGenerator(createRunwayProtocol(model), runwayInfo(model), { ...FAST_LIFECYCLE, env, jobsDir: fixture.file('jobs') });
    const stages: string[] = [];
    const outPath = fixture.file(`out/${prompt.id}.mp4`);
    const onProgress = (stage: GenerationStage, detail?: string): void => void stages.push(detail === undefined ? stage : `${stage} ${detail}`);
    const outcome = await generator.generate({ prompt, seed: 3, outPath, onProgress });
    return { outcome, stages, outPath };
  }

  it('runs gen4.5 through PENDING and RUNNING to a silent video, shown as queued then percent progress', async () => {
    const before = server.createdCount();
    const { outcome, stages, outPath } = await generate(promptWithFaults(bounce));
    expect(outcome).toEqual({ status: 'ok', videoPath: outPath, costUsd: 0.6 });
    expect(server.createdCount() - before).toBe(1);
    expect(stages).toEqual(['queued submitting', 'queued', 'generating 33%', 'generating 67%', 'downloading']);
    expect((await probeVideo(outPath)).hasAudio).toBe(false);
    expect(server.requests.filter((request) => request.path.startsWith('/outputs/')).every((request) => !request.authorized)).toBe(true);
  });

  it('gets veo3.1 with audio when the prompt has impact sounds', async () => {
    const { outcome, outPath } = await generate(promptWithFaults(bounce), 'veo3.1');
    expect(outcome).toMatchObject({ status: 'ok', costUsd: 2.4 });
    expect((await probeVideo(outPath)).hasAudio).toBe(true);
  });

  it('waits through THROTTLED polls and transient errors, creating the task once', async () => {
    const throttled = await generate(promptWithFaults(bounce, 'throttle:3'));
    expect(throttled.outcome.status).toBe('ok');
    expect(throttled.stages.filter((stage) => stage === 'generating throttled')).toHaveLength(3);
    for (const fault of ['429-create', '503-create', '429-poll', '503-poll', 'drop-download', 'truncate-download']) {
      const before = server.createdCount();
      const { outcome } = await generate(promptWithFaults(bounce, fault));
      expect(outcome.status, fault).toBe('ok');
      expect(server.createdCount() - before, fault).toBe(1);
    }
  });

  it('records SAFETY failures (input and output) as refusals and INTERNAL ones as failures', async () => {
    expect((await generate(promptWithFaults(bounce, 'refuse-sync'))).outcome).toEqual({
      status: 'refused',
      message: expect.stringMatching(/^Runway task [0-9a-f-]+ failed \(SAFETY\.INPUT\.TEXT\): The prompt text did not pass our content moderation\.$/),
      costUsd: 0,
    });
    expect((await generate(promptWithFaults(bounce, 'refuse'))).outcome).toMatchObject({ status: 'refused', message: expect.stringContaining('SAFETY.OUTPUT.VIDEO') });
    expect((await generate(promptWithFaults(bounce, 'fail'))).outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('INTERNAL.BAD_OUTPUT.CODE01') });
  });

  it('turns a start image into an image_to_video task for gen4_turbo', async () => {
    const image = fixture.file('first.png');
    writeFileSync(image, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const { outcome } = await generate({ ...promptWithFaults(bounce), startImage: image }, 'gen4_turbo');
    expect(outcome).toMatchObject({ status: 'ok', costUsd: 0.25 });
    expect(server.requests.some((request) => request.method === 'POST' && request.path === '/v1/image_to_video')).toBe(true);
    expect(server.createBodies.at(-1)).toMatchObject({ model: 'gen4_turbo', ratio: '1280:720', duration: 5, promptImage: 'data:image/png;base64,iVBORw==' });
  });

  it('answers a wrong key with 401 and a missing X-Runway-Version with 400, in Runway\'s error shape', async () => {
    const wrongKey = await fetch(`${server.url}/v1/tasks/x`, { headers: { authorization: 'Bearer nope', 'x-runway-version': '2024-11-06' } });
    expect([wrongKey.status, await wrongKey.json()]).toEqual([401, { error: 'Invalid API key. Make sure the key is correct and has not been disabled.' }]);
    const noVersion = await fetch(`${server.url}/v1/tasks/x`, { headers: { authorization: `Bearer ${KEY}` } });
    expect([noVersion.status, await noVersion.json()]).toEqual([400, { error: 'You must provide a X-Runway-Version header.' }]);
  });

  it('times a stuck task out and keeps its journal, so a later run adopts it instead of paying again', async () => {
    const env = { RUNWAYML_API_SECRET: KEY, RUNWAYML_BASE_URL: server.url, PHYSEVAL_CACHE_DIR: fixture.file('cache') };
    const generator = createProviderGenerator(createRunwayProtocol('gen4.5'), runwayInfo('gen4.5'), { ...FAST_LIFECYCLE, env, jobsDir: fixture.file('jobs'), timeoutS: 0.2 });
    const before = server.createdCount();
    const prompt = promptWithFaults(bounce, 'stuck');
    const outcome = await generator.generate({ prompt, seed: 3, outPath: fixture.file('out/stuck.mp4') });
    expect(outcome).toMatchObject({ status: 'timeout', costUsd: 0.6 });
    const again = await generator.generate({ prompt, seed: 3, outPath: fixture.file('out/stuck.mp4') });
    expect(again.status).toBe('timeout');
    expect(server.createdCount() - before).toBe(1);
  });
});

describe('physeval run --generators runway:gen4.5 against a fake Runway API', () => {
  const fixture = fixtureDir('runway-cli');
  let server: FakeRunwayServer;

  beforeAll(async () => {
    server = await startFakeRunwayServer({ key: KEY, clips: await makeClipsForPrompts(fixture.dir, SMOKE_PROMPT_IDS) });
  });
  afterAll(async () => {
    await server.close();
    fixture.remove();
  });

  it('generates, analyses and prices the smoke suite (5 + 3 + 4 s at $0.12/s), writing the key nowhere', async () => {
    const out = fixture.file('run');
    const run = await runSmokeSuite('runway:gen4.5', { RUNWAYML_API_SECRET: KEY, RUNWAYML_BASE_URL: server.url, PHYSEVAL_CACHE_DIR: fixture.file('cache') }, out);
    expect(run.code, run.stderr).toBe(0);
    const items = run.results?.items ?? [];
    expect(items.map((item) => [item.promptId, item.status, item.costUsd])).toEqual([
      ['basketball-bounce-hardwood', 'ok', 0.6],
      ['rubber-balls-thrown-midair', 'ok', 0.36],
      ['tennis-ball-lob', 'ok', 0.48],
    ]);
    expect(items.every((item) => item.video?.hasAudio === false && Object.keys(item.metrics).length > 0)).toBe(true);
    expect(server.createdCount()).toBe(3);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    for (const path of filesUnder(out)) expect(readFileSync(path).includes(KEY), path).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});
