import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import { roundTo } from '../format.js';
import type { TemporalView } from '../metric-values.js';
import { VEGA_LITE_SCHEMA_URL, type LayerMemberSpec } from './spec-types.js';

/**
 * Mean luma of every frame over time (frame i at i / fps): flicker shows as a saw-tooth, a light
 * change as a smooth slope. The worst flicker the metric found is marked. Null without a frame
 * rate or with fewer than two frames.
 */
export function flickerSpec(item: ItemResult, temporal: TemporalView): TopLevelSpec | null {
  const fps = item.video?.fps;
  if (fps === undefined || !(fps > 0) || temporal.lumaSeries.length < 2) return null;
  const rows = temporal.lumaSeries.map((luma, index) => ({ tS: roundTo(index / fps, 4), luma: roundTo(luma, 2) }));
  const x = { field: 'tS', type: 'quantitative' as const, title: 'time (s)' };
  const layers: LayerMemberSpec[] = [
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 1.2, color: '#1c2f8a', point: { size: 10, filled: true, color: '#1c2f8a' } },
      encoding: {
        x,
        y: { field: 'luma', type: 'quantitative', title: 'mean luma (0–255)', scale: { zero: false } },
        tooltip: [
          { field: 'tS', type: 'quantitative', title: 'time (s)', format: '.3f' },
          { field: 'luma', type: 'quantitative', title: 'mean luma', format: '.2f' },
        ],
      },
    },
  ];
  if (temporal.worstFlickerAtS !== null) {
    const index = temporal.flickerIndex === null ? '' : ` (index ${temporal.flickerIndex.toFixed(4)})`;
    layers.push({
      data: { values: [{ tS: roundTo(temporal.worstFlickerAtS, 4), label: `worst flicker${index}` }] },
      layer: [
        { mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3] }, encoding: { x } },
        { mark: { type: 'text', align: 'left', baseline: 'top', y: 2, dx: 4, color: '#c0392b' }, encoding: { x, text: { field: 'label' } } },
      ],
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `Mean luma over time of ${item.promptId} by ${item.generator}, seed ${item.seed}`,
    title: 'Brightness over time (flicker)',
    width: 480,
    height: 140,
    layer: layers,
  };
}
