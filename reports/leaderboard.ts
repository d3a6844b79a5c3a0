import type { ItemResult, ResultsFile } from '../suites/results.js';
import { percent } from './format.js';
import { readAvSync, readTemporal } from './metric-values.js';
import { compareGravity, generatorsOf, itemOutcome } from './scores.js';
import { BOOTSTRAP_DEFAULTS, bootstrapCi, type BootstrapOptions } from './stats/bootstrap-ci.js';

export interface LeaderboardMetric {
  id: string;
  label: string;
  better: 'higher' | 'lower';
  /** Vega/d3 number format of the value, for charts. */
  format: string;
  /** The value in words, for text reports. */
  text(value: number): string;
  /** The item's value, or null when the item has none (it then stays out of this metric's mean). */
  valueOf(item: ItemResult): number | null;
}

/**
 * What the leaderboard ranks. The pass rate counts every item (not analysed = 0), so a generator
 * cannot rise by failing to deliver; the others average the items that measured them, with n shown.
 */
export const LEADERBOARD_METRICS: readonly LeaderboardMetric[] = [
  { id: 'pass-rate', label: 'pass rate', better: 'higher', format: '.0%', text: percent, valueOf: (item) => (itemOutcome(item) === 'passed' ? 1 : 0) },
  { id: 'gravity-error', label: '|g − expected| / expected', better: 'lower', format: '.1%', text: (value) => `${(value * 100).toFixed(1)}%`, valueOf: (item) => compareGravity(item)?.relativeError ?? null },
  {
    id: 'av-offset',
    label: '|audio − video offset| (ms)',
    better: 'lower',
    format: '.1f',
    text: (value) => `${value.toFixed(1)} ms`,
    valueOf: (item) => {
      const offsetMs = readAvSync(item)?.offsetMs;
      return offsetMs === undefined || offsetMs === null ? null : Math.abs(offsetMs);
    },
  },
  { id: 'flicker', label: 'flicker index', better: 'lower', format: '.4f', text: (value) => value.toFixed(4), valueOf: (item) => readTemporal(item)?.flickerIndex ?? null },
];

export interface LeaderboardRow {
  generator: string;
  /** LeaderboardMetric.id. */
  metric: string;
  better: 'higher' | 'lower';
  mean: number;
  /** Bootstrap interval over the generator's items (prompts × seeds). */
  low: number;
  high: number;
  n: number;
}

/** Generator × metric means with bootstrap confidence intervals; pairs with no value are left out. */
export function leaderboardRows(results: ResultsFile, options: BootstrapOptions = BOOTSTRAP_DEFAULTS): LeaderboardRow[] {
  const rows: LeaderboardRow[] = [];
  for (const metric of LEADERBOARD_METRICS) {
    for (const generator of generatorsOf(results)) {
      const values = results.items
        .filter((item) => item.generator === generator)
        .flatMap((item) => {
          const value = metric.valueOf(item);
          return value === null ? [] : [value];
        });
      const interval = bootstrapCi(values, options);
      if (interval !== null) rows.push({ generator, metric: metric.id, better: metric.better, ...interval });
    }
  }
  return rows;
}
