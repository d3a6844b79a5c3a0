import { describe, expect, it } from 'vitest';
import { BackgroundModel } from '../../metrics/background.js';
import { isWhiteVeil } from '../../metrics/veil.js';

const PIXELS = 50;
const frameOf = (rgb: [number, number, number]): Uint8Array => {
  const frame = new Uint8Array(PIXELS * 3);
  for (let i = 0; i < PIXELS; i++) frame.set(rgb, 3 * i);
  return frame;
};

describe('BackgroundModel', () => {
  it('takes the median, so an object in a minority of the first frames leaves no trace', () => {
    const frames = [frameOf([100, 110, 120]), frameOf([250, 10, 10]), frameOf([100, 110, 120]), frameOf([250, 10, 10]), frameOf([100, 110, 120])];
    const model = BackgroundModel.fromFrames(frames);
    expect([...model.rgb.slice(0, 3)]).toEqual([100, 110, 120]);
  });

  it('follows a slow change outside objects and keeps covered pixels', () => {
    const model = BackgroundModel.fromFrames([frameOf([100, 100, 100])]);
    const covered = new Uint8Array(PIXELS);
    covered[0] = 1;
    const brighter = frameOf([110, 110, 110]);
    model.update(brighter, covered);
    expect(model.rgb[0]).toBe(100);
    expect(model.rgb[3]).toBeCloseTo(100.3, 4);
  });

  it('forgets at once a still watermark that sat in the first frames', () => {
    const veiled = frameOf([Math.round(100 * 0.65 + 255 * 0.35), Math.round(120 * 0.65 + 255 * 0.35), Math.round(90 * 0.65 + 255 * 0.35)]);
    const model = BackgroundModel.fromFrames([veiled]);
    const clear = frameOf([100, 120, 90]);
    const covered = new Uint8Array(PIXELS);
    model.update(clear, covered);
    model.update(clear, covered);
    expect([...model.rgb.slice(0, 3)].map(Math.round)).toEqual([100, 120, 90]);
  });
});

describe('isWhiteVeil', () => {
  it.each([
    { upper: [158, 172, 148], lower: [100, 120, 90], veil: true },
    { upper: [230, 90, 20], lower: [196, 192, 182], veil: false },
    { upper: [100, 120, 90], lower: [100, 120, 90], veil: false },
    { upper: [255, 255, 255], lower: [100, 120, 90], veil: false },
  ])('$upper over $lower: $veil', ({ upper, lower, veil }) => {
    expect(isWhiteVeil(upper, lower, 0, 0.15, 0.8)).toBe(veil);
  });
});
