import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrackAnalysis, VideoPoint } from '../../metrics/analyze-track.js';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { createBlobWorkspace, detectBlobs, shapeFromMoments, type Blob } from '../../metrics/detect-blobs.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import { blurElongation, checkTrajectory, TRAJECTORY_DEFAULTS } from '../../metrics/trajectory-checks.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { Failure } from '../../prompts/codes.js';
import { drawBall } from '../../runners/sim/draw-ball.js';
import { SHAPE_MORPH_S } from '../../runners/sim/defects.js';
import { simulateClip, type SimOptions } from '../../runners/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-shape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIDTH = 160;
const HEIGHT = 120;
const GREY = 90;

/** One frame of grey background with balls drawn by `draw`, and the blobs the detector finds in it. */
function blobsOf(draw: (frame: Uint8Array) => void): Blob[] {
  const frame = new Uint8Array(WIDTH * HEIGHT * 3).fill(GREY);
  draw(frame);
  const background = new Float32Array(WIDTH * HEIGHT * 3).fill(GREY);
  return detectBlobs(frame, background, 24, createBlobWorkspace(WIDTH, HEIGHT));
}

describe('blob shape from second moments', () => {
  it('shapeFromMoments gives a/b and the major axis of an ellipse at any angle', () => {
    const [a, b] = [9, 5];
    for (const angle of [0, 0.4, Math.PI / 2, -1.1]) {
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      // Variances a²/4 and b²/4 along the axes, rotated by the angle.
      const sxx = (a * a * c * c + b * b * s * s) / 4;
      const syy = (a * a * s * s + b * b * c * c) / 4;
      const sxy = ((a * a - b * b) * c * s) / 4;
      const shape = shapeFromMoments(sxx, syy, sxy);
      expect(shape.elongation).toBeCloseTo(a / b, 12);
      expect(Math.cos(2 * (shape.majorAxisRad - angle))).toBeCloseTo(1, 12);
      expect(shape.majorAxisRad).toBeGreaterThan(-Math.PI / 2);
      expect(shape.majorAxisRad).toBeLessThanOrEqual(Math.PI / 2);
    }
    expect(shapeFromMoments(4, 4, 0).elongation).toBe(1);
  });

  // A blue ball on grey: its shaded limb keeps its contrast, so the coverage (and area) is right; an
  // orange ball's dark limb nears the grey and reads 10% small at r = 5, and 1.66 for a 1.6 ellipse.
  it('detected discs and ellipses of radius ≥ 5 px read their axis ratio within 0.05', () => {
    for (const radiusPx of [5, 8, 14]) {
      for (const axisRatio of [1, 1.3, 1.6, 2, 0.6]) {
        const blobs = blobsOf((frame) => drawBall(frame, { width: WIDTH, height: HEIGHT }, { xPx: 80.3, yPx: 59.6, radiusPx, colorRgb: [40, 40, 200], axisRatio }));
        expect(blobs).toHaveLength(1);
        const shape = blobs[0]?.shape;
        const expected = axisRatio >= 1 ? axisRatio : 1 / axisRatio;
        expect(Math.abs((shape?.elongation ?? 0) - expected), `r ${radiusPx} ratio ${axisRatio}: ${shape?.elongation}`).toBeLessThan(0.05);
        if (axisRatio > 1) expect(Math.abs(shape?.majorAxisRad ?? 1), `r ${radiusPx} ratio ${axisRatio}`).toBeLessThan(0.1);
        if (axisRatio < 1) expect(Math.abs(Math.abs(shape?.majorAxisRad ?? 0) - Math.PI / 2), `r ${radiusPx} ratio ${axisRatio}`).toBeLessThan(0.1);
      }
    }
  });

  it('a disc smeared along its motion reads blurElongation, up to 20% long, so the check stays under its 1.3', () => {
    const radiusPx = 8;
    for (const stepPx of [6, 12, 20]) {
      const blobs = blobsOf((frame) => {
        // A box blur: the mean of the ball drawn at 21 places along one frame's move.
        const sum = new Float64Array(frame.length);
        const places = 21;
        for (let k = 0; k < places; k++) {
          const copy = new Uint8Array(frame.length).fill(GREY);
          drawBall(copy, { width: WIDTH, height: HEIGHT }, { xPx: 70 + (stepPx * k) / (places - 1) - stepPx / 2, yPx: 60, radiusPx, colorRgb: [40, 40, 200] });
          copy.forEach((v, i) => (sum[i] = (sum[i] ?? 0) + v / places));
        }
        sum.forEach((v, i) => (frame[i] = Math.round(v)));
      });
      expect(blobs).toHaveLength(1);
      // The smeared ends read a little long: the ball's colour next to them, which edge coverage is judged against, is smeared too.
      const unexplained = (blobs[0]?.shape?.elongation ?? 0) / blurElongation(stepPx, radiusPx);
      expect(unexplained, `step ${stepPx} px`).toBeGreaterThan(1);
      expect(unexplained, `step ${stepPx} px`).toBeLessThan(1.2);
    }
  });
});

const NO_ARCS: TrackAnalysis = { arcs: [], freeFlight: [], boundaries: [], gravityPxS2: null, gravityStdErrPxS2: null, meanRadiusPx: 8 };

