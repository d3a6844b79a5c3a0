import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import type { Metric, MetricContext } from '../../metrics/types.js';
import { getPrompt } from '../../prompts/catalog.js';
import { simulateClip } from '../../runners/sim/simulate-clip.js';

/** A metric that records the frame size it is given. */
function sizeProbe(frameWidthPx?: number): { metric: Metric; seen: Array<[number, number]> } {
  const seen: Array<[number, number]> = [];
  const metric: Metric = {
    id: `size-probe-${frameWidthPx ?? 'any'}`,
    version: '0',
    description: 'records the analysis frame size',
    reference: 'none',
    outputs: {},
    codes: [],
    needs: { frames: true, audio: false, ...(frameWidthPx === undefined ? {} : { frameWidthPx }) },
    after: [],
    defaultThresholds: {},
    start: (context: MetricContext) => {
      seen.push([context.analysisWidth, context.analysisHeight]);
      return { onFrame: () => undefined, finish: () => ({ value: {}, failures: [] }) };
    },
  };
  return { metric, seen };
}

describe('analysis frame size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-analysis-size-'));
  const clip = join(dir, 'bounce-1280x720.mp4');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    await simulateClip(getPrompt('basketball-bounce-hardwood'), clip, { width: 1280, height: 720, fps: 12, durationS: 0.5, audio: false });
  });

  it('decodes at the largest width a requested metric can use, at most 640 px', async () => {
    const small = sizeProbe(320);
    await analyzeVideo(clip, { expect: getPrompt('basketball-bounce-hardwood').expect, metrics: [small.metric] });
    expect(small.seen).toEqual([[320, 180]]);
    const both = [sizeProbe(320), sizeProbe()];
    await analyzeVideo(clip, { expect: getPrompt('basketball-bounce-hardwood').expect, metrics: both.map((p) => p.metric) });
    expect(both.map((p) => p.seen)).toEqual([[[640, 360]], [[640, 360]]]);
    const capped = sizeProbe(320);
    await analyzeVideo(clip, { expect: getPrompt('basketball-bounce-hardwood').expect, metrics: [capped.metric], maxAnalysisWidth: 160 });
    expect(capped.seen).toEqual([[160, 90]]);
  });
});
