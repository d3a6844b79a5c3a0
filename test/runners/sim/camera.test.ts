import { describe, expect, it } from 'vitest';
import { promptSchema, type Category } from '../../../prompts/schema.js';
import { prepareClip } from '../../../runners/sim/simulate-clip.js';

describe('the camera', () => {
  for (const category of ['drop', 'bounce', 'projectile', 'rolling', 'collision', 'impact-sound'] as Category[]) {
    it(`keeps the whole ${category} motion in the frame, above the floor line`, () => {
      const prompt = promptSchema.parse({
        id: `camera-${category}`,
        text: 'a ball moves under gravity in a plain room',
        category,
        durationS: 3,
        expect: { objects: [{ name: 'ball', diameterM: 0.067 }] },
      });
      const { truth } = prepareClip(prompt, { width: 320, height: 180 });
      expect(truth.floorYPx).toBeGreaterThan(0.8 * truth.height);
      for (const object of truth.objects) {
        for (const [, xPx, yPx, radiusPx] of object.frames) {
          expect(xPx - radiusPx).toBeGreaterThanOrEqual(0);
          expect(xPx + radiusPx).toBeLessThanOrEqual(truth.width - 1);
          expect(yPx - radiusPx).toBeGreaterThanOrEqual(0);
          // The bottom of the ball never goes below the floor (up to rounding).
          expect(yPx + radiusPx).toBeLessThanOrEqual(truth.floorYPx + 1e-9);
        }
      }
      // Metres to pixels is one scale for the clip: a ball's drawn radius is its radius in metres times pxPerM.
      expect(truth.objects[0]!.frames[0]![3]).toBeCloseTo((0.067 / 2) * truth.pxPerM, 12);
      expect(truth.gravityPxS2).toBeCloseTo(9.81 * truth.pxPerM, 9);
    });
  }
});
