import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../suites/results.js';
import { runCli, startCli } from '../support/cli.js';
import { fixtureDir } from '../media/fixtures.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai-server.js';
import { clipFor, smokeClips } from './sora-fixture.js';

// The compiled CLI runs these (`npm test` builds first).
const KEY = 'sk-physeval-RECOGNISABLE-KEY-7d3e21b9';
const fixture = fixtureDir('sora-cli');
let clips: Map<string, Buffer>;
let server: FakeOpenAi;

beforeAll(async () => {
  clips = await smokeClips(fixture.dir);
  // Slow job states: 4 queued polls and 6 in progress, 50 ms apart, so a run can be killed mid-poll.
  server = await startFakeOpenAi({ key: KEY, video: clipFor(clips), queuedPolls: 4, progressPolls: 6, pollAfterMs: 50, azureDeployments: ['sora2-eval'] });
});

afterAll(async () => {
  await server.close();
  fixture.remove();
});

function env(cacheName: string): NodeJS.ProcessEnv {
  return { OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: KEY, PHYSEVAL_CACHE_DIR: fixture.file(cacheName), PHYSEVAL_POLL_INTERVAL_S: '0.05' };
}

function readResultsFile(dir: string): ResultsFile {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile());
}

function totalCreates(): number {
  return [...server.stats.creates.values()].reduce((sum, count) => sum + count, 0);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const startMs = Date.now();
  while (!condition()) {
    if (Date.now() - startMs > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('physeval run --generators openai:sora-2 against a fake OpenAI server', () => {
  it('survives SIGKILL mid-poll: the restart adopts the journalled job, creates nothing twice, loses no finished item, and never writes the key', async () => {
    const out = fixture.file('killed');
    const args = ['run', '--generators', 'openai:sora-2', '--suite', 'smoke', '--out', out, '--size', '320x180', '-j', '1'];
    const first = startCli(args, { env: env('cache-kill') });
    let firstOutput = '';
    first.stdout?.on('data', (chunk: Buffer) => (firstOutput += chunk.toString()));
    first.stderr?.on('data', (chunk: Buffer) => (firstOutput += chunk.toString()));
    const exited = new Promise((resolve) => first.on('close', resolve));
    // One item finished and saved, the second created and being polled: kill there.
    await until(() => totalCreates() === 2, 30_000);
    const pollsAtSecondCreate = server.stats.polls;
    await until(() => server.stats.polls >= pollsAtSecondCreate + 3, 10_000);
    first.kill('SIGKILL');
    await exited;
    const beforeRestart = readResultsFile(out);
    expect(beforeRestart.items.map((item) => item.status)).toEqual(['ok']);
    // Two journalled jobs, and the finished one's Sora video id (for a later extension or remix).
    expect(readdirSync(join(out, 'jobs')).filter((name) => !name.endsWith('.output.json'))).toHaveLength(2);
    expect(readdirSync(join(out, 'jobs')).filter((name) => name.endsWith('.output.json'))).toHaveLength(1);

    const second = await runCli(args, { env: env('cache-kill') });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('resuming, 1 of 3 items already done');
    expect(second.stderr).toMatch(/openai:sora-2\|tennis-ball-lob\|1 generating \d+%/);
    expect([...server.stats.creates.values()]).toEqual([1, 1, 1]);
    const results = readResultsFile(out);
    expect(results.items.map((item) => item.status)).toEqual(['ok', 'ok', 'ok']);
    expect(results.items[0]).toEqual(beforeRestart.items[0]);
    expect(results.items.map((item) => item.costUsd)).toEqual([0.4, 0.4, 0.4]);
    expect(results.summary.costUsd).toBeCloseTo(1.2, 6);
    expect(results.items.every((item) => item.video?.hasAudio === true && item.video.width === 320)).toBe(true);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(second.stdout).toContain('cost $1.20');

    for (const path of filesUnder(out)) expect(readFileSync(path).includes(KEY), path).toBe(false);
    for (const text of [firstOutput, second.stdout, second.stderr]) expect(text).not.toContain(KEY);
  });

  it('reruns from the cache at no cost and with no request', async () => {
    const requestsBefore = server.stats.requests.length;
    const rerun = await runCli(['run', '--generators', 'openai:sora-2', '--suite', 'smoke', '--out', fixture.file('rerun'), '--no-report'], { env: env('cache-kill') });
    expect(rerun.code).toBe(0);
    expect(server.stats.requests.length).toBe(requestsBefore);
    const results = readResultsFile(fixture.file('rerun'));
    expect(results.items.map((item) => [item.status, item.costUsd])).toEqual([['ok', 0], ['ok', 0], ['ok', 0]]);
  });

  it('stops submitting before --max-cost would be passed and records the rest as skipped-budget', async () => {
    const out = fixture.file('budget');
    const result = await runCli(['run', '--generators', 'openai:sora-2', '--suite', 'smoke', '--out', out, '--no-report', '-j', '1', '--max-cost', '0.5'], { env: env('cache-budget') });
    expect(result.code).toBe(0);
    const items = readResultsFile(out).items;
    expect(items.map((item) => [item.status, item.costUsd])).toEqual([['ok', 0.4], ['skipped-budget', 0], ['skipped-budget', 0]]);
    expect(items[1]?.message).toBe('not submitted: its estimated $0.40 on top of $0.40 would pass the budget of $0.50');
  });

  it('--dry-run prints what Sora would be asked and the estimated cost, sends nothing and writes nothing', async () => {
    const requestsBefore = server.stats.requests.length;
    const out = fixture.file('dry');
    const result = await runCli(['run', '--dry-run', '--generators', 'openai:sora-2', '--suite', 'smoke', '--out', out], { env: env('cache-dry') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('basketball-bounce-hardwood seed 1  $0.40  OpenAI sora-2: seconds "4", size "1280x720"');
    expect(result.stdout).toContain('duration rounded from 5 s to 4 s');
    expect(result.stdout).toContain('estimated cost: $1.20');
    expect(server.stats.requests.length).toBe(requestsBefore);
    expect(existsSync(out)).toBe(false);
  });

  it('reads a config file (generator options, prices, budget) that flags override, and names the bad field of an invalid one', async () => {
    const config = fixture.file('physeval.config.json');
    writeFileSync(config, JSON.stringify({ suite: 'smoke', generators: [{ id: 'openai:sora-2', pollIntervalS: 0.05 }], prices: { 'openai:sora-2': 0.05 }, maxCostUsd: 0.3 }));
    const fromFile = await runCli(['run', '--dry-run', '--config', config]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain('estimated cost: $0.60');
    expect(fromFile.stdout).toContain('budget $0.30: 1 of 3 supported items would be submitted');
    const overridden = await runCli(['run', '--dry-run', '--config', config, '--max-cost', '1']);
    expect(overridden.stderr).toBe('');
    expect(overridden.stdout).toContain('budget $1.00: 3 of 3 supported items would be submitted');
    const yaml = fixture.file('bad.yaml');
    writeFileSync(yaml, 'suite: smoke\nseeds: [1, two]\n');
    const bad = await runCli(['run', '--dry-run', '--config', yaml]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${yaml}: seeds.1:`);
    expect(bad.stderr).toContain('[config-invalid]');
  });

  it('runs azure:sora-2 against AZURE_OPENAI_ENDPOINT with its deployment, its 2-a-minute create limit lifted by PHYSEVAL_AZURE_RPM', async () => {
    const azureEnv = { AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: KEY, AZURE_OPENAI_DEPLOYMENT: 'sora2-eval', PHYSEVAL_CACHE_DIR: fixture.file('cache-azure'), PHYSEVAL_POLL_INTERVAL_S: '0.05' };
    // One shard of three: one item is enough to show the wiring, and keeps the test short.
    const args = ['run', '--generators', 'azure:sora-2', '--suite', 'smoke', '--shard', '1/3', '--size', '320x180', '--no-report'];
    const dry = await runCli([...args, '--dry-run'], { env: { ...azureEnv, PHYSEVAL_AZURE_RPM: '0' } });
    expect(dry.stdout).toContain('limits azure: 2 jobs at once, no limit on creates a minute (PHYSEVAL_AZURE_CONCURRENCY, PHYSEVAL_AZURE_RPM)');
    const requestsBefore = server.stats.requests.length;
    const out = fixture.file('azure');
    const result = await runCli([...args, '--out', out], { env: { ...azureEnv, PHYSEVAL_AZURE_RPM: '0' } });
    expect(result.code).toBe(0);
    const results = readResultsFile(out);
    expect(results.items.map((item) => [item.key, item.status, item.costUsd])).toEqual([['azure:sora-2|basketball-bounce-hardwood|1', 'ok', 0.4]]);
    expect(server.stats.requests.slice(requestsBefore).filter((request) => request === 'POST /openai/v1/videos')).toHaveLength(1);
    for (const path of filesUnder(out)) expect(readFileSync(path).includes(KEY), path).toBe(false);
  });
});
