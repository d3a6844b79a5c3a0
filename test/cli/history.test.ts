import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryRow } from '../../suites/history.js';
import { runCli } from '../support/cli.js';
import { fakeRun, twelve, writeRun } from '../suites/results-fixtures.js';

const lines = (path: string): HistoryRow[] => readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as HistoryRow);

describe('physeval history', () => {
  const root = mkdtempSync(join(tmpdir(), 'physeval-history-'));
  // Three nightly runs in which the generator's gravity drifts: error 1%, 3%, 10% (10% fails).
  const runs = [1, 3, 10].map((errorPercent, night) =>
    writeRun(
      join(root, `night-${night + 1}`),
      fakeRun(twelve(() => ({ gravityMS2: 9.81 * (1 + errorPercent / 100) })), { runId: `night-${night + 1}`, startedAt: `2026-11-2${night}T02:00:00.000Z` }),
    ),
  );

  it('appends one row per run × generator × metric and draws the trend page', async () => {
    const file = join(root, 'dash', 'history.jsonl');
    const result = await runCli(['history', runs[0] as string, runs[1] as string, '--file', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`2 runs added, 8 rows; ${file} holds 8 rows; wrote ${join(root, 'dash', 'history.html')}`);
    // The catalog knows no restitution range for these prompts: four metrics per run.
    expect(lines(file).map((row) => `${row.runId} ${row.metric}`)).toEqual([
      'night-1 passRate',
      'night-1 gravityError',
      'night-1 avOffset',
      'night-1 flicker',
      'night-2 passRate',
      'night-2 gravityError',
      'night-2 avOffset',
      'night-2 flicker',
    ]);
    const html = readFileSync(join(root, 'dash', 'history.html'), 'utf8');
    expect(html).toContain('2 runs from 2026-11-20T02:00:00.000Z to 2026-11-21T02:00:00.000Z');
    expect(html).toContain('"vconcat"');

    const more = await runCli(['history', runs[2] as string, runs[1] as string, '--file', file, '--json']);
    expect(more.code, more.stderr).toBe(0);
    const rows = lines(file);
    expect(rows).toHaveLength(12);
    expect(JSON.parse(more.stdout)).toEqual(rows);
    const gravity = rows.filter((row) => row.metric === 'gravityError').map((row) => row.value);
    expect(gravity.map((value) => Number(value.toFixed(6)))).toEqual([0.01, 0.03, 0.1]);
    const passRate = rows.filter((row) => row.metric === 'passRate').map((row) => row.value);
    expect(passRate).toEqual([1, 1, 0]);
  });

  it('redraws the chart from the file alone, and exits 2 for a folder without results', async () => {
    const file = join(root, 'only-chart.jsonl');
    const redraw = await runCli(['history', '--file', file]);
    expect(redraw.code).toBe(0);
    expect(existsSync(join(root, 'only-chart.html'))).toBe(true);
    expect(existsSync(file)).toBe(false);
    const missing = await runCli(['history', join(root, 'nowhere'), '--file', file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no results.json there');
  });
});
