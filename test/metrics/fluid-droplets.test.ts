import { describe, expect, it } from 'vitest';
import { inverseVarianceMean } from '../../metrics/analyze-track.js';
import { agreeingArcs, findDropletArcs, randomEffectsMean, type SpeckFrame } from '../../metrics/fluid-droplet-search.js';
import type { FittedArc } from '../../metrics/trajectory-types.js';
import { judgeDroplets, specksAbove, surfaceTopPx, type DropletJudgement } from '../../metrics/fluid-droplets.js';
import { frameProfile } from '../../metrics/fluid-profile.js';

const WIDTH = 320;
const HEIGHT = 180;
const FPS = 24;
/** Still surface row of the synthetic pool, px; droplets leave it and fall back to it. */
const SURFACE_PX = 150;

/** Adds a disc of membership 1 at (x, y), each pixel weighted by the share of its 4×4 sub-samples inside. */
function addDisc(membership: Float32Array, xPx: number, yPx: number, radiusPx: number): void {
  for (let y = Math.floor(yPx - radiusPx - 1); y <= Math.ceil(yPx + radiusPx + 1); y++) {
    for (let x = Math.floor(xPx - radiusPx - 1); x <= Math.ceil(xPx + radiusPx + 1); x++) {
      if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) continue;
      let inside = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (Math.hypot(x - 0.375 + sx / 4 - xPx, y - 0.375 + sy / 4 - yPx) <= radiusPx) inside++;
      membership[y * WIDTH + x] = Math.min(1, membership[y * WIDTH + x]! + inside / 16);
    }
  }
}

/** Droplets thrown up from the surface at t = 0.2 s (x0, vx, vy in px and px/s, y down), as in a splash into a tank at 320x180. */
const LAUNCHES = [
  { x0: 150, vx: -70, vy: -230 },
  { x0: 170, vx: 60, vy: -250 },
  { x0: 148, vx: -30, vy: -290 },
  { x0: 172, vx: 25, vy: -300 },
  { x0: 152, vx: -110, vy: -200 },
  { x0: 168, vx: 100, vy: -215 },
];
const LAUNCH_S = 0.2;

/** Frames of a pool below SURFACE_PX and droplets flying under `gravityPxS2`, run through specksAbove and the arc search. */
function flightsUnder(gravityPxS2: number) {
  const frames: SpeckFrame[] = [];
  for (let k = 0; k < FPS; k++) {
    const timeS = k / FPS;
    const membership = new Float32Array(WIDTH * HEIGHT);
    for (let y = SURFACE_PX; y < HEIGHT; y++) membership.fill(1, y * WIDTH + 100, y * WIDTH + 220);
    const tau = timeS - LAUNCH_S;
    for (const d of LAUNCHES) {
      const yPx = SURFACE_PX + d.vy * tau + 0.5 * gravityPxS2 * tau * tau;
      if (tau > 0 && yPx < SURFACE_PX) addDisc(membership, d.x0 + d.vx * tau, yPx, 1.5);
    }
    const abovePx = surfaceTopPx(frameProfile(membership, WIDTH, HEIGHT))! - 2;
    frames.push({ frameIndex: k, timeS, surfacePx: abovePx, specks: specksAbove(membership, WIDTH, abovePx) });
  }
  return findDropletArcs(frames);
}

const JUDGE: DropletJudgement = { toVideoPx: 2, scale: { pxPerM: 222, from: 'container' }, expectedMS2: 9.81, slowMotion: 1, tolerance: 0.15, sigmas: 3, minArcs: 3 };
/** Gravity of a splash into a tank at 320x180 (111 px/m), px/s². */
const G_PX_S2 = 9.81 * 111;

describe('specksAbove', () => {
  it('centres each speck by its membership to a tenth of a pixel and keeps only those above the given row', () => {
    const membership = new Float32Array(WIDTH * HEIGHT);
    addDisc(membership, 40.3, 30.7, 1.5);
    addDisc(membership, 90.6, 61.2, 2);
    addDisc(membership, 200, 120, 1.5);
    const specks = specksAbove(membership, WIDTH, 100);
    expect(specks).toHaveLength(2);
    expect(Math.hypot(specks[0]!.xPx - 40.3, specks[0]!.yPx - 30.7)).toBeLessThan(0.1);
    expect(Math.hypot(specks[1]!.xPx - 90.6, specks[1]!.yPx - 61.2)).toBeLessThan(0.1);
    expect(specks[1]!.areaPx).toBeCloseTo(Math.PI * 4, 0);
  });

  it('leaves out a sheet of liquid too large for a droplet', () => {
    const membership = new Float32Array(WIDTH * HEIGHT);
    addDisc(membership, 100, 50, 8);
    expect(specksAbove(membership, WIDTH, 100)).toEqual([]);
  });
});

