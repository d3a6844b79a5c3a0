import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../media/probe.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { Prompt } from '../../prompts/schema.js';
import { createProviderGenerator } from '../../runners/provider-generator.js';
import type { HttpResponse, ProviderRequest } from '../../runners/provider-protocol.js';
import { createFalProtocol, falInfo, falRequestRoot, type FalEndpointId } from '../../runners/providers/fal.js';
import type { GenerationStage } from '../../runners/types.js';
import { fixtureDir } from '../media/fixtures.js';
import { startFakeFalServer, type FakeFalServer } from './fake-fal-server.js';
import { FAST_LIFECYCLE, filesUnder, makeClipsForPrompts, makeFixtureClips, promptWithFaults, runSmokeSuite, SMOKE_PROMPT_IDS } from './fake-server-kit.js';

const KEY = 'fal-test-PHYSEVAL-SECRET:3c9e';
const BASE = { baseUrl: 'http://127.0.0.1:9', key: KEY };
const PIKA = 'fal-ai/pika/v2.2/text-to-video';
const bounce = getPrompt('basketball-bounce-hardwood');

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: {}, json: body, text: JSON.stringify(body) };
}

function prepared(endpoint: FalEndpointId, prompt: Prompt, seed = 5): ProviderRequest {
  const request = createFalProtocol(endpoint).prepare(prompt, seed);
  if ('unsupported' in request) throw new Error(request.unsupported);
  return request;
}

describe('the fal queue protocol on recorded bodies', () => {
  it('submits Pika 2.2 to the full endpoint id with `Key` auth, and polls under owner/alias only', () => {
    const pika = createFalProtocol(PIKA);
    const request = prepared(PIKA, bounce);
    expect(request.body).toEqual({ prompt: bounce.text, duration: 5, aspect_ratio: '16:9', resolution: '720p', seed: 5 });
    const submit = pika.submitRequest(request, BASE);
    expect([submit.url, submit.headers['authorization']]).toEqual([`http://127.0.0.1:9/${PIKA}`, `Key ${KEY}`]);
    expect(pika.pollRequest('r1', BASE).url).toBe('http://127.0.0.1:9/fal-ai/pika/requests/r1/status?logs=1');
    expect(falRequestRoot('fal-ai/veo3.1')).toBe('fal-ai/veo3.1');
  });

  it('spells durations the way each endpoint wants and asks for audio only when the prompt needs it', () => {
    expect(prepared('fal-ai/veo3.1', bounce).body).toMatchObject({ duration: '6s', generate_audio: true, seed: 5 });
    expect(prepared('fal-ai/kling-video/v3/pro/text-to-video', bounce).body).toMatchObject({ duration: '5', generate_audio: true });
    expect(prepared('fal-ai/kling-video/v3/pro/text-to-video', bounce).notes).toContain('the seed cannot be honoured: fal fal-ai/kling-video/v3/pro/text-to-video takes no seed');
    expect(createFalProtocol(PIKA).prepare({ ...bounce, aspectRatio: '4:3' }, 1)).toEqual({ unsupported: `fal ${PIKA} makes 16:9, 9:16, 1:1 clips, not 4:3` });
    expect(createFalProtocol('fal-ai/pika/v2.2/image-to-video').prepare(bounce, 1)).toEqual({ unsupported: 'fal fal-ai/pika/v2.2/image-to-video needs a start image (image-to-video only)' });
  });

  it('sends a start image as a data URI in image_url', () => {
    const dir = fixtureDir('fal-image');
    try {
      const path = join(dir.dir, 'first.webp');
      writeFileSync(path, Buffer.from('RIFF'));
      const request = prepared('fal-ai/pika/v2.2/image-to-video', { ...bounce, startImage: path });
      expect(request.body).toEqual({ prompt: bounce.text, duration: 5, resolution: '720p', image_url: 'data:image/webp;base64,UklGRg==', seed: 5 });
      expect(request.mode).toBe('image-to-video');
    } finally {
      dir.remove();
    }
  });

  it('reads queue states, then the result: a video, a content-policy 422, a validation 422', () => {
    const pika = createFalProtocol(PIKA);
    expect(pika.parseSubmit(json(200, { status: 'IN_QUEUE', request_id: 'r1', queue_position: 0 }))).toEqual({ kind: 'job', jobId: 'r1' });
    expect(pika.parsePoll(json(202, { status: 'IN_QUEUE', queue_position: 2 }), 'r1', BASE)).toEqual({ kind: 'pending', note: 'queued', queuePosition: 2 });
    expect(pika.parsePoll(json(202, { status: 'IN_QUEUE' }), 'r1', BASE)).toEqual({ kind: 'pending', note: 'queued' });
    expect(pika.parsePoll(json(202, { status: 'IN_PROGRESS', logs: [{ message: 'denoising 3/8' }] }), 'r1', BASE)).toEqual({ kind: 'pending', note: 'denoising 3/8' });
    expect(pika.parsePoll(json(200, { status: 'COMPLETED' }), 'r1', BASE)).toEqual({
      kind: 'fetch-result',
      request: { method: 'GET', url: 'http://127.0.0.1:9/fal-ai/pika/requests/r1', headers: { authorization: `Key ${KEY}` } },
    });
    const parseResult = pika.parseResult;
    if (parseResult === undefined) throw new Error('fal reads a result endpoint');
    expect(parseResult(json(200, { video: { url: 'https://v3.fal.media/files/x.mp4' } }), 'r1', BASE)).toEqual({
      kind: 'succeeded',
      download: { method: 'GET', url: 'https://v3.fal.media/files/x.mp4', headers: {} },
    });
    const policy = { detail: [{ loc: ['body', 'prompt'], msg: 'Flagged by the content checker.', type: 'content_policy_violation' }] };
    expect(parseResult(json(422, policy), 'r1', BASE)).toEqual({ kind: 'refused', message: 'fal answered HTTP 422 for the result of request r1: Flagged by the content checker. (content_policy_violation)' });
    expect(pika.parseSubmit(json(422, policy)).kind).toBe('refused');
    expect(pika.parseSubmit(json(422, { detail: [{ loc: ['body', 'duration'], msg: 'Input should be 5 or 10', type: 'literal_error' }] })).kind).toBe('failed');
    expect(pika.parseSubmit(json(404, { detail: "Application 'fal-ai/pika/v9' not found" })).kind).toBe('unavailable');
  });
});

