import { avsyncMetric } from './avsync.js';
import { fluidMetric } from './fluid.js';
import { clothMetric } from './cloth.js';
import { lipSyncMetric } from './lip-sync.js';
import { temporalMetric } from './temporal.js';
import { trajectoryMetric } from './trajectory.js';
import type { Metric } from './types.js';

/** Every metric physeval can run, by id. Suites name them; `physeval list metrics` shows them. */
export const METRICS = {
  trajectory: trajectoryMetric,
  temporal: temporalMetric,
  avsync: avsyncMetric,
  fluid: fluidMetric,
  cloth: clothMetric,
  lipsync: lipSyncMetric,
} as const satisfies Record<string, Metric>;

export type MetricId = keyof typeof METRICS;

export function isMetricId(id: string): id is MetricId {
  return Object.hasOwn(METRICS, id);
}
