import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { temporalMetric } from '../../metrics/temporal.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import type { TrajectoryValue } from '../../metrics/trajectory-types.js';
import { expectationsSchema } from '../../prompts/schema.js';

// Real footage of balls in free flight (../shared/videos, see its CATALOG.md): physics as it is, so no
// trajectory or temporal failure code. Not part of the repository; skipped where absent. No sizes are
// known, so gravity is judged in px only by its consistency. Audio offsets are real and left out here.
const DIR = '/work/shared/videos';
/** Each clip, and whether its ball flies across the view (a parabola in the image) rather than towards the camera. */
const CLIPS: Array<[clip: string, acrossView: boolean]> = [
  // A small ball tossed by a hand (which is tracked too, before the throw) in front of a black background.
  ['OpenSourcePhysics__tracker/examples/BallTossOut.mp4', true],
  // A ping-pong ball bouncing 20 times, then rolling out of view.
  ['IzhanAlam__Object-Tracking-With-Kalman-Filter/ball.mp4', true],
  // Thrown in from the top right, two bounces. No arc fits: the phone dropped a frame about every 0.2 s but
  // stamped every frame 1/25 s apart (the horizontal step doubles at 0.44, 0.64 and 0.88 s: 18 px a frame,
  // then 35-45), so the times are off by up to a frame. Its radius reads 26 px at the apexes and 40-44 px
  // at the floor, where motion blur (over 100 px a frame) stretches it.
  ['Adi-SRAM25__Trajectory/ball.mp4', false],
  ['trflorian__ball-tracking-live-plot/media/ball.mp4', true],
  ['lucaoflaif__Kalman-Tennis-Ball-Tracker/ball.mp4', true],
  ['physics-from-video__morpheus-bench/static/videos/real-world/bouncing_ball.webm', true],
  ['physics-from-video__morpheus-bench/static/videos/real-world/falling_ball.webm', true],
  ['physics-from-video__morpheus-bench/static/videos/real-world/projectile.webm', true],
];
const present = CLIPS.filter(([clip]) => existsSync(`${DIR}/${clip}`));
if (present.length < CLIPS.length) console.warn(`test/metrics/trajectory-real.test.ts: ${CLIPS.length - present.length} real clips are absent from ${DIR}; they are skipped`);

describe.skipIf(present.length === 0)('trajectory and temporal metrics on real footage of balls', () => {
  it.each(present)('%s: no failure code (and a fitted flight when it flies across the view: %s)', async (clip, acrossView) => {
    const analysis = await analyzeVideo(`${DIR}/${clip}`, { expect: expectationsSchema.parse({}), metrics: [trajectoryMetric, temporalMetric] });
    expect(analysis.errors).toEqual({});
    expect(analysis.failures.map((f) => `${f.code}: ${f.message}`)).toEqual([]);
    const trajectory = analysis.outcomes['trajectory']?.value as unknown as TrajectoryValue;
    expect(trajectory.objects.some((o) => o.arcs.length > 0 && (o.gravityPxS2 ?? 0) > 0)).toBe(acrossView);
  }, 60_000);
});
