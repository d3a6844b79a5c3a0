import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../media/probe.js';
import type { Prompt } from '../../prompts/schema.js';
import { journalPath, readJournal } from '../../runners/job-journal.js';
import { createProviderGenerator, type ProviderGeneratorOptions } from '../../runners/provider-generator.js';
import { createSoraProtocol } from '../../runners/providers/openai.js';
import type { GenerationStage, Generator } from '../../runners/types.js';
import { fixtureDir, makeWithFfmpeg } from '../media/fixtures.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai-server.js';
import { catalogPrompt, clipFor, smokeClips } from './sora-fixture.js';

const KEY = 'sk-test-PHYSEVAL-SECRET-4f1c9a';
const INFO = { id: 'openai:sora-2', description: 'Sora 2', modes: ['text-to-video' as const], priceUsdPerS: 0.1, needsKey: true };
const FAST = { pollIntervalS: 0.01, retry: { baseDelayMs: 5, maxDelayMs: 2000, timeoutMs: 2000 }, requestsPerMinute: 0 } satisfies ProviderGeneratorOptions;

const fixture = fixtureDir('provider');
let clips: Map<string, Buffer>;
let server: FakeOpenAi;
let lob: Prompt;
let counter = 0;

beforeAll(async () => {
  clips = await smokeClips(fixture.dir);
  server = await startFakeOpenAi({ key: KEY, video: clipFor(clips), pollAfterMs: 10, retiredModels: ['sora-2-pro'], azureDeployments: ['my-sora'] });
  lob = catalogPrompt('tennis-ball-lob');
});

