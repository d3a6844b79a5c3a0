import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { fitArc } from '../../metrics/fit-arc.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import type { TrajectoryValue } from '../../metrics/trajectory-types.js';
import type { MetricOutcome } from '../../metrics/types.js';
import { promptSchema } from '../../prompts/schema.js';
import { simulateClip, type GroundTruth, type SimOptions } from '../../runners/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-camera-shake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const prompt = promptSchema.parse({
  id: 'camera-shake-bounce',
  text: 'a tennis ball bounces, filmed hand-held',
  category: 'bounce',
  durationS: 2,
  expect: { objects: [{ name: 'ball', diameterM: 0.067 }] },
});

/** 320x180, 30 fps, 2 s, CRF 23, noise, texture and watermark: the simulator's defaults at a tiny size. */
async function run(name: string, options: SimOptions): Promise<{ truth: GroundTruth; value: TrajectoryValue; failures: MetricOutcome['failures'] }> {
  const path = join(dir, `${name}.mp4`);
  const truth = await simulateClip(prompt, path, { width: 320, height: 180, audio: false, ...options });
  const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
  expect(result.errors).toEqual({});
  const outcome = result.outcomes.trajectory;
  if (outcome === undefined) throw new Error('no trajectory outcome');
  return { truth, value: outcome.value as unknown as TrajectoryValue, failures: outcome.failures };
}

/** RMS of the 2-D offsets about their mean, px. */
function offsetRms(offsets: ReadonlyArray<readonly [number, number]>): number {
  const meanX = offsets.reduce((sum, [x]) => sum + x, 0) / offsets.length;
  const meanY = offsets.reduce((sum, [, y]) => sum + y, 0) / offsets.length;
  return Math.sqrt(offsets.reduce((sum, [x, y]) => sum + (x - meanX) ** 2 + (y - meanY) ** 2, 0) / offsets.length);
}

describe('trajectory under camera shake (2 px RMS per axis)', () => {
  let shaken: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    shaken = await run('shaken', { shakePx: 2 });
  });

  it('measures the camera motion the simulator applied', () => {
    const trueRmsPx = offsetRms(shaken.truth.cameraOffsetsPx ?? []);
    expect(shaken.value.cameraCompensated).toBe(true);
    expect(Math.abs((shaken.value.cameraShakePxRms ?? 0) / trueRmsPx - 1)).toBeLessThan(0.05);
  });

  it('would fail without compensation: the camera moves ten times the centre noise, and an arc fitted in the image misses g by over 1%', () => {
    // H.264 at CRF 23 moves centres by about 0.2 px; the measured camera motion is far beyond it.
    expect(shaken.value.cameraShakePxRms ?? 0).toBeGreaterThan(10 * 0.2);
    const main = shaken.truth.objects[0];
    const firstContactS = main?.contactsS[0] ?? 0;
    const seen = (main?.frames ?? []).filter(([timeS]) => timeS < firstContactS).map(([timeS, xPx, yPx]) => ({ timeS, xPx, yPx }));
    const fit = fitArc(seen);
    if (fit.status !== 'ok') throw new Error(`arc fit: ${fit.status}`);
    expect(Math.abs(fit.arc.gPxS2 / shaken.truth.gravityPxS2 - 1)).toBeGreaterThan(0.01);
  });

  it('with it: no failure code, g within 1% of truth, contacts within 3 ms', () => {
    expect(shaken.failures).toEqual([]);
    expect(shaken.value.objects).toHaveLength(1);
    expect(Math.abs((shaken.value.gravityPxS2 ?? 0) / shaken.truth.gravityPxS2 - 1)).toBeLessThan(0.01);
    const truthContacts = shaken.truth.objects[0]?.contactsS ?? [];
    expect(shaken.value.contactsS).toHaveLength(truthContacts.length);
    shaken.value.contactsS.forEach((t, i) => expect(Math.abs(t - (truthContacts[i] ?? Infinity))).toBeLessThan(0.003));
  });

  it("tracks in the scene's coordinates: the image positions less the camera's motion, up to where the background sits", () => {
    const offsets = shaken.truth.cameraOffsetsPx ?? [];
    const truthFrames = shaken.truth.objects[0]?.frames ?? [];
    const differences = (shaken.value.objects[0]?.track ?? []).map(([timeS, xPx, yPx]) => {
      const k = Math.round(timeS * shaken.truth.fps);
      const [, seenX, seenY] = truthFrames[k] ?? [0, NaN, NaN];
      const [dx, dy] = offsets[k] ?? [NaN, NaN];
      return [xPx - (seenX - dx), yPx - (seenY - dy)] as const;
    });
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;
    // The background's place: one constant offset of the camera, within its motion.
    const placeX = median(differences.map(([x]) => x));
    const placeY = median(differences.map(([, y]) => y));
    expect(Math.hypot(placeX, placeY)).toBeLessThan(3 * (shaken.value.cameraShakePxRms ?? 0));
    // Left in the image the points would miss by the shake itself (about 3 px); removed, by the centre noise of
    // H.264 (about 0.2 px per axis at CRF 23, so a 2-D median near 0.25 px) and what is left of the shake.
    const misses = differences.map(([x, y]) => Math.hypot(x - placeX, y - placeY));
    expect(median(misses)).toBeLessThan(0.4);
  });
});

describe('trajectory under camera shake: planted defects and a still camera', () => {
  it('still finds a planted teleport', async () => {
    const { failures } = await run('teleport', { shakePx: 2, defect: { code: 'teleport' } });
    expect(failures.map((f) => f.code)).toContain('teleport');
  });

  it('leaves the frames of a still camera untouched', async () => {
    const { value, failures } = await run('still', {});
    expect(failures).toEqual([]);
    expect(value.cameraCompensated).toBe(false);
    expect(value.cameraShakePxRms ?? Infinity).toBeLessThan(0.05);
  });
});
