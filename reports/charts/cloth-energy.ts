import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import { roundTo } from '../format.js';
import type { ClothView } from './cloth-view.js';
import { VEGA_LITE_SCHEMA_URL, type LayerMemberSpec } from './spec-types.js';

/**
 * The cloth's motion energy (mean squared point speed) over time on a symmetric-log axis, so a
 * decay to rest over orders of magnitude stays readable; the time it settles is marked. Null with
 * fewer than two samples.
 */
export function clothEnergySpec(item: ItemResult, cloth: ClothView): TopLevelSpec | null {
  const { energySeries, energyUnit, settleS } = cloth.settle;
  if (energySeries.length < 2) return null;
  const rows = energySeries.map(([tS, energy]) => ({ tS: roundTo(tS, 4), energy }));
  const x = { field: 'tS', type: 'quantitative' as const, title: 'time (s)' };
  const layers: LayerMemberSpec[] = [
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 1.2, color: '#1c2f8a', point: { size: 10, filled: true, color: '#1c2f8a' } },
      encoding: {
        x,
        y: { field: 'energy', type: 'quantitative', title: `motion energy per unit mass ${energyUnit}`, scale: { type: 'symlog' } },
        tooltip: [
          { field: 'tS', type: 'quantitative', title: 'time (s)', format: '.3f' },
          { field: 'energy', type: 'quantitative', title: `energy ${energyUnit}`, format: '.4g' },
        ],
      },
    },
  ];
  if (settleS !== null) {
    layers.push({
      data: { values: [{ tS: roundTo(settleS, 4), label: `at rest from ${settleS.toFixed(2)} s` }] },
      layer: [
        { mark: { type: 'rule', color: '#1e8449', strokeDash: [4, 3] }, encoding: { x } },
        { mark: { type: 'text', align: 'left', baseline: 'top', y: 2, dx: 4, color: '#1e8449' }, encoding: { x, text: { field: 'label' } } },
      ],
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `Cloth motion energy over time of ${item.promptId} by ${item.generator}, seed ${item.seed}`,
    title: settleS === null ? 'Cloth motion energy (never at rest)' : 'Cloth motion energy decay',
    width: 480,
    height: 140,
    layer: layers,
  };
}
