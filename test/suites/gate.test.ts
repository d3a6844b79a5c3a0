import { describe, expect, it } from 'vitest';
import { GateError, gate, type GateRun, type MetricComparison } from '../../suites/gate.js';
import type { ItemExpectation } from '../../suites/gate-metrics.js';
import { fakeItem, fakeRun, twelve } from './results-fixtures.js';

const expectationOf = (): ItemExpectation => ({ gravityMS2: 9.81, restitution: { min: 0.7, max: 0.8 } });
const asRun = (results: ReturnType<typeof fakeRun>, dir: string): GateRun => ({ dir, results });
/** Gravity that wobbles by up to ±1% from item to item, the same in every run built from it. */
const wobble = (index: number): number => 9.81 * (1 + 0.01 * Math.sin(index * 1.7));

function comparison(comparisons: readonly MetricComparison[], generator: string, metric: string): MetricComparison {
  const found = comparisons.find((c) => c.generator === generator && c.metric === metric);
  if (!found) throw new Error(`no comparison of ${metric} for ${generator}`);
  return found;
}

describe('gate: a candidate against a baseline', () => {
  const baseline = asRun(fakeRun(twelve((i) => ({ gravityMS2: wobble(i) }))), 'base');

  it('passes a run against itself, with every comparison ok and no new failure', () => {
    const verdict = gate(baseline, baseline, { expectationOf });
    expect(verdict.pass).toBe(true);
    expect(verdict.matchedItems).toBe(12);
    expect(verdict.newFailures).toEqual([]);
    expect(verdict.comparisons).toHaveLength(5);
    for (const c of verdict.comparisons) expect(c.status, c.metric).toBe('ok');
    expect(comparison(verdict.comparisons, 'sim:ideal', 'passRate')).toMatchObject({ baseline: 1, candidate: 1, pValue: 1, pairs: 12 });
  });

  it('passes noise: gravity re-measured with ±1% scatter in another order', () => {
    const noisy = asRun(fakeRun(twelve((i) => ({ gravityMS2: wobble(i + 5), offsetMs: (i % 3) - 1 }))), 'noisy');
    const verdict = gate(baseline, noisy, { expectationOf });
    expect(verdict.pass).toBe(true);
    expect(comparison(verdict.comparisons, 'sim:ideal', 'gravityError').status).toBe('ok');
  });

  it('fails planted gravity regressions: pass rate by McNemar, gravity error by Wilcoxon, each item in words', () => {
    const broken = asRun(fakeRun(twelve((i) => ({ gravityMS2: i < 8 ? 4.9 : wobble(i) }))), 'broken');
    const verdict = gate(baseline, broken, { expectationOf });
    expect(verdict.pass).toBe(false);
    const passRate = comparison(verdict.comparisons, 'sim:ideal', 'passRate');
    expect(passRate.status).toBe('regressed');
    expect(passRate.pValue).toBeCloseTo(1 / 256, 12);
    expect(passRate.candidate).toBeCloseTo(4 / 12, 12);
    expect(passRate.sentence).toContain('8 of 12 matched items now fail, 0 now pass; McNemar exact p = 0.0039');
    const gravity = comparison(verdict.comparisons, 'sim:ideal', 'gravityError');
    expect(gravity.status).toBe('regressed');
    // 8 items worse by about 0.5 beyond the 0.02 tolerance, 4 unchanged and so below it: W+ = 4+…+11 of 12 ranks.
    expect(gravity.pValue).toBeLessThan(0.01);
    expect(comparison(verdict.comparisons, 'sim:ideal', 'flicker').status).toBe('ok');
    expect(verdict.newFailures).toHaveLength(8);
    expect(verdict.newFailures[0]).toEqual({ key: 'sim:ideal|p01|1', sentence: 'sim:ideal|p01|1 now fails: gravity-off — gravity 4.9 m/s², expected 9.81' });
  });

  it('tolerates a worsening smaller than --max-drop, and fails it when the tolerance is tighter', () => {
    // Every item's gravity error grows by exactly one percentage point.
    const worse = asRun(fakeRun(twelve((i) => ({ gravityMS2: wobble(i) + (wobble(i) >= 9.81 ? 0.0981 : -0.0981) }))), 'worse');
    const loose = gate(baseline, worse, { expectationOf });
    expect(comparison(loose.comparisons, 'sim:ideal', 'gravityError').status).toBe('ok');
    expect(comparison(loose.comparisons, 'sim:ideal', 'gravityError').worsening).toBeCloseTo(0.01, 6);
    const tight = gate(baseline, worse, { expectationOf, maxDrop: { gravityError: 0.005 } });
    expect(comparison(tight.comparisons, 'sim:ideal', 'gravityError').status).toBe('regressed');
    expect(comparison(tight.comparisons, 'sim:ideal', 'gravityError').pValue).toBeCloseTo(1 / 4096, 12);
    expect(tight.pass).toBe(false);
  });

  it('says "too few" instead of failing when 3 items cannot tell a regression from noise', () => {
    const three = asRun(fakeRun(twelve(() => ({})).slice(0, 3)), 'three');
    const threeBroken = asRun(fakeRun(twelve(() => ({ gravityMS2: 4.9 })).slice(0, 3)), 'three-broken');
    const verdict = gate(three, threeBroken, { expectationOf });
    expect(verdict.pass).toBe(true);
    expect(comparison(verdict.comparisons, 'sim:ideal', 'passRate')).toMatchObject({ status: 'too-few', pValue: expect.closeTo(0.125, 12) });
    expect(verdict.newFailures).toHaveLength(3);
    expect(comparison(verdict.comparisons, 'sim:ideal', 'passRate').sentence).toContain('too few items changed to tell it from noise at α = 0.05 (needs 5 or more)');
  });

  it('counts an item the candidate could not generate as a failure, with the status in words', () => {
    const timedOut = asRun(fakeRun(twelve((i) => (i < 6 ? { status: 'timeout' } : { gravityMS2: wobble(i) }))), 'timeouts');
    const verdict = gate(baseline, timedOut, { expectationOf });
    expect(comparison(verdict.comparisons, 'sim:ideal', 'passRate').status).toBe('regressed');
    expect(comparison(verdict.comparisons, 'sim:ideal', 'gravityError').pairs).toBe(6);
    const fewer = asRun(fakeRun(twelve(() => ({})).slice(0, 10)), 'fewer');
    expect(gate(fewer, baseline, { expectationOf }).notes).toEqual(['2 candidate item(s) have no baseline to compare with, e.g. sim:ideal|p11|1']);
    expect(gate(baseline, fewer, { expectationOf }).notes).toEqual(['2 baseline item(s) missing from the candidate, e.g. sim:ideal|p11|1']);
    expect(verdict.newFailures[0]?.sentence).toBe('sim:ideal|p01|1 now fails: not analysed (timeout: the provider gave up)');
  });

  it('compares each generator on its own and restitution against the expected range', () => {
    const two = asRun(fakeRun([...twelve(() => ({})), ...twelve(() => ({ generator: 'vendor:v1' }))]), 'two');
    const bouncy = asRun(fakeRun([...twelve(() => ({})), ...twelve(() => ({ generator: 'vendor:v1', restitution: [0.95] }))]), 'bouncy');
    const verdict = gate(two, bouncy, { expectationOf });
    expect(comparison(verdict.comparisons, 'sim:ideal', 'restitutionError').status).toBe('ok');
    const vendor = comparison(verdict.comparisons, 'vendor:v1', 'restitutionError');
    expect(vendor).toMatchObject({ status: 'regressed', baseline: 0, pairs: 12 });
    expect(vendor.candidate).toBeCloseTo(0.15, 12);
    expect(gate(two, bouncy, { expectationOf, generators: ['sim:ideal'] }).pass).toBe(true);
  });

  it('compares a new generator version with the old one by prompt and seed (--pair)', () => {
    const versions = asRun(fakeRun([...twelve(() => ({ generator: 'vendor:v1' })), ...twelve((i) => ({ generator: 'vendor:v2', gravityMS2: i < 8 ? 4.9 : 9.81 }))]), 'versions');
    const verdict = gate(versions, versions, { expectationOf, pairs: [{ baseline: 'vendor:v1', candidate: 'vendor:v2' }] });
    expect(verdict.pass).toBe(false);
    expect(verdict.matchedItems).toBe(12);
    expect(new Set(verdict.comparisons.map((c) => c.generator))).toEqual(new Set(['vendor:v1 → vendor:v2']));
    expect(comparison(verdict.comparisons, 'vendor:v1 → vendor:v2', 'passRate')).toMatchObject({ status: 'regressed', baseline: 1 });
    expect(verdict.newFailures[0]?.sentence).toBe('vendor:v2|p01|1 now fails: gravity-off — gravity 4.9 m/s², expected 9.81');
    expect(() => gate(versions, versions, { pairs: [{ baseline: 'vendor:v1', candidate: 'vendor:v2' }, { baseline: 'vendor:v1', candidate: 'vendor:v3' }] })).toThrow(
      'generator vendor:v1 is in two pairs as the baseline',
    );
  });

  it('notes runs whose clips differ in size, and metric versions that changed', () => {
    const other = fakeRun(twelve((i) => ({ gravityMS2: wobble(i) })));
    const bigger = asRun({ ...other, config: { ...other.config, width: 640, height: 360 }, metricVersions: { ...other.metricVersions, trajectory: '0.2.0' } }, 'bigger');
    const verdict = gate(baseline, bigger, { expectationOf });
    expect(verdict.pass).toBe(true);
    expect(verdict.notes).toEqual([
      "the runs' clips differ (320x180 at 30 fps vs 640x360 at 30 fps): measurements may differ with the size",
      'metric trajectory changed version (0.1.0 → 0.2.0): differences may come from the metric, not the generator',
    ]);
  });

  it('refuses runs of different suites and runs with no common item (exit 2 in the CLI)', () => {
    const otherSuite = asRun(fakeRun(twelve(() => ({})), { suite: 'av-sync' }), 'other');
    expect(() => gate(baseline, otherSuite)).toThrow(GateError);
    expect(() => gate(baseline, otherSuite)).toThrow(/baseline base ran suite 'bouncing-balls' and candidate other suite 'av-sync'/);
    const disjoint = asRun(fakeRun([fakeItem({ promptId: 'elsewhere' })]), 'disjoint');
    expect(() => gate(baseline, disjoint)).toThrow(expect.objectContaining({ code: 'gate-no-common-items' }));
  });
});

describe('gate: limits on one run', () => {
  const run = asRun(fakeRun([...twelve((i) => ({ gravityMS2: i < 2 ? 4.9 : 9.81 })), ...twelve(() => ({ generator: 'vendor:v1', offsetMs: -30 }))]), 'run');

  it('checks each generator against the minimum pass rate and metric limits', () => {
    const verdict = gate(null, run, { expectationOf, limits: { minPassRate: 0.9, limits: { avOffset: 20 } } });
    expect(verdict.pass).toBe(false);
    const failed = verdict.limits.filter((check) => !check.pass).map((check) => check.sentence);
    expect(failed).toEqual([
      'sim:ideal pass rate 83.3% (10 of 12) is below the minimum 90.0%',
      'vendor:v1 audio-video offset: median 30.0 ms over 12 items breaks the limit (at most 20.0 ms)',
    ]);
    expect(gate(null, run, { expectationOf, limits: { minPassRate: 0.8, limits: { avOffset: 30 } } }).pass).toBe(true);
  });

  it('needs a baseline or a limit', () => {
    expect(() => gate(null, run)).toThrow(expect.objectContaining({ code: 'gate-invalid-option' }));
  });
});
