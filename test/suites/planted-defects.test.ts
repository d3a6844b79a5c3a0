import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { METRICS } from '../../metrics/registry.js';
import { getPrompt } from '../../prompts/catalog.js';
import { isClothDefect } from '../../runners/sim/cloth/cloth-defects.js';
import { isFluidOnlyDefect } from '../../runners/sim/fluid/fluid-defects.js';
import { simulateClip } from '../../runners/sim/simulate-clip.js';
import { DEFECTS, type DefectCode } from '../../runners/sim/truth.js';

// The simulator and the metrics share only the failure-code vocabulary: this is where they meet.
describe('every defect the simulator can plant is raised by the metrics, and nothing else is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-defects-'));
  const prompt = getPrompt('basketball-bounce-hardwood');
  const metrics = Object.values(METRICS);

  it('an exact clip raises no failure code', async () => {
    const path = join(dir, 'exact.mp4');
    await simulateClip(prompt, path, { width: 640, height: 360, durationS: 2.5, seed: 11 });
    const analysis = await analyzeVideo(path, { expect: prompt.expect, metrics });
    expect(analysis.errors).toEqual({});
    expect(analysis.failures.map((failure) => failure.code)).toEqual([]);
  });

  // Planted clips at 320x180, the size the CLI's suite runs use: every defect is raised there as at 640x360
  // (seeds 11, 12 and 13 checked) in half the time. The exact clip stays at 640x360, where a false alarm has
  // more pixels to come from.
  // The ball defects; the cloth ones are checked on cloth clips (test/metrics/cloth*.test.ts), the
  // fluid ones on fluid clips (test/metrics/fluid*.test.ts), and momentum-violation, which needs two
  // balls colliding, on collision clips (test/metrics/momentum.test.ts).
  const ballCodes = (Object.keys(DEFECTS) as DefectCode[]).filter((code) => !isClothDefect(code) && !isFluidOnlyDefect(code) && code !== 'momentum-violation');
  for (const code of ballCodes) {
    it(`planted ${code} is raised as ${code}`, async () => {
      const path = join(dir, `${code}.mp4`);
      const truth = await simulateClip(prompt, path, { width: 320, height: 180, durationS: 2.5, seed: 11, defect: { code } });
      expect(truth.defect?.code).toBe(code);
      const analysis = await analyzeVideo(path, { expect: prompt.expect, metrics });
      expect(analysis.errors).toEqual({});
      expect([...new Set(analysis.failures.map((failure) => failure.code))]).toEqual([code]);
    });
  }
});
