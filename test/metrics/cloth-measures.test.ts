import { describe, expect, it } from 'vitest';
import { awayFromDrifts, centreVelocityPxS, clothPoints, cutInconsistentTracks, startWidthPx, fallAccelerationPxS2, findJumps, frameStretch, histogram, horizontalNeighbourPairs, motionEnergyPx2S2, movingPoints, pairStrains, pointsAt, medianSpeedsPxS, pointStrains, pointSteps, quantile, restStart, firstRestAfterMoving, runningMedian, steadyDrifts, type PointTracks } from '../../metrics/cloth-measures.js';

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
    const pairs = horizontalNeighbourPairs(pointsAt(spreading, [0, 1, 2, 3], 0), 15, 0.3);
    expect(pairs).toEqual([
      { left: 0, right: 1, gapPx: 10 },
      { left: 1, right: 2, gapPx: 10 },
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
    // Three points rest, then jump 10 px up at frame 6; five others fall at 12 px/frame and stop at frame 4.
    const tracks = makeTracks(8, 9, (i, k) => (i < 3 ? [20 * i, k >= 6 ? 40 : 50] : [100 + 20 * i, 20 + 12 * Math.min(k, 4)]));
    expect(findJumps(pointSteps(tracks, [0, 1, 2, 3, 4, 5, 6, 7]), 5, 3)).toEqual([{ frame: 6, points: 3 }]);
  });

  it('lost points drop out of steps instead of counting as motion', () => {
    const lost = makeTracks(2, 3, (i, k) => (i === 1 && k === 2 ? null : [10 * i, 0]));
    const steps = pointSteps(lost, [0, 1]);
    expect(steps[2]).toEqual([{ point: 0, dx: 0, dy: 0 }]);
  });

  it('a start into sustained motion (a yank) is not a jump; a lift that springs back is', () => {
    // Points 0-4 rest, then move 8 px/frame from frame 4 on; points 5-9 lift 8 px at frame 4 and sink
    // back 3 px/frame, while points 10-15 of the same cloth lie still.
    const tracks = makeTracks(16, 8, (i, k) => (i < 5 ? [20 * i + 8 * Math.max(0, k - 3), 50] : i < 10 ? [20 * i, k < 4 ? 80 : 72 + 3 * Math.min(k - 4, 2)] : [20 * i, 90]));
    expect(findJumps(pointSteps(tracks, [0, 1, 2, 3, 4]), 5, 3)).toEqual([]);
    expect(findJumps(pointSteps(tracks, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]), 5, 3)).toEqual([{ frame: 4, points: 5 }]);
  });

  it('a point the whole cloth drags along for one frame is not a jump', () => {
    // Ten cloth points slide 10 px/frame to the left; five corners of the background beside them rest,
    // move with the cloth at frame 4 only (the tracker dragged by the passing texture) and rest again.
    const tracks = makeTracks(15, 8, (i, k) => (i < 10 ? [200 + 10 * i - 10 * k, 50] : [100 + 10 * i - (k >= 4 ? 10 : 0), 60]));
    expect(findJumps(pointSteps(tracks, Array.from({ length: 15 }, (_, i) => i)), 5, 3)).toEqual([]);
  });

  it("a flag's free end whipping past is not a jump; a patch that pops while the cloth moves is", () => {
    // Steps read off the bench's exact 1280x720 flag (seed 315, frame 34): the free corner goes 2.8,
    // 10.7 then 3.8 px a frame along one path. The planted pop of the same flag (seed 323, frame 43):
    // points rising 1.1 px a frame jump 6.6 px up and spring back. Ten more points of the cloth lie still.
    const path = (steps: ReadonlyArray<readonly [number, number]>) => (k: number): [number, number] => {
      let x = 0;
      let y = 0;
      for (const [dx, dy] of steps.slice(0, k)) [x, y] = [x + dx, y + dy];
      return [x, y];
    };
    const whip = path([[-0.1, 2.3], [2.4, -1.5], [10.6, 1.5], [3.6, -1.1], [1, 0]]);
    const pop = path([[0.9, -0.9], [0.5, -1.0], [1.1, -6.5], [-2.2, 3.1], [-1, 1]]);
    const offset = (i: number, [x, y]: [number, number]): [number, number] => [100 + 15 * i + x, 50 + y];
    const tracks = makeTracks(20, 6, (i, k) => (i < 5 ? offset(i, whip(k)) : i < 10 ? offset(i, pop(k)) : offset(i, [0, 0])));
    const everyPoint = Array.from({ length: 20 }, (_, i) => i);
    expect(findJumps(pointSteps(tracks, everyPoint.filter((i) => i < 5 || i >= 10)), 5.8, 5)).toEqual([]);
    expect(findJumps(pointSteps(tracks, everyPoint.filter((i) => i >= 5)), 5.8, 5)).toEqual([{ frame: 3, points: 5 }]);
  });

  it('a slip to a look-alike spot taken back next frame is not a jump', () => {
    // Five points rest, jump 10 px right at frame 4 and come back at frame 5.
    const slip = makeTracks(5, 8, (i, k) => [20 * i + (k === 4 ? 10 : 0), 50]);
    expect(findJumps(pointSteps(slip, [0, 1, 2, 3, 4]), 5, 3)).toEqual([]);
  });
});

