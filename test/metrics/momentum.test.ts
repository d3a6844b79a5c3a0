import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { arcStateStdErr, evenSampleTimesS } from '../../metrics/arc-uncertainty.js';
import { fitArc } from '../../metrics/fit-arc.js';
import { analyzeTrack, type VideoPoint } from '../../metrics/analyze-track.js';
import { checkMomentum, findCollisions, momentumBalance, touchTimeS, type CollidingObject } from '../../metrics/momentum.js';
import { TRAJECTORY_DEFAULTS } from '../../metrics/trajectory-checks.js';
import { impliedMassKg } from '../../metrics/momentum-masses.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import type { FittedArc, TrajectoryValue } from '../../metrics/trajectory-types.js';
import { getPrompt } from '../../prompts/catalog.js';
import { withPhysicsDefect } from '../../runners/sim/defects.js';
import { segmentAt, simulate, velocityAt } from '../../runners/sim/physics.js';
import { buildScene } from '../../runners/sim/scene.js';
import { simulateClip } from '../../runners/sim/simulate-clip.js';

/** A straight-line arc (no gravity) through (x0, y0) at time 0 with the given velocity, fitted on `points` frames over [startS, endS]. */
function arc(vxPxS: number, vyPxS: number, options: Partial<FittedArc> = {}): FittedArc {
  return { startS: 0, endS: 0.3, tRefS: 0, x0Px: 0, vxPxS, y0Px: 0, vyPxS, gPxS2: 0, gStdErrPxS2: 0, rmsPx: 0, points: 10, ...options };
}

/** |Δp| / Σ m|v before| of the simulator's first ball–ball collision, exactly (from its segments). */
function exactImbalance(promptId: string, speedScale: number | null): { timeS: number; imbalance: number } {
  const scene = buildScene(getPrompt(promptId), 1);
  const simulation = simulate(speedScale === null ? scene.world : withPhysicsDefect(scene.world, 'momentum-violation', speedScale));
  const contact = simulation.contacts.find((c) => c.kind === 'ball');
  if (contact === undefined) throw new Error(`${promptId}: no collision`);
  let dx = 0;
  let dy = 0;
  let broughtIn = 0;
  for (const index of contact.balls) {
    const massKg = simulation.spec.balls[index]?.massKg ?? 0;
    const segments = simulation.balls[index]?.segments ?? [];
    const before = velocityAt(segmentAt(segments, contact.timeS - 1e-9), contact.timeS);
    const after = velocityAt(segmentAt(segments, contact.timeS), contact.timeS);
    dx += massKg * (after.vxMS - before.vxMS);
    dy += massKg * (after.vyMS - before.vyMS);
    broughtIn += massKg * Math.hypot(before.vxMS, before.vyMS);
  }
  return { timeS: contact.timeS, imbalance: Math.hypot(dx, dy) / broughtIn };
}

