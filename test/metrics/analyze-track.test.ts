import { describe, expect, it } from 'vitest';
import { analyzeTrack, contactsOf, inverseVarianceMean, type VideoPoint } from '../../metrics/analyze-track.js';

describe('inverseVarianceMean', () => {
  it.each([
    { values: [{ value: 10, stdErr: 1 }, { value: 20, stdErr: 1 }], mean: 15, stdErr: Math.SQRT1_2 },
    { values: [{ value: 10, stdErr: 1 }, { value: 20, stdErr: 2 }], mean: 12, stdErr: Math.sqrt(0.8) },
    { values: [{ value: 7, stdErr: 0.5 }], mean: 7, stdErr: 0.5 },
  ])('weighs by 1/σ²: $mean', ({ values, mean, stdErr }) => {
    const result = inverseVarianceMean(values);
    expect(result?.value).toBeCloseTo(mean, 9);
    expect(result?.stdErr).toBeCloseTo(stdErr, 9);
  });

  it('returns null for nothing and survives an exact fit (σ = 0)', () => {
    expect(inverseVarianceMean([])).toBeNull();
    expect(inverseVarianceMean([{ value: 3, stdErr: 0 }, { value: 3, stdErr: 0 }])?.value).toBeCloseTo(3, 12);
  });
});

describe('analyzeTrack', () => {
  it('leaves a table roll out of free flight and finds no contact where the ball leaves the table', () => {
    // Rolls at y = 100 until 0.5 s, then falls with g = 2000 px/s² (velocity continuous at the edge).
    const points: VideoPoint[] = Array.from({ length: 36 }, (_, k) => {
      const t = k / 30;
      const y = t <= 0.5 ? 100 : 100 + 1000 * (t - 0.5) ** 2;
      return { frameIndex: k, timeS: t, xPx: 50 + 200 * t, yPx: y, radiusPx: 6, atEdge: false };
    });
    const analysis = analyzeTrack(points, { frameIntervalS: 1 / 30, breakFloorPx: 1.5 });
    expect(analysis.freeFlight[0]).toBe(false);
    expect(analysis.freeFlight[analysis.freeFlight.length - 1]).toBe(true);
    expect(analysis.gravityPxS2).toBeCloseTo(2000, 3);
    expect(contactsOf(analysis)).toEqual({ contactsS: [], restitution: [] });
  });
});
