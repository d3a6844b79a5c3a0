import { beforeAll, describe, expect, it } from 'vitest';
import { loadOpenCv, type OpenCv } from '../../metrics/opencv.js';
import { farnebackFlow, maskedSsim, warpConsistency, type GrayImage } from '../../metrics/warp-error.js';
import { mulberry32 } from '../../runners/sim/prng.js';

const WIDTH = 80;
const HEIGHT = 45;

/** Random texture (a sum of sinusoidal gratings) seen through a window moved by (dx, dy), times `gain`. */
function texture(dx: number, dy: number, gain = 1): GrayImage {
  const random = mulberry32(7);
  // Gratings in six directions, so that no motion lies along all of them (the aperture problem).
  const waves = Array.from({ length: 6 }, (_, i) => {
    const angle = (i * Math.PI) / 6 + 0.2 * random();
    const frequency = 0.2 + 0.1 * random();
    return { fx: frequency * Math.cos(angle), fy: frequency * Math.sin(angle), phase: 2 * Math.PI * random() };
  });
  const data = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const u = x - dx;
      const v = y - dy;
      const level = 120 + waves.reduce((sum, w) => sum + 15 * Math.sin(w.fx * u + w.fy * v + w.phase), 0);
      data[y * WIDTH + x] = Math.max(0, Math.min(255, Math.round(gain * level)));
    }
  }
  return { width: WIDTH, height: HEIGHT, data };
}

describe('warp consistency with one flow per frame pair', () => {
  let cv: OpenCv;
  beforeAll(async () => {
    cv = await loadOpenCv();
  });

  it('measures the motion of a shifted picture, warps it closely, and reads no gain', () => {
    const previous = texture(0, 0);
    const current = texture(2, 1);
    const result = warpConsistency(previous, current, farnebackFlow(cv, current, previous));
    expect(result.meanMotionPx![0]).toBeCloseTo(2, 0);
    expect(result.meanMotionPx![1]).toBeCloseTo(1, 0);
    // The columns and rows that leave the frame, and flow noise where the gratings beat, are left out.
    expect(result.reliableFraction).toBeGreaterThan(0.7);
    expect(result.warpError!).toBeLessThan(0.02);
    // Measured 0.77: bilinear resampling of gratings with periods of 20-30 px at sub-pixel flow errors.
    expect(result.ssim!).toBeGreaterThan(0.7);
    expect(Math.abs(result.logGain!)).toBeLessThan(0.01);
  });

  it('reads a 10% exposure step as a log gain of ln 1.1 on a moving picture', () => {
    const previous = texture(0, 0);
    const current = texture(1, 0, 1.1);
    const result = warpConsistency(previous, current, farnebackFlow(cv, current, previous));
    expect(result.logGain!).toBeCloseTo(Math.log(1.1), 2);
  });
});

/** SSIM of one window by its definition (Wang et al. 2004), means and (co)variances summed directly. */
function windowSsim(a: Float32Array, b: Uint8Array, width: number, x: number, y: number, half: number): number {
  const values: Array<[number, number]> = [];
  for (let v = y - half; v <= y + half; v++) for (let u = x - half; u <= x + half; u++) values.push([a[v * width + u]!, b[v * width + u]!]);
  const n = values.length;
  const ma = values.reduce((sum, [p]) => sum + p, 0) / n;
  const mb = values.reduce((sum, [, q]) => sum + q, 0) / n;
  const va = values.reduce((sum, [p]) => sum + (p - ma) ** 2, 0) / n;
  const vb = values.reduce((sum, [, q]) => sum + (q - mb) ** 2, 0) / n;
  const cov = values.reduce((sum, [p, q]) => sum + (p - ma) * (q - mb), 0) / n;
  const [c1, c2] = [(0.01 * 255) ** 2, (0.03 * 255) ** 2];
  return ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
}

describe('maskedSsim', () => {
  it('equals the mean of the windows computed one by one, over the masked centres that fit in the image', () => {
    const random = mulberry32(11);
    const [width, height, half] = [23, 17, 3];
    const a = Float32Array.from({ length: width * height }, () => 255 * random());
    const b = Uint8Array.from(a, (v) => Math.max(0, Math.min(255, Math.round(0.8 * v + 40 * random()))));
    const mask = Uint8Array.from({ length: width * height }, () => (random() < 0.6 ? 1 : 0));
    const expected: number[] = [];
    for (let y = half; y < height - half; y++) for (let x = half; x < width - half; x++) if (mask[y * width + x] === 1) expected.push(windowSsim(a, b, width, x, y, half));
    const mean = expected.reduce((sum, v) => sum + v, 0) / expected.length;
    expect(maskedSsim(a, b, mask, width, height, half)).toBeCloseTo(mean, 9);
    expect(maskedSsim(a, b, new Uint8Array(width * height), width, height, half)).toBeNull();
    // Identical images: SSIM 1.
    expect(maskedSsim(Float32Array.from(b), b, mask, width, height, half)).toBeCloseTo(1, 12);
  });
});
