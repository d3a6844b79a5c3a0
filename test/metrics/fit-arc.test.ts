import { describe, expect, it } from 'vitest';
import { fitArc, type ArcPoint } from '../../metrics/fit-arc.js';

/** Deterministic normal noise (mulberry32 + Box-Muller), so the tables of known answers never flake. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

function parabola(gPxS2: number, fps: number, frames: number, noisePx: number, seed = 1): ArcPoint[] {
  const noise = gaussian(seed);
  return Array.from({ length: frames }, (_, i) => {
    const t = 0.2 + i / fps;
    return { timeS: t, xPx: 50 + 120 * t + noisePx * noise(), yPx: 40 - 300 * t + 0.5 * gPxS2 * t * t + noisePx * noise() };
  });
}

describe('fitArc', () => {
  it('recovers g, vy and vx of an exact parabola', () => {
    const result = fitArc(parabola(1962, 30, 20, 0));
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.arc.gPxS2).toBeCloseTo(1962, 6);
    expect(result.arc.vxPxS).toBeCloseTo(120, 6);
    const tau = result.arc.tRefS;
    expect(result.arc.vyPxS).toBeCloseTo(-300 + 1962 * tau, 6);
    expect(result.arc.rmsPx).toBeLessThan(1e-6);
    expect(result.arc.points).toBe(20);
  });

  it.each([
    { gPxS2: 1962, fps: 30, frames: 24, noisePx: 0.5 },
    { gPxS2: 981, fps: 24, frames: 15, noisePx: 1 },
    { gPxS2: 3000, fps: 60, frames: 40, noisePx: 2 },
  ])('finds g = $gPxS2 px/s² within 3 standard errors at $noisePx px noise', ({ gPxS2, fps, frames, noisePx }) => {
    for (let seed = 1; seed <= 10; seed++) {
      const result = fitArc(parabola(gPxS2, fps, frames, noisePx, seed));
      if (result.status !== 'ok') throw new Error(result.status);
      expect(Math.abs(result.arc.gPxS2 - gPxS2)).toBeLessThan(3.5 * result.arc.gStdErrPxS2);
      expect(result.arc.gStdErrPxS2).toBeGreaterThan(0);
    }
  });

  it('drops an outlier frame and keeps g exact', () => {
    const points = parabola(1962, 30, 20, 0);
    const bad = points[7] as ArcPoint;
    points[7] = { ...bad, yPx: bad.yPx + 25 };
    const result = fitArc(points);
    if (result.status !== 'ok') throw new Error(result.status);
    expect(result.outlierIndices).toEqual([7]);
    expect(result.arc.gPxS2).toBeCloseTo(1962, 6);
    expect(result.arc.points).toBe(19);
  });

  it('returns a status, never NaN, on degenerate input', () => {
    expect(fitArc([])).toEqual({ status: 'too-few-points', points: 0 });
    expect(fitArc(parabola(1962, 30, 3, 0))).toEqual({ status: 'too-few-points', points: 3 });
    const sameTime = Array.from({ length: 6 }, (_, i) => ({ timeS: 1, xPx: i, yPx: i }));
    expect(fitArc(sameTime).status).toBe('degenerate');
    const twoTimes = Array.from({ length: 6 }, (_, i) => ({ timeS: i % 2, xPx: i, yPx: i }));
    expect(fitArc(twoTimes).status).toBe('degenerate');
  });
});
