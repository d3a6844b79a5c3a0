import { describe, expect, it } from 'vitest';
import { frameProfile, poolOf } from '../../metrics/fluid-profile.js';
import { liquidAreaPx, wallLean } from '../../metrics/fluid-puddle.js';

const WIDTH = 200;
const HEIGHT = 120;

/** A mask of the pixels inside `inside`, profiled. */
function profileOf(inside: (x: number, y: number) => boolean): ReturnType<typeof frameProfile> {
  const mask = new Float32Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) mask[y * WIDTH + x] = inside(x, y) ? 1 : 0;
  return frameProfile(mask, WIDTH, HEIGHT);
}

describe('wallLean and liquidAreaPx', () => {
  it('reads upright walls as 0 and a puddle seen at 35° (an ellipse) as leaning', () => {
    const glass = profileOf((x, y) => x >= 60 && x < 120 && y >= 50 && y < 110);
    const puddle = profileOf((x, y) => ((x - 100) / 80) ** 2 + ((y - 60) / (80 * Math.sin((35 * Math.PI) / 180))) ** 2 <= 1);
    expect(wallLean([glass], [poolOf(glass, 60)])).toBe(0);
    // Rows at least half the widest: edges from 0 to 0.5 of the half-width in, 10th to 90th percentile ≈ 0.46 of it, less 4 px of blur, over the width.
    const lean = wallLean([puddle], [poolOf(puddle, 160)])!;
    expect(lean).toBeGreaterThan(0.15);
    expect(lean).toBeLessThan(0.25);
  });

  it('ignores pools too shallow to show their walls', () => {
    const film = profileOf((x, y) => x >= 60 && x < 120 && y >= 105 && y < 110);
    expect(wallLean([film], [poolOf(film, 60)])).toBeNull();
  });

  it('sums the area of liquid per frame (π·a·b for an ellipse)', () => {
    const puddle = profileOf((x, y) => ((x - 100.5) / 60) ** 2 + ((y - 60.5) / 30) ** 2 <= 1);
    expect(liquidAreaPx([puddle])[0]! / (Math.PI * 60 * 30)).toBeCloseTo(1, 2);
  });
});
