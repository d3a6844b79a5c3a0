import { describe, expect, it } from 'vitest';
import { globalMotionSmoothness, pathSmoothness } from '../../metrics/jerk.js';
import { mulberry32 } from '../../runners/sim/prng.js';

const FPS = 30;
const G_PX_S2 = 2000;

/** Gaussian noise of standard deviation `sigma` (Box-Muller over a seeded uniform generator). */
function gaussian(seed: number, sigma: number): () => number {
  const uniform = mulberry32(seed);
  return () => sigma * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Sightings [t, x, y, r] at FPS of the path `at(t)` for `frames` frames, with position noise `sigmaPx`. */
function track(frames: number, at: (t: number) => [number, number], sigmaPx = 0, seed = 1): number[][] {
  const noise = gaussian(seed, sigmaPx);
  return Array.from({ length: frames }, (_, k) => {
    const t = k / FPS;
    const [x, y] = at(t);
    return [t, x + noise(), y + noise(), 20];
  });
}

/** Fit residuals are 2-D: RMS of (dx² + dy²) is √2 σ for noise σ on each coordinate. */
const fitRms = (sigmaPx: number): number => Math.SQRT2 * sigmaPx;

const throwAt = (t: number): [number, number] => [100 + 150 * t, 400 - 900 * t + 0.5 * G_PX_S2 * t * t];

describe('path smoothness (jerk)', () => {
  it('finds a noisy ballistic path as smooth as its noise: jerk ratio near 1, no jump', () => {
    const smooth = pathSmoothness(track(60, throwAt, 0.3), [], fitRms(0.3));
    expect(smooth.windows).toBe(57);
    expect(smooth.jerkRatio!).toBeGreaterThan(0.8);
    expect(smooth.jerkRatio!).toBeLessThan(1.25);
    expect(smooth.noiseJerkPxS3!).toBeCloseTo(Math.sqrt(20) * fitRms(0.3) * FPS ** 3, 0);
    expect(smooth.accelerationJumpsS).toEqual([]);
  });

  it('finds where gravity changes in mid-air, with no contact', () => {
    // From 1.0 s the path falls with 5 g: the acceleration jumps by 4 g at 1.0 s (tracked to 0.1 px, as on exact clips).
    const at = (t: number): [number, number] => {
      const [x, y] = throwAt(t);
      return [x, t < 1 ? y : y + 2 * G_PX_S2 * (t - 1) ** 2];
    };
    const jumpy = pathSmoothness(track(60, at, 0.1), [], fitRms(0.1));
    expect(jumpy.accelerationJumpsS).toHaveLength(1);
    expect(Math.abs(jumpy.accelerationJumpsS[0]! - 1)).toBeLessThan(1.5 / FPS);
    // Two windows of 57 carry the change: the RMS over the path rises clearly above the smooth path's (< 1.25).
    expect(jumpy.jerkRatio!).toBeGreaterThan(1.4);
  });

  it('finds a sideways jump of the position', () => {
    const at = (t: number): [number, number] => {
      const [x, y] = throwAt(t);
      return [t < 1 ? x : x + 80, y];
    };
    const jumps = pathSmoothness(track(60, at, 0.3), [], fitRms(0.3)).accelerationJumpsS;
    expect(jumps).toHaveLength(1);
    expect(Math.abs(jumps[0]! - 1)).toBeLessThan(2 / FPS);
  });

  it('leaves bounces alone, listed as contacts or not', () => {
    // A drop onto y = 500 at 1.0 s (the floor), bouncing back at 0.7 of its speed.
    const fall = (t: number): number => 500 - 0.5 * G_PX_S2 * (1 - t) ** 2;
    const at = (t: number): [number, number] => [200 + 100 * t, t < 1 ? fall(t) : 500 - 0.7 * G_PX_S2 * (t - 1) + 0.5 * G_PX_S2 * (t - 1) ** 2];
    const sightings = track(60, at, 0.3);
    for (const contacts of [[1], []]) {
      const bounced = pathSmoothness(sightings, contacts, fitRms(0.3));
      expect(bounced.accelerationJumpsS).toEqual([]);
      expect(bounced.jerkRatio!).toBeLessThan(1.25);
    }
  });

  it('leaves out partly hidden sightings (a radius off its neighbours), and judges nothing without four sightings', () => {
    const sightings = track(60, throwAt, 0.3);
    // A sighting cut by the frame edge: its centre moves 3 px and its radius shrinks by a third.
    sightings[30] = [sightings[30]![0]!, sightings[30]![1]! + 3, sightings[30]![2]!, 13];
    const smooth = pathSmoothness(sightings, [], fitRms(0.3));
    expect(smooth.accelerationJumpsS).toEqual([]);
    expect(smooth.windows).toBe(53);
    expect(pathSmoothness(track(3, throwAt), [], 0.3)).toEqual({ windows: 0, rmsJerkPxS3: null, noiseJerkPxS3: null, jerkRatio: null, accelerationJumpsS: [] });
  });
});

describe('smoothness of the whole picture', () => {
  it('finds a steady pan smooth and a shake jerky, in px/s³', () => {
    const dt = 1 / 30;
    const pan = Array.from({ length: 30 }, (_, k): [number, number] | null => (k === 0 ? null : [2, 0]));
    expect(globalMotionSmoothness(pan, dt)).toEqual({ pairs: 29, windows: 27, rmsSpeedPxS: 60, rmsJerkPxS3: 0 });
    // Alternating ±1 px a frame: the second difference is ±4 px, over Δt³.
    const shake = Array.from({ length: 30 }, (_, k): [number, number] | null => (k === 0 ? null : [k % 2 === 0 ? 1 : -1, 0]));
    const shaken = globalMotionSmoothness(shake, dt);
    expect(shaken.rmsSpeedPxS).toBe(30);
    expect(shaken.rmsJerkPxS3).toBeCloseTo(4 / dt ** 3, 0);
    expect(globalMotionSmoothness([null, null], dt)).toEqual({ pairs: 0, windows: 0, rmsSpeedPxS: null, rmsJerkPxS3: null });
  });
});