describe('momentum balance as pure functions', () => {
  it('an elastic exchange of equal masses balances; a ball leaving twice too fast does not', () => {
    // Head-on, equal masses, e = 1: the velocities swap.
    const exchange = [
      { massKg: 1, arcIn: arc(100, 0), arcOut: arc(0, 0) },
      { massKg: 1, arcIn: arc(0, 0), arcOut: arc(100, 0) },
    ];
    expect(momentumBalance(exchange, 0.15)?.imbalance).toBeCloseTo(0, 12);
    const tooFast = [exchange[0]!, { massKg: 1, arcIn: arc(0, 0), arcOut: arc(200, 0) }];
    // Δp = 100 against 100 brought in.
    expect(momentumBalance(tooFast, 0.15)?.imbalance).toBeCloseTo(1, 12);
    // Masses weigh in: a 3 kg ball at 10 px/s into a 1 kg ball at rest, e = 1: 5 and 15 px/s after.
    const unequal = [
      { massKg: 3, arcIn: arc(10, 0), arcOut: arc(5, 0) },
      { massKg: 1, arcIn: arc(0, 0), arcOut: arc(15, 0) },
    ];
    expect(momentumBalance(unequal, 0.15)?.imbalance).toBeCloseTo(0, 12);
    expect(momentumBalance([{ massKg: 1, arcIn: arc(0, 0), arcOut: arc(5, 0) }], 0.15)).toBeNull();
  });

  it('the imbalance carries the standard errors of the fitted velocities', () => {
    const noisy = { rmsPx: 0.5 };
    const sides = [
      { massKg: 1, arcIn: arc(100, 0, noisy), arcOut: arc(0, 0, noisy) },
      { massKg: 1, arcIn: arc(0, 0, noisy), arcOut: arc(110, 0, noisy) },
    ];
    const balance = momentumBalance(sides, 0.15);
    const vxStdErr = arcStateStdErr(arc(0, 0, noisy), evenSampleTimesS(arc(0, 0, noisy)), 0.15)?.vxPxS ?? NaN;
    expect(balance?.imbalance).toBeCloseTo(0.1, 12);
    // Four velocities enter Δp_x, each with the same standard error.
    expect(balance?.imbalanceStdErr).toBeCloseTo((2 * vxStdErr) / 100, 12);
  });

  it('velocity and position standard errors match least-squares theory and a Monte-Carlo', () => {
    // 10 samples at 30 fps, σ per coordinate from rms: var(vx) = σ²/Σ(t − t̄)².
    const times = Array.from({ length: 10 }, (_, i) => i / 30);
    const mean = times.reduce((s, t) => s + t, 0) / times.length;
    const spread = times.reduce((s, t) => s + (t - mean) ** 2, 0);
    const fitted = arc(0, 0, { startS: 0, endS: 9 / 30, tRefS: mean, rmsPx: 0.5 });
    const sigma = Math.sqrt((10 * 0.25) / 15);
    expect(arcStateStdErr(fitted, times, mean)?.vxPxS).toBeCloseTo(sigma / Math.sqrt(spread), 12);
    expect(arcStateStdErr(fitted, times, mean)?.xPx).toBeCloseTo(sigma / Math.sqrt(10), 12);
    // vy at the last sample, against the scatter of refitted parabolas with Gaussian noise of σ = 0.5 px.
    let seed = 7;
    const gaussian = (): number => {
      seed = (seed * 16807) % 2147483647;
      const u = seed / 2147483647;
      seed = (seed * 16807) % 2147483647;
      const v = seed / 2147483647;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    const slopes: number[] = [];
    let predicted = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const points = times.map((t) => ({ timeS: t, xPx: 50 * t + 0.5 * gaussian(), yPx: 400 * t * t + 0.5 * gaussian() }));
      const result = fitArc(points, { outlierSigma: 3, outlierFloorPx: 1, maxOutlierShare: 0 });
      if (result.status !== 'ok') throw new Error(result.status);
      const tEnd = 9 / 30;
      slopes.push(result.arc.vyPxS + result.arc.gPxS2 * (tEnd - result.arc.tRefS));
      predicted += (arcStateStdErr(result.arc, times, tEnd)?.vyPxS ?? NaN) / 2000;
    }
    const slopeMean = slopes.reduce((s, v) => s + v, 0) / slopes.length;
    const scatter = Math.sqrt(slopes.reduce((s, v) => s + (v - slopeMean) ** 2, 0) / (slopes.length - 1));
    expect(predicted / scatter).toBeGreaterThan(0.9);
    expect(predicted / scatter).toBeLessThan(1.1);
  });

  it('two incoming arcs touch where their distance reaches the sum of the radii', () => {
    // Closing at 200 px/s from 40 px apart: 10 px apart (r + r) at 0.15 s.
    const left = arc(100, 0, { x0Px: -20 });
    const right = arc(-100, 0, { x0Px: 20 });
    expect(touchTimeS(left, right, 10, 0, 0.3)).toBeCloseTo(0.15, 6);
    // Passing 30 px apart never touches.
    expect(touchTimeS(left, arc(-100, 0, { x0Px: 20, y0Px: 30 }), 10, 0, 0.3)).toBeNull();
  });

  it("masses come from the prompt, else from the material's density", () => {
    expect(impliedMassKg({ name: 'cue ball', diameterM: 0.05715, massKg: 0.17 })).toEqual({ massKg: 0.17, source: 'prompt' });
    const steel = impliedMassKg({ name: 'steel ball', diameterM: 0.02, material: 'steel' });
    expect(steel.source).toBe('material-density');
    expect(steel.massKg).toBeCloseTo((7850 * Math.PI * 0.02 ** 3) / 6, 12);
  });
});

