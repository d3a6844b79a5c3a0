import { describe, expect, it } from 'vitest';
import { getPrompt } from '../../../prompts/catalog.js';
import { promptSchema } from '../../../prompts/schema.js';
import { cameraShakeOffsets, translateFrame } from '../../../runners/sim/camera.js';
import { prepareClip } from '../../../runners/sim/simulate-clip.js';

const bounce = promptSchema.parse({
  id: 'shake-bounce',
  text: 'a tennis ball bounces',
  category: 'bounce',
  durationS: 2,
  expect: { objects: [{ name: 'ball', diameterM: 0.067 }] },
});

function rms(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}

describe('camera shake path', () => {
  it('is deterministic from the seed, smooth, and about shakePx RMS per axis', () => {
    const offsets = cameraShakeOffsets(3, 1, 600, 30);
    expect(cameraShakeOffsets(3, 1, 600, 30)).toEqual(offsets);
    expect(cameraShakeOffsets(3, 2, 600, 30)).not.toEqual(offsets);
    // 20 s of shake: the sample RMS of each axis within 35% of the expected 3 px (a few slow sinusoids).
    for (const axis of [0, 1]) expect(rms(offsets.map((o) => o[axis] as number)) / 3).toBeGreaterThan(0.65);
    for (const axis of [0, 1]) expect(rms(offsets.map((o) => o[axis] as number)) / 3).toBeLessThan(1.35);
    // Hand-held, not jitter: at most 4 Hz and 3 px RMS, a frame at 30 fps moves the camera by well under 3 px.
    const steps = offsets.slice(1).map((o, k) => Math.hypot(o[0] - (offsets[k]?.[0] ?? 0), o[1] - (offsets[k]?.[1] ?? 0)));
    expect(Math.max(...steps)).toBeLessThan(3);
    // Sub-pixel: the offsets are not whole pixels.
    expect(offsets.filter(([dx]) => Number.isInteger(dx))).toHaveLength(0);
  });

  it('is a function of time: the same motion at 60 fps as at 30 fps', () => {
    const at30 = cameraShakeOffsets(2, 5, 30, 30);
    const at60 = cameraShakeOffsets(2, 5, 60, 60);
    at30.forEach((offset, k) => {
      expect(at60[2 * k]?.[0]).toBeCloseTo(offset[0], 9);
      expect(at60[2 * k]?.[1]).toBeCloseTo(offset[1], 9);
    });
  });
});

describe('translateFrame', () => {
  const size = { width: 32, height: 24 };
  /** A bright square on black: pixels 10..13 × 8..11. */
  const square = new Uint8Array(32 * 24 * 3);
  for (let y = 8; y < 12; y++) for (let x = 10; x < 14; x++) square.fill(200, 3 * (y * 32 + x), 3 * (y * 32 + x) + 3);
  function centroid(rgb: Uint8Array): [number, number] {
    let sum = 0;
    let sx = 0;
    let sy = 0;
    for (let y = 0; y < 24; y++) {
      for (let x = 0; x < 32; x++) {
        const v = rgb[3 * (y * 32 + x)] as number;
        sum += v;
        sx += v * x;
        sy += v * y;
      }
    }
    return [sx / sum, sy / sum];
  }

  it('moves the picture by whole pixels exactly and by sub-pixel amounts to the same centroid shift', () => {
    const whole = translateFrame(square, size, 3, -2);
    expect(whole[3 * (6 * 32 + 13)]).toBe(200);
    expect(whole[3 * (6 * 32 + 12)]).toBe(0);
    const [x0, y0] = centroid(square);
    const [x1, y1] = centroid(translateFrame(square, size, 1.25, 0.5));
    // Rounding each pixel to a byte moves the centroid by at most a few thousandths of a pixel.
    expect(x1 - x0).toBeCloseTo(1.25, 2);
    expect(y1 - y0).toBeCloseTo(0.5, 2);
  });

  it('extends the edges where the camera uncovers the frame', () => {
    const ramp = new Uint8Array(32 * 24 * 3).map((_, p) => Math.floor(p / 3) % 32);
    const moved = translateFrame(ramp, size, 2, 0);
    expect(moved[0]).toBe(0);
    expect(moved[3]).toBe(0);
    expect(moved[3 * 2]).toBe(0);
    expect(moved[3 * 3]).toBe(1);
  });
});

describe('a ball clip with camera shake', () => {
  const still = prepareClip(bounce, { width: 320, height: 180, audio: false });
  const shaken = prepareClip(bounce, { width: 320, height: 180, audio: false, shakePx: 2 });

  it('records the camera offset of every frame and keeps positions as seen in the image', () => {
    expect(still.truth.cameraOffsetsPx).toBeUndefined();
    const offsets = shaken.truth.cameraOffsetsPx ?? [];
    expect(offsets).toHaveLength(shaken.truth.frameCount);
    const seen = shaken.truth.objects[0]?.frames ?? [];
    (still.truth.objects[0]?.frames ?? []).forEach(([timeS, xPx, yPx, radiusPx], k) => {
      const [dxPx, dyPx] = offsets[k] ?? [NaN, NaN];
      expect(seen[k]).toEqual([timeS, xPx + dxPx, yPx + dyPx, radiusPx, 1]);
    });
    // The physics and the scene's frame are the still camera's.
    expect(shaken.truth.gravityPxS2).toBe(still.truth.gravityPxS2);
    expect(shaken.truth.floorYPx).toBe(still.truth.floorYPx);
    expect(shaken.truth.objects[0]?.contactsS).toEqual(still.truth.objects[0]?.contactsS);
  });

  it('draws the moved scene: a frame differs from the still one, and the still clip is unchanged by the option', () => {
    const k = 20;
    const stillFrame = [...still.frames()][k] as Uint8Array;
    const shakenFrame = [...shaken.frames()][k] as Uint8Array;
    const zeroShake = [...prepareClip(bounce, { width: 320, height: 180, audio: false, shakePx: 0 }).frames()][k] as Uint8Array;
    expect(Buffer.from(zeroShake).equals(Buffer.from(stillFrame))).toBe(true);
    let differing = 0;
    for (let p = 0; p < stillFrame.length; p++) if (Math.abs((stillFrame[p] as number) - (shakenFrame[p] as number)) > 8) differing++;
    expect(differing).toBeGreaterThan(stillFrame.length / 50);
  });

  it('refuses a negative shake and shake on cloth or fluid scenes', () => {
    expect(() => prepareClip(bounce, { shakePx: -1 })).toThrow(expect.objectContaining({ code: 'invalid-option' }));
    const cloth = getPrompt('towel-dropped-on-chair');
    expect(() => prepareClip(cloth, { shakePx: 2 })).toThrow(expect.objectContaining({ code: 'invalid-option' }));
  });
});
