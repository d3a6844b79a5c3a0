import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { fillTrackGaps } from '../../metrics/fill-track-gaps.js';
import type { Track } from '../../metrics/tracker.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import { getPrompt } from '../../prompts/catalog.js';
import { simulateClip } from '../../runners/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-gaps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A track from [frame, x, y, radius] rows at 30 fps. */
function track(id: number, rows: ReadonlyArray<readonly [number, number, number, number]>): Track {
  return { id, points: rows.map(([frameIndex, xPx, yPx, radiusPx]) => ({ frameIndex, timeS: frameIndex / 30, xPx, yPx, radiusPx })) };
}

// The exact tennis ball of the default suite at seed 31 (640x360) falling through a drifting watermark:
// the tracker's two tracks around frames 36 to 80, as it made them. Frames 43 and 44 read swollen
// (merged with the watermark's icon) and started track 3, which then took the ball's whole sightings
// at 45 and 46 and, 32 frames later, a speck at the floor; the ball's track missed frames 43 to 46.
const ball = track(1, [
  [36, 317.42, 152.12, 3.57], [37, 318.43, 150.37, 3.78], [38, 319.78, 150.28, 3.64], [39, 320.87, 151.22, 3.77],
  [40, 321.91, 153.45, 3.77], [41, 322.9, 154.9, 3.25], [42, 324.58, 161.62, 3.76], [47, 330.8, 202.84, 3.69],
  [48, 331.72, 214.56, 3.88], [49, 332.45, 227.38, 3.88], [50, 333.29, 241.61, 3.7], [51, 335.02, 257.13, 3.81],
]);
const swollen = track(3, [[43, 326.62, 167.86, 6.63], [44, 327.23, 172.78, 4.98], [45, 328.25, 183.51, 3.85], [46, 329.49, 191.83, 3.94], [78, 361.52, 304.34, 5.11]]);

describe('fillTrackGaps', () => {
  it('gives the ball back its sightings of the same size on its path, and leaves the swollen ones (seed 31)', () => {
    const [filled, rest] = fillTrackGaps([ball, swollen]);
    expect(filled?.points.map((p) => p.frameIndex)).toEqual([36, 37, 38, 39, 40, 41, 42, 45, 46, 47, 48, 49, 50, 51]);
    expect(filled?.points[7]?.yPx).toBe(183.51);
    expect(rest?.points.map((p) => p.frameIndex)).toEqual([43, 44, 78]);
    // The inputs are not modified.
    expect(ball.points).toHaveLength(12);
    expect(swollen.points).toHaveLength(5);
  });

  it('takes nothing off the path: a vanished ball leaves a gap, a speck 2 radii aside stays a speck', () => {
    const speck = track(3, [[44, 327.23 + 8, 172.78, 3.8], [45, 328.25 + 8, 183.51, 3.8]]);
    const [filled, rest] = fillTrackGaps([ball, speck]);
    expect(filled?.points).toHaveLength(12);
    expect(rest?.points).toHaveLength(2);
  });

  it('takes nothing from a track long enough to be an object of its own', () => {
    const other = track(3, [...swollen.points.slice(2, 4).map((p) => [p.frameIndex, p.xPx, p.yPx, p.radiusPx] as const),
      ...[60, 61, 62, 63, 64, 65].map((f) => [f, 100 + f, 100, 3.8] as const)]);
    const [filled, rest] = fillTrackGaps([ball, other]);
    expect(filled?.points).toHaveLength(12);
    expect(rest?.points).toHaveLength(8);
  });

  it('on the clip itself: the exact ball that crosses the watermark gets no vanish, and keeps g', async () => {
    const prompt = getPrompt('tennis-ball-bounce-concrete');
    const path = join(dir, 'tennis-s31.mp4');
    const truth = await simulateClip(prompt, path, { seed: 31, width: 640, height: 360, fps: 30, durationS: 3, audio: false });
    const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
    const outcome = result.outcomes.trajectory;
    expect(outcome?.failures).toEqual([]);
    const gravityPxS2 = outcome?.value.gravityPxS2 as number;
    expect(Math.abs(gravityPxS2 / truth.gravityPxS2 - 1)).toBeLessThan(0.005);
  });
});
