import { describe, expect, it } from 'vitest';
import type { Rgb } from '../../metrics/fluid-colour.js';
import { tintAlong, withoutStandingLiquid } from '../../metrics/fluid-standing.js';

const OPTIONS = { noise: 4, maxOffAngleTan: 0.18, minOpacity: 0.2, maxOpacity: 0.85, maxOpacitySpread: 0.15, minFlatBottomShare: 0.5, referenceRows: 3, gapRows: 2, minDepthPx: 4, minWidthPx: 6, maxSurfaceSpreadPx: 2 };
const LIQUID: Rgb = [173, 216, 230];

/** A 60x40 wall with a vertical texture ramp; a pool of `opacity` over columns 20-39 from row 20 to 34. */
function scene(opacity: number): { background: Float32Array; dry: Float32Array } {
  const width = 60;
  const height = 40;
  const dry = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) dry[3 * (y * width + x) + c] = [200, 190, 180][c]! - 0.5 * y + ((x * 7 + y * 3) % 5);
  const background = dry.slice();
  for (let y = 20; y <= 34; y++) {
    for (let x = 20; x <= 39; x++) for (let c = 0; c < 3; c++) background[3 * (y * width + x) + c] = dry[3 * (y * width + x) + c]! * (1 - opacity) + LIQUID[c]! * opacity;
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

  it('tells a tint towards the liquid from a shading gradient on a dark counter (an angle, not a share of the contrast)', () => {
    const counter: Rgb = [110, 80, 60];
    const d: Rgb = [LIQUID[0] - counter[0], LIQUID[1] - counter[1], LIQUID[2] - counter[2]];
    expect(tintAlong(0.3 * d[0], 0.3 * d[1], 0.3 * d[2], ...d, 4, 0.18)).toBeCloseTo(0.3, 5);
    expect(tintAlong(30, 30, 30, ...d, 4, 0.18)).toBe(0);
  });
});
