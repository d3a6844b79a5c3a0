import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrack, type VideoPoint } from '../../metrics/analyze-track.js';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { boundaryObject, checkBoundary } from '../../metrics/boundary.js';
import { TRAJECTORY_DEFAULTS } from '../../metrics/trajectory-checks.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import type { TrajectoryValue } from '../../metrics/trajectory-types.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { DefectCode, GroundTruth } from '../../runners/sim/truth.js';
import { simulateClip } from '../../runners/sim/simulate-clip.js';
import { analyze, isAnalyzeError } from '../../suites/analyze.js';

const FRAME_S = 1 / 30;

/** A ball thrown up at 300 px/s and sideways at 60 px/s under g = 800 px/s², whose g becomes `gAfterPxS2` at `changeS` (no contact). */
function flight(changeS: number, gAfterPxS2: number): VideoPoint[] {
  const points: VideoPoint[] = [];
  let x = 100;
  let y = 300;
  let vy = -300;
  for (let k = 0; k < 36; k++) {
    const timeS = k * FRAME_S;
    points.push({ frameIndex: k, timeS, xPx: x, yPx: y, radiusPx: 8, atEdge: false });
    // Exact integration over one frame at the gravity of that frame's start.
    const g = timeS >= changeS - 1e-9 ? gAfterPxS2 : 800;
    x += 60 * FRAME_S;
    y += vy * FRAME_S + 0.5 * g * FRAME_S * FRAME_S;
    vy += g * FRAME_S;
  }
  return points;
}

describe('continuity across a boundary, on synthetic tracks', () => {
  it('an exact flight continues: no jump, the same g, the prediction within a micro-pixel', () => {
    const points = flight(Infinity, 800);
    const object = { id: 1, label: 'the ball', points, analysis: analyzeTrack(points, { frameIntervalS: FRAME_S, breakFloorPx: 1 }), pxPerM: 100 };
    const result = boundaryObject(object, 0.6);
    expect(result?.atContact).toBe(false);
    expect(result?.pointsBefore).toBe(18);
    expect(result?.jumpPx).toBeLessThan(1e-6);
    expect(result?.gravityAfterPxS2).toBeCloseTo(800, 6);
    expect(result?.predictionMaxPx).toBeLessThan(1e-6);
    expect(checkBoundary([object], 0.6, TRAJECTORY_DEFAULTS).failures).toEqual([]);
  });

  it('gravity halved at the boundary: both g measured, the prediction misses by ½·Δg·τ²', () => {
    const points = flight(0.6, 400);
    const object = { id: 1, label: 'the ball', points, analysis: analyzeTrack(points, { frameIntervalS: FRAME_S, breakFloorPx: 1 }), pxPerM: 100 };
    const result = boundaryObject(object, 0.6);
    expect(result?.gravityBeforePxS2).toBeCloseTo(800, 6);
    expect(result?.gravityAfterPxS2).toBeCloseTo(400, 6);
    // The last frame is 17 frames after the boundary: ½ · 400 · (17/30)² = 64.2 px.
    expect(result?.predictionMaxPx).toBeCloseTo(0.5 * 400 * (17 * FRAME_S) ** 2, 6);
    expect(result?.predictionMaxM).toBeCloseTo((0.5 * 400 * (17 * FRAME_S) ** 2) / 100, 6);
    const { failures } = checkBoundary([object], 0.6, TRAJECTORY_DEFAULTS);
    expect(failures).toEqual([
      { code: 'gravity-inconsistent', message: 'gravity on the ball drops from 8.0 m/s² to 4.0 m/s² at the boundary at 0.60 s', atS: 0.6 },
    ]);
  });
});

describe('a boundary near a bounce', () => {
  it('a bounce between the flights is the contact at the boundary, even when the frames next to it are unseen', () => {
    // Dropped from y = 100 px under g = 800 px/s²; the floor at y = 200 px is reached at t = 0.5 s, and the
    // ball leaves it at 0.8 × 400 px/s. The four frames before the bounce are not seen.
    const points: VideoPoint[] = [];
    for (let k = 0; k < 36; k++) {
      const timeS = k * FRAME_S;
      const tau = timeS - 0.5;
      const yPx = tau < 0 ? 100 + 400 * timeS * timeS : 200 - 320 * tau + 400 * tau * tau;
      if (tau < 0 && tau > -4.5 * FRAME_S) continue;
      points.push({ frameIndex: k, timeS, xPx: 100 + 30 * timeS, yPx, radiusPx: 8, atEdge: false });
    }
    const object = { id: 1, label: 'the ball', points, analysis: analyzeTrack(points, { frameIntervalS: FRAME_S, breakFloorPx: 1 }), pxPerM: null };
    // 0.35 s: 4.5 frames before the bounce, whose last seen frame is at 0.333 s.
    const result = boundaryObject(object, 0.35);
    expect(result?.atContact).toBe(true);
    expect(result?.jumpPx).toBeLessThan(1e-6);
    expect(result?.gravityBeforePxS2).toBeCloseTo(800, 6);
    expect(result?.gravityAfterPxS2).toBeCloseTo(800, 6);
    expect(checkBoundary([object], 0.35, TRAJECTORY_DEFAULTS).failures).toEqual([]);
  });
});

