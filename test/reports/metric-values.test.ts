import { describe, expect, it } from 'vitest';
import { readAvSync, readTemporal, readTrajectory } from '../../reports/metric-values.js';
import { resultsFixture } from './fixture.js';

const items = resultsFixture().items;
const [dropIdeal, bounceIdeal, odd, , notAnalysed] = items;

describe('metric views', () => {
  it('read a well-formed trajectory in full', () => {
    const trajectory = readTrajectory(dropIdeal!);
    expect(trajectory?.gravityMS2).toBe(9.75);
    expect(trajectory?.objects[0]?.track).toHaveLength(45);
    expect(trajectory?.objects[0]?.arcs).toHaveLength(2);
    expect(trajectory?.restitution).toEqual([0.7]);
  });

  it('keep the well-formed parts of odd values and drop the rest', () => {
    const trajectory = readTrajectory(odd!);
    expect(trajectory?.gravityMS2).toBeNull();
    expect(trajectory?.objects).toHaveLength(1);
    expect(trajectory?.objects[0]?.track).toEqual([[0, 1, 2, 3]]);
    expect(trajectory?.objects[0]?.arcs).toEqual([]);
    expect(readAvSync(odd!)).toBeNull();
    expect(readTemporal(odd!)).toEqual({ flickerIndex: null, worstFlickerAtS: null, lumaSeries: [] });
  });

  it('return null when a metric is absent', () => {
    expect(readTrajectory(notAnalysed!)).toBeNull();
    expect(readAvSync(dropIdeal!)).toBeNull();
  });

  it('read audio-video sync and flicker', () => {
    expect(readAvSync(bounceIdeal!)).toEqual({
      hasAudio: true,
      offsetMs: 12.5,
      confidence: 0.9,
      onsetsS: [0.54, 1.2],
      impactsS: [0.53],
      pairs: [{ videoS: 0.53, audioS: 0.54 }],
    });
    const temporal = readTemporal(bounceIdeal!);
    expect(temporal?.flickerIndex).toBe(0.0123);
    expect(temporal?.worstFlickerAtS).toBe(0.5);
    expect(temporal?.lumaSeries).toHaveLength(45);
  });

  it('read per-arc standard errors, the scale and per-object restitution', () => {
    const object = readTrajectory(dropIdeal!)?.objects[0];
    expect(object?.arcs.map((arc) => arc.gStdErrPxS2)).toEqual([2, 2]);
    expect(object?.pxPerM).toBe(100);
    expect(object?.restitution).toEqual([0.7]);
    const oddObject = readTrajectory(odd!)?.objects[0];
    expect(oddObject?.pxPerM).toBeNull();
    expect(oddObject?.restitution).toEqual([]);
  });
});
