import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsFileSchema, type ResultsFile } from '../../suites/results.js';
import { runCli } from '../support/cli.js';
import { fakeItem, fakeRun, writeRun } from '../suites/results-fixtures.js';

const readRun = (dir: string): ResultsFile => resultsFileSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
// The flawed simulator's three smoke clips: each has a planted defect, ground truth and failures to report.
const SMALL = ['--suite', 'smoke', '--generators', 'sim:flawed', '--size', '320x180', '-j', '2'];

/** Results without what differs between any two runs of the same items: times, run id, per-item elapsed time. */
function withoutVolatile(results: ResultsFile): unknown {
  const { runId: _runId, startedAt: _startedAt, finishedAt: _finishedAt, ...rest } = results;
  return { ...rest, items: results.items.map(({ elapsedS: _elapsedS, ...item }) => item) };
}

/** The report with the run id and timestamps replaced, the only places where a merged run may differ. */
function reportWithoutVolatile(dir: string): string {
  const results = readRun(dir);
  let html = readFileSync(join(dir, 'report.html'), 'utf8');
  for (const value of [results.runId, results.startedAt, results.finishedAt ?? 'not finished']) html = html.split(value).join('«volatile»');
  return html;
}

describe('physeval merge', () => {
  const root = mkdtempSync(join(tmpdir(), 'physeval-merge-'));

  it('merging 3 shards of a smoke run equals the unsharded run, item by item and in the report', async () => {
    const whole = join(root, 'whole');
    const shards = [1, 2, 3].map((index) => join(root, `shard-${index}`));
    const runs = await Promise.all([
      runCli(['run', ...SMALL, '--out', whole]),
      ...shards.map((dir, i) => runCli(['run', ...SMALL, '--shard', `${i + 1}/3`, '--out', dir, '--no-report'])),
    ]);
    for (const result of runs) expect(result.code, result.stderr).toBe(0);
    expect(shards.map((dir) => readRun(dir).items.length)).toEqual([1, 1, 1]);

    const merged = join(root, 'merged');
    const result = await runCli(['merge', ...shards, '--out', merged]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/merged 3 folders, 9 files \(videos, ground truth, key frames\) linked or copied/);
    expect(result.stdout).toMatch(/sim:flawed: 0\/3 passed, planted defects caught 3\/3/);

    const mergedResults = readRun(merged);
    const wholeResults = readRun(whole);
    expect(mergedResults.config.shard).toBeUndefined();
    expect(mergedResults.startedAt).toBe(shards.map((dir) => readRun(dir).startedAt).sort()[0]);
    expect(mergedResults.items.map((item) => item.key)).toEqual(wholeResults.items.map((item) => item.key));
    for (const [i, item] of mergedResults.items.entries()) {
      expect(withoutVolatile({ ...mergedResults, items: [item] }), item.key).toEqual(withoutVolatile({ ...wholeResults, items: [wholeResults.items[i] as typeof item] }));
    }
    expect(withoutVolatile(mergedResults)).toEqual(withoutVolatile(wholeResults));
    expect(reportWithoutVolatile(merged)).toBe(reportWithoutVolatile(whole));

    // Self-contained: every file an item names is in the merged folder, with the shard's bytes.
    for (const item of mergedResults.items) {
      expect(item.keyFrame, item.key).toBeDefined();
      for (const path of [item.video?.path, item.groundTruth, item.keyFrame]) {
        if (path === undefined) continue;
        expect(existsSync(join(merged, path)), path).toBe(true);
        expect(statSync(join(merged, path)).size).toBe(statSync(join(whole, path)).size);
      }
    }
  }, 60_000);

  it('refuses runs of different generators, naming both folders (exit 2)', async () => {
    const a = writeRun(join(root, 'gen-a'), fakeRun([fakeItem({ promptId: 'p01' })]));
    const b = writeRun(join(root, 'gen-b'), fakeRun([fakeItem({ promptId: 'p01', generator: 'sim:flawed' })]));
    const result = await runCli(['merge', a, b, '--out', join(root, 'gen-merged')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot merge ${a} and ${b}: they are different runs (generators ["sim:ideal"] vs ["sim:flawed"]) [merge-mismatch]`);
    expect(existsSync(join(root, 'gen-merged', 'results.json'))).toBe(false);
  });

  it('refuses a missing folder and merging into one of the inputs (exit 2)', async () => {
    const a = writeRun(join(root, 'solo'), fakeRun([fakeItem({ promptId: 'p01' })]));
    const missing = await runCli(['merge', a, join(root, 'nowhere'), '--out', join(root, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard .*nowhere: no results\.json there/);
    const into = await runCli(['merge', a, '--out', a]);
    expect(into.code).toBe(2);
    expect(into.stderr).toMatch(/is also an input/);
  });
});
