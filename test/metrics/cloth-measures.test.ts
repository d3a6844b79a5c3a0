import { describe, expect, it } from 'vitest';
import { centreVelocityPxS, fallAccelerationPxS2, findJumps, horizontalNeighbourPairs, motionEnergyPx2S2, movingPoints, pairStrains, pointSteps, quantile, type PointTracks } from '../../metrics/cloth-measures.js';

/** Tracks from a function giving each point's position at each frame (null: lost). */
function makeTracks(count: number, frameCount: number, position: (i: number, k: number) => [number, number] | null): PointTracks {
  const xs = new Float32Array(count * frameCount).fill(NaN);
  const ys = new Float32Array(count * frameCount).fill(NaN);
  for (let k = 0; k < frameCount; k += 1) {
    for (let i = 0; i < count; i += 1) {
      const p = position(i, k);
      if (p !== null) [xs[k * count + i], ys[k * count + i]] = p;
    }
  }
  return { count, frameCount, xs, ys };
}

const FPS = 30;
const G_PX_S2 = 9.81 * 100; // 100 px per metre

describe('cloth measures on synthetic tracks with known answers', () => {
  // A row of 5 points 10 px apart falling freely from rest, plus one still background point.
  const falling = makeTracks(6, 12, (i, k) => (i === 5 ? [200, 20] : [50 + 10 * i, 40 + 0.5 * G_PX_S2 * (k / FPS) ** 2]));

  it('tells the moving cloth from the still background', () => {
    expect(movingPoints(falling, 3)).toEqual([0, 1, 2, 3, 4]);
  });

  it('measures the free-fall acceleration exactly', () => {
    const steps = pointSteps(falling, [0, 1, 2, 3, 4]);
    const fall = fallAccelerationPxS2(centreVelocityPxS(steps, FPS), FPS, 5);
    expect(fall?.accelerationPxS2).toBeCloseTo(G_PX_S2, 2);
    expect(fall?.endFrame).toBe(11);
  });

  it('gives strain d/d0 − 1 of horizontal neighbours only', () => {
    // Points spread along x by 12% by the last frame; a vertical pair must not be taken.
    const spreading = makeTracks(4, 3, (i, k) => (i === 3 ? [50, 80] : [50 + 10 * i * (1 + 0.06 * k), 60]));
    const pairs = horizontalNeighbourPairs(spreading, [0, 1, 2, 3], 15, 0.3);
    expect(pairs).toEqual([
      [0, 1],
      [1, 2],
    ]);
    const strains = pairStrains(spreading, pairs, 2);
    expect(strains[0]).toBeCloseTo(0.12, 5);
    expect(strains[1]).toBeCloseTo(0.12, 5);
  });

  it('quantiles interpolate between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBeCloseTo(2.5, 10);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 10);
    expect(quantile([], 0.9)).toBeNull();
  });

  it('motion energy is the mean squared speed', () => {
    const sliding = makeTracks(2, 3, (i, k) => [10 * i + 3 * k, 4 * k]);
    expect(motionEnergyPx2S2(pointSteps(sliding, [0, 1]), FPS)[2]).toBeCloseTo(25 * FPS * FPS, 6);
  });

  it('a start from rest in one frame is a jump, a landing is not', () => {
    // Three points rest, then jump 10 px up at frame 6; three others fall at 12 px/frame and stop at frame 4.
    const tracks = makeTracks(6, 9, (i, k) => (i < 3 ? [20 * i, k >= 6 ? 40 : 50] : [100 + 20 * i, 20 + 12 * Math.min(k, 4)]));
    expect(findJumps(pointSteps(tracks, [0, 1, 2, 3, 4, 5]), 5, 3)).toEqual([{ frame: 6, points: 3 }]);
  });

  it('lost points drop out of steps instead of counting as motion', () => {
    const lost = makeTracks(2, 3, (i, k) => (i === 1 && k === 2 ? null : [10 * i, 0]));
    const steps = pointSteps(lost, [0, 1]);
    expect(steps[2]).toEqual([{ point: 0, dx: 0, dy: 0 }]);
  });
});
