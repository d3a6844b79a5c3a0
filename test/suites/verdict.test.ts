import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../suites/verdict.js';

describe('verdictOf', () => {
  it('passes a clip with no failure and no metric error', () => {
    expect(verdictOf([], {})).toEqual({ pass: true, failures: [] });
  });

  it('fails on a metric error even without failure codes', () => {
    expect(verdictOf([], { avsync: 'boom' }).pass).toBe(false);
  });

  it('orders failures by time, untimed last', () => {
    const verdict = verdictOf(
      [
        { code: 'flicker', message: 'f' },
        { code: 'vanish', message: 'v', atS: 1.23456789 },
        { code: 'teleport', message: 't', atS: 0.5 },
      ],
      {},
    );
    expect(verdict.failures.map((f) => f.code)).toEqual(['teleport', 'vanish', 'flicker']);
    expect(verdict.failures[1]?.atS).toBe(1.2346);
  });
});
