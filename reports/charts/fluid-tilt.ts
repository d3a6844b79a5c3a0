import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import { roundTo } from '../format.js';
import type { FluidView } from './fluid-view.js';
import { VEGA_LITE_SCHEMA_URL, type LayerMemberSpec } from './spec-types.js';

/**
 * Tilt of the free surface over time (sloshing while the stream pours, then at rest), with the
 * resting tilt the metric judged marked from the time the liquid rests. Null without two points.
 */
export function fluidTiltSpec(item: ItemResult, fluid: FluidView): TopLevelSpec | null {
  if (fluid.tiltSeries.length < 2) return null;
  const x = { field: 'tS', type: 'quantitative' as const, title: 'time (s)' };
  const layers: LayerMemberSpec[] = [
    {
      data: { values: fluid.tiltSeries.map(([tS, tiltDeg]) => ({ tS, tiltDeg })) },
      mark: { type: 'line', strokeWidth: 1.2, color: '#1c2f8a', point: { size: 10, filled: true, color: '#1c2f8a' } },
      encoding: {
        x,
        y: { field: 'tiltDeg', type: 'quantitative', title: 'surface tilt (°, + rises to the right)' },
        tooltip: [
          { field: 'tS', type: 'quantitative', title: 'time (s)', format: '.3f' },
          { field: 'tiltDeg', type: 'quantitative', title: 'tilt (°)', format: '.2f' },
        ],
      },
    },
  ];
  if (fluid.restTiltDeg !== null && fluid.restFromS !== null) {
    const endS = fluid.tiltSeries[fluid.tiltSeries.length - 1]![0];
    layers.push({
      data: { values: [{ tS: fluid.restFromS, endS, tiltDeg: fluid.restTiltDeg, label: `at rest: ${roundTo(fluid.restTiltDeg, 2)}°` }] },
      layer: [
        { mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3] }, encoding: { x, x2: { field: 'endS' }, y: { field: 'tiltDeg', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -3, color: '#c0392b' }, encoding: { x, y: { field: 'tiltDeg', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `Surface tilt over time of ${item.promptId} by ${item.generator}, seed ${item.seed}`,
    title: 'Surface tilt over time',
    width: 480,
    height: 140,
    layer: layers,
  };
}
