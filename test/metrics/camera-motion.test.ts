import { describe, expect, it } from 'vitest';
import { alignFrame, estimateShift, greyPyramid, isNegligibleShift, reductionFactor } from '../../metrics/camera-motion.js';
import { mulberry32 } from '../../runners/sim/prng.js';
import { wall, wallFrame, type Disc, type Wave } from './camera-wall.js';

const WIDTH = 640;
const HEIGHT = 360;
const frame = (texture: readonly Wave[], dx: number, dy: number, ball: Disc | null, noiseSeed: number, gain = 1): Uint8Array =>
  wallFrame({ width: WIDTH, height: HEIGHT }, texture, dx, dy, ball, noiseSeed, gain);

describe('camera motion estimate', () => {
  const texture = wall(7);
  const factor = reductionFactor(WIDTH);
  const reference = greyPyramid(frame(texture, 0, 0, null, 1), WIDTH, HEIGHT, factor);

  it('reduces 640 px frames to 160 px', () => {
    expect(factor).toBe(4);
    expect(reference.levels[0]).toMatchObject({ width: 160, height: 90 });
    expect(reference.levels.at(-1)?.width).toBe(40);
  });

  it('builds each pyramid in arrays of its own: the buffers reused between calls, of any size, change no earlier result', () => {
    const rgb = frame(texture, 1.5, -0.5, null, 4);
    const first = greyPyramid(rgb, WIDTH, HEIGHT, factor);
    const copies = first.levels.map((level) => level.values.slice());
    greyPyramid(Float32Array.from(frame(texture, 0, 0, null, 5)), WIDTH, HEIGHT, factor);
    greyPyramid(rgb.subarray(0, 3 * 200 * 120), 200, 120, 1);
    first.levels.forEach((level, k) => expect(level.values).toEqual(copies[k]));
    expect(greyPyramid(rgb, WIDTH, HEIGHT, factor)).toEqual(first);
    expect(estimateShift(reference, first)).toEqual(estimateShift(reference, greyPyramid(rgb, WIDTH, HEIGHT, factor)));
  });

  it('finds known sub-pixel shifts within 0.1 px (half the centre noise of H.264 at CRF 23), with a ball that moved and a flicker of the exposure', () => {
    const shifts: Array<[number, number]> = [[0.3, -0.2], [2.37, 1.61], [-4.8, 3.25], [7.1, -5.55], [-0.04, 0.07]];
    const errors = shifts.map(([dx, dy], i) => {
      const seen = frame(texture, dx, dy, { xPx: 100 + 90 * i, yPx: 120 + 20 * i, radiusPx: 18 }, 10 + i, i % 2 === 0 ? 1 : 1.2);
      const estimate = estimateShift(reference, greyPyramid(seen, WIDTH, HEIGHT, factor));
      return Math.hypot(estimate.dxPx - dx, estimate.dyPx - dy);
    });
    for (const error of errors) expect(error).toBeLessThan(0.1);
  });

  it('reads a still camera as a negligible shift, so its frames are never resampled', () => {
    for (let i = 0; i < 4; i++) {
      const still = frame(texture, 0, 0, { xPx: 200 + 60 * i, yPx: 150, radiusPx: 20 }, 50 + i);
      expect(isNegligibleShift(estimateShift(reference, greyPyramid(still, WIDTH, HEIGHT, factor)))).toBe(true);
    }
  });

  it('leaves an axis the scenery does not constrain at zero: horizontal stripes fix a vertical shift, not a horizontal one', () => {
    // Waves with kx = 0: the wall is the same along every row, so a ball moving across it must not read as a pan.
    const stripes = texture.map((w) => ({ ...w, kx: 0, ky: Math.hypot(w.kx, w.ky) }));
    const plain = greyPyramid(frame(stripes, 0, 0, null, 1), WIDTH, HEIGHT, factor);
    const seen = frame(stripes, 0.9, -1.3, { xPx: 300, yPx: 180, radiusPx: 20 }, 2);
    const estimate = estimateShift(plain, greyPyramid(seen, WIDTH, HEIGHT, factor));
    expect(estimate.dyPx).toBeCloseTo(-1.3, 1);
    expect(estimate.stdErrPx[1]).toBeLessThan(0.01);
    expect(estimate.stdErrPx[0]).toBeGreaterThan(0.05);
    expect(estimate.dxPx).toBe(0);
  });

  it('resamples every pixel as bilinear interpolation at x + d does, edges filled from the reference or extended', () => {
    const width = 24;
    const height = 16;
    const uniform = mulberry32(3);
    const rgb = Uint8Array.from({ length: width * height * 3 }, () => Math.floor(256 * uniform()));
    const fill = Float32Array.from({ length: rgb.length }, () => 100);
    const at = (x: number, y: number, c: number): number => rgb[3 * (y * width + x) + c] as number;
    for (const [dxPx, dyPx] of [[0.25, -0.5], [-3.7, 2.2], [5, 0], [0, -1.5]] as const) {
      for (const withFill of [true, false]) {
        const out = alignFrame(rgb, width, height, { dxPx, dyPx, exposure: 1, usedShare: 1, stdErrPx: [0, 0] }, withFill ? fill : null, new Uint8Array(rgb.length));
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const sx = x + dxPx;
            const sy = y + dyPx;
            const outside = sx < 0 || sx > width - 1 || sy < 0 || sy > height - 1;
            const cx = Math.min(width - 1, Math.max(0, sx));
            const cy = Math.min(height - 1, Math.max(0, sy));
            const x0 = Math.min(Math.floor(cx), width - 2);
            const y0 = Math.min(Math.floor(cy), height - 2);
            for (let c = 0; c < 3; c++) {
              const top = at(x0, y0, c) * (1 - (cx - x0)) + at(x0 + 1, y0, c) * (cx - x0);
              const bottom = at(x0, y0 + 1, c) * (1 - (cx - x0)) + at(x0 + 1, y0 + 1, c) * (cx - x0);
              const expected = withFill && outside ? 100 : top * (1 - (cy - y0)) + bottom * (cy - y0);
              expect(Math.abs((out[3 * (y * width + x) + c] as number) - expected)).toBeLessThanOrEqual(0.5 + 1e-9);
            }
          }
        }
      }
    }
  });

  it('moves a shifted frame back onto the reference', () => {
    const dx = 3.4;
    const dy = -2.2;
    const still = frame(texture, 0, 0, null, 3);
    const moved = frame(texture, dx, dy, null, 3);
    const fill = Float32Array.from(still);
    const aligned = alignFrame(moved, WIDTH, HEIGHT, { dxPx: dx, dyPx: dy, exposure: 1, usedShare: 1, stdErrPx: [0, 0] }, fill, new Uint8Array(moved.length));
    let before = 0;
    let after = 0;
    for (let p = 0; p < still.length; p++) {
      before += Math.abs((moved[p] as number) - (still[p] as number));
      after += Math.abs((aligned[p] as number) - (still[p] as number));
    }
    // What is left is the sensor noise of two frames (mean |difference| of σ 2 noise ≈ 2.3), smoothed by the interpolation.
    expect(after / still.length).toBeLessThan(2.5);
    expect(before / still.length).toBeGreaterThan(3 * (after / still.length));
  });
});
