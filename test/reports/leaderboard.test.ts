import { describe, expect, it } from 'vitest';
import { leaderboardRows } from '../../reports/leaderboard.js';
import { bootstrapCi, BOOTSTRAP_DEFAULTS } from '../../reports/stats/bootstrap-ci.js';
import { hostileFixture, resultsFixture } from './fixture.js';

describe('leaderboardRows', () => {
  it('ranks every generator on each metric it has values for', () => {
    const rows = leaderboardRows(resultsFixture());
    expect(rows.map((row) => [row.metric, row.generator, row.n])).toEqual([
      ['pass-rate', 'sim:ideal', 3],
      ['pass-rate', 'sim:flawed', 2],
      ['gravity-error', 'sim:ideal', 2],
      ['gravity-error', 'sim:flawed', 1],
      ['av-offset', 'sim:ideal', 1],
      ['flicker', 'sim:ideal', 1],
    ]);
  });

  it('counts not-analysed items as not passed and averages |offset| over the clips that measured it', () => {
    const rows = leaderboardRows(hostileFixture());
    const find = (metric: string, generator: string) => rows.find((row) => row.metric === metric && row.generator === generator)!;
    expect(find('pass-rate', 'sim:flawed')).toMatchObject({ mean: 0, low: 0, high: 0, n: 3 });
    expect(find('pass-rate', 'sim:ideal')).toMatchObject({ mean: 0.75, n: 4 });
    expect(find('av-offset', 'sim:ideal')).toMatchObject({ mean: (12.5 + 160) / 2, n: 2 });
    // The interval is bootstrapCi's over the same values with the report defaults.
    expect(find('pass-rate', 'sim:ideal')).toMatchObject(bootstrapCi([1, 1, 1, 0], BOOTSTRAP_DEFAULTS)!);
  });

  it('measures the gravity error against the expected g (9.81 assumed when not recorded)', () => {
    const row = leaderboardRows(resultsFixture()).find((r) => r.metric === 'gravity-error' && r.generator === 'sim:flawed')!;
    expect(row.mean).toBeCloseTo(Math.abs(4.9 - 9.81) / 9.81, 12);
  });
});
