import { describe, expect, it } from 'vitest';
import type { Rgb } from '../../metrics/fluid-colour.js';
import { colourOpacity, tintAlong, withoutStandingLiquid } from '../../metrics/fluid-standing.js';

const OPTIONS = { noise: 4, maxOffAngleTan: 0.18, minOpacity: 0.2, maxOpacity: 0.85, maxOpacitySpread: 0.15, minFlatBottomShare: 0.5, referenceRows: 3, gapRows: 2, minDepthPx: 4, minWidthPx: 6, maxSurfaceSpreadPx: 2 };
const LIQUID: Rgb = [173, 216, 230];

/**
 * A 60x40 wall with a vertical texture ramp (or `wall`'s colour at each pixel); a pool of `opacity`
 * over columns `fromX`-`fromX + 19` from row `fromY` to `fromY + 14`.
 */
function scene(opacity: number, wall?: (x: number, y: number) => Rgb, fromX = 20, fromY = 20): { background: Float32Array; dry: Float32Array } {
  const width = 60;
  const height = 40;
  const dry = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) dry[3 * (y * width + x) + c] = wall === undefined ? [200, 190, 180][c]! - 0.5 * y + ((x * 7 + y * 3) % 5) : wall(x, y)[c]!;
  const background = dry.slice();
  for (let y = fromY; y <= fromY + 14; y++) {
    for (let x = fromX; x <= fromX + 19; x++) for (let c = 0; c < 3; c++) background[3 * (y * width + x) + c] = dry[3 * (y * width + x) + c]! * (1 - opacity) + LIQUID[c]! * opacity;
  }
  return { background, dry };
}

describe('withoutStandingLiquid', () => {
  it('finds a pool there from the first frame, its opacity, and unmixes it out of the reference (p = B·(1 − a) + L·a)', () => {
    const { background, dry } = scene(0.55);
    const { reference, pool } = withoutStandingLiquid(background, 60, LIQUID, OPTIONS);
    expect(pool).not.toBeNull();
    expect(pool!.leftPx).toBe(20);
    expect(pool!.rightPx).toBe(39);
    expect(pool!.surfaceRow).toBe(20);
    expect(pool!.bottomRow).toBe(34);
    expect(pool!.opacity).toBeCloseTo(0.55, 1);
    // Inside, away from the edges (where each pixel's own opacity is used), the wall behind comes back to within the texture's spread.
    let worst = 0;
    for (let y = 23; y <= 31; y++) for (let x = 23; x <= 36; x++) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(reference[3 * (y * 60 + x) + c]! - dry[3 * (y * 60 + x) + c]!));
    expect(worst).toBeLessThan(6);
  });

  it('finds nothing on a dry wall, and leaves the background as it is', () => {
    const { dry } = scene(0);
    const { reference, pool } = withoutStandingLiquid(dry, 60, LIQUID, OPTIONS);
    expect(pool).toBeNull();
    expect(reference).toEqual(dry);
  });

  it("judges the pool's evenness by its colour: a wall's grey texture behind it, unlike the rows above, does not spoil it", () => {
    // The simulator's wall near the floor, with a grey grain of ±16 levels (its value noise, tile joints and crf 28
    // blocks), at the noise a 1280x720 crf 28 clip gives: opacities read with the brightness spread over 0.15 of their median here.
    const grain = (x: number, y: number): number => 16 * Math.sin(x / 2.7 + 1) * Math.cos(y / 3.3);
    const { background } = scene(0.55, (x, y) => [187 + grain(x, y), 183 + grain(x, y), 172 + grain(x, y)]);
    const { pool } = withoutStandingLiquid(background, 60, LIQUID, { ...OPTIONS, noise: 12 });
    expect(pool).not.toBeNull();
    expect(pool!.opacity).toBeCloseTo(0.55, 1);
  });

  it('finds no pool cut by the frame (a container not seen whole)', () => {
    expect(withoutStandingLiquid(scene(0.55, undefined, 40).background, 60, LIQUID, OPTIONS).pool).toBeNull();
    expect(withoutStandingLiquid(scene(0.55, undefined, 20, 25).background, 60, LIQUID, OPTIONS).pool).toBeNull();
    // The same pool a column and a row inside the frame is found.
    expect(withoutStandingLiquid(scene(0.55, undefined, 39, 24).background, 60, LIQUID, OPTIONS).pool).toMatchObject({ leftPx: 39, rightPx: 58, bottomRow: 38 });
  });

  it('reads the opacity of a tint from its colour alone: grey changes add nothing', () => {
    const dry: Rgb = [187, 183, 172];
    const d: Rgb = [LIQUID[0] - dry[0], LIQUID[1] - dry[1], LIQUID[2] - dry[2]];
    expect(colourOpacity(0.4 * d[0] + 15, 0.4 * d[1] + 15, 0.4 * d[2] + 15, ...d)).toBeCloseTo(0.4, 6);
    expect(colourOpacity(-20, -20, -20, ...d)).toBeCloseTo(0, 6);
    // A liquid that differs from the wall only in brightness has no colour to read.
    expect(colourOpacity(10, 10, 10, 40, 40, 40)).toBeNull();
  });

  it('tells a tint towards the liquid from a shading gradient on a dark counter (an angle, not a share of the contrast)', () => {
    const counter: Rgb = [110, 80, 60];
    const d: Rgb = [LIQUID[0] - counter[0], LIQUID[1] - counter[1], LIQUID[2] - counter[2]];
    expect(tintAlong(0.3 * d[0], 0.3 * d[1], 0.3 * d[2], ...d, 4, 0.18)).toBeCloseTo(0.3, 5);
    expect(tintAlong(30, 30, 30, ...d, 4, 0.18)).toBe(0);
  });
});