describe('collisions found on synthetic tracks', () => {
  const FRAME_S = 1 / 30;
  const ball = { name: 'ball', diameterM: 0.1, massKg: 1 };
  /** A ball at height 200 px moving at `vPxS` from `x0Px`, leaving the contact at 0.3083 s at `vOutPxS`. */
  function track(x0Px: number, vPxS: number, vOutPxS: number, frames: number[], shrunkFrame: number | null): VideoPoint[] {
    const contactS = 185 / 600;
    return frames.map((k) => {
      const timeS = k * FRAME_S;
      const xPx = timeS < contactS ? x0Px + vPxS * timeS : x0Px + vPxS * contactS + vOutPxS * (timeS - contactS);
      return { frameIndex: k, timeS, xPx, yPx: 200, radiusPx: k === shrunkFrame ? 5 : 10, atEdge: false };
    });
  }
  const colliding = (id: number, points: VideoPoint[]): CollidingObject => ({
    id,
    label: `ball ${id}`,
    points,
    analysis: analyzeTrack(points, { frameIntervalS: FRAME_S, breakFloorPx: 1 }),
    spec: ball,
    pxPerM: null,
  });
  const frames = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('an elastic exchange of two equal balls balances, even when one was seen in too few whole frames to have an arc before it', () => {
    // Head-on at 300 px/s each, radii 10 px: they touch at (205 − 20) / 600 s. Ball 2 is first seen 4 frames
    // before, and the frame before the contact shows it half hidden, so analyzeTrack fits no arc to its approach.
    const a = colliding(1, track(100, 300, -300, frames(0, 20), null));
    const b = colliding(2, track(305, -300, 300, frames(5, 20), 9));
    expect(b.analysis.arcs[0]?.startS).toBeGreaterThan(185 / 600);
    const pairs = findCollisions([a, b], FRAME_S);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]?.timeS).toBeCloseTo(185 / 600, 6);
    const { collisions, failures } = checkMomentum([a, b], FRAME_S, TRAJECTORY_DEFAULTS);
    expect(collisions[0]?.imbalance).toBeLessThan(1e-6);
    expect(failures).toEqual([]);
  });

  it('the second ball leaving at twice its speed is a momentum-violation', () => {
    const a = colliding(1, track(100, 300, -300, frames(0, 20), null));
    const b = colliding(2, track(305, -300, 600, frames(0, 20), null));
    const { collisions, failures } = checkMomentum([a, b], FRAME_S, TRAJECTORY_DEFAULTS);
    // Δp = 300 against 600 brought in.
    expect(collisions[0]?.imbalance).toBeCloseTo(0.5, 6);
    expect(failures.map((f) => f.message)).toEqual([
      "momentum is not conserved in the collision of ball 1 and ball 2 at 0.31 s: it changes by 50% ± 1% of the momentum brought in (1.00 and 1.00 kg, the prompt's masses)",
    ]);
  });

  it('two balls passing each other at a distance do not collide', () => {
    const a = colliding(1, track(100, 300, 300, frames(0, 20), null));
    const b = colliding(2, track(305, -300, -300, frames(0, 20), null).map((p) => ({ ...p, yPx: 260 })));
    expect(findCollisions([a, b], FRAME_S)).toEqual([]);
  });
});