afterAll(async () => {
  await server.close();
  fixture.remove();
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1`, PHYSEVAL_CACHE_DIR: fixture.file('cache'), ...extra };
}

function sora(options: ProviderGeneratorOptions = {}, model: 'sora-2' | 'sora-2-pro' = 'sora-2'): Generator {
  return createProviderGenerator(createSoraProtocol({ kind: 'openai', model }), INFO, { ...FAST, env: env(), ...options });
}

/** A prompt whose text carries fault tokens (and a counter, so no two tests share a cache entry). */
function withFaults(...tokens: string[]): Prompt {
  counter += 1;
  return { ...lob, id: `lob-${counter}`, text: `${lob.text} ${tokens.map((token) => `[${token}]`).join(' ')} #${counter}` };
}

async function generate(generator: Generator, prompt: Prompt, jobsDir = fixture.file('jobs')) {
  const stages: string[] = [];
  const outPath = fixture.file(`out/${prompt.id}-${Math.random().toString(36).slice(2)}.mp4`);
  const onProgress = (stage: GenerationStage, detail?: string): void => void stages.push(detail ? `${stage} ${detail}` : stage);
  const outcome = await generator.generate({ prompt, seed: 1, outPath, onProgress });
  return { outcome, stages, outPath, jobsDir };
}

describe('the Sora job lifecycle against a fake OpenAI server', () => {
  it('creates once, journals the job id, polls through queued and progress, downloads a checked video and prices 4 s at $0.10/s', async () => {
    const prompt = withFaults();
    const jobsDir = fixture.file('jobs-happy');
    const { outcome, stages, outPath } = await generate(sora({ jobsDir }), prompt, jobsDir);
    expect(outcome).toEqual({ status: 'ok', videoPath: outPath, costUsd: 0.4 });
    const info = await probeVideo(outPath);
    expect([info.width, info.height, info.hasAudio]).toEqual([320, 180, true]);
    expect(stages[0]).toBe('queued submitting');
    expect(stages).toContain('queued');
    expect(stages.some((stage) => /^generating \d+%$/.test(stage))).toBe(true);
    expect(stages.at(-1)).toBe('downloading');
    expect(server.stats.creates.get(prompt.text)).toBe(1);
    const journal = await readJournal(journalPath(jobsDir, `openai:sora-2|${prompt.id}|1`));
    expect(journal?.jobId).toMatch(/^video_/);
    expect(journal?.costUsd).toBe(0.4);
  });

  it('serves a repeated request from the content-addressed cache at no cost and no call', async () => {
    const prompt = withFaults();
    await generate(sora(), prompt);
    const requestsBefore = server.stats.requests.length;
    // With the seed, the plan sees the cached clip: a budget never skips it.
    const cachedPlan = sora().plan(prompt, 1);
    expect(cachedPlan).toMatchObject({ supported: true, costUsd: 0 });
    expect(cachedPlan.supported && cachedPlan.notes?.at(-1)).toBe('in the video cache: no request, no cost');
    expect(sora().plan(prompt, 2)).toMatchObject({ supported: true, costUsd: 0.4 });
    const again = await generate(sora({ jobsDir: fixture.file('jobs-elsewhere') }), prompt, fixture.file('jobs-elsewhere'));
    expect(again.outcome.status).toBe('ok');
    expect(again.outcome.costUsd).toBe(0);
    expect(server.stats.requests.length).toBe(requestsBefore);
    expect(readdirSync(fixture.file('cache')).filter((name) => name.endsWith('.mp4')).length).toBeGreaterThan(0);
  });

  it('adopts a journalled job after a timeout instead of creating a second one', async () => {
    const prompt = withFaults();
    const jobsDir = fixture.file('jobs-resume');
    const slow = await startFakeOpenAi({ key: KEY, video: clipFor(clips), queuedPolls: 3, progressPolls: 3 });
    try {
      const slowEnv = { ...env(), OPENAI_BASE_URL: `${slow.url}/v1` };
      const first = await generate(sora({ jobsDir, timeoutS: 0.001, env: slowEnv }), prompt, jobsDir);
      expect(first.outcome.status).toBe('timeout');
      expect(existsSync(journalPath(jobsDir, `openai:sora-2|${prompt.id}|1`))).toBe(true);
      // A wrong key on a poll says nothing about the job: the journal stays.
      const wrongKey = await generate(sora({ jobsDir, env: { ...slowEnv, OPENAI_API_KEY: 'sk-rotated-0000000000' } }), prompt, jobsDir);
      expect(wrongKey.outcome).toMatchObject({ status: 'failed', costUsd: 0.4 });
      expect(wrongKey.outcome.status !== 'ok' && wrongKey.outcome.message).toMatch(/invalid_api_key.*kept: a run with --retry-failed polls it again/);
      const second = await generate(sora({ jobsDir, env: slowEnv }), prompt, jobsDir);
      expect(second.outcome).toMatchObject({ status: 'ok', costUsd: 0.4 });
      expect(slow.stats.creates.get(prompt.text)).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('retries a 429 with retry-after-ms and two 500s on create, a 429 with an HTTP-date Retry-After on poll, and a hung poll', async () => {
    const prompt = withFaults('429', '500', 'poll-429', 'hang');
    const { outcome } = await generate(sora({ retry: { ...FAST.retry, timeoutMs: 300 } }), prompt);
    expect(outcome.status).toBe('ok');
    expect(server.stats.creates.get(prompt.text)).toBe(1);
  });

  it('retries a download cut off mid-body, and fails a file that is always truncated', async () => {
    const downloadsBefore = server.stats.downloads;
    const dropped = await generate(sora(), withFaults('drop'));
    expect(dropped.outcome.status).toBe('ok');
    expect(server.stats.downloads - downloadsBefore).toBe(2);
    const truncated = await generate(sora({ retry: { ...FAST.retry, maxAttempts: 2 } }), withFaults('truncate'));
    expect(truncated.outcome.status).toBe('failed');
    expect(truncated.outcome.status !== 'ok' && truncated.outcome.message).toMatch(/download failed after 2 attempts: .*(bytes|not a whole video)/);
    expect(existsSync(truncated.outPath)).toBe(false);
  });

  it('records refusals (synchronous and as a failed job), failures and the retired model with the provider\'s words', async () => {
    const refused = await generate(sora(), withFaults('refuse'));
    expect(refused.outcome).toMatchObject({ status: 'refused', costUsd: 0 });
    expect(refused.outcome.status !== 'ok' && refused.outcome.message).toContain('blocked by our moderation system');
    const refusedLater = await generate(sora(), withFaults('refuse-later'));
    expect(refusedLater.outcome).toMatchObject({ status: 'refused', costUsd: 0 });
    expect(refusedLater.outcome.status !== 'ok' && refusedLater.outcome.message).toContain('content policy');
    const failed = await generate(sora(), withFaults('fail'));
    expect(failed.outcome).toMatchObject({ status: 'failed', costUsd: 0 });
    expect(failed.outcome.status !== 'ok' && failed.outcome.message).toContain('internal_error');
    const retired = await generate(sora({}, 'sora-2-pro'), withFaults());
    expect(retired.outcome.status).toBe('unavailable');
    expect(retired.outcome.status !== 'ok' && retired.outcome.message).toContain('shut down on September 24, 2026');
  });

  it('never repeats the key: a wrong key is answered 401 and the message is redacted', async () => {
    const wrongKey = 'sk-wrong-key-0123456789abcdef';
    const generator = sora({ env: { ...env(), OPENAI_API_KEY: wrongKey } });
    const { outcome } = await generate(generator, withFaults());
    expect(outcome.status).toBe('failed');
    expect(JSON.stringify(outcome)).not.toContain(wrongKey);
    expect(outcome.status !== 'ok' && outcome.message).toContain('401');
    const noKey = await generate(sora({ env: { ...env(), OPENAI_API_KEY: '' } }), withFaults());
    expect(noKey.outcome.status !== 'ok' && noKey.outcome.message).toMatch(/^OPENAI_API_KEY is not set/);
  });

  it('speaks Azure OpenAI: the deployment as model, the api-key header, /openai/v1 under the resource endpoint', async () => {
    const protocol = createSoraProtocol({ kind: 'azure', deployment: 'my-sora' });
    const azureEnv = { AZURE_OPENAI_API_KEY: KEY, AZURE_OPENAI_ENDPOINT: server.url, PHYSEVAL_CACHE_DIR: fixture.file('cache') };
    const generator = createProviderGenerator(protocol, { ...INFO, id: 'azure:sora-2' }, { ...FAST, env: azureEnv });
    const requestsBefore = server.stats.requests.length;
    const { outcome } = await generate(generator, withFaults());
    expect(outcome.status).toBe('ok');
    expect(server.stats.requests.slice(requestsBefore)[0]).toBe('POST /openai/v1/videos');
  });

  it('sends a start image as the input_reference file part (image-to-video)', async () => {
    const image = fixture.file('start.png');
    await makeWithFfmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=1280x720', '-frames:v', '1', image]);
    const prompt = { ...withFaults(), startImage: image };
    expect(sora().plan(prompt)).toMatchObject({ supported: true });
    const { outcome } = await generate(sora(), prompt);
    expect(outcome.status).toBe('ok');
    expect(server.stats.references.at(-1)).toMatchObject({ name: 'start.png', type: 'image/png' });
    expect(server.stats.references.at(-1)?.bytes).toBeGreaterThan(0);
    expect(sora().plan({ ...prompt, startImage: fixture.file('missing.png') })).toEqual({ supported: false, reason: `the start image ${fixture.file('missing.png')} does not exist` });
    expect(sora().plan({ ...prompt, startImage: fixture.file('start.gif') })).toEqual({ supported: false, reason: `Sora's start image must be PNG, JPEG or WebP, not ${fixture.file('start.gif')}` });
  });

  it('plans without a call: rounds 3 s to Sora\'s "4", prices it, and refuses a square frame', () => {
    const generator = sora();
    const collision = catalogPrompt('rubber-balls-thrown-midair');
    const plan = generator.plan(collision);
    expect(plan).toMatchObject({ supported: true, costUsd: 0.4 });
    expect(plan.supported && plan.notes?.join(' | ')).toContain('duration rounded from 3 s to 4 s');
    expect(plan.supported && plan.notes?.join(' | ')).not.toContain('OPENAI_API_KEY');
    const keyless = sora({ env: { ...env(), OPENAI_API_KEY: '' } }).plan(collision);
    expect(keyless.supported && keyless.notes?.at(-1)).toBe('OPENAI_API_KEY is not set: a run would record this item as failed');
    expect(generator.plan({ ...collision, aspectRatio: '1:1' })).toEqual({ supported: false, reason: 'Sora makes 16:9 (1280x720) or 9:16 (720x1280) clips, not 1:1' });
  });

  it('writes the journal as JSON naming the provider, never the key', async () => {
    const jobsDir = fixture.file('jobs-happy');
    for (const name of readdirSync(jobsDir)) {
      const text = readFileSync(join(jobsDir, name), 'utf8');
      expect(text).not.toContain(KEY);
      expect(JSON.parse(text)).toMatchObject({ provider: 'openai' });
    }
  });
});
