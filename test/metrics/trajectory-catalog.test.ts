import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import type { TrajectoryValue } from '../../metrics/trajectory-types.js';
import { getPrompt } from '../../prompts/catalog.js';
import { simulateClip, type DefectCode } from '../../runners/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-trajectory-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Renders a catalog prompt at 640x360 for 2 s (radius errors only show at full size) and runs the metric. */
async function run(promptId: string, defect: DefectCode | null) {
  const prompt = getPrompt(promptId);
  const path = join(dir, `${promptId}-${defect ?? 'exact'}.mp4`);
  const truth = await simulateClip(prompt, path, { width: 640, height: 360, durationS: 2, audio: false, defect: defect === null ? null : { code: defect } });
  const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
  const outcome = result.outcomes.trajectory;
  if (outcome === undefined) throw new Error('no trajectory outcome');
  return { truth, value: outcome.value as unknown as TrajectoryValue, codes: outcome.failures.map((f) => f.code) };
}

describe('trajectory metric on catalog prompts', () => {
  it('measures a white ball on the grey wall at its full size (its mid-tones match the wall)', async () => {
    const { truth, value, codes } = await run('ping-pong-bounce-table', null);
    expect(codes).toEqual([]);
    const ball = value.objects[0];
    const trueRadiusPx = truth.objects[0]?.frames[0]?.[3] ?? 0;
    // Was 7.7 px against 16.7 px when the band matching the wall cut the ball in two.
    expect(Math.abs((ball?.meanRadiusPx ?? 0) / trueRadiusPx - 1)).toBeLessThan(0.06);
    expect(Math.abs((ball?.gravityPxS2 ?? 0) / truth.gravityPxS2 - 1)).toBeLessThan(0.01);
  });

  it('gives two balls side by side the scale of the larger: a 3.5 px silver ball on a pale wall reads small', async () => {
    const { truth, value, codes } = await run('steel-ball-and-tennis-ball-drop', null);
    expect(codes).toEqual([]);
    expect(value.objects).toHaveLength(2);
    const largest = [...value.objects].sort((a, b) => b.meanRadiusPx - a.meanRadiusPx)[0];
    for (const object of value.objects) {
      expect(object.scaleFromObjectId).toBe(largest?.id);
      expect(Math.abs((object.pxPerM ?? 0) / truth.pxPerM - 1)).toBeLessThan(0.03);
      expect(Math.abs((object.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.03);
    }
  });

  it('takes no scale from a ball that grows: the other ball keeps its gravity', async () => {
    const { truth, value, codes } = await run('rubber-balls-head-on-floor', 'size-change');
    expect(codes).toEqual(['size-change']);
    const grown = value.objects.find((o) => (o.track.at(-1)?.[3] ?? 0) > 1.2 * (o.track[0]?.[3] ?? Infinity));
    const steady = value.objects.find((o) => o !== grown);
    expect(steady?.scaleFromObjectId).toBe(steady?.id);
    expect(Math.abs((steady?.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.03);
  });

  it('learns the wall behind two large slow balls: no ghost of them in the starting background', async () => {
    // Balls of 37 px radius cover the same wall for most of the first half second.
    const { truth, value, codes } = await run('rubber-balls-head-on-floor', null);
    expect(codes).toEqual([]);
    expect(value.objects).toHaveLength(2);
    for (const object of value.objects) expect(object.frames).toBeGreaterThanOrEqual(truth.frameCount - 1);
  });

  it('keeps tracking through a flickering exposure (every other frame 25% brighter)', async () => {
    const { truth, value, codes } = await run('basketball-bounce-hardwood', 'flicker');
    // Flicker is the temporal metric's code: the trajectory metric must see a sound bounce.
    expect(codes).toEqual([]);
    expect(Math.abs((value.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.03);
  });
});
