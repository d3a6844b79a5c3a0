import type { ItemResult, ResultsFile } from '../suites/results.js';
import { readTrajectory } from './metric-values.js';

/**
 * Gravity assumed expected when a results file does not record the prompt's own value: the
 * catalog default (`expect.gravityMS2` in prompts/schema.ts), Earth's surface gravity rounded.
 */
export const ASSUMED_EXPECTED_GRAVITY_MS2 = 9.81;

export type ItemOutcome = 'passed' | 'failed' | 'not-analysed';

/** An item that was never analysed (refused, timed out, bad video...) neither passes nor fails. */
export function itemOutcome(item: ItemResult): ItemOutcome {
  if (item.status !== 'ok') return 'not-analysed';
  return item.verdict.pass ? 'passed' : 'failed';
}

export interface OutcomeCounts {
  items: number;
  passed: number;
  failed: number;
  notAnalysed: number;
  /** passed / items: items that were not analysed count against the rate, never drop out of it. */
  passRate: number;
}

export function countOutcomes(items: readonly ItemResult[]): OutcomeCounts {
  let passed = 0;
  let failed = 0;
  for (const item of items) {
    const outcome = itemOutcome(item);
    if (outcome === 'passed') passed += 1;
    else if (outcome === 'failed') failed += 1;
  }
  const total = items.length;
  return { items: total, passed, failed, notAnalysed: total - passed - failed, passRate: total === 0 ? 0 : passed / total };
}

export interface GravityComparison {
  measuredMS2: number;
  expectedMS2: number;
  /** False when the results did not record the expectation and the default was assumed. */
  expectedRecorded: boolean;
  /** |g − expected| / expected. */
  relativeError: number;
}

/** Measured against expected gravity, or null when the item has no measured g in m/s². */
export function compareGravity(item: ItemResult): GravityComparison | null {
  const trajectory = readTrajectory(item);
  if (trajectory === null || trajectory.gravityMS2 === null) return null;
  const expectedRecorded = trajectory.expectedGravityMS2 !== null;
  const expectedMS2 = trajectory.expectedGravityMS2 ?? ASSUMED_EXPECTED_GRAVITY_MS2;
  return {
    measuredMS2: trajectory.gravityMS2,
    expectedMS2,
    expectedRecorded,
    relativeError: Math.abs(trajectory.gravityMS2 - expectedMS2) / expectedMS2,
  };
}

export interface GeneratorScore extends OutcomeCounts {
  generator: string;
  /** Mean of |g − expected| / expected over items with a measured g; null when there is none. */
  meanGravityRelError: number | null;
  gravityItems: number;
}

/** Distinct values in first-seen order, so reports follow the run's own ordering. */
export function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** Generators of the run: those configured, then any others found in the items. */
export function generatorsOf(results: ResultsFile): string[] {
  return distinct([...results.config.generators, ...results.items.map((item) => item.generator)]);
}

export function scoreGenerators(results: ResultsFile): GeneratorScore[] {
  return generatorsOf(results).map((generator) => {
    const items = results.items.filter((item) => item.generator === generator);
    const errors = items.map(compareGravity).flatMap((comparison) => (comparison === null ? [] : [comparison.relativeError]));
    const meanGravityRelError = errors.length === 0 ? null : errors.reduce((sum, error) => sum + error, 0) / errors.length;
    return { generator, ...countOutcomes(items), meanGravityRelError, gravityItems: errors.length };
  });
}

export interface MatrixCell extends OutcomeCounts {
  category: string;
  generator: string;
}

/** Pass counts for every category × generator pair that has at least one item. */
export function passMatrix(results: ResultsFile): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const category of distinct(results.items.map((item) => item.category))) {
    for (const generator of generatorsOf(results)) {
      const items = results.items.filter((item) => item.category === category && item.generator === generator);
      if (items.length > 0) cells.push({ category, generator, ...countOutcomes(items) });
    }
  }
  return cells;
}
