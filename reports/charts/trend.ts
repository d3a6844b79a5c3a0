import type { TopLevelSpec } from 'vega-lite';
import type { HistoryRow } from '../../suites/history.js';
import { escapeHtml as h, jsonForScript } from '../escape.js';
import { CONTENT_SECURITY_POLICY } from '../page-assets.js';
import { vegaBundles } from '../vega-bundles.js';
import { VEGA_LITE_SCHEMA_URL, type ViewSpec } from './spec-types.js';

/** d3-format of a history value, from its unit: shares and relative errors as percentages. */
function formatOf(unit: string): string {
  if (unit === 'share of items' || unit === 'relative') return '.1%';
  if (unit === 'ms') return '.1f';
  return '.3~g';
}

interface TrendPoint {
  series: string;
  runId: string;
  startedAt: string;
  value: number;
  low: number | null;
  high: number | null;
  n: number;
}

/** One metric over runs: a line per series, a dot per run with its 95% interval as a vertical rule. */
function metricPanel(rows: readonly HistoryRow[], series: (row: HistoryRow) => string, seriesOrder: readonly string[]): ViewSpec {
  const first = rows[0] as HistoryRow;
  const format = formatOf(first.unit);
  const values: TrendPoint[] = rows.map((row) => ({
    series: series(row),
    runId: row.runId,
    startedAt: row.startedAt,
    value: row.value,
    low: row.ci?.[0] ?? null,
    high: row.ci?.[1] ?? null,
    n: row.n,
  }));
  const x = { field: 'startedAt', type: 'temporal' as const, title: 'run started' };
  const color = { field: 'series', type: 'nominal' as const, title: 'generator', sort: [...seriesOrder] };
  const y = { field: 'value', type: 'quantitative' as const, title: `${first.label}${first.unit === 'ms' ? ', ms' : ''} (${first.better} is better)`, axis: { format } };
  return {
    title: first.label,
    width: 520,
    height: 160,
    data: { values },
    layer: [
      { mark: { type: 'rule', opacity: 0.5 }, encoding: { x, color, y: { ...y, field: 'low' }, y2: { field: 'high' } } },
      { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, color, y } },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x,
          color,
          y,
          tooltip: [
            { field: 'series', type: 'nominal', title: 'generator' },
            { field: 'runId', type: 'nominal', title: 'run' },
            { field: 'startedAt', type: 'temporal', title: 'started', format: '%Y-%m-%d %H:%M' },
            { field: 'value', type: 'quantitative', title: first.label, format },
            { field: 'low', type: 'quantitative', title: '95% CI low', format },
            { field: 'high', type: 'quantitative', title: '95% CI high', format },
            { field: 'n', type: 'quantitative', title: 'items' },
          ],
        },
      },
    ],
  };
}

/**
 * Trend of each metric per generator over runs, for a regression dashboard: one panel per metric
 * (in the order rows first name them), a line per generator (per suite · generator when the
 * history holds several suites). Null for an empty history.
 */
export function trendSpec(rows: readonly HistoryRow[]): TopLevelSpec | null {
  if (rows.length === 0) return null;
  const severalSuites = new Set(rows.map((row) => row.suite)).size > 1;
  const series = (row: HistoryRow): string => (severalSuites ? `${row.suite} · ${row.generator}` : row.generator);
  const seriesOrder = [...new Set(rows.map(series))].sort();
  const metrics = [...new Set(rows.map((row) => row.metric))];
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: 'Each metric per generator over runs, with 95% intervals',
    vconcat: metrics.map((metric) => metricPanel(rows.filter((row) => row.metric === metric), series, seriesOrder)),
    spacing: 28,
  };
}

/** A self-contained page with the trend chart: vega bundles inlined, no network request (same policy as the report). */
export function renderHistoryHtml(rows: readonly HistoryRow[]): string {
  const spec = trendSpec(rows);
  const runs = new Set(rows.map((row) => `${row.suite}|${row.runId}|${row.startedAt}`)).size;
  const starts = rows.map((row) => row.startedAt).sort();
  const span = starts.length === 0 ? 'no run recorded yet' : `${runs} run${runs === 1 ? '' : 's'} from ${starts[0]} to ${starts.at(-1)}`;
  const body =
    spec === null
      ? '<p>The history is empty: run <code>physeval history DIR</code> on a run folder.</p>'
      : `<div id="trend" role="img" aria-label="metrics per generator over runs"></div>
<script type="application/json" id="trend-spec">${jsonForScript(spec)}</script>
${vegaBundles().map((bundle) => `<script>\n${bundle.source}\n</script>`).join('\n')}
<script>
vegaEmbed('#trend', JSON.parse(document.getElementById('trend-spec').textContent), { actions: false, renderer: 'svg' })
  .catch((error) => { document.getElementById('trend').textContent = 'The chart could not be drawn: ' + error.message; });
</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CONTENT_SECURITY_POLICY)}">
<title>physeval — history</title>
<style>body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 24px 48px; color: #202124; } .meta { color: #5f6368; }</style>
</head>
<body>
<h1>physeval history</h1>
<p class="meta">${h(span)}. Pass rate with its Wilson 95% interval; other metrics as the median over items with an order-statistics 95% interval.</p>
${body}
</body>
</html>
`;
}
