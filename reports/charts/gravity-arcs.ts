import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import { roundTo } from '../format.js';
import type { TrajectoryView } from '../metric-values.js';
import { ASSUMED_EXPECTED_GRAVITY_MS2 } from '../scores.js';
import { VEGA_LITE_SCHEMA_URL, type LayerMemberSpec } from './spec-types.js';

/** Two-sided 95% normal quantile: error bars span g ± 1.96 standard errors. */
const Z_95 = 1.959964;

/**
 * g fitted on each free-flight arc of a clip with its 95% interval (± 1.96 standard errors),
 * against the expected g. In m/s² when every object with arcs has a known scale, otherwise in
 * px/s² (and then without the expectation, which is in m/s²). Null when the clip has no arc.
 */
export function gravityArcsSpec(item: ItemResult, trajectory: TrajectoryView): TopLevelSpec | null {
  const withArcs = trajectory.objects.filter((object) => object.arcs.length > 0);
  if (withArcs.length === 0) return null;
  const metric = withArcs.every((object) => object.pxPerM !== null);
  const unit = metric ? 'm/s²' : 'px/s²';
  const rows = withArcs.flatMap((object) =>
    object.arcs.map((arc, index) => {
      const scale = metric && object.pxPerM !== null ? object.pxPerM : 1;
      const g = arc.gPxS2 / scale;
      const halfWidth = arc.gStdErrPxS2 === null ? 0 : (Z_95 * arc.gStdErrPxS2) / scale;
      return {
        object: `object ${object.id}`,
        arc: `object ${object.id} arc ${index + 1}`,
        midS: roundTo((arc.startS + arc.endS) / 2, 4),
        g: roundTo(g, 3),
        low: roundTo(g - halfWidth, 3),
        high: roundTo(g + halfWidth, 3),
      };
    }),
  );
  const x = { field: 'midS', type: 'quantitative' as const, title: 'middle of the arc (s)' };
  const y = { field: 'g', type: 'quantitative' as const, title: `g (${unit})`, scale: { zero: false } };
  const colour = { field: 'object', type: 'nominal' as const, title: 'object', legend: withArcs.length > 1 ? {} : null };
  const layers: LayerMemberSpec[] = [
    { data: { values: rows }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, color: colour } },
    {
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 50 },
      encoding: {
        x,
        y,
        color: colour,
        tooltip: [
          { field: 'arc', type: 'nominal' },
          { field: 'g', type: 'quantitative', title: `g (${unit})`, format: '.2f' },
          { field: 'low', type: 'quantitative', title: '95% low', format: '.2f' },
          { field: 'high', type: 'quantitative', title: '95% high', format: '.2f' },
        ],
      },
    },
  ];
  if (metric) {
    const expectedMS2 = trajectory.expectedGravityMS2 ?? ASSUMED_EXPECTED_GRAVITY_MS2;
    layers.push({
      data: { values: [{ g: expectedMS2, label: `expected ${expectedMS2.toFixed(2)} m/s²` }] },
      layer: [
        { mark: { type: 'rule', color: '#1a7f64', strokeDash: [4, 3] }, encoding: { y: { field: 'g', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', baseline: 'bottom', x: 4, dy: -2, color: '#1a7f64' }, encoding: { y: { field: 'g', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `g per arc of ${item.promptId} by ${item.generator}, seed ${item.seed}`,
    title: 'g per arc (95% interval)',
    width: 260,
    height: 180,
    layer: layers,
  };
}
