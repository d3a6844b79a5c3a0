import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { allCharts } from '../../reports/chart-set.js';
import { fluidTiltSpec } from '../../reports/charts/fluid-tilt.js';
import { readFluid } from '../../reports/charts/fluid-view.js';
import { fluidVolumeSpec } from '../../reports/charts/fluid-volume.js';
import type { ItemResult } from '../../suites/results.js';
import { resultsFixture } from './fixture.js';

const results = resultsFixture();
const base = results.items[0] as ItemResult;

/** A pour as metrics/fluid.ts records it: 0.06 L/s from 0.5 s to 2.5 s, the surface sloshing then resting tilted by 3°. */
function fluidItem(volumeUnit: 'L' | 'container widths'): ItemResult {
  const volumeSeries = Array.from({ length: 31 }, (_, k): [number, number] => [k / 10, Math.min(0.12, Math.max(0, 0.06 * (k / 10 - 0.5)))]);
  const tiltSeries = Array.from({ length: 25 }, (_, k): [number, number] => [0.6 + k / 10, k < 20 ? 1.5 * Math.sin(k) : 3]);
  return {
    ...base,
    promptId: 'water-poured-into-glass',
    category: 'fluid',
    metrics: {
      fluid: {
        volumeUnit,
        expected: { volumeL: 0.12, flowLS: 0.06 },
        volumeSeries,
        inflowSpansS: [[0.5, 2.5]],
        tiltSeries,
        restTiltDeg: 3,
        restFromS: 2.6,
        notes: [],
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

describe('fluid charts', () => {
  it('draws the measured volume against the flow and volume the prompt states', async () => {
    const item = fluidItem('L');
    const { view, svg } = await render(fluidVolumeSpec(item, readFluid(item)!));
    const rows = dataset(view, 'volume');
    const expected = rows.filter((row) => row['series'] === 'expected');
    expect(rows.filter((row) => row['series'] === 'measured')).toHaveLength(31);
    // 0.06 L/s from the pour's start at 0.5 s, capped at 0.12 L.
    expect(expected.find((row) => row['tS'] === 1.5)?.['volume']).toBeCloseTo(0.06, 6);
    expect(expected.find((row) => row['tS'] === 3)?.['volume']).toBeCloseTo(0.12, 6);
    expect(svg).toContain('volume in the container (L)');
  });

  it('draws no expected curve for a volume in container widths', async () => {
    const item = fluidItem('container widths');
    const { view, svg } = await render(fluidVolumeSpec(item, readFluid(item)!));
    expect(dataset(view, 'volume').every((row) => row['series'] === 'measured')).toBe(true);
    expect(svg).toContain('container widths');
  });

  it('draws the surface tilt over time and marks the resting tilt', async () => {
    const item = fluidItem('L');
    const { view, svg } = await render(fluidTiltSpec(item, readFluid(item)!));
    expect(dataset(view, 'tiltDeg')).toHaveLength(25);
    expect(svg).toContain('at rest: 3°');
  });

  it('appear in the report for a fluid clip, and a malformed value leaves them out', () => {
    const names = allCharts({ ...results, items: [fluidItem('L')] }).map((chart) => chart.name);
    expect(names).toEqual(expect.arrayContaining(['clip-1-fluid-volume', 'clip-1-fluid-tilt']));
    const broken: ItemResult = { ...fluidItem('L'), metrics: { fluid: { volumeUnit: 'L', volumeSeries: 'oops', tiltSeries: [] } } };
    expect(readFluid(broken)).toBeNull();
    expect(allCharts({ ...results, items: [broken] }).map((chart) => chart.name).filter((name) => name.includes('fluid'))).toEqual([]);
  });
});
