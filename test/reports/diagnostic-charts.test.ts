import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { avOffsetsSpec } from '../../reports/charts/av-offsets.js';
import { avTimelineSpec } from '../../reports/charts/av-timeline.js';
import { flickerSpec } from '../../reports/charts/flicker.js';
import { gravityArcsSpec } from '../../reports/charts/gravity-arcs.js';
import { leaderboardSpec } from '../../reports/charts/leaderboard.js';
import { restitutionSpec } from '../../reports/charts/restitution.js';
import { allCharts } from '../../reports/chart-set.js';
import { readAvSync, readTemporal, readTrajectory } from '../../reports/metric-values.js';
import { LUMA_SERIES, hostileFixture, resultsFixture } from './fixture.js';

const results = resultsFixture();
const [dropIdeal, bounceIdeal, odd] = results.items;

async function render(spec: TopLevelSpec | null): Promise<{ view: vega.View; svg: string }> {
  if (spec === null) throw new Error('expected a chart');
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return { view, svg: await view.toSVG() };
}

/** Rows of the first inline dataset whose rows have every field of `fields` and none of `without`. */
function rowsWith(view: vega.View, fields: string | string[], without: string[] = []): Array<Record<string, unknown>> {
  const wanted = typeof fields === 'string' ? [fields] : fields;
  for (let i = 0; i < 8; i += 1) {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = view.data(`data_${i}`) as Array<Record<string, unknown>>;
    } catch {
      continue;
    }
    const first = rows[0];
    if (first !== undefined && wanted.every((field) => field in first) && without.every((field) => !(field in first))) return rows;
  }
  throw new Error(`no dataset with ${wanted.join(', ')}`);
}

describe('leaderboard chart', () => {
  it('draws a mean and an interval per generator and metric', async () => {
    const { view, svg } = await render(leaderboardSpec(results));
    expect(svg).toContain('mark-rule');
    expect(svg).toContain('mark-symbol');
    for (const title of ['pass rate', '|g − expected| / expected', '|audio − video offset| (ms)', 'flicker index']) expect(svg).toContain(title);
    const rows = rowsWith(view, 'mean');
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });

  it('gives no chart for a run with no items', () => {
    expect(leaderboardSpec({ ...results, items: [], config: { ...results.config, generators: [] } })).toBeNull();
  });
});

describe('A/V offsets against BT.1359', () => {
  it('draws both bands and one tick per measured clip', async () => {
    const { view, svg } = await render(avOffsetsSpec(hostileFixture()));
    expect(svg).toContain('undetectable (BT.1359: −45 / +125 ms)');
    expect(svg).toContain('acceptable (BT.1359: −90 / +185 ms)');
    expect(rowsWith(view, ['offsetMs', 'prompt']).map((row) => row['offsetMs'])).toEqual([12.5, 160]);
    const bands = rowsWith(view, 'fromMs').map((row) => [row['fromMs'], row['toMs']]);
    expect(bands).toEqual([[-90, 185], [-45, 125]]);
  });

  it('gives no chart when no clip measured an offset', () => {
    expect(avOffsetsSpec({ ...results, items: [dropIdeal!] })).toBeNull();
  });
});

describe('g per arc', () => {
  it('converts each arc to m/s² with a 95% interval of ±1.96 standard errors', async () => {
    const { view, svg } = await render(gravityArcsSpec(dropIdeal!, readTrajectory(dropIdeal!)!));
    const rows = rowsWith(view, 'low');
    // gPxS2 = 975, stderr 2 px/s², 100 px/m → 9.75 ± 0.0392 m/s².
    expect(rows.map((row) => [row['g'], row['low'], row['high']])).toEqual([
      [9.75, 9.711, 9.789],
      [9.75, 9.711, 9.789],
    ]);
    expect(svg).toContain('expected 9.81 m/s²');
  });

  it('stays in px/s² when the scale is unknown', async () => {
    const trajectory = readTrajectory(dropIdeal!)!;
    const unscaled = { ...trajectory, objects: trajectory.objects.map((object) => ({ ...object, pxPerM: null })) };
    const { svg } = await render(gravityArcsSpec(dropIdeal!, unscaled));
    expect(svg).toContain('g (px/s²)');
    expect(svg).not.toContain('expected');
  });

  it('gives no chart without arcs', () => {
    expect(gravityArcsSpec(odd!, readTrajectory(odd!)!)).toBeNull();
  });
});

describe('restitution per contact', () => {
  it('places each contact at its time with its coefficient, against e = 1', async () => {
    const { view, svg } = await render(restitutionSpec(dropIdeal!, readTrajectory(dropIdeal!)!));
    const rows = rowsWith(view, ['restitution', 'contact']);
    expect(rows.map((row) => row['restitution'])).toEqual([0.7]);
    expect(rows[0]!['contactS']).toBeCloseTo(Math.sqrt((2 * 140) / 975), 4);
    expect(svg).toContain('e = 1: no energy lost');
  });
});

describe('sound onsets against visual impacts', () => {
  it('puts impacts and onsets on one time axis and joins each pair', async () => {
    const { view } = await render(avTimelineSpec(bounceIdeal!, readAvSync(bounceIdeal!)!));
    const pairLine = rowsWith(view, 'pair');
    expect(pairLine.map((row) => [row['row'], row['tS'], row['offsetMs']])).toEqual([
      ['visual impact', 0.53, 10],
      ['sound onset', 0.54, 10],
    ]);
    const events = rowsWith(view, ['row', 'tS'], ['pair']);
    expect(events.map((row) => [row['row'], row['tS']])).toEqual([
      ['visual impact', 0.53],
      ['sound onset', 0.54],
      ['sound onset', 1.2],
    ]);
  });

  it('gives no chart for a silent clip', () => {
    expect(avTimelineSpec(bounceIdeal!, { ...readAvSync(bounceIdeal!)!, hasAudio: false })).toBeNull();
  });
});

describe('flicker over time', () => {
  it('plots the mean luma of frame i at i / fps and marks the worst flicker', async () => {
    const { view, svg } = await render(flickerSpec(bounceIdeal!, readTemporal(bounceIdeal!)!));
    const rows = rowsWith(view, 'luma');
    expect(rows).toHaveLength(LUMA_SERIES.length);
    expect(rows[12]).toMatchObject({ tS: 0.4, luma: 105.4 });
    expect(svg).toContain('worst flicker (index 0.0123)');
  });

  it('gives no chart for a single frame', () => {
    expect(flickerSpec(bounceIdeal!, { flickerIndex: null, worstFlickerAtS: null, lumaSeries: [100] })).toBeNull();
  });
});

describe('allCharts', () => {
  it('names charts safely by position, never by prompt text, and each compiles', () => {
    const charts = allCharts(hostileFixture());
    for (const chart of charts) expect(chart.name).toMatch(/^[a-z0-9-]+$/);
    expect(new Set(charts.map((chart) => chart.name)).size).toBe(charts.length);
    expect(charts.map((chart) => chart.name)).toContain('clip-6-av-timeline');
    for (const chart of charts) expect(() => compile(chart.spec)).not.toThrow();
  });
});
