import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../media/probe.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { Prompt } from '../../prompts/schema.js';
import { createProviderGenerator } from '../../runners/provider-generator.js';
import type { HttpResponse, ProviderRequest } from '../../runners/provider-protocol.js';
import { createGoogleVeoProtocol, googleVeoInfo, type GoogleVeoModel } from '../../runners/providers/google-veo.js';
import type { GenerationStage, Generator } from '../../runners/types.js';
import { fixtureDir } from '../media/fixtures.js';
import { FAST_LIFECYCLE, filesUnder, makeClipsForPrompts, makeFixtureClips, promptWithFaults, runSmokeSuite, SMOKE_PROMPT_IDS } from './fake-server-kit.js';
import { startFakeVeoServer, type FakeVeoServer } from './fake-veo-server.js';

const KEY = 'AIza-test-PHYSEVAL-VEO-SECRET-91b2';
const BASE = { baseUrl: 'http://127.0.0.1:9/', key: KEY };
const bounce = getPrompt('basketball-bounce-hardwood');
const veo = createGoogleVeoProtocol('veo-3.1');

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: {}, json: body, text: JSON.stringify(body) };
}

function prepared(prompt: Prompt, seed = 7): ProviderRequest {
  const request = veo.prepare(prompt, seed);
  if ('unsupported' in request) throw new Error(request.unsupported);
  return request;
}

describe('the Veo protocol on recorded bodies', () => {
  it('asks for the shortest allowed clip covering the prompt, 16:9 at 720p, with neither seed nor generateAudio', () => {
    const request = prepared(bounce);
    expect(request.body).toEqual({ instances: [{ prompt: bounce.text }], parameters: { sampleCount: 1, durationSeconds: 6, aspectRatio: '16:9', resolution: '720p' } });
    expect(request.billedSeconds).toBe(6);
    expect(request.mode).toBe('text-to-video');
    expect(request.notes?.join(' ')).toMatch(/the seed cannot be honoured/);
    expect(request.notes?.[0]).toContain('durationSeconds 6 (the prompt asks for 5 s)');
  });

  it('says which aspect ratios and durations it cannot make', () => {
    expect(veo.prepare({ ...bounce, aspectRatio: '1:1' }, 1)).toEqual({ unsupported: 'veo-3.1-generate-preview makes 16:9 or 9:16 clips, not 1:1' });
    expect(veo.prepare({ ...bounce, durationS: 9 }, 1)).toEqual({ unsupported: 'veo-3.1-generate-preview makes clips of 4, 6, 8 s; the prompt asks for 9 s' });
  });

  it('sends a start image inline as instances[0].image (image-to-video)', () => {
    const dir = fixtureDir('veo-image');
    try {
      const path = join(dir.dir, 'first.png');
      writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
      const request = prepared({ ...bounce, startImage: path });
      expect(request.mode).toBe('image-to-video');
      expect((request.body['instances'] as unknown[])[0]).toEqual({ prompt: bounce.text, image: { bytesBase64Encoded: 'iVBORwECAw==', mimeType: 'image/png' } });
      expect(veo.prepare({ ...bounce, startImage: join(dir.dir, 'missing.png') }, 1)).toMatchObject({ unsupported: expect.stringContaining('missing.png cannot be read') });
    } finally {
      dir.remove();
    }
  });

  it('posts to models/{model}:predictLongRunning with the key in x-goog-api-key, never in the URL', () => {
    const spec = veo.submitRequest(prepared(bounce), BASE);
    expect(spec.url).toBe('http://127.0.0.1:9/v1beta/models/veo-3.1-generate-preview:predictLongRunning');
    expect(spec.headers['x-goog-api-key']).toBe(KEY);
    expect(veo.pollRequest('models/veo-3.1-generate-preview/operations/abc', BASE).url).toBe('http://127.0.0.1:9/v1beta/models/veo-3.1-generate-preview/operations/abc');
  });

  it('reads an operation name, a synchronous safety block, an unknown model and a quota error', () => {
    expect(veo.parseSubmit(json(200, { name: 'models/veo-3.1-generate-preview/operations/op1' }))).toEqual({ kind: 'job', jobId: 'models/veo-3.1-generate-preview/operations/op1' });
    expect(veo.parseSubmit(json(400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'The prompt was blocked by the safety filters.' } })).kind).toBe('refused');
    expect(veo.parseSubmit(json(400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'durationSeconds must be 4, 6 or 8.' } })).kind).toBe('failed');
    expect(veo.parseSubmit(json(404, { error: { code: 404, status: 'NOT_FOUND', message: 'models/veo-9 is not found' } }))).toEqual({
      kind: 'unavailable',
      message: 'Gemini API answered HTTP 404 NOT_FOUND to predictLongRunning: models/veo-9 is not found',
    });
  });

  it('reads a running operation, a finished one (download from the API base with the key), a filtered one and a failed one', () => {
    const name = 'models/veo-3.1-generate-preview/operations/op1';
    expect(veo.parsePoll(json(200, { name }), name, BASE)).toEqual({ kind: 'pending' });
    expect(veo.parsePoll(json(200, { name, done: false }), name, BASE)).toEqual({ kind: 'pending' });
    const done = { name, done: true, response: { generateVideoResponse: { generatedSamples: [{ video: { uri: 'https://generativelanguage.googleapis.com/v1beta/files/f42:download?alt=media' } }] } } };
    expect(veo.parsePoll(json(200, done), name, BASE)).toEqual({
      kind: 'succeeded',
      download: { method: 'GET', url: 'http://127.0.0.1:9/v1beta/files/f42:download?alt=media', headers: { 'x-goog-api-key': KEY } },
      // The URI as Google gave it: an extension of this clip names it in instances[0].video.
      outputRef: 'https://generativelanguage.googleapis.com/v1beta/files/f42:download?alt=media',
    });
    const filtered = { name, done: true, response: { generateVideoResponse: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ['Celebrity likeness.'] } } };
    expect(veo.parsePoll(json(200, filtered), name, BASE)).toEqual({ kind: 'refused', message: 'Veo filtered the video (1 filtered): Celebrity likeness.' });
    expect(veo.parsePoll(json(200, { name, done: true, error: { code: 13, message: 'Internal error.' } }), name, BASE)).toEqual({
      kind: 'failed',
      message: `Veo operation ${name} failed (code 13): Internal error.`,
    });
  });
});

