import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import type { TrajectoryValue } from '../../metrics/trajectory-types.js';
import { getPrompt } from '../../prompts/catalog.js';
import { simulateClip } from '../../runners/sim/index.js';

// A bowling ball lands at 0.32 s and rests where it landed: it sits in most of the frames the starting
// background is the median of, so before it lands the bare floor there reads as an object (a ghost),
// which the falling ball merged with (the ball was tracked for 9 frames, its landing never measured).
describe('a ball that comes to rest where it lands, early in the clip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-ghost-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is tracked through its landing: the ghost its resting place leaves in the background is taken for the floor', async () => {
    const prompt = getPrompt('bowling-ball-drop-wood');
    const path = join(dir, 'bowling.mp4');
    const truth = await simulateClip(prompt, path, { width: 640, height: 360, fps: 30, durationS: 2, seed: 2, audio: false, defect: null });
    const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
    const value = result.outcomes['trajectory']?.value as unknown as TrajectoryValue;
    const landingS = truth.objects[0]?.contactsS[0] ?? NaN;
    expect(result.failures.map((f) => f.code)).toEqual([]);
    expect(value.objects).toHaveLength(1);
    expect(value.objects[0]?.frames).toBeGreaterThan(40);
    expect(Math.abs((value.contactsS[0] ?? 0) - landingS)).toBeLessThan(0.002);
    expect(Math.abs((value.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.02);
  }, 30_000);
});
