import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import { roundTo } from '../format.js';
import type { FluidView } from './fluid-view.js';
import { VEGA_LITE_SCHEMA_URL, type LayerMemberSpec } from './spec-types.js';

/**
 * The liquid in the container over time, measured, against what the prompt expects when it says so in
 * litres: the stated flow from the first frame the stream pours, up to the stated volume. Null
 * without at least two measured points.
 */
export function fluidVolumeSpec(item: ItemResult, fluid: FluidView): TopLevelSpec | null {
  if (fluid.volumeSeries.length < 2) return null;
  const unit = fluid.volumeUnit === 'L' ? 'L' : 'container widths';
  const rows = fluid.volumeSeries.map(([tS, volume]) => ({ tS, volume, series: 'measured' }));
  const { volumeL, flowLS } = fluid.expected;
  const pourFromS = fluid.inflowSpansS[0]?.[0];
  if (fluid.volumeUnit === 'L' && volumeL !== null && flowLS !== null && pourFromS !== undefined) {
    // Expected: V(t) = min(volumeL, flowLS · (t − start of the pour)).
    for (const [tS] of fluid.volumeSeries) rows.push({ tS, volume: roundTo(Math.min(volumeL, Math.max(0, flowLS * (tS - pourFromS))), 5), series: 'expected' });
  }
  const layers: LayerMemberSpec[] = [
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 1.4 },
      encoding: {
        x: { field: 'tS', type: 'quantitative', title: 'time (s)' },
        y: { field: 'volume', type: 'quantitative', title: `volume in the container (${unit})` },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['measured', 'expected'], range: ['#1c2f8a', '#999999'] } },
        strokeDash: { field: 'series', type: 'nominal', legend: null, scale: { domain: ['measured', 'expected'], range: [[1, 0], [5, 4]] } },
        tooltip: [
          { field: 'series', type: 'nominal' },
          { field: 'tS', type: 'quantitative', title: 'time (s)', format: '.3f' },
          { field: 'volume', type: 'quantitative', title: unit, format: '.4f' },
        ],
      },
    },
  ];
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `Liquid volume over time of ${item.promptId} by ${item.generator}, seed ${item.seed}`,
    title: 'Volume in the container over time',
    width: 480,
    height: 160,
    layer: layers,
  };
}
