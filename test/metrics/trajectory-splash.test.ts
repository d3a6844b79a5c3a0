import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { firstFlightOnly, type TrackAnalysis } from '../../metrics/analyze-track.js';
import type { ArcJoin } from '../../metrics/contacts.js';
import { isDropletSized, objectLabel, trajectoryMetric } from '../../metrics/trajectory.js';
import type { FittedArc, TrajectoryValue } from '../../metrics/trajectory-types.js';
import { getPrompt } from '../../prompts/catalog.js';
import { simulateClip, type DefectCode } from '../../runners/sim/index.js';

const arc = (gPxS2: number, gStdErrPxS2: number): FittedArc => ({ startS: 0, endS: 0.3, tRefS: 0.15, x0Px: 0, vxPxS: 0, y0Px: 0, vyPxS: 0, gPxS2, gStdErrPxS2, rmsPx: 0.2, points: 10 });

describe('firstFlightOnly', () => {
  it('keeps what comes before the first free flight and the flight itself, with its g, and nothing after it', () => {
    const join: ArcJoin = { kind: 'bounce', timeS: 0.3, gapPx: 0, vxInPxS: 0, vyInPxS: 300, vxOutPxS: 0, vyOutPxS: 50, deltaVPxS: 250 };
    const analysis: TrackAnalysis = {
      arcs: [arc(5, 50), arc(980, 4), arc(230, 6)],
      freeFlight: [false, true, true],
      boundaries: [0, 1].map(() => ({ join, isContact: true, betweenFreeFlights: true, speedInPxS: 300 })),
      gravityPxS2: 600,
      gravityStdErrPxS2: 3,
      meanRadiusPx: 10,
    };
    const kept = firstFlightOnly(analysis);
    expect(kept.freeFlight).toEqual([false, true]);
    expect(kept.arcs.map((a) => a.gPxS2)).toEqual([5, 980]);
    expect([kept.gravityPxS2, kept.gravityStdErrPxS2]).toEqual([980, 4]);
    expect(kept.boundaries).toHaveLength(1);
    expect(kept.boundaries.every((b) => !b.isContact && !b.betweenFreeFlights)).toBe(true);
  });
});

describe('naming the objects of a splash', () => {
  it('calls an object under half the largest radius a droplet, and the others by the prompt', () => {
    const ball = { name: 'plastic ball', diameterM: 0.07 };
    // The 1280x720 tank (seed 335): the ball reads 15.2 px, a droplet it threw 5.3 px.
    expect(isDropletSized(5.3, 15.2)).toBe(true);
    expect(isDropletSized(15.2, 15.2)).toBe(false);
    expect(objectLabel(6, ball, 2, true)).toBe('droplet 6');
    expect(objectLabel(1, ball, 2, false)).toBe('plastic ball 1');
    expect(objectLabel(1, ball, 1, false)).toBe('the plastic ball');
    expect(objectLabel(3, null, 2, false)).toBe('ball 3');
  });
});

// A ball dropped into a tank of water: after it enters, drag and buoyancy slow it (the truth's sinking
// is no free fall), so only its flight into the water is held against g.
describe('a ball splashing into a tank', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-splash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const prompt = getPrompt('ball-splash-into-tank');

  const run = async (defect: DefectCode | null) => {
    const path = join(dir, `${defect ?? 'exact'}.mp4`);
    const truth = await simulateClip(prompt, path, { width: 640, height: 360, fps: 24, durationS: 2, seed: 1, audio: false, defect: defect === null ? null : { code: defect } });
    const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
    return { truth, value: result.outcomes['trajectory']?.value as unknown as TrajectoryValue, codes: result.failures.map((f) => f.code) };
  };

  it('measures g on its fall into the water and raises nothing on the exact clip', async () => {
    const { truth, value, codes } = await run(null);
    expect(codes).toEqual([]);
    expect(Math.abs((value.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.03);
  }, 30_000);

  it('still finds gravity-off planted on its fall', async () => {
    const { codes } = await run('gravity-off');
    expect(codes).toEqual(['gravity-off']);
  }, 30_000);
});

// A 25 mm steel ball bearing, 11 px across, falls past a pale wall into a glass: its lit side differs
// from the wall by a tenth of its shaded side, so its coverage reads it 13% small; the scale comes
// from its sharp directions instead.
describe('a steel ball bearing dropped into a glass', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-steel-splash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the scale from its sharp outline and raises nothing on the exact clip', async () => {
    const prompt = getPrompt('steel-ball-splash-into-glass');
    const path = join(dir, 'exact.mp4');
    const truth = await simulateClip(prompt, path, { width: 640, height: 360, fps: 24, durationS: 2, seed: 1, audio: false, defect: null });
    const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
    const value = result.outcomes['trajectory']?.value as unknown as TrajectoryValue;
    const ball = value.objects[0];
    expect(result.failures.map((f) => f.code)).toEqual([]);
    expect(Math.abs((ball?.pxPerM ?? 0) / truth.pxPerM - 1)).toBeLessThan(0.03);
    expect(ball?.meanRadiusPx).toBeLessThan(0.9 * (truth.objects[0]?.frames[0]?.[3] ?? 0));
    expect(Math.abs((value.gravityMS2 ?? 0) / truth.gravityMS2 - 1)).toBeLessThan(0.03);
  }, 30_000);
});
