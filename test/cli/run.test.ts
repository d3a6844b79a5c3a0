import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { resultsFileSchema, type ResultsFile } from '../../suites/results.js';
import { runCli, startCli } from '../support/cli.js';

const readRun = (dir: string): ResultsFile => resultsFileSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
const SMALL = ['--size', '320x180', '-j', '2'];

describe('physeval run', () => {
  const root = mkdtempSync(join(tmpdir(), 'physeval-run-'));

  it('runs the smoke suite end to end: exact clips pass, flawed clips fail with the planted code', async () => {
    const out = join(root, 'smoke');
    const result = await runCli(['run', '--suite', 'smoke', '--out', out, ...SMALL]);
    expect(result.stderr).not.toMatch(/reporter .* failed/);
    expect(result.code).toBe(0);
    const results = readRun(out);
    expect(results.items).toHaveLength(6);
    expect(results.finishedAt).not.toBeNull();
    expect(results.summary).toMatchObject({ items: 6, analysed: 6, notAnalysed: 0 });
    for (const item of results.items) {
      expect(item.status, item.key).toBe('ok');
      if (item.generator === 'sim:ideal') {
        expect(item.verdict, item.key).toEqual({ pass: true, failures: [] });
        expect(item.plantedDefect).toBeNull();
      } else {
        expect(typeof item.plantedDefect, item.key).toBe('string');
        expect(item.verdict.failures.map((f) => f.code), item.key).toContain(item.plantedDefect);
      }
    }
    expect(result.stdout).toMatch(/sim:ideal: 3\/3 passed/);
    expect(result.stdout).toMatch(/sim:flawed: 0\/3 passed, planted defects caught 3\/3/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);

    // Run again: everything is resumed, nothing is recomputed.
    const again = await runCli(['run', '--suite', 'smoke', '--out', out, ...SMALL]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming, 6 of 6 items already done/);
    expect(readRun(out).items).toEqual(results.items);
  });

  it('refuses to mix a different run into the same folder', async () => {
    const out = join(root, 'smoke');
    const result = await runCli(['run', '--suite', 'bouncing-balls', '--out', out, ...SMALL]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/holds a different run/);
  });

  it('loses nothing finished when killed mid-run, and resumes to the full set', async () => {
    const out = join(root, 'killed');
    // Six 2 s items, one at a time: four are left when the kill comes after two.
    const args = ['run', '--suite', 'smoke', '--seeds', '1,2', '--generators', 'sim:ideal', '--out', out, '--size', '320x180', '-j', '1', '--no-report'];
    const child = startCli(args);
    let before: ResultsFile | undefined;
    for (let waited = 0; waited < 60_000 && !before; waited += 100) {
      await sleep(100);
      if (existsSync(join(out, 'results.json'))) {
        const partial = readRun(out);
        if (partial.items.length >= 2) before = partial;
      }
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    expect(before, 'two items finished before the kill').toBeDefined();
    const afterKill = readRun(out);
    expect(afterKill.finishedAt).toBeNull();
    expect(afterKill.items.length).toBeLessThan(afterKill.config.generators.length * 100);

    const resumed = await runCli(args);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resuming, ${afterKill.items.length} of \\d+ items already done`));
    const final = readRun(out);
    expect(final.finishedAt).not.toBeNull();
    expect(final.items.length).toBeGreaterThan(afterKill.items.length);
    for (const item of afterKill.items) expect(final.items.find((i) => i.key === item.key)).toEqual(item);
    expect(final.items.every((item) => item.status === 'ok' || item.status === 'unsupported')).toBe(true);
  });

  it('names an unknown suite and suggests the closest', async () => {
    const result = await runCli(['run', '--suite', 'smok', '--out', join(root, 'x')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown suite 'smok' \(did you mean 'smoke'\?\)/);
  });
});
