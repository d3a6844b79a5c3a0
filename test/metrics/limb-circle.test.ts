import { describe, expect, it } from 'vitest';
import { fitCircle, limbOf } from '../../metrics/limb-circle.js';

/** Coverage of a disc of radius r centred at (cx, cy) over a width × height box, by 8 × 8 sub-pixels; `fade` scales the coverage of the directions it picks. */
function discCoverage(width: number, height: number, cx: number, cy: number, r: number, fade: (angleRad: number) => number = () => 1): Float32Array {
  const alpha = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let sy = 0; sy < 8; sy++) {
        for (let sx = 0; sx < 8; sx++) {
          const dx = x - 0.5 + (sx + 0.5) / 8 - cx;
          const dy = y - 0.5 + (sy + 0.5) / 8 - cy;
          if (dx * dx + dy * dy <= r * r) sum += fade(Math.atan2(dy, dx));
        }
      }
      alpha[y * width + x] = sum / 64;
    }
  }
  return alpha;
}

const areaRadius = (alpha: Float32Array): number => Math.sqrt(alpha.reduce((a, b) => a + b, 0) / Math.PI);

describe('fitCircle', () => {
  it('recovers a circle from points on an arc of it', () => {
    const points = Array.from({ length: 20 }, (_, k): [number, number] => {
      const angle = (k / 19) * Math.PI * 1.2;
      return [3.2 + 7.5 * Math.cos(angle), -1.4 + 7.5 * Math.sin(angle)];
    });
    const circle = fitCircle(points);
    expect(circle?.xPx).toBeCloseTo(3.2, 9);
    expect(circle?.yPx).toBeCloseTo(-1.4, 9);
    expect(circle?.radiusPx).toBeCloseTo(7.5, 9);
  });

  it('gives null for collinear points', () => {
    expect(fitCircle([[0, 0], [1, 1], [2, 2], [3, 3]])).toBeNull();
  });
});

describe('limbOf', () => {
  it('measures a sharp disc as its coverage does', () => {
    const alpha = discCoverage(19, 19, 9.3, 8.8, 5.6);
    const limb = limbOf(alpha, 19, 19);
    expect(limb?.radiusPx).toBeCloseTo(5.6, 2);
    expect(limb?.circle.xPx).toBeCloseTo(9.3, 1);
    expect(limb?.circle.yPx).toBeCloseTo(8.8, 1);
    expect(areaRadius(alpha)).toBeCloseTo(5.6, 2);
  });

  // A silver ball on a pale wall: its lit upper left differs from the wall by a fraction of its shaded side.
  it('sizes a ball whose lit side reads faint from its sharp directions, where coverage reads it small', () => {
    const litSide = (angleRad: number): number => (angleRad > -Math.PI && angleRad < -Math.PI / 4 ? 0.3 : 1);
    const alpha = discCoverage(19, 19, 9.3, 8.8, 5.6, litSide);
    const limb = limbOf(alpha, 19, 19);
    expect(areaRadius(alpha)).toBeLessThan(0.9 * 5.6);
    expect(limb?.radiusPx).toBeGreaterThan(0.97 * 5.6);
    expect(limb?.radiusPx).toBeLessThan(1.03 * 5.6);
    expect(limb?.circle.xPx).toBeCloseTo(9.3, 0);
    expect(limb?.circle.yPx).toBeCloseTo(8.8, 0);
  });

  it('gives null for a region with no sharp outline (a faint smudge)', () => {
    const alpha = discCoverage(19, 19, 9.3, 8.8, 5.6, () => 0.4);
    expect(limbOf(alpha, 19, 19)).toBeNull();
  });
});
