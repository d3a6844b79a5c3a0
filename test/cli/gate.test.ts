import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GateVerdict } from '../../suites/gate.js';
import { resultsFileSchema, type ResultsFile } from '../../suites/results.js';
import { runCli } from '../support/cli.js';
import { fakeItem, fakeRun, writeRun } from '../suites/results-fixtures.js';

const readRun = (dir: string): ResultsFile => resultsFileSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));

describe('physeval gate', () => {
  const root = mkdtempSync(join(tmpdir(), 'physeval-gate-'));
  const whole = join(root, 'whole');

  beforeAll(async () => {
    // Smoke prompts × seeds 1, 2: six exact clips and six with a planted defect each.
    const result = await runCli(['run', '--suite', 'smoke', '--seeds', '1,2', '--size', '320x180', '-j', '2', '--no-report', '--out', whole]);
    expect(result.code, result.stderr).toBe(0);
  }, 60_000);

  it('passes a run against itself (exit 0)', async () => {
    const result = await runCli(['gate', '--baseline', whole, '--candidate', whole]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^physeval gate: PASS: candidate .* against baseline .*, 12 matched items/);
    expect(result.stdout).toContain('sim:ideal pass rate: 100.0% → 100.0% (0 of 6 matched items now fail, 0 now pass; McNemar exact p = 1.0000)');
    expect(result.stdout).not.toMatch(/REGRESSION|now fails/);
  });

  // The flawed simulator as a new version of the exact one: the same prompts and seeds, each clip with a planted defect.
  const PAIRED = ['gate', '--baseline', whole, '--candidate', whole, '--pair', 'sim:ideal=sim:flawed'];

  it('fails planted regressions (exit 1) and lists each newly failing item with its reason', async () => {
    const result = await runCli(PAIRED);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^physeval gate: FAIL, 1 regression: /);
    expect(result.stdout).toContain('sim:ideal → sim:flawed pass rate: 100.0% → 0.0% (6 of 6 matched items now fail, 0 now pass; McNemar exact p = 0.0156) — REGRESSION: significantly worse at α = 0.05');
    expect(result.stdout).toContain('Items that passed in the baseline and now fail (6):');
    const planted = readRun(whole).items.filter((item) => item.generator === 'sim:flawed');
    for (const item of planted) {
      const first = item.verdict.failures[0];
      expect(first, item.key).toBeDefined();
      expect(result.stdout).toContain(`${item.key} now fails: ${first?.code} — ${first?.message}`);
    }
  });

  it('prints the verdict as JSON', async () => {
    const result = await runCli([...PAIRED, '--json']);
    expect(result.code).toBe(1);
    const verdict = JSON.parse(result.stdout) as GateVerdict;
    expect(verdict.pass).toBe(false);
    expect(verdict.matchedItems).toBe(6);
    expect(verdict.newFailures).toHaveLength(6);
    expect(verdict.comparisons.find((c) => c.metric === 'passRate')).toMatchObject({ status: 'regressed', baseline: 1, candidate: 0, test: 'mcnemar-exact' });
    expect(verdict.comparisons.map((c) => c.metric)).toEqual(['passRate', 'gravityError', 'restitutionError', 'avOffset', 'flicker']);
  });

  it('holds one run to a minimum pass rate per generator', async () => {
    const ideal = await runCli(['gate', '--candidate', whole, '--min-pass-rate', '0.95', '--generators', 'sim:ideal', '--suite-thresholds']);
    expect(ideal.code, ideal.stdout).toBe(0);
    expect(ideal.stdout).toContain('sim:ideal pass rate 100.0% (6 of 6) meets the minimum 95.0%');
    expect(ideal.stdout).toMatch(/sim:ideal gravity error: median \d\.\d% over 6 items is within the limit \(at most 5\.0%\)/);
    const both = await runCli(['gate', '--candidate', whole, '--min-pass-rate', '0.95']);
    expect(both.code).toBe(1);
    expect(both.stdout).toContain('LIMIT BROKEN: sim:flawed pass rate 0.0% (0 of 6) is below the minimum 95.0%');
  });

  it('exits 2 when the runs cannot be compared: missing folder, invalid results, other suite, no common item', async () => {
    const broken = join(root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'results.json'), '{"schemaVersion": 1}');
    const other = writeRun(join(root, 'other-suite'), fakeRun([fakeItem({ promptId: 'tennis-ball-lob' })], { suite: 'av-sync' }));
    const disjoint = writeRun(join(root, 'disjoint'), fakeRun([fakeItem({ promptId: 'elsewhere' })], { suite: 'smoke' }));
    const [missing, invalid, suites, none] = await Promise.all([
      runCli(['gate', '--baseline', join(root, 'nowhere'), '--candidate', whole]),
      runCli(['gate', '--baseline', whole, '--candidate', broken]),
      runCli(['gate', '--baseline', whole, '--candidate', other]),
      runCli(['gate', '--baseline', whole, '--candidate', disjoint]),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`physeval: baseline ${join(root, 'nowhere')}: no results.json there`);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/candidate .*broken: cannot read its results .*\[run-invalid\]/);
    expect(suites.code).toBe(2);
    expect(suites.stderr).toMatch(/ran suite 'smoke' and candidate .* suite 'av-sync'.*\[gate-incomparable\]/);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/share no item.*\[gate-no-common-items\]/);
  });

  it('rejects an unknown metric in --max-drop with a suggestion', async () => {
    const result = await runCli(['gate', '--baseline', whole, '--candidate', whole, '--max-drop', 'gravityEror=0.1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown metric 'gravityEror' (did you mean 'gravityError'?)");
  });
});
