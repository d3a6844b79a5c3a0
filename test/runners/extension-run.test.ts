import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../media/probe.js';
import { getPrompt } from '../../prompts/catalog.js';
import { joinAtBoundary } from '../../runners/source-clip.js';
import { loadConfig } from '../../suites/config.js';
import { resultsFileSchema } from '../../suites/results.js';
import { run } from '../../suites/run.js';
import { fixtureDir, makeWithFfmpeg } from '../media/fixtures.js';
import { setEnv } from '../support/env.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai-server.js';
import { makeFixtureClips } from './fake-server-kit.js';

const KEY = 'sk-extension-run-SECRET-5c01';
const fixture = fixtureDir('extension-run');
const source = getPrompt('basketball-bounce-hardwood');
const continuation = getPrompt('basketball-bounce-hardwood-continued');
let server: FakeOpenAi;

beforeAll(async () => {
  const clips = await makeFixtureClips(fixture.file('clips'), source.id);
  const newPart = fixture.file('new-part.mp4');
  // Sora's new part: the source scene again, twice over (4 s), so the stitched clip looks like one scene.
  await makeWithFfmpeg(['-stream_loop', '1', '-i', fixture.file(`clips/with-audio.mp4`), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', newPart]);
  const newPartInfo = await probeVideo(newPart);
  server = await startFakeOpenAi({
    key: KEY,
    video: () => clips.withAudio,
    pollAfterMs: 5,
    extensionVideo: async (uploaded) => {
      const uploadedPath = fixture.file('uploaded.mp4');
      writeFileSync(uploadedPath, uploaded);
      const uploadedInfo = await probeVideo(uploadedPath);
      await joinAtBoundary(uploadedInfo, uploadedInfo.durationS, newPartInfo, fixture.file('stitched.mp4'));
      return readFileSync(fixture.file('stitched.mp4'));
    },
  });
});

let restoreEnv = (): void => undefined;

afterAll(async () => {
  restoreEnv();
  await server.close();
  fixture.remove();
});

describe('a run with a catalog extension prompt', () => {
  it('makes the source first (even with one slot and the extension sorted first), continues it natively and records the boundary', async () => {
    // An in-process run reads keys and base URLs from the process environment, as the CLI does.
    restoreEnv = setEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1`, PHYSEVAL_CACHE_DIR: fixture.file('cache'), PHYSEVAL_POLL_INTERVAL_S: '0.01' });
    const out = fixture.file('run');
    const results = await run({
      outDir: out,
      suite: 'av-sync',
      generators: ['openai:sora-2'],
      catalog: [source, continuation],
      concurrency: 1,
      width: 320,
      height: 180,
      providerLimits: { openai: { requestsPerMinute: 0 } },
      env: {},
    });
    expect(resultsFileSchema.safeParse(results).success).toBe(true);
    expect(results.items.map((item) => [item.promptId, item.status])).toEqual([
      ['basketball-bounce-hardwood-continued', 'ok'],
      ['basketball-bounce-hardwood', 'ok'],
    ]);
    const extended = results.items[0];
    expect(extended?.generation).toEqual({ mode: 'video-extension', via: 'native', sourcePromptId: source.id, boundaryS: 1 });
    // The source was cut at 1 s and uploaded; Sora answered with it and 4 s more.
    expect(server.stats.extensions).toHaveLength(1);
    expect(extended?.video?.durationS).toBeCloseTo(5, 1);
    expect(extended?.costUsd).toBe(0.4);
  });

  it('records an extension whose source the run does not make as unsupported, saying so', async () => {
    const results = await run({ outDir: fixture.file('alone'), suite: 'av-sync', generators: ['openai:sora-2'], catalog: [continuation], width: 320, height: 180, env: {} });
    expect(results.items.map((item) => [item.status, item.message])).toEqual([
      ['unsupported', 'continues the clip of prompt basketball-bounce-hardwood, which this run does not make (add it to the suite, or run the whole suite without --shard)'],
    ]);
  });

  it('refuses prompts that continue each other in a circle instead of waiting forever', async () => {
    const first = { ...continuation, id: 'circle-a', fromClip: { as: 'extension' as const, promptId: 'circle-b' } };
    const second = { ...continuation, id: 'circle-b', fromClip: { as: 'extension' as const, promptId: 'circle-a' } };
    const results = await run({ outDir: fixture.file('circle'), suite: 'av-sync', generators: ['openai:sora-2'], catalog: [first, second], width: 320, height: 180, env: {} });
    expect(results.items.map((item) => [item.status, item.message])).toEqual([
      ['unsupported', 'prompts continue each other in a circle: circle-a → circle-b → circle-a'],
      ['unsupported', 'prompts continue each other in a circle: circle-b → circle-a → circle-b'],
    ]);
  });

  it('reads provider limits from a config file and names a provider it does not know', async () => {
    const good = fixture.file('limits.json');
    writeFileSync(good, JSON.stringify({ providers: { openai: { concurrency: 2, requestsPerMinute: 30 }, runway: { concurrency: 1 } } }));
    expect((await loadConfig(good)).providerLimits).toEqual({ openai: { concurrency: 2, requestsPerMinute: 30 }, runway: { concurrency: 1 } });
    const bad = fixture.file('bad-limits.json');
    writeFileSync(bad, JSON.stringify({ providers: { opnai: { concurrency: 2 } } }));
    await expect(loadConfig(bad)).rejects.toThrow(`${bad}: providers: Unrecognized key: "opnai"`);
  });
});