describe('Veo through the job lifecycle against a fake Gemini API', () => {
  const fixture = fixtureDir('veo');
  let server: FakeVeoServer;

  beforeAll(async () => {
    const clips = await makeFixtureClips(fixture.dir);
    server = await startFakeVeoServer({ key: KEY, clips: clips.source });
  });
  afterAll(async () => {
    await server.close();
    fixture.remove();
  });

  function generator(model: GoogleVeoModel = 'veo-3.1', key = KEY): Generator {
    const env = { GEMINI_API_KEY: key, GEMINI_BASE_URL: server.url, PHYSEVAL_CACHE_DIR: fixture.file('cache') };
    return createProviderGenerator(createGoogleVeoProtocol(model), googleVeoInfo(model), { ...FAST_LIFECYCLE, env, jobsDir: fixture.file('jobs') });
  }

  async function generate(prompt: Prompt, model: GoogleVeoModel = 'veo-3.1', key = KEY) {
    const stages: GenerationStage[] = [];
    const outPath = fixture.file(`out/${prompt.id}.mp4`);
    const outcome = await generator(model, key).generate({ prompt, seed: 3, outPath, onProgress: (stage) => void stages.push(stage) });
    return { outcome, stages, outPath };
  }

  it('creates one operation, polls it to done, follows the download redirect and prices 6 s at $0.40/s', async () => {
    const before = server.createdCount();
    const { outcome, stages, outPath } = await generate(promptWithFaults(bounce));
    expect(outcome).toEqual({ status: 'ok', videoPath: outPath, costUsd: 2.4 });
    expect(server.createdCount() - before).toBe(1);
    expect(stages).toContain('generating');
    expect(stages.at(-1)).toBe('downloading');
    const info = await probeVideo(outPath);
    expect([info.width, info.height, info.hasAudio]).toEqual([320, 180, true]);
    const paths = server.requests.map((request) => request.path);
    expect(paths.some((path) => /^\/v1beta\/files\/[^/]+:download$/.test(path))).toBe(true);
    expect(paths.some((path) => path.startsWith('/blob/'))).toBe(true);
    expect(server.createBodies.at(-1)).toMatchObject({ parameters: { durationSeconds: 6 } });
  });

  it('sends a start image as instances[0].image (image-to-video)', async () => {
    const image = fixture.file('first.png');
    writeFileSync(image, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const { outcome } = await generate({ ...promptWithFaults(bounce), startImage: image });
    expect(outcome.status).toBe('ok');
    expect(server.createBodies.at(-1)).toMatchObject({ instances: [{ image: { bytesBase64Encoded: 'iVBORw==', mimeType: 'image/png' } }] });
  });

  it('serves veo-3.1-fast at its own price', async () => {
    const { outcome } = await generate(promptWithFaults(bounce), 'veo-3.1-fast');
    expect(outcome).toMatchObject({ status: 'ok', costUsd: 0.9 });
  });

  it('rides out a 429 with Retry-After, 500 and 503 on create and on polls, creating the operation once', async () => {
    for (const fault of ['429-create', '500-create', '503-create', '429-poll', '503-poll']) {
      const before = server.createdCount();
      const { outcome } = await generate(promptWithFaults(bounce, fault));
      expect(outcome.status, fault).toBe('ok');
      expect(server.createdCount() - before, fault).toBe(1);
    }
  });

  it('fetches the video again after a dropped connection or a truncated file', async () => {
    for (const fault of ['drop-download', 'truncate-download']) {
      const { outcome, outPath } = await generate(promptWithFaults(bounce, fault));
      expect(outcome.status, fault).toBe('ok');
      expect(statSync(outPath).size, fault).toBe(readFileSync(fixture.file('with-audio.mp4')).length);
    }
  });

  it('records a hung create call as failed without retrying it (a retried POST could pay twice)', async () => {
    const before = server.createdCount();
    const { outcome } = await generate(promptWithFaults(bounce, 'hang-create'));
    expect(outcome).toMatchObject({ status: 'failed', costUsd: 0 });
    if (outcome.status !== 'ok') expect(outcome.message).toMatch(/create call failed: .*timed out/);
    expect(server.createdCount()).toBe(before);
  });

  it('records safety blocks (synchronous and filtered) as refusals and an operation error as a failure, at no cost', async () => {
    const sync = await generate(promptWithFaults(bounce, 'refuse-sync'));
    expect(sync.outcome).toMatchObject({ status: 'refused', costUsd: 0 });
    const filtered = await generate(promptWithFaults(bounce, 'refuse'));
    expect(filtered.outcome).toEqual({ status: 'refused', message: "Veo filtered the video (1 filtered): We encountered an issue with the audio for your prompt. You won't be charged for this request.", costUsd: 0 });
    const failed = await generate(promptWithFaults(bounce, 'fail'));
    expect(failed.outcome).toMatchObject({ status: 'failed', costUsd: 0 });
    if (failed.outcome.status !== 'ok') expect(failed.outcome.message).toContain('(code 13): Video generation failed due to an internal error.');
  });

  it('answers a wrong key with a 401 the item records as failed, and writes the key nowhere', async () => {
    const wrong = 'AIza-wrong-key-000';
    const { outcome } = await generate(promptWithFaults(bounce), 'veo-3.1', wrong);
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'ok') {
      expect(outcome.message).toContain('HTTP 401 UNAUTHENTICATED');
      expect(outcome.message).not.toContain(wrong);
    }
    for (const name of readdirSync(fixture.file('jobs'))) expect(readFileSync(join(fixture.file('jobs'), name), 'utf8')).not.toContain(KEY);
  });
});

