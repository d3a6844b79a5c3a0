import type { ItemResult } from './results.js';

/** What an item was expected to show, from its prompt (the catalog) or the metric's own record. */
export interface ItemExpectation {
  gravityMS2: number;
  /** Coefficient of restitution the material allows, when the prompt says. */
  restitution?: { min: number; max: number };
}

export const STANDARD_GRAVITY_MS2 = 9.81;

export interface GateMetric {
  id: string;
  /** Words for sentences: "gravity error". */
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Binary metrics are compared with McNemar's test on discordant items, continuous ones with Wilcoxon's. */
  kind: 'binary' | 'continuous';
  /** Largest worsening the gate tolerates, in the metric's unit (`--max-drop ID=VALUE` overrides). */
  defaultMaxDrop: number;
  /** The item's value, or undefined when it has none (not analysed, nothing measured, no expectation). */
  read(item: ItemResult, expectation: ItemExpectation): number | undefined;
  /** A value in words: "12.5 ms", "3.1%". */
  format(value: number): string;
}

function record(item: ItemResult, metricId: string): Readonly<Record<string, unknown>> | undefined {
  return item.status === 'ok' ? item.metrics[metricId] : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/**
 * The metrics `physeval gate` compares and `physeval history` records, each with its better
 * direction and how it is read from an item. The README's "Gates, history and shards" lists them.
 */
export const GATE_METRICS = [
  {
    id: 'passRate',
    label: 'pass rate',
    unit: 'share of items',
    better: 'higher',
    kind: 'binary',
    defaultMaxDrop: 0,
    // An item that was not analysed (refused, failed, timed out, bad video) did not pass.
    read: (item) => (item.status === 'ok' && item.verdict.pass ? 1 : 0),
    format: percent,
  },
  {
    id: 'gravityError',
    label: 'gravity error',
    unit: 'relative',
    better: 'lower',
    kind: 'continuous',
    defaultMaxDrop: 0.02,
    // |g − expected| / expected, from metrics.trajectory.gravityMS2.
    read: (item, expectation) => {
      const gravityMS2 = finite(record(item, 'trajectory')?.['gravityMS2']);
      return gravityMS2 === undefined ? undefined : Math.abs(gravityMS2 - expectation.gravityMS2) / expectation.gravityMS2;
    },
    format: percent,
  },
  {
    id: 'restitutionError',
    label: 'restitution error',
    unit: 'coefficient',
    better: 'lower',
    kind: 'continuous',
    defaultMaxDrop: 0.02,
    // Mean distance of each contact's restitution outside the prompt's allowed range (0 inside it).
    read: (item, expectation) => {
      const range = expectation.restitution;
      const values = record(item, 'trajectory')?.['restitution'];
      if (range === undefined || !Array.isArray(values)) return undefined;
      const measured = values.map(finite).filter((value): value is number => value !== undefined);
      if (measured.length === 0) return undefined;
      const outside = measured.map((e) => Math.max(range.min - e, e - range.max, 0));
      return outside.reduce((sum, d) => sum + d, 0) / outside.length;
    },
    format: (value) => value.toFixed(3),
  },
  {
    id: 'avOffset',
    label: 'audio-video offset',
    unit: 'ms',
    better: 'lower',
    kind: 'continuous',
    defaultMaxDrop: 10,
    // |offsetMs| from metrics.avsync: early and late sound are both out of sync.
    read: (item) => {
      const offsetMs = finite(record(item, 'avsync')?.['offsetMs']);
      return offsetMs === undefined ? undefined : Math.abs(offsetMs);
    },
    format: (value) => `${value.toFixed(1)} ms`,
  },
  {
    id: 'flicker',
    label: 'flicker index',
    unit: 'index',
    better: 'lower',
    kind: 'continuous',
    defaultMaxDrop: 0.005,
    read: (item) => finite(record(item, 'temporal')?.['flickerIndex']),
    format: (value) => value.toFixed(4),
  },
] as const satisfies readonly GateMetric[];

export type GateMetricId = (typeof GATE_METRICS)[number]['id'];

export function isGateMetricId(id: string): id is GateMetricId {
  return GATE_METRICS.some((metric) => metric.id === id);
}

export function gateMetric(id: GateMetricId): GateMetric {
  return GATE_METRICS.find((metric) => metric.id === id) as GateMetric;
}

/** Absolute limits on one run: a generator's pass rate must reach `minPassRate`; each limited metric's median must not be worse. */
export interface GateLimits {
  minPassRate?: number;
  limits: Partial<Record<GateMetricId, number>>;
}

/**
 * The limits `--suite-thresholds` applies to the candidate, per suite. The av-sync limit is the
 * EBU R37 tolerance for early sound (40 ms); gravity within 5% and 90% of clips passing elsewhere.
 */
export const SUITE_GATE_LIMITS: Readonly<Record<string, GateLimits>> = {
  default: { minPassRate: 0.9, limits: { gravityError: 0.05, avOffset: 45 } },
  smoke: { minPassRate: 0.9, limits: { gravityError: 0.05 } },
  'bouncing-balls': { minPassRate: 0.9, limits: { gravityError: 0.05, restitutionError: 0.05 } },
  'av-sync': { minPassRate: 0.9, limits: { avOffset: 40 } },
};
