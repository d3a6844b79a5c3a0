import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import type { TrajectoryValue } from '../../metrics/trajectory-types.js';
import { getPrompt } from '../../prompts/catalog.js';
import { simulateClip } from '../../runners/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-trajectory-two-balls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Renders an exact clip of a catalog prompt at 640x360 and runs the trajectory metric. */
async function run(promptId: string, durationS = 2) {
  const prompt = getPrompt(promptId);
  const path = join(dir, `${promptId}.mp4`);
  const truth = await simulateClip(prompt, path, { width: 640, height: 360, durationS, audio: false });
  const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
  const outcome = result.outcomes.trajectory;
  if (outcome === undefined) throw new Error('no trajectory outcome');
  return { truth, value: outcome.value as unknown as TrajectoryValue, codes: outcome.failures.map((f) => f.code) };
}

describe('trajectory metric on two balls', () => {
  it('tracks both balls dropped together, each with its own bounces', async () => {
    const { truth, value } = await run('steel-ball-and-tennis-ball-drop');
    expect(value.objects).toHaveLength(2);
    // The larger track is the tennis ball: its contacts and g in px/s² match its truth object.
    const [tennis, steel] = [...value.objects].sort((a, b) => b.meanRadiusPx - a.meanRadiusPx);
    const tennisTruth = truth.objects.find((object) => object.name === 'tennis ball');
    const steelTruth = truth.objects.find((object) => object.name === 'steel ball');
    expect(tennis?.contactsS.length).toBe(tennisTruth?.contactsS.length);
    tennis?.contactsS.forEach((timeS, k) => expect(Math.abs(timeS - (tennisTruth?.contactsS[k] ?? 0))).toBeLessThan(0.002));
    steel?.contactsS.forEach((timeS, k) => expect(Math.abs(timeS - (steelTruth?.contactsS[k] ?? 0))).toBeLessThan(0.002));
    for (const ball of [tennis, steel]) expect(Math.abs((ball?.gravityPxS2 ?? 0) / truth.gravityPxS2 - 1)).toBeLessThan(0.01);
    // The tennis ball is scaled by the tennis ball's diameter, not the steel ball's.
    expect(Math.abs((tennis?.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.02);
  });

  it('passes the exact billiard head-on clip, though the white cue ball is partly lost under the watermark', async () => {
    // 3 s: the watermark crosses the cue ball at 1.77-1.9 s and 2.6-2.67 s (its radius reads 0.74-0.86 of true there).
    const { truth, value, codes } = await run('billiard-head-on', 3);
    expect(codes).toEqual([]);
    expect(value.objects).toHaveLength(2);
    for (const ball of value.objects) expect(Math.abs((ball.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.1);
  });
});
