import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeVideo, lumaOf } from '../../metrics/analyze-video.js';
import { isMovingObject, trajectoryMetric } from '../../metrics/trajectory.js';
import type { TrackPoint } from '../../metrics/tracker.js';
import type { TrajectoryValue } from '../../metrics/trajectory-types.js';
import type { VideoInfo } from '../../media/types.js';
import { promptSchema, type Category } from '../../prompts/schema.js';
import { simulateClip, type DefectCode, type GroundTruth } from '../../runners/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-trajectory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DURATION_S = 2.5;

/** Simulates a clip (640x360, 30 fps, CRF 23, noise σ 2, texture, watermark) and runs the metric on it. */
async function run(category: Category, defect: DefectCode | null) {
  const prompt = promptSchema.parse({
    id: `trajectory-${category}`,
    text: `a tennis ball, ${category}`,
    category,
    durationS: DURATION_S,
    expect: { objects: [{ name: 'ball', diameterM: 0.067 }] },
  });
  const path = join(dir, `${category}-${defect ?? 'exact'}.mp4`);
  const truth = await simulateClip(prompt, path, { width: 640, height: 360, audio: false, defect: defect === null ? null : { code: defect } });
  const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
  expect(result.errors).toEqual({});
  const outcome = result.outcomes.trajectory;
  if (outcome === undefined) throw new Error('no trajectory outcome');
  return { truth, value: outcome.value as unknown as TrajectoryValue, failures: outcome.failures };
}

/** Truth contacts of an object that the clip shows with at least `frames` of flight on each side. */
function clearContacts(truth: GroundTruth, objectIndex: number, frames: number): number[] {
  const contacts = truth.objects[objectIndex]?.contactsS ?? [];
  const gapS = frames / truth.fps;
  return contacts.filter((t, i) => t - (contacts[i - 1] ?? 0) > gapS && (contacts[i + 1] ?? DURATION_S) - t > gapS);
}

describe('trajectory metric on exact simulated clips', () => {
  it.each(['drop', 'bounce', 'projectile', 'rolling', 'collision'] as const)('%s: g, contacts and restitution match the truth, no failure', async (category) => {
    const { truth, value, failures } = await run(category, null);
    expect(failures).toEqual([]);
    expect(value.objects).toHaveLength(truth.objects.length);
    for (const object of value.objects) {
      // g in pixels does not depend on the measured size: within 1%.
      expect(Math.abs((object.gravityPxS2 ?? 0) / truth.gravityPxS2 - 1)).toBeLessThan(0.01);
      // g in m/s² also carries the radius error (0.3 to 1.2% on these clips): within 2%.
      expect(Math.abs((object.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.02);
    }
    // The main object's well-seen contacts: sub-frame times within 3 ms, restitution within 0.02.
    const main = value.objects.reduce((a, b) => (b.frames > a.frames ? b : a));
    const truthIndex = truth.objects.length === 1 ? 0 : truth.objects.findIndex((o) => Math.abs((o.frames[0]?.[1] ?? 0) - (main.track[0]?.[1] ?? 0)) < 3);
    const expected = clearContacts(truth, truthIndex, 6).slice(0, 3);
    expect(expected.length).toBeGreaterThan(0);
    for (const contactS of expected) {
      const k = main.contactsS.findIndex((t) => Math.abs(t - contactS) < 0.003);
      expect(k, `contact at ${contactS} s in ${main.contactsS.join(', ')}`).toBeGreaterThanOrEqual(0);
      const e = truth.objects[truthIndex]?.restitution[truth.objects[truthIndex]?.contactsS.indexOf(contactS) ?? -1];
      if (category !== 'collision' || contactS > 0.3) expect(Math.abs((main.restitution[k] ?? 0) - (e ?? 0))).toBeLessThan(0.02);
    }
  });
});

describe('trajectory metric on planted defects', () => {
  it.each([
    ['bounce', 'gravity-off'],
    ['bounce', 'gravity-inconsistent'],
    ['bounce', 'energy-gain'],
    ['projectile', 'teleport'],
    ['bounce', 'vanish'],
    ['bounce', 'size-change'],
  ] as const)('%s with %s raises exactly that code, near when it was planted', async (category, defect) => {
    const { truth, failures } = await run(category, defect);
    expect([...new Set(failures.map((f) => f.code))]).toEqual([defect]);
    const failure = failures[0];
    if (defect !== 'size-change' && defect !== 'gravity-off') expect(Math.abs((failure?.atS ?? -1) - (truth.defect?.atS ?? 0))).toBeLessThan(0.05);
    expect(failure?.message).toMatch(/the ball/);
  });
});

describe('trajectory metric without a moving object', () => {
  it('raises no-object on a still scene', () => {
    const width = 160;
    const height = 90;
    const video: VideoInfo = {
      path: 'still.mp4',
      sizeBytes: 0,
      width,
      height,
      fps: 30,
      variableFrameRate: false,
      frameCount: 30,
      durationS: 1,
      rotationDeg: 0,
      videoCodec: 'h264',
      hasAudio: false,
      audio: null,
    };
    const session = trajectoryMetric.start({
      video,
      analysisScale: 1,
      analysisWidth: width,
      analysisHeight: height,
      expect: promptSchema.shape.expect.parse({}),
      thresholds: trajectoryMetric.defaultThresholds,
    });
    const rgb = new Uint8Array(width * height * 3).map((_, i) => 100 + ((i * 7919) % 23));
    for (let k = 0; k < 30; k++) session.onFrame({ index: k, timeS: k / 30, width, height, rgb, gray: lumaOf(rgb) });
    const outcome = session.finish({ audio: null, earlier: {} });
    if (outcome instanceof Promise) throw new Error('finish is synchronous');
    expect(outcome.failures.map((f) => f.code)).toEqual(['no-object']);
    expect(outcome.value).toMatchObject({ objects: [], gravityMS2: null, gravityPxS2: null });
  });
});

describe('isMovingObject', () => {
  /** A speck of radius 5 drifting 2 px a frame for 10 frames, the frames in `partial` continued by partial discs. */
  const drift = (partial: readonly number[]): TrackPoint[] =>
    Array.from({ length: 10 }, (_, i) => ({ frameIndex: i, timeS: i / 30, xPx: 100 + 2 * i, yPx: 200, radiusPx: 5, ...(partial.includes(i) ? { partial: true } : {}) }));

  it('takes 8 whole sightings over 2 radii for an object, and no partial disc as one of them', () => {
    expect(isMovingObject({ id: 1, points: drift([]) })).toBe(true);
    expect(isMovingObject({ id: 1, points: drift([4, 5]) })).toBe(true);
    // A speck beside a landed bowling ball seen whole in 5 frames and continued by partial discs in 5.
    expect(isMovingObject({ id: 1, points: drift([2, 3, 5, 7, 8]) })).toBe(false);
  });
});
