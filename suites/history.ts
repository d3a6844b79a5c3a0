import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { catalogExpectations } from './gate.js';
import { GATE_METRICS, type ItemExpectation } from './gate-metrics.js';
import { median, medianInterval, wilsonInterval } from './gate-stats.js';
import type { ItemResult, ResultsFile } from './results.js';

/** Where `physeval history` appends when no --file is given. */
export const HISTORY_FILE = 'history.jsonl';

/**
 * One line of the history file: one metric of one generator in one run. Self-describing (label,
 * unit, better direction) so a dashboard can chart it without knowing physeval.
 */
export const historyRowSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  suite: z.string(),
  generator: z.string(),
  metric: z.string(),
  label: z.string(),
  unit: z.string(),
  better: z.enum(['higher', 'lower']),
  /** Pass rate over all the generator's items, or the median over the items that have the metric. */
  value: z.number(),
  /** Items behind the value. */
  n: z.number().int().positive(),
  /** 95% interval: Wilson for a pass rate, order statistics for a median; null when too few items. */
  ci: z.tuple([z.number(), z.number()]).nullable(),
});

export type HistoryRow = z.infer<typeof historyRowSchema>;

export type HistoryErrorCode = 'history-invalid';

export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  constructor(
    readonly code: HistoryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The history rows of one run: each generator × each gate metric that at least one item measured. */
export function historyRows(results: ResultsFile, expectationOf: (item: ItemResult) => ItemExpectation = catalogExpectations()): HistoryRow[] {
  const generators = [...new Set(results.items.map((item) => item.generator))].sort();
  const rows: HistoryRow[] = [];
  for (const generator of generators) {
    const items = results.items.filter((item) => item.generator === generator);
    for (const metric of GATE_METRICS) {
      const values = items.flatMap((item) => {
        const value = metric.read(item, expectationOf(item));
        return value === undefined ? [] : [value];
      });
      if (values.length === 0) continue;
      const total = values.reduce((sum, v) => sum + v, 0);
      const value = metric.kind === 'binary' ? total / values.length : (median(values) as number);
      const ci = metric.kind === 'binary' ? wilsonInterval(total, values.length) : medianInterval(values);
      rows.push({
        runId: results.runId,
        startedAt: results.startedAt,
        suite: results.config.suite,
        generator,
        metric: metric.id,
        label: metric.label,
        unit: metric.unit,
        better: metric.better,
        value,
        n: values.length,
        ci,
      });
    }
  }
  return rows;
}

/** Every row of a history file, validated; an empty list when the file does not exist yet. */
export async function readHistory(path: string): Promise<HistoryRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const rows: HistoryRow[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new HistoryError('history-invalid', `${path}:${index + 1}: not a JSON line`);
    }
    const parsed = historyRowSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HistoryError('history-invalid', `${path}:${index + 1}: ${issue ? `${issue.path.join('.') || '(row)'}: ${issue.message}` : 'not a history row'}`);
    }
    rows.push(parsed.data);
  }
  return rows;
}

const runIdentity = (row: Pick<HistoryRow, 'runId' | 'startedAt' | 'suite'>): string => `${row.suite}|${row.runId}|${row.startedAt}`;

/**
 * Adds runs' rows to the history: rows of a run already recorded are replaced (a resumed or
 * re-merged run updates its line instead of doubling it), then sorted by start time.
 */
export function mergeHistory(existing: readonly HistoryRow[], added: readonly HistoryRow[]): HistoryRow[] {
  const replaced = new Set(added.map(runIdentity));
  const metricOrder = new Map<string, number>(GATE_METRICS.map((metric, index) => [metric.id, index]));
  return [...existing.filter((row) => !replaced.has(runIdentity(row))), ...added].sort(
    (a, b) =>
      a.startedAt.localeCompare(b.startedAt) ||
      a.runId.localeCompare(b.runId) ||
      a.suite.localeCompare(b.suite) ||
      a.generator.localeCompare(b.generator) ||
      (metricOrder.get(a.metric) ?? Infinity) - (metricOrder.get(b.metric) ?? Infinity),
  );
}

/** Rewrites the history file atomically (temp file + rename): a kill never leaves half a line. */
export async function writeHistory(path: string, rows: readonly HistoryRow[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : ''), { encoding: 'utf8' });
}
