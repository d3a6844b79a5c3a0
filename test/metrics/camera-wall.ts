/** Synthetic textured walls seen by a moving camera, for the camera-motion tests: exact sub-pixel shifts, no resampling. */
import { gaussianSource, mulberry32 } from '../../runners/sim/prng.js';

interface Size {
  width: number;
  height: number;
}

export interface Wave {
  kx: number;
  ky: number;
  phase: number;
  amplitude: number;
}

/** Smooth random plane waves (periods 20 to 80 px): a textured wall that can be shifted exactly, without resampling. */
export function wall(seed: number): Wave[] {
  const uniform = mulberry32(seed);
  return Array.from({ length: 16 }, () => {
    const periodPx = 20 + 60 * uniform();
    const angle = Math.PI * uniform();
    return { kx: (2 * Math.PI * Math.cos(angle)) / periodPx, ky: (2 * Math.PI * Math.sin(angle)) / periodPx, phase: 2 * Math.PI * uniform(), amplitude: 3 + 4 * uniform() };
  });
}

/** 120 + Σ a·sin(kx·(x − dx) + ky·(y − dy) + φ) on the pixel grid, by sin(u + v) = sin u cos v + cos u sin v. */
function wallImage({ width, height }: Size, waves: readonly Wave[], dx: number, dy: number): Float32Array {
  const image = new Float32Array(width * height).fill(120);
  for (const w of waves) {
    const sinX = Float32Array.from({ length: width }, (_, x) => Math.sin(w.kx * (x - dx)));
    const cosX = Float32Array.from({ length: width }, (_, x) => Math.cos(w.kx * (x - dx)));
    for (let y = 0; y < height; y++) {
      const v = w.ky * (y - dy) + w.phase;
      const sinY = w.amplitude * Math.sin(v);
      const cosY = w.amplitude * Math.cos(v);
      for (let x = 0; x < width; x++) image[y * width + x] = (image[y * width + x] as number) + (sinX[x] as number) * cosY + (cosX[x] as number) * sinY;
    }
  }
  return image;
}

export interface Disc {
  xPx: number;
  yPx: number;
  radiusPx: number;
}

/** The wall seen by a camera moved by (dx, dy) (image(x) = wall(x − d)), with a red ball drawn in the image, noise and an exposure gain. */
export function wallFrame(size: Size, texture: readonly Wave[], dx: number, dy: number, ball: Disc | null, noiseSeed: number, gain = 1): Uint8Array {
  const { width, height } = size;
  const noise = gaussianSource(mulberry32(noiseSeed));
  const grey = wallImage(size, texture, dx, dy);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBall = ball !== null && Math.hypot(x - ball.xPx, y - ball.yPx) < ball.radiusPx;
      const base = grey[y * width + x] as number;
      const colour = inBall ? [220, 40, 30] : [base, base * 0.95, base * 0.9];
      for (let c = 0; c < 3; c++) rgb[3 * (y * width + x) + c] = Math.max(0, Math.min(255, Math.round(gain * (colour[c] as number) + 2 * noise())));
    }
  }
  return rgb;
}
