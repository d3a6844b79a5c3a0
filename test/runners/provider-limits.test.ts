import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrompt } from '../../prompts/catalog.js';
import { createProviderGenerator } from '../../runners/provider-generator.js';
import { ProviderLimits, providerLimitEnvNames, resolveProviderLimits } from '../../runners/provider-limits.js';
import { createSoraProtocol } from '../../runners/providers/openai.js';
import { createGenerator, DEFAULT_GENERATOR_SETTINGS } from '../../runners/registry.js';
import { fixtureDir } from '../media/fixtures.js';
import { setEnv } from '../support/env.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai-server.js';
import { FAST_LIFECYCLE, makeFixtureClips } from './fake-server-kit.js';

const KEY = 'sk-limits-SECRET-91aa';
const fixture = fixtureDir('limits');
let server: FakeOpenAi;

beforeAll(async () => {
  const clips = await makeFixtureClips(fixture.file('clips'), 'tennis-ball-lob');
  // Jobs of five polls 30 ms apart (the server's hint): jobs started together overlap unless a limit holds them back.
  server = await startFakeOpenAi({ key: KEY, video: () => clips.withAudio, queuedPolls: 1, progressPolls: 3, pollAfterMs: 30 });
  // The first fetch of a process sets undici up (tens of ms), which would shorten the first gap the server sees.
  await fetch(`${server.url}/warm-up`);
});

afterAll(async () => {
  await server.close();
  fixture.remove();
});

describe('per-provider limits', () => {
  it('resolve from the environment, then the config, then the provider defaults, and name a bad variable', () => {
    expect(providerLimitEnvNames('openai')).toEqual({ concurrency: 'PHYSEVAL_OPENAI_CONCURRENCY', requestsPerMinute: 'PHYSEVAL_OPENAI_RPM' });
    expect(resolveProviderLimits('azure', {}, {})).toEqual({ concurrency: 2, requestsPerMinute: 2 });
    expect(resolveProviderLimits('openai', { concurrency: 3 }, {})).toEqual({ concurrency: 3, requestsPerMinute: 60 });
    expect(resolveProviderLimits('openai', { concurrency: 3, requestsPerMinute: 30 }, { PHYSEVAL_OPENAI_CONCURRENCY: '1', PHYSEVAL_OPENAI_RPM: '0' })).toEqual({ concurrency: 1, requestsPerMinute: 0 });
    expect(() => resolveProviderLimits('runway', {}, { PHYSEVAL_RUNWAY_CONCURRENCY: '0' })).toThrow("PHYSEVAL_RUNWAY_CONCURRENCY must be a whole number of at least 1, got '0'");
    expect(() => resolveProviderLimits('fal', {}, { PHYSEVAL_FAL_RPM: 'fast' })).toThrow("PHYSEVAL_FAL_RPM must be a whole number of at least 0, got 'fast'");
  });

  /** Six jobs at once, alternating openai:sora-2 and openai:sora-2-pro, all drawing on one OpenAI slot. */
  async function sixJobs(limits: ProviderLimits, tag: string): Promise<string[]> {
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1`, PHYSEVAL_CACHE_DIR: fixture.file(`cache-${tag}`) };
    const options = { ...FAST_LIFECYCLE, requestsPerMinute: undefined, env, jobsDir: fixture.file(`jobs-${tag}`), providerSlot: limits.slotFor('openai') };
    const generators = (['sora-2', 'sora-2-pro'] as const).map((model) =>
      createProviderGenerator(createSoraProtocol({ kind: 'openai', model }), { id: `openai:${model}`, description: model, modes: ['text-to-video'], priceUsdPerS: 0.1, needsKey: true }, options),
    );
    const lob = getPrompt('tennis-ball-lob');
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, index) => {
        const prompt = { ...lob, id: `lob-${tag}-${index}`, text: `${lob.text} ${tag} #${index}` };
        return generators[index % 2]!.generate({ prompt, seed: 1, outPath: fixture.file(`out-${tag}/${index}.mp4`) });
      }),
    );
    return outcomes.map((outcome) => outcome.status);
  }

  it('share one concurrency limit between sora-2 and sora-2-pro: never more than 2 jobs in flight', async () => {
    server.stats.maxInFlight = 0;
    expect(await sixJobs(new ProviderLimits({ openai: { concurrency: 2, requestsPerMinute: 0 } }, {}), 'slots')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    // Unlimited, all six would start at once and overlap.
    expect(server.stats.maxInFlight).toBe(2);
  });

  it('share one create rate between sora-2 and sora-2-pro: 200 a minute arrive 300 ms apart', async () => {
    const before = server.stats.createTimesMs.length;
    expect(await sixJobs(new ProviderLimits({ openai: { concurrency: 6, requestsPerMinute: 200 } }, {}), 'rate')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const times = server.stats.createTimesMs.slice(before);
    expect(times).toHaveLength(6);
    const gapsMs = times.slice(1).map((timeMs, index) => timeMs - times[index]!);
    // The server sees arrivals, which lag the limiter's starts by a varying delay (up to ~100 ms on a
    // loaded machine); unpaced, the six would arrive within a few ms. Half the spacing is the bar.
    expect(Math.min(...gapsMs)).toBeGreaterThanOrEqual(150);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(5 * 300 - 150);
  });

  it("reach every generator the registry makes for a run: openai:sora-2 and openai:sora-2-pro one job at a time", async () => {
    // The registry reads keys and base URLs from the process environment, as a run does.
    const restoreEnv = setEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1`, PHYSEVAL_CACHE_DIR: fixture.file('cache-registry'), PHYSEVAL_POLL_INTERVAL_S: '0.01' });
    try {
      const settings = { ...DEFAULT_GENERATOR_SETTINGS, jobsDir: fixture.file('jobs-registry'), providerLimits: new ProviderLimits({ openai: { concurrency: 1, requestsPerMinute: 0 } }, {}) };
      const generators = [createGenerator('openai:sora-2', settings), createGenerator('openai:sora-2-pro', settings)];
      const lob = getPrompt('tennis-ball-lob');
      // The counter restarts: the test before filled it.
      server.stats.maxInFlight = 0;
      const outcomes = await Promise.all(
        Array.from({ length: 2 }, (_, index) => {
          const prompt = { ...lob, id: `lob-registry-${index}`, text: `${lob.text} registry #${index}` };
          return generators[index % 2]!.generate({ prompt, seed: 1, outPath: fixture.file(`out-registry/${index}.mp4`) });
        }),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'ok']);
      expect(server.stats.maxInFlight).toBe(1);
    } finally {
      restoreEnv();
    }
  });
});
