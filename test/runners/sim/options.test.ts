import { describe, expect, it } from 'vitest';
import { promptSchema } from '../../../prompts/schema.js';
import { isSimError } from '../../../runners/sim/errors.js';
import { resolveSettings } from '../../../runners/sim/options.js';

function prompt(aspectRatio: '16:9' | '9:16' | '1:1' | '4:3') {
  return promptSchema.parse({ id: 'size', text: 'a ball is dropped onto a floor', category: 'drop', durationS: 2, aspectRatio, expect: {} });
}

describe('resolveSettings', () => {
  it('gives 640 px on the long side in the prompt aspect ratio by default', () => {
    expect(resolveSettings(prompt('16:9'))).toMatchObject({ width: 640, height: 360, fps: 30, seed: 1, crf: 23, noiseSigma: 2 });
    expect(resolveSettings(prompt('9:16'))).toMatchObject({ width: 360, height: 640 });
    expect(resolveSettings(prompt('4:3'))).toMatchObject({ width: 640, height: 480 });
  });

  it('derives the missing side from the aspect ratio, rounded to an even number', () => {
    expect(resolveSettings(prompt('16:9'), { width: 320 })).toMatchObject({ width: 320, height: 180 });
    expect(resolveSettings(prompt('16:9'), { height: 100 })).toMatchObject({ width: 178, height: 100 });
    expect(resolveSettings(prompt('1:1'), { width: 320, height: 180 })).toMatchObject({ width: 320, height: 180 });
  });

  it('counts whole frames: durationS is frameCount / fps', () => {
    const settings = resolveSettings(prompt('16:9'), { durationS: 1.49, fps: 24 });
    expect(settings.frameCount).toBe(36);
    expect(settings.durationS).toBe(1.5);
  });

  it('refuses odd sizes and non-positive rates with an invalid-option error naming the prompt', () => {
    for (const options of [{ width: 321, height: 180 }, { fps: 0 }, { durationS: -1 }, { noiseSigma: -2 }]) {
      let caught: unknown = null;
      try {
        resolveSettings(prompt('16:9'), options);
      } catch (error) {
        caught = error;
      }
      expect(isSimError(caught) && caught.code === 'invalid-option' && caught.message.startsWith('size: ')).toBe(true);
    }
  });
});
