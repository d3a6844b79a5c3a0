import type { ResultsFile } from '../suites/results.js';
import { ChartEmbeds } from './chart-embeds.js';
import { runCharts } from './chart-set.js';
import { escapeHtml as h } from './escape.js';
import { diagnosticsHtml, itemsTableHtml } from './items-html.js';
import { CONTENT_SECURITY_POLICY, PAGE_SCRIPT, PAGE_STYLE } from './page-assets.js';
import { countOutcomes, generatorsOf } from './scores.js';
import { vegaBundles } from './vega-bundles.js';

function card(label: string, value: string | number): string {
  return `<div class="card"><span class="n">${h(String(value))}</span>${h(label)}</div>`;
}

function headerHtml(results: ResultsFile): string {
  const config = results.config;
  return `<h1>physeval report — run ${h(results.runId)}</h1>
<p class="meta">Suite <b>${h(config.suite)}</b> · generators <b>${h(generatorsOf(results).join(', '))}</b> · seeds ${h(config.seeds.join(', '))}</p>
<p class="meta">Started ${h(results.startedAt)} · ${results.finishedAt === null ? 'not finished' : `finished ${h(results.finishedAt)}`} · physeval ${h(results.physevalVersion)}</p>`;
}

/** Counts and cost recomputed from the items, by the same rules as the charts, so the page agrees with itself. */
function summaryHtml(results: ResultsFile): string {
  const counts = countOutcomes(results.items);
  const costUsd = results.items.reduce((sum, item) => sum + item.costUsd, 0);
  return `<div class="cards">
${card('items', counts.items)}${card('passed', counts.passed)}${card('failed', counts.failed)}${card('not analysed', counts.notAnalysed)}${card('cost (USD)', costUsd.toFixed(2))}
</div>`;
}

function provenanceHtml(results: ResultsFile): string {
  const config = results.config;
  const metricVersions = Object.entries(results.metricVersions).map(([id, version]) => `<code>${h(id)}</code> ${h(version)}`);
  const bundles = vegaBundles().map((bundle) => `${h(bundle.name)} ${h(bundle.version)}`);
  return `<details><summary>Run configuration and versions</summary>
<p class="meta">Clip size ${config.width}×${config.height} at ${config.fps} fps · concurrency ${config.concurrency}</p>
<p class="meta">Metrics: ${metricVersions.length === 0 ? 'none recorded' : metricVersions.join(', ')}</p>
<p class="meta">Thresholds: <code>${h(JSON.stringify(config.thresholds))}</code></p>
<p class="meta">Charts drawn with ${bundles.join(', ')}, inlined: this file makes no network request.</p>
</details>`;
}

/** Headings of the run's charts, by chart name; a chart without one is headed by its label. */
const RUN_CHART_HEADINGS: Readonly<Record<string, string>> = {
  score: 'Score per generator',
  leaderboard: 'Leaderboard (95% bootstrap intervals over prompts and seeds)',
  'pass-matrix': 'Pass rate per category',
  'av-offsets': 'Audio–video offset against ITU-R BT.1359',
};

function runChartsHtml(results: ResultsFile, charts: ChartEmbeds): string {
  return runCharts(results)
    .map((chart) => `<h2>${h(RUN_CHART_HEADINGS[chart.name] ?? chart.label)}</h2>\n${charts.place(chart.spec, chart.label)}`)
    .join('\n');
}

/**
 * One self-contained HTML page for a run: summary, score and pass-rate charts, a filterable
 * table of every item and per-clip diagnostics. vega, vega-lite and vega-embed are inlined and
 * a Content-Security-Policy forbids network requests, so it opens offline from file://.
 */
export function renderHtmlReport(results: ResultsFile): string {
  const charts = new ChartEmbeds();
  const runChartSections = runChartsHtml(results, charts);
  const diagnostics = diagnosticsHtml(results, charts);
  const bundleScripts = vegaBundles().map((bundle) => `<script>\n${bundle.source}\n</script>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>physeval — ${h(results.config.suite)} — ${h(results.runId)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
${headerHtml(results)}
</header>
<main>
<h2>Summary</h2>
${summaryHtml(results)}
${provenanceHtml(results)}
${runChartSections}
<h2>Items</h2>
${itemsTableHtml(results)}
<h2>Diagnostics per clip</h2>
<p class="note">Image y in pixels grows downwards; the trajectory charts reverse the y axis so the motion reads the right way up. Error bars are 95% intervals.</p>
${diagnostics}
</main>
${charts.specElements()}
${bundleScripts.join('\n')}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