describe('fal through the job lifecycle against a fake fal queue', () => {
  const fixture = fixtureDir('fal');
  let server: FakeFalServer;

  beforeAll(async () => {
    const clips = await makeFixtureClips(fixture.dir);
    server = await startFakeFalServer({ key: KEY, clips: clips.source });
  });
  afterAll(async () => {
    await server.close();
    fixture.remove();
  });

  async function generate(prompt: Prompt, endpoint: FalEndpointId = PIKA, key = KEY) {
    const env = { FAL_KEY: key, FAL_QUEUE_BASE_URL: server.url, PHYSEVAL_CACHE_DIR: fixture.file('cache') };
    const generator = createProviderGenerator(createFalProtocol(endpoint), falInfo(endpoint), { ...FAST_LIFECYCLE, env, jobsDir: fixture.file('jobs') });
    const stages: string[] = [];
    const outPath = fixture.file(`out/${prompt.id}.mp4`);
    const onProgress = (stage: GenerationStage, detail?: string): void => void stages.push(detail === undefined ? stage : `${stage} ${detail}`);
    const outcome = await generator.generate({ prompt, seed: 3, outPath, onProgress });
    return { outcome, stages, outPath };
  }

  it('queues, runs with logs, completes, reads the result and downloads from the CDN without the key', async () => {
    const before = server.createdCount();
    const { outcome, stages, outPath } = await generate(promptWithFaults(bounce));
    expect(outcome).toEqual({ status: 'ok', videoPath: outPath, costUsd: 0.2 });
    expect(server.createdCount() - before).toBe(1);
    expect(stages).toEqual(['queued submitting', 'queued position 0', 'generating step 1', 'generating step 2', 'downloading']);
    expect((await probeVideo(outPath)).hasAudio).toBe(false);
    const paths = server.requests.map((request) => `${request.method} ${request.path}`);
    expect(paths).toContain(`POST /${PIKA}`);
    expect(paths.some((path) => /^GET \/fal-ai\/pika\/requests\/[^/]+\/status$/.test(path))).toBe(true);
    expect(server.requests.filter((request) => request.path.startsWith('/cdn/')).every((request) => !request.authorized)).toBe(true);
  });

  it('gets Veo 3.1 on fal with audio', async () => {
    const { outcome, outPath } = await generate(promptWithFaults(bounce), 'fal-ai/veo3.1');
    expect(outcome).toMatchObject({ status: 'ok', costUsd: 2.4 });
    expect((await probeVideo(outPath)).hasAudio).toBe(true);
  });

  it('rides out 429, 500, 503 and broken downloads, submitting once', async () => {
    for (const fault of ['429-create', '500-create', '503-create', '429-poll', '503-poll', 'drop-download', 'truncate-download']) {
      const before = server.createdCount();
      const { outcome } = await generate(promptWithFaults(bounce, fault));
      expect(outcome.status, fault).toBe('ok');
      expect(server.createdCount() - before, fault).toBe(1);
    }
  });

  it('survives faults armed by the test-control call rather than the prompt (two 503s on status polls)', async () => {
    server.arm('503-poll', 2);
    const before = server.requests.length;
    const { outcome } = await generate(promptWithFaults(bounce));
    expect(outcome.status).toBe('ok');
    // submit, 2 × 503 then queued, 2 × in progress, completed, result, CDN download.
    expect(server.requests.length - before).toBe(9);
  });

  it('records a content-policy 422 (at submit, or from the result after COMPLETED) as a refusal, at no cost', async () => {
    const sync = await generate(promptWithFaults(bounce, 'refuse-sync'));
    expect(sync.outcome).toMatchObject({ status: 'refused', costUsd: 0, message: expect.stringContaining('content_policy_violation') });
    const late = await generate(promptWithFaults(bounce, 'refuse'));
    expect(late.outcome).toEqual({
      status: 'refused',
      message: expect.stringMatching(/^fal answered HTTP 422 for the result of request [0-9a-f-]+: The output was flagged by the content checker\. \(content_policy_violation\)$/),
      costUsd: 0,
    });
  });

  it('records a runner error on the result endpoint as a failure', async () => {
    const { outcome } = await generate(promptWithFaults(bounce, 'fail'));
    expect(outcome).toMatchObject({ status: 'failed', costUsd: 0, message: expect.stringContaining('The model failed to generate a video. (runner_server_error)') });
  });

  it('answers a wrong key with a 401 the item records as failed, without the key in the message', async () => {
    const { outcome } = await generate(promptWithFaults(bounce), PIKA, 'fal-wrong');
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('HTTP 401') });
    if (outcome.status !== 'ok') expect(outcome.message).not.toContain('fal-wrong');
  });
});

