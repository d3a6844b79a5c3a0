import type { Metric } from './types.js';

/** Orders metrics so that each comes after the metrics it reads (`after`); unknown ids are ignored. */
export function orderMetrics(metrics: readonly Metric[]): Metric[] {
  const byId = new Map(metrics.map((metric) => [metric.id, metric]));
  const ordered: Metric[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (metric: Metric, path: string[]): void => {
    const seen = state.get(metric.id);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`metrics depend on each other in a cycle: ${[...path, metric.id].join(' → ')}`);
    state.set(metric.id, 'visiting');
    for (const id of metric.after) {
      const dependency = byId.get(id);
      if (dependency) visit(dependency, [...path, metric.id]);
    }
    state.set(metric.id, 'done');
    ordered.push(metric);
  };
  for (const metric of metrics) visit(metric, []);
  return ordered;
}
