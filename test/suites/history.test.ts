import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ItemExpectation } from '../../suites/gate-metrics.js';
import { HistoryError, historyRows, mergeHistory, readHistory, writeHistory } from '../../suites/history.js';
import { fakeItem, fakeRun, twelve } from './results-fixtures.js';

const expectationOf = (): ItemExpectation => ({ gravityMS2: 9.81, restitution: { min: 0.7, max: 0.8 } });

describe('historyRows', () => {
  // Ten items with gravity 9.81·(1 + k/100), k = 1..10 (errors 1%..10%), two of them timed out.
  const items = [
    ...Array.from({ length: 10 }, (_, k) => fakeItem({ promptId: `p${k + 1}`, gravityMS2: 9.81 * (1 + (k + 1) / 100), offsetMs: -(k + 1) })),
    fakeItem({ promptId: 'q1', status: 'timeout' }),
    fakeItem({ promptId: 'q2', status: 'timeout' }),
  ];
  const rows = historyRows(fakeRun(items, { runId: 'r1' }), expectationOf);

  it('gives one row per generator and metric, with the run it came from', () => {
    expect(rows.map((row) => row.metric)).toEqual(['passRate', 'gravityError', 'restitutionError', 'avOffset', 'flicker']);
    expect(rows[0]).toMatchObject({ runId: 'r1', suite: 'bouncing-balls', generator: 'sim:ideal', label: 'pass rate', better: 'higher' });
  });

  it('pass rate over every item (not analysed counts as not passed) with its Wilson interval', () => {
    // Errors above 8.5% fail (the fixture's gravity-off rule): 9% and 10%; with the two timeouts, 8 of 12 pass.
    const passRate = rows.find((row) => row.metric === 'passRate');
    expect(passRate?.value).toBeCloseTo(8 / 12, 12);
    expect(passRate?.n).toBe(12);
    expect(passRate?.ci?.[0]).toBeCloseTo(0.3906, 3);
    expect(passRate?.ci?.[1]).toBeCloseTo(0.8619, 3);
  });

  it('medians over the measured items with the order-statistics interval (ranks 2 and 9 of 10)', () => {
    const gravity = rows.find((row) => row.metric === 'gravityError');
    expect(gravity?.n).toBe(10);
    expect(gravity?.value).toBeCloseTo(0.055, 12);
    expect(gravity?.ci?.[0]).toBeCloseTo(0.02, 12);
    expect(gravity?.ci?.[1]).toBeCloseTo(0.09, 12);
    const offset = rows.find((row) => row.metric === 'avOffset');
    expect(offset?.value).toBeCloseTo(5.5, 12);
    expect(offset?.ci).toEqual([2, 9]);
  });

  it('leaves out a metric no item measured', () => {
    const silent = historyRows(fakeRun([fakeItem({ promptId: 'p1', gravityMS2: null, offsetMs: null })]), () => ({ gravityMS2: 9.81 }));
    expect(silent.map((row) => row.metric)).toEqual(['passRate', 'flicker']);
  });
});

describe('history file', () => {
  const root = mkdtempSync(join(tmpdir(), 'physeval-history-unit-'));
  const first = historyRows(fakeRun(twelve(() => ({})), { runId: 'r1', startedAt: '2026-11-20T10:00:00.000Z' }), expectationOf);
  const second = historyRows(fakeRun(twelve(() => ({})), { runId: 'r2', startedAt: '2026-11-21T10:00:00.000Z' }), expectationOf);

  it('replaces the rows of a run recorded again, and keeps runs in start order', () => {
    const merged = mergeHistory(mergeHistory(second, first), first);
    expect(merged).toHaveLength(first.length + second.length);
    expect(merged.slice(0, first.length)).toEqual(first);
  });

  it('round-trips through a JSONL file, one row a line', async () => {
    const path = join(root, 'nested', 'history.jsonl');
    await writeHistory(path, [...first, ...second]);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(first.length + second.length);
    expect(await readHistory(path)).toEqual([...first, ...second]);
    expect(await readHistory(join(root, 'none.jsonl'))).toEqual([]);
  });

  it('names the file and line of a bad row', async () => {
    const path = join(root, 'bad.jsonl');
    writeFileSync(path, `${JSON.stringify(first[0])}\n{"runId": "r3"}\n`);
    await expect(readHistory(path)).rejects.toThrow(HistoryError);
    await expect(readHistory(path)).rejects.toThrow(`${path}:2: startedAt:`);
    writeFileSync(path, 'not json\n');
    await expect(readHistory(path)).rejects.toThrow(`${path}:1: not a JSON line`);
  });
});