describe('the planted momentum-violation in the simulator', () => {
  it('makes the first ball leave the first collision at VALUE × its exact speed', () => {
    const scene = buildScene(getPrompt('billiard-head-on'), 1);
    const exact = simulate(scene.world);
    const planted = simulate(withPhysicsDefect(scene.world, 'momentum-violation', 2));
    const contact = exact.contacts.find((c) => c.kind === 'ball');
    expect(contact).toBeDefined();
    const timeS = contact?.timeS ?? 0;
    const exactAfter = velocityAt(segmentAt(exact.balls[0]?.segments ?? [], timeS), timeS);
    const plantedAfter = velocityAt(segmentAt(planted.balls[0]?.segments ?? [], timeS), timeS);
    expect(plantedAfter.vxMS).toBeCloseTo(2 * exactAfter.vxMS, 12);
    expect(plantedAfter.vyMS).toBeCloseTo(2 * exactAfter.vyMS, 12);
    expect(exactImbalance('billiard-head-on', null).imbalance).toBeLessThan(1e-12);
  });
});

describe('momentum-violation on simulated collision clips (320x180, 1 s, no noise or watermark)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-momentum-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(promptId: string, fps: number, speedScale: number | null) {
    const prompt = getPrompt(promptId);
    const path = join(dir, `${promptId}-${fps}-${speedScale ?? 'exact'}.mp4`);
    const defect = speedScale === null ? null : { code: 'momentum-violation' as const, value: speedScale };
    await simulateClip(prompt, path, { width: 320, height: 180, fps, durationS: 1, audio: false, noiseSigma: 0, watermark: false, texture: false, defect });
    const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] });
    const outcome = result.outcomes.trajectory;
    if (outcome === undefined) throw new Error(`no trajectory outcome: ${JSON.stringify(result.errors)}`);
    return { value: outcome.value as unknown as TrajectoryValue, failures: outcome.failures };
  }

  // The balls meet 0.14 s (billiard) and 0.2 s (mid-air) after the start: 60 fps gives the arcs before it 8 frames.
  let billiard: Awaited<ReturnType<typeof run>>;
  let billiardPlanted: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    billiard = await run('billiard-head-on', 60, null);
    billiardPlanted = await run('billiard-head-on', 60, 2);
  });

  it('the exact billiard collision balances within a few percent, with masses from the prompt', () => {
    const collision = billiard.value.collisions?.[0];
    expect(billiard.value.collisions).toHaveLength(1);
    expect(Math.abs((collision?.timeS ?? 0) - exactImbalance('billiard-head-on', null).timeS)).toBeLessThan(0.005);
    expect(collision?.massesKg).toEqual([0.17, 0.17]);
    expect(collision?.massSource).toBe('prompt');
    expect(collision?.imbalance).toBeLessThan(0.05);
    expect(collision?.momentumBeforeKgMS).not.toBeNull();
    expect(billiard.failures.map((f) => f.code)).not.toContain('momentum-violation');
  });

  it('a cue ball leaving twice too fast raises momentum-violation with the planted imbalance', () => {
    const truth = exactImbalance('billiard-head-on', 2);
    const collision = billiardPlanted.value.collisions?.[0];
    expect(Math.abs((collision?.imbalance ?? 0) - truth.imbalance)).toBeLessThan(0.05);
    const failure = billiardPlanted.failures.find((f) => f.code === 'momentum-violation');
    expect(failure?.message).toMatch(/^momentum is not conserved in the collision of .* at 0\.14 s: it changes by \d+% ± \d+% .*the prompt's masses\)$/);
    expect(Math.abs((failure?.atS ?? 0) - truth.timeS)).toBeLessThan(0.005);
  });

  it('the exact mid-air collision of two rubber balls balances too', async () => {
    const midair = await run('rubber-balls-thrown-midair', 30, null);
    expect(midair.value.collisions).toHaveLength(1);
    expect(midair.value.collisions?.[0]?.imbalance).toBeLessThan(0.1);
    expect(midair.failures.map((f) => f.code)).not.toContain('momentum-violation');
  });
});
