import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { realAccelerationMS2, realSpeedMS } from '../../metrics/real-time.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import type { TrajectoryValue } from '../../metrics/trajectory-types.js';
import { getPrompt } from '../../prompts/catalog.js';
import { expectationsSchema } from '../../prompts/schema.js';
import { simulateClip, type GroundTruth } from '../../runners/sim/index.js';

describe('real-time rates', () => {
  it('turns clip-time px rates into real m/s and m/s²', () => {
    expect(realSpeedMS(200, 100, 4)).toBe(8);
    expect(realAccelerationMS2(61.3125, 100, 4)).toBeCloseTo(9.81, 10);
    expect(realAccelerationMS2(981, 100, 1)).toBeCloseTo(9.81, 10);
  });
});

// A ball dropped from rest under g/16 is, frame for frame, the real drop played 4× slower (every speed
// it reaches is a quarter, every contact comes 4× later, restitution is the same).
describe('a drop in 4× slow motion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-slow-motion-'));
  const path = join(dir, 'drop.mp4');
  const prompt = getPrompt('basketball-bounce-hardwood');
  let truth: GroundTruth;
  beforeAll(async () => {
    truth = await simulateClip(prompt, path, { width: 320, height: 180, fps: 15, durationS: 4, audio: false, defect: { code: 'gravity-off', value: 1 / 16 } });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const analyse = async (slowMotion: number) => {
    const result = await analyzeVideo(path, { expect: expectationsSchema.parse({ ...prompt.expect, slowMotion }), metrics: [trajectoryMetric] });
    return { value: result.outcomes['trajectory']?.value as unknown as TrajectoryValue, codes: result.failures.map((f) => f.code) };
  };

  it('read at face value, falls at g/16 and raises gravity-off', async () => {
    const { value, codes } = await analyse(1);
    expect(codes).toEqual(['gravity-off']);
    expect(Math.abs((value.gravityMS2 ?? 0) / (truth.gravityMS2 / 16) - 1)).toBeLessThan(0.03);
  }, 30_000);

  it('told the clip plays 4× slower, measures real gravity and raises nothing', async () => {
    const { value, codes } = await analyse(4);
    expect(codes).toEqual([]);
    expect(Math.abs((value.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.03);
    // Contact times stay the clip's own: 4× the real drop's.
    expect(value.contactsS[0]).toBeCloseTo(truth.objects[0]?.contactsS[0] ?? NaN, 1);
  }, 30_000);
});