describe('continuity across a boundary on simulated clips (basketball, 320x180, 30 fps, 2 s)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-boundary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const prompt = getPrompt('basketball-bounce-hardwood');

  async function render(defect: DefectCode | null): Promise<{ path: string; truth: GroundTruth }> {
    const path = join(dir, `${defect ?? 'exact'}.mp4`);
    const truth = await simulateClip(prompt, path, { width: 320, height: 180, durationS: 2, audio: false, defect: defect === null ? null : { code: defect } });
    return { path, truth };
  }

  async function analyse(path: string, boundaryS: number) {
    const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric], boundaryS });
    const outcome = result.outcomes.trajectory;
    if (outcome === undefined) throw new Error(`no trajectory outcome: ${JSON.stringify(result.errors)}`);
    return { value: outcome.value as unknown as TrajectoryValue, failures: outcome.failures };
  }

  let exact: { path: string; truth: GroundTruth };
  beforeAll(async () => {
    exact = await render(null);
  });

  it('an exact clip raises nothing at a boundary in flight or at a bounce', async () => {
    const firstContactS = exact.truth.objects[0]?.contactsS[0] ?? NaN;
    for (const boundaryS of [1, firstContactS]) {
      const { value, failures } = await analyse(exact.path, boundaryS);
      expect(failures).toEqual([]);
      const ball = value.boundary?.objects[0];
      expect(value.boundary?.boundaryS).toBe(boundaryS);
      expect(ball?.atContact).toBe(boundaryS === firstContactS);
      expect(ball?.jumpPx).toBeLessThan(0.5);
      expect(Math.abs((ball?.gravityAfterPxS2 ?? 0) / exact.truth.gravityPxS2 - 1)).toBeLessThan(0.03);
      if (ball?.atContact === false) expect(ball.predictionMaxPx).toBeLessThan(2);
    }
  });

  it('a planted teleport at the boundary: the jump is the planted quarter frame width (through physeval analyze)', async () => {
    const { path, truth } = await render('teleport');
    const [report] = await analyze([path], { expect: prompt.expect, metrics: ['trajectory'], boundaryS: truth.defect?.atS ?? NaN });
    if (report === undefined || isAnalyzeError(report)) throw new Error(`not analysed: ${JSON.stringify(report)}`);
    const value = report.metrics.trajectory as unknown as TrajectoryValue;
    const failures = report.verdict.failures;
    const ball = value.boundary?.objects[0];
    expect(Math.abs((ball?.jumpPx ?? 0) - 0.25 * 320)).toBeLessThan(1);
    expect(Math.abs((ball?.jumpM ?? 0) - (0.25 * 320) / truth.pxPerM)).toBeLessThan(0.05);
    // A teleport moves the ball, not its velocity.
    expect(ball?.velocityJumpMS).toBeLessThan(0.1);
    expect(failures.map((f) => f.code)).toEqual(['teleport']);
    expect(failures[0]?.message).toMatch(/^the basketball jumped 80 px \(0\.9\d m\) at the boundary at 1\.00 s/);
  });

  it('gravity halved from the boundary on: g before and after in the planted ratio', async () => {
    const { path, truth } = await render('gravity-inconsistent');
    const { value, failures } = await analyse(path, truth.defect?.atS ?? NaN);
    const ball = value.boundary?.objects[0];
    expect(Math.abs((ball?.gravityBeforePxS2 ?? 0) / truth.gravityPxS2 - 1)).toBeLessThan(0.02);
    expect(Math.abs((ball?.gravityAfterPxS2 ?? 0) / (ball?.gravityBeforePxS2 ?? 1) - 0.5)).toBeLessThan(0.02);
    // The arc check sees the same change; only the sentence that names the boundary is kept.
    expect(failures.map((f) => f.code)).toEqual(['gravity-inconsistent']);
    expect(failures[0]?.message).toMatch(/^gravity on the basketball drops from 9\.\d m\/s² to 4\.\d m\/s² at the boundary at 0\.55 s$/);
  });
});
