import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult } from '../../suites/results.js';
import type { AvSyncView, TrajectoryView } from '../metric-values.js';
import { roundTo } from '../format.js';
import { sampleArc } from './arc-samples.js';
import { VEGA_LITE_SCHEMA_URL, type LayerMemberSpec } from './spec-types.js';

/** Chart data precision: 0.1 ms and 0.01 px, far below a frame and a pixel. */
const TIME_DIGITS = 4;
const PX_DIGITS = 2;

const CONTACT_EVENT = 'contact (video)';
const ONSET_EVENT = 'sound onset (audio)';

const Y_AXIS_TITLE = 'image y (px; axis reversed so up is up)';

/**
 * One clip's measured track (y over time, points) against its fitted arcs (lines sampled from
 * the arc parameters), with contacts as dashed rules and, when the clip has sound, the audio
 * onsets as dotted rules (their gap to the contacts is the audio-video offset). y is the image
 * row in pixels, which grows downwards, so the axis is reversed: the chart shows the motion the
 * right way up. Null when the clip has no tracked point.
 */
export function trajectoryChartSpec(item: ItemResult, trajectory: TrajectoryView, avSync: AvSyncView | null = null): TopLevelSpec | null {
  const objects = trajectory.objects.filter((object) => object.track.length > 0);
  if (objects.length === 0) return null;
  const objectName = (id: number): string => `object ${id}`;

  const trackRows = objects.flatMap((object) =>
    object.track.map(([tS, xPx, yPx, radiusPx]) => ({
      object: objectName(object.id),
      tS: roundTo(tS, TIME_DIGITS),
      xPx: roundTo(xPx, PX_DIGITS),
      yPx: roundTo(yPx, PX_DIGITS),
      radiusPx: roundTo(radiusPx, PX_DIGITS),
    })),
  );
  const arcRows = objects.flatMap((object) =>
    object.arcs.flatMap((arc, index) =>
      sampleArc(arc).map((sample) => ({
        object: objectName(object.id),
        arc: `${objectName(object.id)} arc ${index + 1}`,
        tS: roundTo(sample.tS, TIME_DIGITS),
        yPx: roundTo(sample.yPx, PX_DIGITS),
      })),
    ),
  );
  const eventRows = [
    ...distinctTimes([...trajectory.contactsS, ...objects.flatMap((object) => object.contactsS)]).map((tS) => ({
      event: CONTACT_EVENT,
      tS: roundTo(tS, TIME_DIGITS),
    })),
    ...(avSync?.hasAudio ? distinctTimes(avSync.onsetsS) : []).map((tS) => ({ event: ONSET_EVENT, tS: roundTo(tS, TIME_DIGITS) })),
  ];

  const colour = { field: 'object', type: 'nominal' as const, title: 'object', legend: objects.length > 1 ? {} : null };
  const time = { field: 'tS', type: 'quantitative' as const, title: 'time (s)' };
  const layers: LayerMemberSpec[] = [
    {
      data: { values: trackRows },
      mark: { type: 'point', filled: true, size: 18, opacity: 0.8 },
      encoding: {
        x: time,
        y: { field: 'yPx', type: 'quantitative', title: Y_AXIS_TITLE, scale: { reverse: true, zero: false } },
        color: colour,
        tooltip: [
          { field: 'tS', type: 'quantitative', title: 'time (s)', format: '.3f' },
          { field: 'xPx', type: 'quantitative', title: 'x (px)', format: '.1f' },
          { field: 'yPx', type: 'quantitative', title: 'y (px)', format: '.1f' },
          { field: 'radiusPx', type: 'quantitative', title: 'radius (px)', format: '.1f' },
        ],
      },
    },
  ];
  if (arcRows.length > 0) {
    layers.push({
      data: { values: arcRows },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: { x: time, y: { field: 'yPx', type: 'quantitative' }, color: colour, detail: { field: 'arc', type: 'nominal' } },
    });
  }
  if (eventRows.length > 0) {
    layers.push({
      data: { values: eventRows },
      mark: { type: 'rule', color: '#555' },
      encoding: {
        x: time,
        strokeDash: { field: 'event', type: 'nominal', title: 'event', scale: { domain: [CONTACT_EVENT, ONSET_EVENT], range: [[4, 3], [1, 2]] } },
        tooltip: [
          { field: 'event', type: 'nominal' },
          { field: 'tS', type: 'quantitative', title: 'time (s)', format: '.3f' },
        ],
      },
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: `Trajectory of ${item.promptId} by ${item.generator}, seed ${item.seed}`,
    title: 'Measured track (points) and fitted arcs (lines)',
    width: 480,
    height: 220,
    layer: layers,
  };
}

/** Each time once (to 0.1 ms), in order: the main object's contacts appear again in its own entry. */
function distinctTimes(timesS: readonly number[]): number[] {
  return [...new Map(timesS.map((tS) => [Math.round(tS * 1e4), tS])).values()].sort((a, b) => a - b);
}
