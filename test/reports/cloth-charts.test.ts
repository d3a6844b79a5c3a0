import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { allCharts } from '../../reports/chart-set.js';
import { clothEnergySpec } from '../../reports/charts/cloth-energy.js';
import { clothStretchSpec } from '../../reports/charts/cloth-stretch.js';
import { readCloth } from '../../reports/charts/cloth-view.js';
import type { ItemResult } from '../../suites/results.js';
import { resultsFixture } from './fixture.js';

const results = resultsFixture();
const base = results.items[0] as ItemResult;

/** A cloth item as metrics/cloth.ts records it: strain histogram from −20% in 2% bins, energy decaying to rest at 1.2 s. */
function clothItem(settleS: number | null): ItemResult {
  const counts = new Array<number>(61).fill(0);
  counts[10] = 40; // 0% to 2%
  counts[11] = 12; // 2% to 4%
  counts[16] = 3; // 12% to 14%
  const energySeries = Array.from({ length: 60 }, (_, k): [number, number] => [k / 30, k < 36 ? 4 * Math.exp(-k / 6) : 0]);
  return {
    ...base,
    promptId: 'towel-dropped-on-chair',
    category: 'cloth',
    metrics: {
      cloth: {
        stretch: { maxAllowed: 0.1, sustained: 0.125, sustainedAtS: 0.4, p50: 0.01, p95: 0.03, max: 0.13, pairs: 90, histogram: { lowStrain: -0.2, binWidth: 0.02, counts }, series: [] },
        settle: { settleS, restSpeedWidthsS: 0.05, speedSeries: [], energySeries, energyUnit: '(m/s)^2' },
      },
    },
  };
}

async function render(spec: TopLevelSpec | null): Promise<{ view: vega.View; svg: string }> {
  if (spec === null) throw new Error('expected a chart');
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return { view, svg: await view.toSVG() };
}

function dataset(view: vega.View, field: string): Array<Record<string, unknown>> {
  for (let i = 0; i < 8; i += 1) {
    try {
      const rows = view.data(`data_${i}`) as Array<Record<string, unknown>>;
      if (rows[0] !== undefined && field in rows[0]) return rows;
    } catch {
      continue;
    }
  }
  throw new Error(`no dataset with ${field}`);
}

describe('cloth charts', () => {
  it('draws the strain histogram in % with the stretch fabric allows', async () => {
    const item = clothItem(1.2);
    const { view, svg } = await render(clothStretchSpec(item, readCloth(item)!));
    expect(dataset(view, 'count').map((row) => [row['fromPct'], row['toPct'], row['count']])).toEqual([
      [0, 2, 40],
      [2, 4, 12],
      [12, 14, 3],
    ]);
    expect(svg).toContain('fabric allows 10%');
    expect(svg).toContain('sustained peak 12.5%');
  });

  it('draws the motion energy decay and marks when the cloth comes to rest', async () => {
    const item = clothItem(1.2);
    const { view, svg } = await render(clothEnergySpec(item, readCloth(item)!));
    const rows = dataset(view, 'energy');
    expect(rows).toHaveLength(60);
    expect(rows[0]?.['energy']).toBe(4);
    expect(svg).toContain('at rest from 1.20 s');
    expect(svg).toContain('Cloth motion energy decay');
  });

  it('says so when the cloth never comes to rest', async () => {
    const item = clothItem(null);
    const { svg } = await render(clothEnergySpec(item, readCloth(item)!));
    expect(svg).toContain('never at rest');
    expect(svg).not.toContain('at rest from');
  });

  it('are chosen for items with cloth values and for no other', () => {
    const names = allCharts({ ...results, items: [base, clothItem(1.2)] }).map((chart) => chart.name);
    expect(names).toContain('clip-2-cloth-stretch');
    expect(names).toContain('clip-2-cloth-energy');
    expect(names.filter((name) => name.startsWith('clip-1-cloth'))).toEqual([]);
  });

  it('leave out a malformed cloth value instead of breaking the report', () => {
    expect(readCloth({ ...base, metrics: { cloth: { stretch: 'broken' } } })).toBeNull();
    expect(readCloth({ ...base, metrics: { cloth: { note: 'the prompt describes no cloth (expect.cloth): nothing judged' } } })).toBeNull();
  });
});
