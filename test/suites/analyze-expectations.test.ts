import { describe, expect, it } from 'vitest';
import { resolveExpectations } from '../../suites/analyze.js';

describe('resolveExpectations', () => {
  it('turns the objectDiameterM shortcut into the first object', () => {
    const expectations = resolveExpectations(undefined, { objectDiameterM: 0.22, gravityMS2: 9.81 });
    expect(expectations.objects).toEqual([{ name: 'object', diameterM: 0.22 }]);
    expect(expectations.gravityMS2).toBe(9.81);
    expect(expectations.audibleImpacts).toBe(false);
  });

  it('lays overrides over a prompt’s expectations', () => {
    const base = { objects: [{ name: 'tennis ball', diameterM: 0.067, colorHint: 'yellow' }], restitution: { min: 0.73, max: 0.76 } };
    const expectations = resolveExpectations(base, { objectDiameterM: 0.07, audibleImpacts: true });
    expect(expectations.objects[0]).toEqual({ name: 'tennis ball', diameterM: 0.07, colorHint: 'yellow' });
    expect(expectations.restitution).toEqual({ min: 0.73, max: 0.76 });
    expect(expectations.audibleImpacts).toBe(true);
  });

  it('names the offending key of bad input', () => {
    expect(() => resolveExpectations(undefined, { gravityMS2: 'high' })).toThrow(/--expect: gravityMS2/);
    expect(() => resolveExpectations(undefined, { objectDiameterM: -1 })).toThrow(/objectDiameterM/);
    expect(() => resolveExpectations(undefined, { gravtyMS2: 9.81 })).toThrow(/gravtyMS2/);
  });
});