describe('physeval run --generators google:veo-3.1 against a fake Gemini API', () => {
  const fixture = fixtureDir('veo-cli');
  let server: FakeVeoServer;

  beforeAll(async () => {
    server = await startFakeVeoServer({ key: KEY, clips: await makeClipsForPrompts(fixture.dir, SMOKE_PROMPT_IDS) });
  });
  afterAll(async () => {
    await server.close();
    fixture.remove();
  });

  it('generates, analyses and prices the smoke suite (6 + 4 + 4 s at $0.40/s), writing the key nowhere', async () => {
    const out = fixture.file('run');
    const run = await runSmokeSuite('google:veo-3.1', { GEMINI_API_KEY: KEY, GEMINI_BASE_URL: server.url, PHYSEVAL_CACHE_DIR: fixture.file('cache') }, out);
    expect(run.code, run.stderr).toBe(0);
    const items = run.results?.items ?? [];
    expect(items.map((item) => [item.promptId, item.status, item.costUsd])).toEqual([
      ['basketball-bounce-hardwood', 'ok', 2.4],
      ['rubber-balls-thrown-midair', 'ok', 1.6],
      ['tennis-ball-lob', 'ok', 1.6],
    ]);
    expect(items.every((item) => item.video?.hasAudio === true && Object.keys(item.metrics).length > 0)).toBe(true);
    expect(server.createdCount()).toBe(3);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    for (const path of filesUnder(out)) expect(readFileSync(path).includes(KEY), path).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});
