import { describe, it, expect } from 'vitest';
import { colourHistogram, histogramDistance } from '../../metrics/frame-difference.js';
import { findSceneCuts } from '../../metrics/scene-cuts.js';

/** A flat-coloured 8×8 RGB frame. */
function flat(r: number, g: number, b: number): Uint8Array {
  const rgb = new Uint8Array(64 * 3);
  for (let i = 0; i < rgb.length; i += 3) rgb.set([r, g, b], i);
  return rgb;
}

describe('histogramDistance', () => {
  it('is 0 for the same picture and 1 when every channel moves to other bins', () => {
    expect(histogramDistance(colourHistogram(flat(10, 20, 30)), colourHistogram(flat(10, 20, 30)))).toBe(0);
    expect(histogramDistance(colourHistogram(flat(10, 20, 30)), colourHistogram(flat(200, 220, 240)))).toBeCloseTo(1, 12);
    expect(histogramDistance(colourHistogram(flat(10, 20, 30)), colourHistogram(flat(200, 20, 30)))).toBeCloseTo(1 / 3, 12);
  });
});

describe('findSceneCuts', () => {
  it('finds a change of scene that lasts', () => {
    const histograms = Array.from({ length: 20 }, (_, i) => colourHistogram(i < 12 ? flat(40, 90, 40) : flat(200, 180, 160)));
    expect(findSceneCuts(histograms)).toEqual([12]);
  });

  it('ignores a one-frame flash and steady flicker', () => {
    const flash = Array.from({ length: 20 }, (_, i) => colourHistogram(i === 9 ? flat(250, 250, 250) : flat(40, 90, 40)));
    expect(findSceneCuts(flash)).toEqual([]);
    const flicker = Array.from({ length: 20 }, (_, i) => colourHistogram(i % 2 === 0 ? flat(60, 60, 60) : flat(120, 120, 120)));
    expect(findSceneCuts(flicker)).toEqual([]);
  });
});
