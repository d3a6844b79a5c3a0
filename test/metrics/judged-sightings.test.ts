import { describe, expect, it } from 'vitest';
import type { TrackAnalysis, VideoPoint } from '../../metrics/analyze-track.js';
import { finalRest, inFlight } from '../../metrics/judged-sightings.js';
import { sizeChangeFailures, TRAJECTORY_DEFAULTS } from '../../metrics/trajectory-checks.js';
import type { FittedArc } from '../../metrics/trajectory-types.js';

const FRAME_S = 1 / 30;
const arc = (startS: number, endS: number): FittedArc => ({ startS, endS, tRefS: startS, x0Px: 0, vxPxS: 0, y0Px: 0, vyPxS: 0, gPxS2: 1000, gStdErrPxS2: 1, rmsPx: 0.1, points: 10 });
/** A fall from 0 to 0.3 s (free flight), then a roll or rest (not). */
const analysis: TrackAnalysis = { arcs: [arc(0, 0.3), arc(0.33, 1.5)], freeFlight: [true, false], boundaries: [], gravityPxS2: 1000, gravityStdErrPxS2: 1, meanRadiusPx: 10 };

/** 46 sightings at 30 fps: falling until 0.3 s, then at (x, 200) with the given radius. */
function sightings(xAfterPx: (t: number) => number, radiusPx: (t: number) => number): VideoPoint[] {
  return Array.from({ length: 46 }, (_, k) => {
    const timeS = k * FRAME_S;
    const falling = timeS <= 0.3 + 1e-9;
    return { frameIndex: k, timeS, xPx: falling ? 100 : xAfterPx(timeS), yPx: falling ? 50 + 500 * timeS * timeS : 200, radiusPx: radiusPx(timeS), atEdge: false };
  });
}

describe('judged sightings', () => {
  it('in flight: from the first flight to the end of the last', () => {
    const points = sightings(() => 100, () => 10);
    expect(inFlight(points, analysis, FRAME_S).map((p) => p.timeS)).toEqual(points.slice(0, 10).map((p) => p.timeS));
  });

  it('at rest: the trailing sightings of a ball lying still after its last flight', () => {
    const points = sightings(() => 100, () => 10);
    expect(finalRest(points, analysis, FRAME_S)).toEqual(points.slice(10));
  });

  it('at rest: only the still end of a ball that rolls and stops, none for one that rolls on', () => {
    const stops = sightings((t) => 100 + 100 * Math.min(t - 0.3, 0.5), () => 10);
    expect(finalRest(stops, analysis, FRAME_S).map((p) => p.timeS)[0]).toBeCloseTo(0.8, 6);
    const rollsOn = sightings((t) => 100 + 100 * (t - 0.3), () => 10);
    expect(finalRest(rollsOn, analysis, FRAME_S)).toEqual([]);
  });

  it('a ball that grows while it lies still changes size at rest; one that keeps its size does not', () => {
    const grows = finalRest(sightings(() => 100, (t) => 10 * (1 + 0.4 * t)), analysis, FRAME_S);
    const [failure] = sizeChangeFailures('the ball', grows, TRAJECTORY_DEFAULTS, ' while at rest');
    expect(failure?.code).toBe('size-change');
    expect(failure?.message).toMatch(/^the ball grew from 11\.\d to 15\.\d px radius \(×1\.\d+\) while at rest$/);
    const keeps = finalRest(sightings(() => 100, () => 10), analysis, FRAME_S);
    expect(sizeChangeFailures('the ball', keeps, TRAJECTORY_DEFAULTS, ' while at rest')).toEqual([]);
  });
});
