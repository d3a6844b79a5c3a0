import type { TopLevelSpec } from 'vega-lite';
import type { ResultsFile } from '../../suites/results.js';
import { roundTo } from '../format.js';
import { LEADERBOARD_METRICS, leaderboardRows, type LeaderboardMetric, type LeaderboardRow } from '../leaderboard.js';
import { generatorsOf } from '../scores.js';
import { VEGA_LITE_SCHEMA_URL, type ViewSpec } from './spec-types.js';

/** One metric's panel: the mean as a dot, its 95% interval as a bar through it, n beside. */
function metricPanel(metric: LeaderboardMetric, rows: readonly LeaderboardRow[], generators: readonly string[]): ViewSpec {
  const values = rows.map((row) => ({
    generator: row.generator,
    mean: roundTo(row.mean, 6),
    low: roundTo(row.low, 6),
    high: roundTo(row.high, 6),
    n: row.n,
  }));
  const y = { field: 'generator', type: 'nominal' as const, title: null, sort: [...generators] };
  const x = { field: 'mean', type: 'quantitative' as const, title: `${metric.better} is better`, axis: { format: metric.format }, scale: { zero: true } };
  return {
    title: metric.label,
    width: 200,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2, color: '#4c6ef5' },
        encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' } },
      },
      {
        mark: { type: 'point', filled: true, size: 60, color: '#1c2f8a' },
        encoding: {
          y,
          x,
          tooltip: [
            { field: 'generator', type: 'nominal' },
            { field: 'mean', type: 'quantitative', format: metric.format },
            { field: 'low', type: 'quantitative', title: '95% CI low', format: metric.format },
            { field: 'high', type: 'quantitative', title: '95% CI high', format: metric.format },
            { field: 'n', type: 'quantitative', title: 'items' },
          ],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 6, dy: -9, fontSize: 10, color: '#5f6368' },
        encoding: { y, x: { field: 'high', type: 'quantitative' }, text: { field: 'n', type: 'quantitative', format: 'd' } },
      },
    ],
  };
}

/**
 * Leaderboard: for each metric, each generator's mean over its items with a 95% bootstrap
 * interval over prompts and seeds (reports/stats/bootstrap-ci.ts); the small number is n.
 * Null when no generator has any value.
 */
export function leaderboardSpec(results: ResultsFile): TopLevelSpec | null {
  const rows = leaderboardRows(results);
  const generators = generatorsOf(results);
  const panels = LEADERBOARD_METRICS.flatMap((metric) => {
    const metricRows = rows.filter((row) => row.metric === metric.id);
    return metricRows.length === 0 ? [] : [metricPanel(metric, metricRows, generators)];
  });
  if (panels.length === 0) return null;
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: 'Leaderboard: mean per generator and metric with 95% bootstrap intervals',
    concat: panels,
    columns: 2,
    spacing: { row: 24, column: 48 },
  };
}
