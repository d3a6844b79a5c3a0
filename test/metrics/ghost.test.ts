import { describe, expect, it } from 'vitest';
import { isGhost, type LabelledRegion } from '../../metrics/ghost.js';

const WIDTH = 40;
const HEIGHT = 30;

/** A wall with a faint random-dot texture (±6 grey), the same in the frame and the background. */
function wall(seed: number): Uint8Array {
  const image = new Uint8Array(WIDTH * HEIGHT * 3);
  let state = seed;
  for (let i = 0; i < WIDTH * HEIGHT; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    image.fill(180 + ((state >> 16) % 13) - 6, 3 * i, 3 * i + 3);
  }
  return image;
}

/** Paints a dark disc of radius 6 at (20, 15) into the image, and labels its pixels `label`. */
function paintDisc(image: Uint8Array | Float32Array, labels: Int32Array | null, label: number): LabelledRegion {
  const region = { label, minX: WIDTH, maxX: -1, minY: HEIGHT, maxY: -1 };
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      if ((x - 20) ** 2 + (y - 15) ** 2 > 36) continue;
      image.fill(40, 3 * (y * WIDTH + x), 3 * (y * WIDTH + x) + 3);
      if (labels !== null) labels[y * WIDTH + x] = label;
      Object.assign(region, { minX: Math.min(region.minX, x), maxX: Math.max(region.maxX, x), minY: Math.min(region.minY, y), maxY: Math.max(region.maxY, y) });
    }
  }
  return region;
}

describe('isGhost', () => {
  it('is true where the background holds a ball the frame does not show (the bare wall runs on across it)', () => {
    const frame = wall(7);
    const background = Float32Array.from(wall(7));
    const labels = new Int32Array(WIDTH * HEIGHT);
    const region = paintDisc(background, labels, 3);
    expect(isGhost(frame, background, labels, WIDTH, HEIGHT, region)).toBe(true);
  });

  it('is false for a ball in the frame over the bare wall of the background', () => {
    const frame = wall(7);
    const background = Float32Array.from(wall(7));
    const labels = new Int32Array(WIDTH * HEIGHT);
    const region = paintDisc(frame, labels, 3);
    expect(isGhost(frame, background, labels, WIDTH, HEIGHT, region)).toBe(false);
  });
});
