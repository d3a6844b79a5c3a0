import { describe, expect, it } from 'vitest';
import { alignFrame, estimateShift, greyPyramid, isNegligibleShift, reductionFactor } from '../../metrics/camera-motion.js';
import { gaussianSource, mulberry32 } from '../../runners/sim/prng.js';

const WIDTH = 640;
const HEIGHT = 360;

interface Wave {
  kx: number;
  ky: number;
  phase: number;
  amplitude: number;
}

/** Smooth random plane waves (periods 20 to 80 px): a textured wall that can be shifted exactly, without resampling. */
function wall(seed: number): Wave[] {
  const uniform = mulberry32(seed);
  return Array.from({ length: 16 }, () => {
    const periodPx = 20 + 60 * uniform();
    const angle = Math.PI * uniform();
    return { kx: (2 * Math.PI * Math.cos(angle)) / periodPx, ky: (2 * Math.PI * Math.sin(angle)) / periodPx, phase: 2 * Math.PI * uniform(), amplitude: 3 + 4 * uniform() };
  });
}

/** 120 + Σ a·sin(kx·(x − dx) + ky·(y − dy) + φ) on the pixel grid, by sin(u + v) = sin u cos v + cos u sin v. */
function wallImage(waves: readonly Wave[], dx: number, dy: number): Float32Array {
  const image = new Float32Array(WIDTH * HEIGHT).fill(120);
  for (const w of waves) {
    const sinX = Float32Array.from({ length: WIDTH }, (_, x) => Math.sin(w.kx * (x - dx)));
    const cosX = Float32Array.from({ length: WIDTH }, (_, x) => Math.cos(w.kx * (x - dx)));
    for (let y = 0; y < HEIGHT; y++) {
      const v = w.ky * (y - dy) + w.phase;
      const sinY = w.amplitude * Math.sin(v);
      const cosY = w.amplitude * Math.cos(v);
      for (let x = 0; x < WIDTH; x++) image[y * WIDTH + x] = (image[y * WIDTH + x] as number) + (sinX[x] as number) * cosY + (cosX[x] as number) * sinY;
    }
  }
  return image;
}

interface Disc {
  xPx: number;
  yPx: number;
  radiusPx: number;
}

/** The wall seen by a camera moved by (dx, dy) (image(x) = wall(x − d)), with a red ball drawn in the image, noise and an exposure gain. */
function frame(texture: readonly Wave[], dx: number, dy: number, ball: Disc | null, noiseSeed: number, gain = 1): Uint8Array {
  const noise = gaussianSource(mulberry32(noiseSeed));
  const grey = wallImage(texture, dx, dy);
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const inBall = ball !== null && Math.hypot(x - ball.xPx, y - ball.yPx) < ball.radiusPx;
      const base = grey[y * WIDTH + x] as number;
      const colour = inBall ? [220, 40, 30] : [base, base * 0.95, base * 0.9];
      for (let c = 0; c < 3; c++) rgb[3 * (y * WIDTH + x) + c] = Math.max(0, Math.min(255, Math.round(gain * (colour[c] as number) + 2 * noise())));
    }
  }
  return rgb;
}

describe('camera motion estimate', () => {
  const texture = wall(7);
  const factor = reductionFactor(WIDTH);
  const reference = greyPyramid(frame(texture, 0, 0, null, 1), WIDTH, HEIGHT, factor);

  it('reduces 640 px frames to 160 px', () => {
    expect(factor).toBe(4);
    expect(reference.levels[0]).toMatchObject({ width: 160, height: 90 });
    expect(reference.levels.at(-1)?.width).toBe(40);
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

  it('moves a shifted frame back onto the reference', () => {
    const dx = 3.4;
    const dy = -2.2;
    const still = frame(texture, 0, 0, null, 3);
    const moved = frame(texture, dx, dy, null, 3);
    const fill = Float32Array.from(still);
    const aligned = alignFrame(moved, WIDTH, HEIGHT, { dxPx: dx, dyPx: dy, exposure: 1, usedShare: 1 }, fill, new Uint8Array(moved.length));
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