describe('cloth points, consistent tracks and strain that a slip cannot fake', () => {
  it('keeps the largest linked group and points that join it later, not a watermark apart from it', () => {
    // A 4x3 grid of cloth points 10 px apart falling, a 3-point watermark 100 px away drifting,
    // and a cloth point first seen at frame 2 next to the grid.
    const tracks = makeTracks(16, 5, (i, k) => {
      if (i < 12) return [50 + 10 * (i % 4), 20 + 10 * Math.floor(i / 4) + 5 * k];
      if (i < 15) return [200 + 10 * (i - 12) + 4 * k, 100];
      return k >= 2 ? [90, 20 + 5 * k] : null;
    });
    expect(clothPoints(tracks, movingPoints(tracks, 3), { linkPx: 15, maxStepDifferencePx: 3, minAlive: 4, recentFrames: 4 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15]);
  });

  it('leaves out a watermark beside the cloth that does not move with it', () => {
    // Cloth points falling 5 px/frame; watermark points 12 px to their right drifting 1 px/frame sideways.
    const tracks = makeTracks(8, 5, (i, k) => (i < 5 ? [50 + 10 * i, 20 + 5 * k] : [102 + 10 * (i - 5) + k, 20]));
    expect(clothPoints(tracks, movingPoints(tracks, 3), { linkPx: 15, maxStepDifferencePx: 3, minAlive: 4, recentFrames: 4 })).toEqual([0, 1, 2, 3, 4]);
  });

  it('finds the cloth again where every track of it was lost, and not a watermark far from it', () => {
    // Six cloth points falling 5 px/frame are lost after frame 2; six new points start at frame 4 a little
    // below where they were last seen, and three watermark points start at frame 4 far away; all move.
    const tracks = makeTracks(15, 8, (i, k) => {
      if (i < 6) return k <= 2 ? [50 + 10 * i, 20 + 5 * k] : null;
      if (i < 12) return k >= 4 ? [52 + 10 * (i - 6), 38 + 5 * (k - 4)] : null;
      return k >= 4 ? [250 + 10 * (i - 12) + 2 * (k - 4), 150] : null;
    });
    expect(clothPoints(tracks, movingPoints(tracks, 3), { linkPx: 15, maxStepDifferencePx: 3, minAlive: 4, recentFrames: 4 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('does not take for the lost cloth a watermark that drifts over where it landed', () => {
    // Six cloth points falling 5 px/frame are lost after frame 2 (last seen at y 30). A watermark 20 px
    // below them, followed from frame 0 and never linked to the cloth, drifts 2 px/frame left; at frame 4
    // new corners of it start where the cloth was lost, beside its older corners, and new corners of the
    // cloth start just right of where it was lost; all move.
    const tracks = makeTracks(18, 8, (i, k) => {
      if (i < 6) return k <= 2 ? [50 + 10 * i, 20 + 5 * k] : null;
      if (i < 9) return [76 + 10 * (i - 6) - 2 * k, 40];
      if (i < 12) return k >= 4 ? [44 + 8 * (i - 9) - 2 * (k - 4), 40] : null;
      return k >= 4 ? [112 + 10 * (i - 12), 32 + 1.5 * (k - 4)] : null;
    });
    const moving = movingPoints(tracks, 3);
    expect(moving).toHaveLength(18);
    expect(clothPoints(tracks, moving, { linkPx: 15, maxStepDifferencePx: 3, minAlive: 4, recentFrames: 4 })).toEqual([0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17]);
  });

  it("measures the cloth's first width with the points lost at once beside it, not the still background", () => {
    // Cloth points at x = 50..80 move; points at x = 90 and 100 are seen only at frame 0 (a yank too fast
    // to follow); a still background corner at x = 110 is followed on, and one lost at once far away at 300.
    const tracks = makeTracks(8, 4, (i, k) => {
      if (i < 4) return [50 + 10 * i - 10 * k, 40];
      if (i < 6) return k === 0 ? [90 + 10 * (i - 4), 40] : null;
      if (i === 6) return [110, 40];
      return k === 0 ? [300, 40] : null;
    });
    expect(startWidthPx(tracks, [0, 1, 2, 3], 15)).toBeCloseTo(50, 10);
  });

  it('cuts a track whose step leaves its neighbours behind, and no other', () => {
    // A row of 8 points moving 2 px/frame; point 3 slips 6 px sideways at frame 2.
    const tracks = makeTracks(8, 4, (i, k) => [10 * i + (i === 3 && k >= 2 ? 6 : 0), 30 + 2 * k]);
    const cut = cutInconsistentTracks(tracks, [0, 1, 2, 3, 4, 5, 6, 7], 4, 3);
    expect(Number.isNaN(cut.xs[2 * 8 + 3] as number)).toBe(true);
    expect(Number.isNaN(cut.xs[1 * 8 + 3] as number)).toBe(false);
    expect(Number.isNaN(cut.xs[3 * 8 + 4] as number)).toBe(false);
  });

  it('point strain shows no lone slip as stretch and keeps a uniform stretch', () => {
    // Five points in a row 10 px apart; at frame 1 the middle one slips 3 px right; at frame 2 the row is stretched by 8%.
    const tracks = makeTracks(5, 3, (i, k) => [k === 2 ? 10 * i * 1.08 : 10 * i + (k === 1 && i === 2 ? 3 : 0), 40]);
    const pairs = horizontalNeighbourPairs(pointsAt(tracks, [0, 1, 2, 3, 4], 0), 12, 0.3);
    expect(Math.max(...pairStrains(tracks, pairs, 1))).toBeCloseTo(0.3, 5);
    expect(Math.max(...pointStrains(tracks, pairs, 1))).toBeCloseTo(0, 5);
    for (const strain of pointStrains(tracks, pairs, 2)) expect(strain).toBeCloseTo(0.08, 5);
  });

  it("a side's strain weighs its pairs by length, so a short pair's error counts for little", () => {
    // Points at x = 0, 4, 24, 28 px: at frame 1 point 1 is 1 px off (a 25% error on the 4 px pair) and
    // the rest stretched by 10%. Point 2's left side (pairs of 20 and 24 px) reads (22 + 25.4) / 44 − 1, not their mean.
    const xs = [0, 4, 24, 28];
    const tracks = makeTracks(4, 2, (i, k) => [(xs[i] as number) * (k === 1 ? 1.1 : 1) + (k === 1 && i === 1 ? 1 : 0), 40]);
    const pairs = horizontalNeighbourPairs(pointsAt(tracks, [0, 1, 2, 3], 0), 25, 0.3);
    const strains = pointStrains(tracks, pairs, 1);
    expect(strains).toHaveLength(2);
    expect(strains[1]).toBeCloseTo((22 + 25.4) / 44 - 1, 5);
  });

  it("a frame's stretch is its quantile, but never one or two points'", () => {
    const strains = [0.01, 0.02, 0.02, 0.03, 0.02, 0.01, 0.4, 0.5];
    expect(frameStretch(strains, 0.95, 3)).toBeCloseTo(0.03, 10);
    // Sorted 0.2, 0.2, 0.21, 0.22: the three most stretched all reach 0.2.
    expect(frameStretch([0.2, 0.21, 0.22, 0.2], 0.95, 3)).toBeCloseTo(0.2, 10);
    expect(frameStretch([0.3, 0.3], 0.95, 3)).toBeNull();
  });

  it('running median, rest start and histogram', () => {
    expect(runningMedian([0, 0, 9, 0, 0], 3)).toEqual([0, 0, 0, 0, 0]);
    expect(restStart([5, 4, 1, 0.5, 0.2, 0.1], 1, 3)).toBe(2);
    expect(restStart([5, 4, 3, 2, 0.5], 1, 3)).toBeNull();
    expect(histogram([-1, 0.01, 0.03, 5], 0, 0.02, 3)).toEqual([2, 1, 1]);
  });
});

describe('steady drift: the straight, constant-speed path of a watermark and the points it drags', () => {
  // Point 0 rides a watermark from frame 10 (1.3 px a frame right, 0.4 down, ±0.2 px of jitter);
  // point 1, 10 px from it, is dragged unevenly and followed only 4 frames (too short to judge alone);
  // point 2 bounces up and down at 3 Hz (fabric driven); point 3 sags and slows down as fabric
  // settling does (e^(−3t), the simulator's damping, at 30 fps); point 4 lies still far away.
  const frames = 40;
  const tracks = makeTracks(5, frames, (i, k) => {
    const jitter = 0.2 * Math.sin(2.3 * k + i);
    if (i === 0) return [100 + 1.3 * Math.max(0, k - 10) + jitter, 50 + 0.4 * Math.max(0, k - 10) - jitter];
    if (i === 1) return k >= 20 && k < 25 ? [110 + 1.3 * (k - 10) - 0.5 * (k - 20), 58 + 0.8 * (k - 20)] : null;
    if (i === 2) return [200, 80 - 6 * Math.abs(Math.sin((Math.PI * 3 * k) / FPS))];
    if (i === 3) return [250, 90 + 30 * (1 - Math.exp(-k / 10))];
    return [300, 150];
  });
  const steps = pointSteps(tracks, [0, 1, 2, 3, 4]);
  const drifting = steadyDrifts(steps, 7, 0.15, 3);

  it('finds the rider drifting from the first step of its drift to the end, and nothing else', () => {
    for (let k = 1; k < frames; k += 1) expect([...(drifting[k] ?? [])]).toEqual(k >= 11 ? [0] : []);
  });

  it("leaves out of the cloth's steps the rider's and those within reach of it, and keeps bouncing, settling and still fabric", () => {
    const kept = awayFromDrifts(tracks, steps, drifting, 16);
    for (let k = 1; k < frames; k += 1) {
      const points = (kept[k] ?? []).map((step) => step.point);
      // Point 1, tracked from frame 20 to 24, is never kept.
      expect(points).toEqual(k < 11 ? [0, 2, 3, 4] : [2, 3, 4]);
    }
    expect((steps[22] ?? []).map((step) => step.point)).toContain(1);
  });

  it('judges the median speed from the steps kept, and nothing from too few', () => {
    const speeds = medianSpeedsPxS([[{ dx: 3, dy: 4 }, { dx: 0, dy: 1 }, { dx: 6, dy: 8 }], [{ dx: 1, dy: 0 }]], FPS, 2);
    expect(speeds).toEqual([5 * FPS, null]);
  });

  it('tells a cloth that came to rest once it had moved from one that never did', () => {
    // A fall, rest for 5 frames, then a watermark's drag or a pop at the end: rested. A fall and bouncing to the end: never.
    expect(firstRestAfterMoving([0.1, 0.9, 0.3, 0.01, 0.02, 0.01, 0.03, 0.02, 0.2, 0.2], 0.05, 5)).toBe(3);
    expect(firstRestAfterMoving([0.5, 0.2, 0.01, 0.01, 0.02, 0.01, 0.01, 0.9, 0.3, 0.3], 0.05, 5)).toBe(2);
    expect(firstRestAfterMoving([0.1, 0.9, 0.3, 0.2, 0.4, 0.1, 0.3, 0.02, 0.04, 0.3], 0.05, 5)).toBeNull();
    // Still before it is thrown, never still after: not rested.
    expect(firstRestAfterMoving([0, 0, 0, 0, 0, 0, 0.9, 0.4, 0.3, 0.5], 0.05, 5)).toBeNull();
  });
});
