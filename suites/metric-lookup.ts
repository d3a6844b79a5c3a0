import { METRICS, isMetricId } from '../metrics/registry.js';
import type { Metric } from '../metrics/types.js';
import { didYouMean } from '../prompts/did-you-mean.js';
import { RunError } from './errors.js';

export function metricById(id: string): Metric {
  if (!isMetricId(id)) {
    throw new RunError('unknown-metric', `unknown metric '${id}'${didYouMean(id, Object.keys(METRICS))}; known: ${Object.keys(METRICS).join(', ')}`);
  }
  return METRICS[id];
}