describe('droplet flights', () => {
  it('links the droplets above the surface and measures their g within 1% of the truth', () => {
    const flights = flightsUnder(G_PX_S2);
    expect(flights.arcs.length).toBeGreaterThanOrEqual(4);
    expect(Math.abs(flights.gravityPxS2! / G_PX_S2 - 1)).toBeLessThan(0.01);
    const judged = judgeDroplets(flights, { ...JUDGE, scale: { pxPerM: 111 * JUDGE.toVideoPx, from: 'container' } });
    expect(judged.failure).toBeNull();
    expect(Math.abs(judged.value.gravityMS2! / 9.81 - 1)).toBeLessThan(0.01);
    expect(judged.value.gravityPxS2).toBeCloseTo(flights.gravityPxS2! * JUDGE.toVideoPx, 0);
    expect(judged.value.arcs).toBe(flights.arcs.length);
  });

  it('raises gravity-off on droplets that float (half gravity), naming them', () => {
    const flights = flightsUnder(0.5 * G_PX_S2);
    expect(Math.abs(flights.gravityPxS2! / (0.5 * G_PX_S2) - 1)).toBeLessThan(0.02);
    const judged = judgeDroplets(flights, { ...JUDGE, scale: { pxPerM: 111 * JUDGE.toVideoPx, from: 'trajectory' } });
    expect(judged.failure?.code).toBe('gravity-off');
    expect(judged.failure?.message).toMatch(/droplets fly under 4\.\d+ ± \d\.\d+ m\/s²/);
    expect(judged.failure?.atS).toBeGreaterThan(LAUNCH_S);
  });

  it('judges nothing without a scale, or with fewer arcs than asked for', () => {
    const flights = flightsUnder(0.5 * G_PX_S2);
    const unscaled = judgeDroplets(flights, { ...JUDGE, scale: null });
    expect(unscaled.failure).toBeNull();
    expect(unscaled.value.gravityMS2).toBeNull();
    expect(unscaled.value.gravityPxS2).not.toBeNull();
    expect(judgeDroplets(flights, { ...JUDGE, minArcs: flights.arcs.length + 1 }).failure).toBeNull();
  });

  it('finds no flight in specks that stay put, drift at a steady speed, or bend far from the surface', () => {
    const frames: SpeckFrame[] = Array.from({ length: 12 }, (_, k) => ({
      frameIndex: k,
      timeS: k / FPS,
      surfacePx: SURFACE_PX,
      specks: [
        { xPx: 50, yPx: 40, areaPx: 6 },
        { xPx: 80 + 2 * k, yPx: 60 + k, areaPx: 6 },
        // A ballistic path whose lowest point, 60 px above the surface, it never leaves nor reaches.
        { xPx: 200 + k, yPx: 30 + 0.5 * G_PX_S2 * (k / FPS - 0.25) ** 2, areaPx: 6 },
      ],
    }));
    const flights = findDropletArcs(frames);
    expect(flights.arcs).toEqual([]);
    expect(flights.gravityPxS2).toBeNull();
  });

  it('follows a droplet across frames that compression dropped, and leaves out a speck off its path', () => {
    const g = G_PX_S2;
    // Thrown up from 10 px above the surface, back at it in frame 12.
    const frames: SpeckFrame[] = Array.from({ length: 14 }, (_, k) => {
      const tau = k / FPS;
      const speck = { xPx: 100 + 40 * tau, yPx: SURFACE_PX - 10 - 250 * tau + 0.5 * g * tau * tau, areaPx: 6 };
      // Frames 3 and 7 lost the droplet; frame 5 shows a stray speck beside it as well.
      const specks = speck.yPx >= SURFACE_PX || k === 3 || k === 7 ? [] : k === 5 ? [speck, { xPx: speck.xPx + 4, yPx: speck.yPx - 3, areaPx: 3 }] : [speck];
      return { frameIndex: k, timeS: tau, surfacePx: SURFACE_PX, specks };
    });
    const flights = findDropletArcs(frames);
    expect(flights.arcs).toHaveLength(1);
    expect(flights.arcs[0]!.points).toBe(10);
    expect(flights.gravityPxS2).toBeCloseTo(g, 3);
  });

  it("leaves out of the droplets' g an arc far from the others' (specks of different things lined up), only with three or more", () => {
    const arc = (gPxS2: number): FittedArc => ({ startS: 0, endS: 0.3, tRefS: 0.15, x0Px: 0, vxPxS: 0, y0Px: 0, vyPxS: 0, gPxS2, gStdErrPxS2: 5, rmsPx: 0.3, points: 6 });
    expect(agreeingArcs([arc(1000), arc(1040), arc(970), arc(300)]).map((a) => a.gPxS2)).toEqual([1000, 1040, 970]);
    expect(agreeingArcs([arc(1000), arc(300)])).toHaveLength(2);
  });

  it('combines arcs that agree as the inverse-variance mean, and arcs that scatter beyond their errors nearer their plain mean', () => {
    const agree = [
      { value: 1000, stdErr: 20 },
      { value: 1010, stdErr: 30 },
      { value: 995, stdErr: 25 },
    ];
    expect(randomEffectsMean(agree)).toEqual(inverseVarianceMean(agree));
    // The bench's exact tank at 1280 (seed 331): five arcs -5% to +14% off with errors of 0.6% to 4%.
    const scatter = [4117, 4471, 4575, 4956, 3491].map((value, i) => ({ value, stdErr: [46, 95, 28, 37, 195][i]! }));
    const combined = randomEffectsMean(scatter)!;
    const plainMean = scatter.reduce((a, v) => a + v.value, 0) / scatter.length;
    expect(Math.abs(combined.value - plainMean)).toBeLessThan(Math.abs(inverseVarianceMean(scatter)!.value - plainMean));
    expect(combined.stdErr).toBeGreaterThan(3 * inverseVarianceMean(scatter)!.stdErr);
  });
});
