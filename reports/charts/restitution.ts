import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import { roundTo } from '../format.js';
import type { TrajectoryView } from '../metric-values.js';
import { VEGA_LITE_SCHEMA_URL } from './spec-types.js';

/**
 * Coefficient of restitution at each contact (rebound speed / impact speed, so above 1 means the
 * bounce gained energy), placed at the contact's time when known. Null when no contact was measured.
 */
export function restitutionSpec(item: ItemResult, trajectory: TrajectoryView): TopLevelSpec | null {
  const rows = trajectory.objects.flatMap((object) =>
    object.restitution.map((restitution, index) => {
      const contactS = object.contactsS[index];
      return {
        object: `object ${object.id}`,
        contact: `contact ${index + 1}${contactS === undefined ? '' : ` at ${contactS.toFixed(3)} s`}`,
        contactS: roundTo(contactS ?? index, 4),
        restitution: roundTo(restitution, 3),
      };
    }),
  );
  if (rows.length === 0) return null;
  const allTimed = trajectory.objects.every((object) => object.contactsS.length >= object.restitution.length);
  const x = allTimed
    ? { field: 'contactS', type: 'quantitative' as const, title: 'contact time (s)' }
    : { field: 'contact', type: 'nominal' as const, title: 'contact', sort: null };
  const maxRestitution = Math.max(1.1, ...rows.map((row) => row.restitution + 0.05));
  const y = { field: 'restitution', type: 'quantitative' as const, title: 'restitution e', scale: { domain: [0, roundTo(maxRestitution, 2)] } };
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `Restitution per contact of ${item.promptId} by ${item.generator}, seed ${item.seed}`,
    title: 'Restitution per contact',
    width: 240,
    height: 180,
    layer: [
      {
        data: { values: [{ restitution: 1, label: 'e = 1: no energy lost' }] },
        layer: [
          { mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3] }, encoding: { y: { field: 'restitution', type: 'quantitative' } } },
          { mark: { type: 'text', align: 'left', baseline: 'bottom', x: 4, dy: -2, color: '#c0392b' }, encoding: { y: { field: 'restitution', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y,
          color: { field: 'object', type: 'nominal', title: 'object', legend: trajectory.objects.length > 1 ? {} : null },
          tooltip: [
            { field: 'object', type: 'nominal' },
            { field: 'contact', type: 'nominal' },
            { field: 'restitution', type: 'quantitative', format: '.3f' },
          ],
        },
      },
    ],
  };
}
