import type { TopLevelSpec } from 'vega-lite';
import type { ResultsFile } from '../../suites/results.js';
import { roundTo } from '../format.js';
import { readAvSync } from '../metric-values.js';
import { generatorsOf } from '../scores.js';
import { VEGA_LITE_SCHEMA_URL } from './spec-types.js';

/**
 * ITU-R BT.1359-1 limits of the audio-video offset, ms, with offset = audio − video (negative:
 * sound early). Detectability: −45 / +125 ms; acceptability: −90 / +185 ms.
 */
export const BT1359_BANDS = [
  { band: 'acceptable (BT.1359: −90 / +185 ms)', fromMs: -90, toMs: 185, colour: '#fff4d6' },
  { band: 'undetectable (BT.1359: −45 / +125 ms)', fromMs: -45, toMs: 125, colour: '#dff3e6' },
] as const;

/** Room beyond the widest band, so both of its edges stay visible. */
const MARGIN_MS = 40;

/**
 * The measured offset of every clip, one row per generator, over the BT.1359 bands: inside the
 * green band nobody notices, inside the yellow one viewers accept it, outside it is a defect.
 * Null when no clip has a measured offset.
 */
export function avOffsetsSpec(results: ResultsFile): TopLevelSpec | null {
  const points = results.items.flatMap((item) => {
    const offsetMs = readAvSync(item)?.offsetMs;
    return offsetMs === undefined || offsetMs === null
      ? []
      : [{ generator: item.generator, prompt: item.promptId, seed: item.seed, offsetMs: roundTo(offsetMs, 1) }];
  });
  if (points.length === 0) return null;
  const widest = BT1359_BANDS[0];
  const lowMs = Math.min(widest.fromMs, ...points.map((point) => point.offsetMs)) - MARGIN_MS;
  const highMs = Math.max(widest.toMs, ...points.map((point) => point.offsetMs)) + MARGIN_MS;
  const x = { type: 'quantitative' as const, title: 'offset = audio − video (ms; positive: sound late)', scale: { domain: [lowMs, highMs], nice: false } };
  const bands = BT1359_BANDS.map((band) => ({ band: band.band, fromMs: band.fromMs, toMs: band.toMs }));
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: 'Audio-video offset per generator against the ITU-R BT.1359 limits',
    title: 'Audio–video offset per clip against ITU-R BT.1359',
    width: 520,
    height: { step: 36 },
    layer: [
      {
        data: { values: bands },
        mark: { type: 'rect' },
        encoding: {
          x: { ...x, field: 'fromMs' },
          x2: { field: 'toMs' },
          color: {
            field: 'band',
            type: 'nominal',
            title: 'limit',
            sort: null,
            scale: { domain: BT1359_BANDS.map((band) => band.band), range: BT1359_BANDS.map((band) => band.colour) },
            legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0 },
          },
        },
      },
      {
        data: { values: [{ offsetMs: 0 }] },
        mark: { type: 'rule', color: '#80868b', strokeDash: [2, 2] },
        encoding: { x: { ...x, field: 'offsetMs' } },
      },
      {
        data: { values: points },
        mark: { type: 'tick', thickness: 2, color: '#1c2f8a' },
        encoding: {
          x: { ...x, field: 'offsetMs' },
          y: { field: 'generator', type: 'nominal', title: 'generator', sort: generatorsOf(results) },
          tooltip: [
            { field: 'generator', type: 'nominal' },
            { field: 'prompt', type: 'nominal' },
            { field: 'seed', type: 'quantitative' },
            { field: 'offsetMs', type: 'quantitative', title: 'offset (ms)', format: '.1f' },
          ],
        },
      },
    ],
  };
}
