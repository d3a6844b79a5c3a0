import { describe, expect, it } from 'vitest';
import { getPrompt } from '../../../prompts/catalog.js';
import { promptSchema } from '../../../prompts/schema.js';
import { sphereShade } from '../../../runners/sim/draw-ball.js';
import { isSimError } from '../../../runners/sim/errors.js';
import { prepareClip } from '../../../runners/sim/simulate-clip.js';

const bounce = promptSchema.parse({
  id: 'ramp-bounce',
  text: 'a tennis ball bounces',
  category: 'bounce',
  durationS: 1,
  expect: { objects: [{ name: 'ball', diameterM: 0.067, colorHint: 'yellow' }] },
});

const plain = { width: 320, height: 180, fps: 10, noiseSigma: 0, watermark: false, audio: false, texture: false } as const;

/** Mean of the red channel over the top-left 40x20 px of the wall (the ball never goes there in this scene). */
function wallMean(frame: Uint8Array, width: number): number {
  let sum = 0;
  for (let y = 0; y < 20; y += 1) for (let x = 0; x < 40; x += 1) sum += frame[(y * width + x) * 3] as number;
  return sum / 800;
}

describe('lighting ramp and ball colour options', () => {
  it('scales the exposure linearly from ×1 on the first frame to ×(1 + ramp) on the last, and records the ramp', () => {
    const clip = prepareClip(bounce, { ...plain, lightingRamp: -0.3 });
    const steady = prepareClip(bounce, plain);
    const frames = [...clip.frames()];
    const first = wallMean(frames[0]!, 320);
    expect(first).toBeCloseTo(wallMean([...steady.frames()][0]!, 320), 6);
    expect(wallMean(frames[frames.length - 1]!, 320) / first).toBeCloseTo(0.7, 2);
    const middle = Math.floor((frames.length - 1) / 2);
    expect(wallMean(frames[middle]!, 320) / first).toBeCloseTo(1 - (0.3 * middle) / (frames.length - 1), 2);
    expect(clip.truth.lightingRamp).toBe(-0.3);
    expect(steady.truth.lightingRamp).toBeUndefined();
  });

  it("draws every ball in the colour asked for and puts it in the truth, the physics unchanged", () => {
    const steady = prepareClip(bounce, plain);
    const grey = prepareClip(bounce, { ...plain, ballColorRgb: [200, 196, 186] });
    expect(grey.truth.objects[0]?.colorRgb).toEqual([200, 196, 186]);
    expect(steady.truth.objects[0]?.colorRgb).toEqual([255, 255, 0]);
    expect(grey.truth.objects[0]?.frames).toEqual(steady.truth.objects[0]?.frames);
    // The pixel nearest the ball's centre is the colour asked for under the sphere's shading (yellow's blue would be 0).
    const [, xPx, yPx, radiusPx] = grey.truth.objects[0]!.frames[0]!;
    const [i, j] = [Math.round(xPx), Math.round(yPx)];
    const frame = [...grey.frames()][0]!;
    const expected = sphereShade(i - xPx, j - yPx, radiusPx, [200, 196, 186]);
    for (let c = 0; c < 3; c += 1) expect(Math.abs((frame[(j * 320 + i) * 3 + c] as number) - (expected[c] as number))).toBeLessThanOrEqual(1);
  });

  it('refuses a ramp of −1 or below, a colour out of range, and both options on cloth and fluid scenes', () => {
    const code = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        return isSimError(error) ? error.code : 'other';
      }
      return undefined;
    };
    expect(code(() => prepareClip(bounce, { ...plain, lightingRamp: -1 }))).toBe('invalid-option');
    expect(code(() => prepareClip(bounce, { ...plain, ballColorRgb: [256, 0, 0] }))).toBe('invalid-option');
    expect(code(() => prepareClip(getPrompt('towel-dropped-on-chair'), { ...plain, lightingRamp: 0.2 }))).toBe('invalid-option');
    expect(code(() => prepareClip(getPrompt('water-poured-into-glass'), { ...plain, ballColorRgb: [1, 2, 3] }))).toBe('invalid-option');
  });
});
