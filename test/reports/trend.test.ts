import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { renderHistoryHtml, trendSpec } from '../../reports/charts/trend.js';
import type { HistoryRow } from '../../suites/history.js';

function row(runId: string, startedAt: string, generator: string, metric: string, value: number, suite = 'smoke'): HistoryRow {
  const percent = metric === 'passRate';
  return {
    runId,
    startedAt,
    suite,
    generator,
    metric,
    label: percent ? 'pass rate' : 'audio-video offset',
    unit: percent ? 'share of items' : 'ms',
    better: percent ? 'higher' : 'lower',
    value,
    n: 12,
    ci: percent ? [Math.max(0, value - 0.2), Math.min(1, value + 0.1)] : null,
  };
}

const rows: HistoryRow[] = [
  row('r1', '2026-11-20T10:00:00.000Z', 'sim:ideal', 'passRate', 1),
  row('r1', '2026-11-20T10:00:00.000Z', 'vendor:v1', 'passRate', 0.5),
  row('r1', '2026-11-20T10:00:00.000Z', 'vendor:v1', 'avOffset', 30),
  row('r2', '2026-11-21T10:00:00.000Z', 'sim:ideal', 'passRate', 1),
  row('r2', '2026-11-21T10:00:00.000Z', 'vendor:v1', 'passRate', 0.75),
  row('r2', '2026-11-21T10:00:00.000Z', 'vendor:v1', 'avOffset', 12),
];

async function marks(spec: ReturnType<typeof trendSpec>): Promise<{ svg: string; view: vega.View }> {
  if (spec === null) throw new Error('expected a spec');
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return { svg: await view.toSVG(), view };
}

describe('trend chart', () => {
  it('draws one panel per metric, a line per generator and a dot per run', async () => {
    const spec = trendSpec(rows);
    expect(spec).not.toBeNull();
    const panels = (spec as { vconcat: Array<{ title: string; data: { values: Array<Record<string, unknown>> } }> }).vconcat;
    expect(panels.map((panel) => panel.title)).toEqual(['pass rate', 'audio-video offset']);
    expect(panels[0]?.data.values).toHaveLength(4);
    expect(panels[1]?.data.values).toEqual([
      { series: 'vendor:v1', runId: 'r1', startedAt: '2026-11-20T10:00:00.000Z', value: 30, low: null, high: null, n: 12 },
      { series: 'vendor:v1', runId: 'r2', startedAt: '2026-11-21T10:00:00.000Z', value: 12, low: null, high: null, n: 12 },
    ]);
    const { svg } = await marks(spec);
    expect(svg).toContain('pass rate (higher is better)');
    expect(svg).toContain('audio-video offset, ms (lower is better)');
    // Six dots (one per row) drawn as symbols, and the two generators in the legend.
    expect(svg.match(/role="graphics-symbol"/g)?.length ?? 0).toBeGreaterThanOrEqual(6);
    expect(svg).toContain('sim:ideal');
    expect(svg).toContain('vendor:v1');
  });

  it('names the suite in each series when the history holds several suites', () => {
    const spec = trendSpec([...rows, row('r3', '2026-11-22T10:00:00.000Z', 'vendor:v1', 'passRate', 0.9, 'av-sync')]);
    const values = (spec as { vconcat: Array<{ data: { values: Array<{ series: string }> } }> }).vconcat[0]?.data.values ?? [];
    expect(new Set(values.map((value) => value.series))).toEqual(new Set(['smoke · sim:ideal', 'smoke · vendor:v1', 'av-sync · vendor:v1']));
  });

  it('has no chart for an empty history', () => {
    expect(trendSpec([])).toBeNull();
    expect(renderHistoryHtml([])).toContain('The history is empty');
  });

  it('renders an offline page: bundles inlined, no external source, text escaped', () => {
    const html = renderHistoryHtml([{ ...(rows[0] as HistoryRow), generator: '</script><script>alert(1)</script>' }]);
    expect(html).toContain("Content-Security-Policy\" content=\"default-src &#39;none&#39;");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('1 run from 2026-11-20T10:00:00.000Z to 2026-11-20T10:00:00.000Z');
    expect(html.length).toBeGreaterThan(500_000);
  });
});
