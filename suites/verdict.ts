import type { Failure } from '../prompts/codes.js';
import type { Verdict } from './results.js';

/** A clip passes when no metric raised a failure and none of them errored. */
export function verdictOf(failures: readonly Failure[], metricErrors: Readonly<Record<string, string>>): Verdict {
  const sorted = [...failures].sort((a, b) => (a.atS ?? Infinity) - (b.atS ?? Infinity) || a.code.localeCompare(b.code));
  return {
    pass: sorted.length === 0 && Object.keys(metricErrors).length === 0,
    failures: sorted.map((failure) => ({ code: failure.code, message: failure.message, ...(failure.atS === undefined ? {} : { atS: round(failure.atS, 4) }) })),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