describe('physeval run --generators fal:fal-ai/pika/v2.2/text-to-video against a fake fal queue', () => {
  const fixture = fixtureDir('fal-cli');
  let server: FakeFalServer;

  beforeAll(async () => {
    server = await startFakeFalServer({ key: KEY, clips: await makeClipsForPrompts(fixture.dir, SMOKE_PROMPT_IDS) });
  });
  afterAll(async () => {
    await server.close();
    fixture.remove();
  });

  it('generates, analyses and prices the smoke suite (three 5 s clips at $0.04/s), writing the key nowhere', async () => {
    const out = fixture.file('run');
    const run = await runSmokeSuite(`fal:${PIKA}`, { FAL_KEY: KEY, FAL_QUEUE_BASE_URL: server.url, PHYSEVAL_CACHE_DIR: fixture.file('cache') }, out);
    expect(run.code, run.stderr).toBe(0);
    const items = run.results?.items ?? [];
    expect(items.map((item) => [item.promptId, item.status, item.costUsd])).toEqual([
      ['basketball-bounce-hardwood', 'ok', 0.2],
      ['rubber-balls-thrown-midair', 'ok', 0.2],
      ['tennis-ball-lob', 'ok', 0.2],
    ]);
    expect(items.every((item) => item.video?.hasAudio === false && Object.keys(item.metrics).length > 0)).toBe(true);
    expect(server.createdCount()).toBe(3);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    for (const path of filesUnder(out)) expect(readFileSync(path).includes(KEY), path).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});
