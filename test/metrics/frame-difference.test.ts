import { describe, expect, it } from 'vitest';
import { YuvToRgb } from '../../media/yuv.js';
import { histogramDistance, summariseFrame, summarisePlanes } from '../../metrics/frame-difference.js';
import { mulberry32 } from '../../runners/sim/prng.js';

describe('summarisePlanes', () => {
  it("gives summariseFrame's summary of the same frame converted to RGB, converting cells instead of pixels", () => {
    const [width, height] = [96, 64];
    const pixels = width * height;
    const random = mulberry32(3);
    // A smooth scene with noise, inside the codes no pixel clips at: Y' 40-200, chroma 100-156.
    const planes = new Uint8Array(3 * pixels);
    for (let i = 0; i < pixels; i++) {
      const [x, y] = [i % width, Math.floor(i / width)];
      planes[i] = Math.round(120 + 60 * Math.sin(x / 9) * Math.cos(y / 7) + 8 * (random() - 0.5));
      planes[pixels + i] = Math.round(128 + 20 * Math.sin(y / 5) + 4 * (random() - 0.5));
      planes[2 * pixels + i] = Math.round(128 + 20 * Math.cos(x / 11) + 4 * (random() - 0.5));
    }
    for (const matrix of ['bt601', 'bt709'] as const) {
      const toRgb = new YuvToRgb(matrix);
      for (const factor of [2, 4]) {
        const fromPlanes = summarisePlanes(planes, width, height, factor, toRgb);
        const fromRgb = summariseFrame(toRgb.convert(planes, pixels), width, height, factor);
        expect(fromPlanes.small.width).toBe(fromRgb.small.width);
        // Pixel RGB is rounded before it is averaged: cells agree within a level, means within a tenth.
        fromPlanes.small.data.forEach((v, i) => expect(Math.abs(v - fromRgb.small.data[i]!)).toBeLessThanOrEqual(1));
        fromPlanes.smallRgb.forEach((v, i) => expect(Math.abs(v - fromRgb.smallRgb[i]!)).toBeLessThanOrEqual(1));
        fromPlanes.meanRgb.forEach((v, c) => expect(Math.abs(v - fromRgb.meanRgb[c]!)).toBeLessThan(0.1));
        expect(Math.abs(fromPlanes.meanLuma - fromRgb.meanLuma)).toBeLessThan(0.1);
        expect(histogramDistance(fromPlanes.histogram, fromRgb.histogram)).toBeLessThan(0.02);
      }
    }
  });
});
