import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import { fixed, roundTo } from '../format.js';
import type { AvSyncView } from '../metric-values.js';
import { VEGA_LITE_SCHEMA_URL } from './spec-types.js';

const IMPACT_ROW = 'visual impact';
const ONSET_ROW = 'sound onset';

/**
 * A clip's visual impacts and sound onsets on one time axis, each pair joined by a line: a
 * slanted line is a sound that comes early or late, a lone mark has no partner. Null when the
 * clip has no audio or neither impacts nor onsets. The axis spans the whole clip when its duration is known.
 */
export function avTimelineSpec(item: ItemResult, avSync: AvSyncView): TopLevelSpec | null {
  if (!avSync.hasAudio || avSync.impactsS.length + avSync.onsetsS.length === 0) return null;
  const events = [
    ...avSync.impactsS.map((tS) => ({ row: IMPACT_ROW, tS: roundTo(tS, 4) })),
    ...avSync.onsetsS.map((tS) => ({ row: ONSET_ROW, tS: roundTo(tS, 4) })),
  ];
  const pairLines = avSync.pairs.flatMap((pair, index) => [
    { pair: index + 1, row: IMPACT_ROW, tS: roundTo(pair.videoS, 4), offsetMs: roundTo((pair.audioS - pair.videoS) * 1000, 1) },
    { pair: index + 1, row: ONSET_ROW, tS: roundTo(pair.audioS, 4), offsetMs: roundTo((pair.audioS - pair.videoS) * 1000, 1) },
  ]);
  const durationS = item.video?.durationS;
  const x = {
    field: 'tS',
    type: 'quantitative' as const,
    title: 'time (s)',
    ...(durationS !== undefined && durationS > 0 ? { scale: { domain: [0, roundTo(durationS, 3)] } } : {}),
  };
  const y = { field: 'row', type: 'nominal' as const, title: null, sort: [IMPACT_ROW, ONSET_ROW], scale: { padding: 0.6 } };
  const offset = avSync.offsetMs === null ? 'no pair found' : `offset ${fixed(avSync.offsetMs, 1)} ms`;
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `Sound onsets against visual impacts of ${item.promptId} by ${item.generator}, seed ${item.seed}`,
    title: `Sound onsets against visual impacts (${offset})`,
    width: 480,
    height: 90,
    layer: [
      ...(pairLines.length > 0
        ? [
            {
              data: { values: pairLines },
              mark: { type: 'line' as const, color: '#80868b', strokeWidth: 1.5 },
              encoding: {
                x,
                y,
                detail: { field: 'pair', type: 'nominal' as const },
                tooltip: [{ field: 'offsetMs', type: 'quantitative' as const, title: 'audio − video (ms)', format: '.1f' }],
              },
            },
          ]
        : []),
      {
        data: { values: events },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x,
          y,
          shape: { field: 'row', type: 'nominal', legend: null, scale: { domain: [IMPACT_ROW, ONSET_ROW], range: ['triangle-down', 'circle'] } },
          color: { field: 'row', type: 'nominal', legend: null, scale: { domain: [IMPACT_ROW, ONSET_ROW], range: ['#1c2f8a', '#e8710a'] } },
          tooltip: [
            { field: 'row', type: 'nominal', title: 'event' },
            { field: 'tS', type: 'quantitative', title: 'time (s)', format: '.3f' },
          ],
        },
      },
    ],
  };
}
