import { describe, expect, it } from 'vitest';
import { FIT_ARC_DEFAULTS, type ArcPoint } from '../../metrics/fit-arc.js';
import { splitArcs } from '../../metrics/split-arcs.js';

const OPTIONS = { breakSigma: 4, breakFloorPx: 1, fit: FIT_ARC_DEFAULTS };
const G = 2000;

/** y of a ball dropped from 60 px at rest onto a floor at 300 px, restitution 0.8 (exact bounces). */
function bouncingY(t: number): number {
  let y0 = 60;
  let v0 = 0;
  let t0 = 0;
  for (let bounce = 0; bounce < 10; bounce++) {
    const contactS = t0 + (-v0 + Math.sqrt(v0 * v0 + 2 * G * (300 - y0))) / G;
    if (t <= contactS) return y0 + v0 * (t - t0) + 0.5 * G * (t - t0) ** 2;
    v0 = -0.8 * (v0 + G * (contactS - t0));
    y0 = 300;
    t0 = contactS;
  }
  return 300;
}

function track(frames: number, fps: number, y: (t: number) => number): ArcPoint[] {
  return Array.from({ length: frames }, (_, i) => ({ timeS: i / fps, xPx: 100 + 50 * (i / fps), yPx: y(i / fps) }));
}

describe('splitArcs', () => {
  it('keeps one free-flight parabola as one arc', () => {
    const segments = splitArcs(track(30, 30, (t) => 50 - 200 * t + 0.5 * G * t * t), OPTIONS);
    expect(segments.map((s) => [s.startIndex, s.endIndex])).toEqual([[0, 30]]);
    expect(segments[0]?.arc.gPxS2).toBeCloseTo(G, 6);
  });

  it('splits bounces at the frames around each contact', () => {
    const points = track(45, 30, bouncingY);
    const segments = splitArcs(points, OPTIONS);
    // Contacts at 0.490 s (frame 14.7) and 1.274 s (frame 38.2).
    expect(segments.map((s) => [s.startIndex, s.endIndex])).toEqual([
      [0, 15],
      [15, 39],
      [39, 45],
    ]);
    for (const s of segments) expect(s.arc.gPxS2).toBeCloseTo(G, 4);
  });

  it('treats a single wild frame as an outlier, not a break', () => {
    const points = track(30, 30, (t) => 50 - 200 * t + 0.5 * G * t * t);
    const bad = points[12] as ArcPoint;
    points[12] = { ...bad, xPx: bad.xPx + 40 };
    const segments = splitArcs(points, OPTIONS);
    expect(segments).toHaveLength(1);
    expect(segments[0]?.arc.points).toBe(29);
    expect(segments[0]?.arc.gPxS2).toBeCloseTo(G, 6);
  });

  it('keeps one flight whole when a misplaced sighting, the last of its first four, bends the seed', () => {
    // A ball rising from a bounce (g = 546 px/s², 30 fps); its 4th sighting reads 0.7 px high (swollen by
    // the other ball passing). The seed of the first four then misses the 5th: the flight was cut in two.
    const points: ArcPoint[] = Array.from({ length: 45 }, (_, i) => {
      const u = 0.014 + i / 30;
      return { timeS: u, xPx: 255 - 96 * u, yPx: 297.4 - 430 * u + 273 * u * u };
    });
    const bad = points[3] as ArcPoint;
    points[3] = { ...bad, xPx: bad.xPx - 0.3, yPx: bad.yPx - 0.7 };
    const segments = splitArcs(points, { breakSigma: 4, breakFloorPx: 1.5, fit: { ...FIT_ARC_DEFAULTS, outlierFloorPx: 1.5 } });
    expect(segments.map((s) => [s.startIndex, s.endIndex])).toEqual([[0, 45]]);
    expect(segments[0]?.arc.gPxS2).toBeCloseTo(546, -1);
  });

  it('keeps a short run before a sideways jump apart from the long flight after it', () => {
    // Five sightings, then the ball jumps 160 px sideways and flies on for 35 more: the five are a sixth
    // of the whole, few enough to go as outliers of one fit.
    const points = track(40, 30, (t) => 50 + 0.5 * G * t * t).map((p, i) => (i >= 5 ? { ...p, xPx: p.xPx + 160 } : p));
    expect(splitArcs(points, OPTIONS).map((s) => [s.startIndex, s.endIndex])).toEqual([
      [0, 5],
      [5, 40],
    ]);
  });

  it('leaves the runs of a ball at rest apart', () => {
    // A bowling ball lying still after its drop, its centre read at three places as it settles (steps of
    // 0.7 and 3 px): runs too short to bend, that must not join into one long "flight" of g near 0.
    const points = track(80, 30, () => 0).map((p, i) => ({ ...p, xPx: i < 13 ? 479.4 : i < 17 ? 478.7 : 478.2, yPx: i < 13 ? 265.7 : i < 17 ? 265.6 : 262.5 }));
    const segments = splitArcs(points, { ...OPTIONS, breakFloorPx: 1.5 });
    expect(Math.max(...segments.map((s) => s.endIndex - s.startIndex))).toBeLessThan(70);
  });

  it('breaks at a sideways jump', () => {
    const points = track(30, 30, (t) => 50 + 0.5 * G * t * t).map((p, i) => (i >= 16 ? { ...p, xPx: p.xPx + 150 } : p));
    const segments = splitArcs(points, OPTIONS);
    expect(segments.map((s) => [s.startIndex, s.endIndex])).toEqual([
      [0, 16],
      [16, 30],
    ]);
  });
});
