import { describe, expect, it } from 'vitest';
import { CameraCompensator } from '../../metrics/camera-motion-compensator.js';
import { wall, wallFrame } from './camera-wall.js';

const size = { width: 320, height: 180 };
const texture = wall(11);
const background = Float32Array.from(wallFrame(size, texture, 0, 0, null, 1));
/** A ball crossing the wall, as analysis frames seen by a camera moved by `offsets`. */
const frames = (offsets: ReadonlyArray<readonly [number, number]>, firstSeed: number): Uint8Array[] =>
  offsets.map(([dx, dy], k) => wallFrame(size, texture, dx, dy, { xPx: 40 + 8 * k, yPx: 60 + 2 * k, radiusPx: 9 }, firstSeed + k));

describe('camera compensator', () => {
  it('passes a still camera through untouched, frame for frame', () => {
    const compensator = new CameraCompensator(size.width, size.height);
    const still = frames(Array.from({ length: 24 }, () => [0, 0] as const), 100);
    const warmup = compensator.alignWarmup(still.slice(0, 8));
    warmup.forEach((rgb, k) => expect(rgb).toBe(still[k]));
    for (const rgb of still.slice(8)) expect(compensator.align(rgb, background)).toBe(rgb);
    const summary = compensator.summary(1);
    expect(summary.cameraCompensated).toBe(false);
    expect(summary.cameraShakePxRms).toBeLessThan(0.05);
  });

  it('takes a shaking camera back onto the background', () => {
    const compensator = new CameraCompensator(size.width, size.height);
    const offsets = Array.from({ length: 16 }, (_, k) => [3 * Math.sin(0.7 * k), 2.5 * Math.cos(0.5 * k)] as const);
    const shaken = frames(offsets, 200);
    compensator.alignWarmup(shaken.slice(0, 6));
    const k = 12;
    const aligned = compensator.align(shaken[k] as Uint8Array, background);
    // Against the background, away from the ball: the shaken frame differs by its texture moved, the aligned one by noise.
    let before = 0;
    let after = 0;
    let count = 0;
    for (let y = 10; y < size.height - 10; y++) {
      for (let x = 140; x < size.width - 10; x++) {
        const p = 3 * (y * size.width + x);
        before += Math.abs(((shaken[k] as Uint8Array)[p] as number) - (background[p] as number));
        after += Math.abs((aligned[p] as number) - (background[p] as number));
        count++;
      }
    }
    expect(compensator.summary(1).cameraCompensated).toBe(true);
    // Two frames of σ 2 noise differ by about 2.3 on average; the interpolation smooths one of them.
    expect(after / count).toBeLessThan(2.5);
    expect(before / count).toBeGreaterThan(2 * (after / count));
  });
});