/** A ball moving right at `speedPxS` for 2 s at 30 fps, its sightings' elongation and axis given per time. */
function shapeFailuresOf(
  speedPxS: number,
  shapeAt: (timeS: number) => { elongation: number; majorAxisRad: number },
  underOverlay?: (frameIndex: number, xPx: number, yPx: number, radiusPx: number) => boolean,
): Failure[] {
  const points: VideoPoint[] = Array.from({ length: 60 }, (_, k) => ({
    frameIndex: k,
    timeS: k / 30,
    xPx: 40 + speedPxS * (k / 30),
    yPx: 100,
    radiusPx: 8,
    atEdge: false,
    shape: shapeAt(k / 30),
  }));
  const object = { label: 'the ball', points, analysis: NO_ARCS, pxPerM: null, frameIntervalS: 1 / 30, ...(underOverlay === undefined ? {} : { underOverlay }) };
  return checkTrajectory(object, 9.81, TRAJECTORY_DEFAULTS).filter((f) => f.code === 'shape-change');
}

describe('shape-change check on sightings', () => {
  it('a ball that turns into a tall ellipse at 1.0 s fails from then, with the ratio in the sentence', () => {
    const failures = shapeFailuresOf(60, (t) => ({ elongation: t >= 1 ? 1.6 : 1.03, majorAxisRad: t >= 1 ? Math.PI / 2 : 0.3 }));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.atS).toBeCloseTo(1, 9);
    expect(failures[0]?.message).toBe('the ball turns into an ellipse 1.6 times as tall as wide from 1.00 s');
  });

  it('the stretch motion blur can give along the motion is no shape change; the same stretch across it is', () => {
    const stepPx = 450 / 30;
    const blur = blurElongation(stepPx, 8);
    expect(blur).toBeGreaterThan(1.4);
    const stretchedFrom1s = (majorAxisRad: number) => (t: number) => (t >= 1 ? { elongation: blur, majorAxisRad } : { elongation: 1.02, majorAxisRad: 0.2 });
    expect(shapeFailuresOf(450, stretchedFrom1s(0))).toEqual([]);
    expect(shapeFailuresOf(450, stretchedFrom1s(Math.PI / 2)).map((f) => f.atS)).toEqual([1]);
  });

  it('a ball that reads a little long from its first sighting has not changed shape', () => {
    expect(shapeFailuresOf(60, (t) => ({ elongation: t < 1 ? 1.25 : 1.35, majorAxisRad: -0.7 }))).toEqual([]);
    expect(shapeFailuresOf(60, (t) => ({ elongation: t < 1 ? 1.25 : 1.7, majorAxisRad: -0.7 })).map((f) => f.atS)).toEqual([1]);
  });

  it('sightings beside a translucent overlay are not judged: the outline takes in its glyphs (exact basketball, seed 32)', () => {
    // The ball hovers at its apex beside a watermark from 1.0 to 1.5 s and reads 1.3 times as tall as wide there.
    const tallBesideWatermark = (t: number) => (t >= 1 && t < 1.5 ? { elongation: 1.45, majorAxisRad: Math.PI / 2 } : { elongation: 1.03, majorAxisRad: 0.2 });
    const watermarkFrames = (frameIndex: number) => frameIndex >= 30 && frameIndex < 45;
    expect(shapeFailuresOf(60, tallBesideWatermark).map((f) => f.atS)).toEqual([1]);
    expect(shapeFailuresOf(60, tallBesideWatermark, watermarkFrames)).toEqual([]);
    // A ball that really turns into an ellipse is still seen doing so away from the watermark.
    expect(shapeFailuresOf(60, (t) => (t >= 1 ? { elongation: 1.6, majorAxisRad: Math.PI / 2 } : { elongation: 1.03, majorAxisRad: 0.2 }), watermarkFrames).map((f) => f.atS)).toEqual([1.5]);
  });

  it('a few odd sightings are no shape change', () => {
    expect(shapeFailuresOf(60, (t) => ({ elongation: t > 1 && t < 1.12 ? 2 : 1.05, majorAxisRad: Math.PI / 2 }))).toEqual([]);
  });
});

/** Simulates a catalog prompt (no audio) and returns the trajectory metric's failures. */
async function failuresOf(id: string, options: SimOptions): Promise<{ failures: Failure[]; atS: number | null }> {
  const prompt = getPrompt(id);
  const path = join(dir, `${id}-${options.defect?.code ?? 'exact'}.mp4`);
  const truth = await simulateClip(prompt, path, { audio: false, ...options });
  const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
  expect(result.errors).toEqual({});
  return { failures: result.outcomes.trajectory?.failures ?? [], atS: truth.defect?.atS ?? null };
}

describe('shape-change on simulated clips', () => {
  it('a planted shape-change is found with its code, near its time', async () => {
    const { failures, atS } = await failuresOf('basketball-bounce-hardwood', { width: 320, height: 180, fps: 30, durationS: 2, defect: { code: 'shape-change' } });
    expect(failures.map((f) => f.code)).toEqual(['shape-change']);
    const failure = failures[0] as Failure;
    // Found while the ball squashes: after the defect starts, before the morph ends.
    expect(failure.atS ?? -1).toBeGreaterThanOrEqual(atS ?? Infinity);
    expect(failure.atS ?? Infinity).toBeLessThanOrEqual((atS ?? 0) + SHAPE_MORPH_S + 1e-9);
    expect(failure.message).toMatch(/^the basketball turns into an ellipse 1\.[56] times as wide as tall from /);
  });

  it.each([
    ['basketball-free-throw', 30],
    ['tennis-ball-lob', 30],
    ['football-kicked-over-grass', 30],
    ['rubber-balls-thrown-midair', 30],
    ['billiard-head-on', 60],
    // A steel ball on a pale wall: its lit side often matches the wall, and the crescent left reads 1.35 long.
    ['steel-ball-on-glass-plate', 30],
  ])('no shape-change on the exact %s (640x360, %d fps)', async (id, fps) => {
    const { failures } = await failuresOf(id, { width: 640, height: 360, fps, durationS: fps === 60 ? 1 : 1.5 });
    expect(failures.filter((f) => f.code === 'shape-change')).toEqual([]);
  });
});
