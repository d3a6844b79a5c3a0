import { describe, expect, it } from 'vitest';
import { promptSchema } from '../../../prompts/schema.js';
import { renderBackground } from '../../../runners/sim/background.js';
import type { Camera } from '../../../runners/sim/camera.js';
import type { Rgb } from '../../../runners/sim/color.js';
import { discCoverage, drawBall, sphereShade } from '../../../runners/sim/draw-ball.js';
import { prepareClip } from '../../../runners/sim/simulate-clip.js';

const SIZE = { width: 320, height: 180 };
const CAMERA: Camera = { pxPerM: 150, originXPx: 160, floorYPx: 154.5 };

/**
 * Coverage-weighted centroid of a ball in `frame`, recovering each pixel's coverage α from
 * pixel = background·(1 − α) + shade·α on the channel where shade and background differ most.
 */
function coverageCentroid(frame: Uint8Array, background: Uint8Array, width: number, ball: { xPx: number; yPx: number; radiusPx: number; colorRgb: Rgb }): { xPx: number; yPx: number } {
  let sum = 0;
  let sumX = 0;
  let sumY = 0;
  const reach = Math.ceil(ball.radiusPx) + 2;
  for (let j = Math.floor(ball.yPx) - reach; j <= Math.ceil(ball.yPx) + reach; j += 1) {
    for (let i = Math.floor(ball.xPx) - reach; i <= Math.ceil(ball.xPx) + reach; i += 1) {
      const shade = sphereShade(i - ball.xPx, j - ball.yPx, ball.radiusPx, ball.colorRgb).map((v) => Math.min(255, Math.max(0, v)));
      const k = (j * width + i) * 3;
      let best = 0;
      let alpha = 0;
      for (let c = 0; c < 3; c += 1) {
        const contrast = (shade[c] ?? 0) - (background[k + c] ?? 0);
        if (Math.abs(contrast) > Math.abs(best)) {
          best = contrast;
          alpha = ((frame[k + c] ?? 0) - (background[k + c] ?? 0)) / contrast;
        }
      }
      if (Math.abs(best) < 20) continue;
      sum += alpha;
      sumX += alpha * i;
      sumY += alpha * j;
    }
  }
  return { xPx: sumX / sum, yPx: sumY / sum };
}

describe('drawing a ball', () => {
  const background = renderBackground(SIZE, CAMERA, null, true, 7);

  it('gives a disc whose coverage sums to its area and centres on the sub-pixel position', () => {
    for (const [xPx, yPx, radiusPx] of [
      [100.37, 60.81, 9.3],
      [200.5, 99.5, 4.2],
      [57.91, 120.13, 15.75],
    ] as const) {
      let area = 0;
      let sumX = 0;
      let sumY = 0;
      for (let j = 0; j < SIZE.height; j += 1) {
        for (let i = 0; i < SIZE.width; i += 1) {
          const alpha = discCoverage(i, j, xPx, yPx, radiusPx);
          area += alpha;
          sumX += alpha * i;
          sumY += alpha * j;
        }
      }
      // The linear edge ramp adds π/12 px² to the disc's area: under 1% from a radius of 3 px.
      expect(Math.abs(area / (Math.PI * radiusPx * radiusPx) - 1)).toBeLessThan(0.01);
      expect(Math.abs(sumX / area - xPx)).toBeLessThan(0.01);
      expect(Math.abs(sumY / area - yPx)).toBeLessThan(0.01);
    }
  });

  it('writes pixels whose recovered coverage centres on the ball to 0.05 px', () => {
    for (const ball of [
      { xPx: 100.37, yPx: 60.81, radiusPx: 9.3, colorRgb: [255, 0, 0] as Rgb },
      { xPx: 200.71, yPx: 99.25, radiusPx: 6.1, colorRgb: [30, 80, 200] as Rgb },
    ]) {
      const frame = background.slice();
      drawBall(frame, SIZE, ball);
      const centroid = coverageCentroid(frame, background, SIZE.width, ball);
      expect(Math.abs(centroid.xPx - ball.xPx)).toBeLessThan(0.05);
      expect(Math.abs(centroid.yPx - ball.yPx)).toBeLessThan(0.05);
    }
  });

  it('touches nothing outside the ball’s bounding box', () => {
    const frame = background.slice();
    drawBall(frame, SIZE, { xPx: 100.4, yPx: 60.6, radiusPx: 8, colorRgb: [255, 0, 0] });
    let changedInside = 0;
    let changedOutside = 0;
    for (let j = 0; j < SIZE.height; j += 1) {
      for (let i = 0; i < SIZE.width; i += 1) {
        const k = (j * SIZE.width + i) * 3;
        if (frame[k] === background[k] && frame[k + 1] === background[k + 1]) continue;
        if (Math.abs(i - 100.4) <= 9.5 && Math.abs(j - 60.6) <= 9.5) changedInside += 1;
        else changedOutside += 1;
      }
    }
    expect(changedInside).toBeGreaterThan(150);
    expect(changedOutside).toBe(0);
  });

  it('shades the sphere lit from the upper left', () => {
    const upperLeft = sphereShade(-4, -4, 8, [200, 200, 200]);
    const lowerRight = sphereShade(4, 4, 8, [200, 200, 200]);
    expect(upperLeft[0]).toBeGreaterThan(lowerRight[0] + 50);
  });
});

describe('a rendered clip frame', () => {
  const dropPrompt = promptSchema.parse({
    id: 'raster-drop',
    text: 'a red ball is dropped onto a wooden floor',
    category: 'drop',
    durationS: 1.5,
    expect: { objects: [{ name: 'ball', colorHint: 'red', diameterM: 0.12 }] },
  });

  it('places the ball where the truth says, to 0.05 px, at sub-pixel positions', () => {
    const clip = prepareClip(dropPrompt, { width: 320, height: 180, noiseSigma: 0, watermark: false });
    const frames = [...clip.frames()];
    const ball = clip.truth.objects[0]!;
    // The ball falls, so frame 0 shows background where later frames show the ball, and vice versa.
    for (const [k, backgroundFrame] of [[12, 0], [0, 12], [9, 0]] as const) {
      const sample = ball.frames[k]!;
      const centroid = coverageCentroid(frames[k]!, frames[backgroundFrame]!, 320, { xPx: sample[1], yPx: sample[2], radiusPx: sample[3], colorRgb: ball.colorRgb });
      expect(Math.abs(centroid.xPx - sample[1])).toBeLessThan(0.05);
      expect(Math.abs(centroid.yPx - sample[2])).toBeLessThan(0.05);
    }
    expect(ball.frames[12]![2] % 1).not.toBeCloseTo(0, 2);
  });

  it('has a floor band below the floor line, and the ball resting on it has its bottom on the line', () => {
    const clip = prepareClip(dropPrompt, { width: 320, height: 180, noiseSigma: 0, watermark: false, texture: false });
    const frame = [...clip.frames()][0]!;
    const floorRow = Math.ceil(clip.truth.floorYPx);
    const wall = frame[((floorRow - 1) * 320 + 5) * 3]!;
    const floor = frame[(floorRow * 320 + 5) * 3]!;
    expect(wall - floor).toBeGreaterThan(40);
    const contactS = clip.truth.objects[0]!.contactsS[0]!;
    const radiusPx = clip.truth.objects[0]!.frames[0]![3];
    expect(clip.truth.floorYPx - radiusPx).toBeLessThan(clip.truth.height);
    expect(contactS).toBeCloseTo(Math.sqrt((2 * 1.2) / 9.81), 12);
  });
});
