import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { arcPositionAt, sampleArc } from '../../reports/charts/arc-samples.js';
import { passMatrixSpec } from '../../reports/charts/pass-matrix.js';
import { scoreChartSpec } from '../../reports/charts/score.js';
import { trajectoryChartSpec } from '../../reports/charts/trajectory.js';
import { readAvSync, readTrajectory } from '../../reports/metric-values.js';
import { bounceTrajectory, resultsFixture } from './fixture.js';

const results = resultsFixture();

async function render(spec: TopLevelSpec): Promise<{ view: vega.View; svg: string; vgSpec: vega.Spec }> {
  const vgSpec = compile(spec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  const svg = await view.toSVG();
  return { view, svg, vgSpec };
}

function trajectorySpec(index: number): TopLevelSpec {
  const item = results.items[index]!;
  const spec = trajectoryChartSpec(item, readTrajectory(item)!, readAvSync(item));
  if (spec === null) throw new Error('expected a trajectory chart');
  return spec;
}

describe('arc samples', () => {
  it('follow y = y0 + vy·τ + ½·g·τ² and include both ends', () => {
    const arc = bounceTrajectory(9.81).objects[0]!.arcs[1]!;
    const samples = sampleArc(arc);
    expect(samples[0]!.tS).toBe(arc.startS);
    expect(samples.at(-1)!.tS).toBeCloseTo(arc.endS, 12);
    expect(samples[0]!.yPx).toBeCloseTo(160, 9);
    const apexS = arc.tRefS - arc.vyPxS / arc.gPxS2;
    expect(arcPositionAt(arc, apexS).yPx).toBeCloseTo(160 - (arc.vyPxS * arc.vyPxS) / (2 * arc.gPxS2), 9);
    expect(samples.length).toBe(Math.ceil((arc.endS - arc.startS) * 60) + 1);
  });
});

describe('score chart', () => {
  it('renders pass rates with counts and the gravity error per generator', async () => {
    const { svg } = await render(scoreChartSpec(results));
    expect(svg).toContain('100% passed (3/3)');
    expect(svg).toContain('0% passed (0/2)');
    expect(svg).toContain('0.8% (n=2)');
    expect(svg).toContain('50% (n=1)');
    expect(svg).toContain('mark-rect');
  });

  it('leaves out the gravity panel when no item has a measured g', async () => {
    const noGravity = { ...results, items: results.items.map((item) => ({ ...item, metrics: {} })) };
    const { svg } = await render(scoreChartSpec(noGravity));
    expect(svg).toContain('100% passed (3/3)');
    expect(svg).not.toContain('relative error of g');
  });
});

describe('pass-rate matrix', () => {
  it('renders one cell per category × generator with items', async () => {
    const { view, svg } = await render(passMatrixSpec(results));
    expect(svg).toContain('2/2');
    expect(svg).toContain('0/1');
    const cells = view.data('data_0') as Array<{ category: string; generator: string; passRate: number }>;
    expect(cells.map((cell) => [cell.category, cell.generator, cell.passRate])).toEqual([
      ['drop', 'sim:ideal', 1],
      ['drop', 'sim:flawed', 0],
      ['bounce', 'sim:ideal', 1],
      ['bounce', 'sim:flawed', 0],
    ]);
  });
});

describe('trajectory chart', () => {
  it('draws track points, arc lines and contact rules', async () => {
    const { svg } = await render(trajectorySpec(0));
    expect(svg).toContain('mark-symbol');
    expect(svg).toContain('mark-line');
    expect(svg).toContain('mark-rule');
    const symbols = /<g class="mark-symbol role-mark[^>]*>(.*?)<\/g>/s.exec(svg)?.[1] ?? '';
    expect(symbols.match(/<path/g)).toHaveLength(45);
  });

  it('marks sound onsets beside contacts when the clip has audio', async () => {
    const { view, svg } = await render(trajectorySpec(1));
    expect(svg).toContain('sound onset (audio)');
    const events = view.data('data_2') as Array<{ event: string; tS: number }>;
    const contactS = bounceTrajectory(9.9).contactsS[0]!;
    expect(events.map(({ event, tS }) => ({ event, tS }))).toEqual([
      { event: 'contact (video)', tS: Math.round(contactS * 1e4) / 1e4 },
      { event: 'sound onset (audio)', tS: 0.54 },
      { event: 'sound onset (audio)', tS: 1.2 },
    ]);
  });

  it('reverses the y axis so that larger image y (lower in the frame) is drawn lower', async () => {
    const { view } = await render(trajectorySpec(0));
    const y = view.scale('y') as (value: number) => number;
    expect(y(160)).toBeGreaterThan(y(20));
  });

  it('still draws the single valid point of an odd trajectory', async () => {
    const { svg } = await render(trajectorySpec(2));
    expect(svg).toContain('mark-symbol');
    expect(svg).not.toContain('mark-line');
  });

  it('gives no chart when nothing was tracked', () => {
    const item = results.items[0]!;
    expect(trajectoryChartSpec(item, { objects: [], gravityMS2: null, expectedGravityMS2: null, restitution: [], contactsS: [] })).toBeNull();
  });
});
