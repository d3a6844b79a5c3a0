import { describe, expect, it } from 'vitest';
import { compareGravity, countOutcomes, passMatrix, scoreGenerators } from '../../reports/scores.js';
import { resultsFixture } from './fixture.js';

const results = resultsFixture();

describe('scores', () => {
  it('count not-analysed items against the pass rate', () => {
    expect(countOutcomes(results.items)).toEqual({ items: 5, passed: 3, failed: 1, notAnalysed: 1, passRate: 0.6 });
  });

  it('score each generator with its mean relative gravity error', () => {
    const [ideal, flawed] = scoreGenerators(results);
    expect(ideal?.generator).toBe('sim:ideal');
    expect(ideal?.passRate).toBe(1);
    expect(ideal?.gravityItems).toBe(2);
    expect(ideal?.meanGravityRelError).toBeCloseTo((0.06 / 9.81 + 0.09 / 9.81) / 2, 12);
    expect(flawed).toMatchObject({ passed: 0, failed: 1, notAnalysed: 1, gravityItems: 1 });
    expect(flawed?.meanGravityRelError).toBeCloseTo(4.91 / 9.81, 12);
  });

  it('assume the catalog default g when the results do not record the expectation', () => {
    expect(compareGravity(results.items[0]!)).toMatchObject({ measuredMS2: 9.75, expectedMS2: 9.81, expectedRecorded: false });
    const recorded = { ...results.items[0]!, metrics: { trajectory: { gravityMS2: 1.6, expectedGravityMS2: 1.62 } } };
    expect(compareGravity(recorded)).toMatchObject({ expectedMS2: 1.62, expectedRecorded: true });
    expect(compareGravity(recorded)?.relativeError).toBeCloseTo(0.02 / 1.62, 12);
  });

  it('fill the category × generator matrix only where there are items', () => {
    const cells = passMatrix(results).map((cell) => [cell.category, cell.generator, cell.passed, cell.items]);
    expect(cells).toEqual([
      ['drop', 'sim:ideal', 1, 1],
      ['drop', 'sim:flawed', 0, 1],
      ['bounce', 'sim:ideal', 2, 2],
      ['bounce', 'sim:flawed', 0, 1],
    ]);
  });
});
