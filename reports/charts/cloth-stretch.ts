import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import { roundTo } from '../format.js';
import type { ClothView } from './cloth-view.js';
import { VEGA_LITE_SCHEMA_URL, type LayerMemberSpec } from './spec-types.js';

/**
 * Distribution of the strain between neighbouring cloth points over the clip (every point in every
 * frame, in %), with the stretch fabric allows marked. Null when no strain was measured.
 */
export function clothStretchSpec(item: ItemResult, cloth: ClothView): TopLevelSpec | null {
  const { histogram, maxAllowed, sustained } = cloth.stretch;
  const lastBin = histogram.counts.length - 1;
  const rows = histogram.counts.flatMap((count, bin) => {
    if (count === 0) return [];
    const fromPct = roundTo(100 * (histogram.lowStrain + bin * histogram.binWidth), 3);
    const toPct = roundTo(fromPct + 100 * histogram.binWidth, 3);
    const range = bin === 0 ? `below ${toPct}%` : bin === lastBin ? `${fromPct}% and above` : `${fromPct}% to ${toPct}%`;
    return [{ fromPct, toPct, count, range }];
  });
  if (rows.length === 0) return null;
  const x = { field: 'fromPct', type: 'quantitative' as const, title: 'strain between neighbouring points (%)' };
  const layers: LayerMemberSpec[] = [
    {
      data: { values: rows },
      mark: { type: 'bar', color: '#1c2f8a', opacity: 0.85 },
      encoding: {
        x: { ...x, bin: { binned: true, step: roundTo(100 * histogram.binWidth, 3) } },
        x2: { field: 'toPct' },
        y: { field: 'count', type: 'quantitative', title: 'point × frame samples' },
        tooltip: [
          { field: 'range', type: 'nominal', title: 'strain' },
          { field: 'count', type: 'quantitative', title: 'samples' },
        ],
      },
    },
    {
      data: { values: [{ fromPct: roundTo(100 * maxAllowed, 3), label: `fabric allows ${roundTo(100 * maxAllowed, 1)}%` }] },
      layer: [
        { mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3] }, encoding: { x } },
        { mark: { type: 'text', align: 'left', baseline: 'top', y: 2, dx: 4, color: '#c0392b' }, encoding: { x, text: { field: 'label' } } },
      ],
    },
  ];
  const sustainedText = sustained === null ? '' : `, sustained peak ${roundTo(100 * sustained, 1)}%`;
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `Cloth strain distribution of ${item.promptId} by ${item.generator}, seed ${item.seed}${sustainedText}`,
    title: `Cloth stretch${sustainedText}`,
    width: 480,
    height: 140,
    layer: layers,
  };
}
