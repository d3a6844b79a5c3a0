import { describe, expect, it } from 'vitest';
import { getPrompt } from '../../../prompts/catalog.js';
import { promptSchema } from '../../../prompts/schema.js';
import { buildScene } from '../../../runners/sim/scene.js';
import { prepareClip } from '../../../runners/sim/simulate-clip.js';

const twoBalls = getPrompt('steel-ball-and-tennis-ball-drop');

describe('a prompt that names two balls outside a collision', () => {
  it('puts both in the scene, side by side at the same height, each with its own restitution', () => {
    const { balls, world } = buildScene(twoBalls, 2);
    expect(balls.map((ball) => ball.name)).toEqual(['steel ball', 'tennis ball']);
    expect(world.balls.map((ball) => ball.restitution)).toEqual([0.6, 0.75]);
    const [steel, tennis] = world.balls;
    if (steel === undefined || tennis === undefined) throw new Error('two balls expected');
    // Released together: same bottom height, no speed, a free gap of two tennis-ball diameters.
    expect(steel.yM - steel.radiusM).toBeCloseTo(2, 12);
    expect(tennis.yM - tennis.radiusM).toBeCloseTo(2, 12);
    expect(tennis.xM - steel.xM - steel.radiusM - tennis.radiusM).toBeCloseTo(2 * 0.067, 12);
  });

  it('gives each its own truth object, floor contacts at the free-fall time and a sound for each contact', () => {
    const { truth } = prepareClip(twoBalls, { width: 320, height: 180, durationS: 2, watermark: false });
    // Both bottoms fall 2 m: t = √(2h/g).
    const landS = Math.sqrt((2 * 2) / 9.81);
    expect(truth.objects.map((object) => object.name)).toEqual(['steel ball', 'tennis ball']);
    for (const object of truth.objects) expect(object.contactsS[0]).toBeCloseTo(landS, 9);
    // Rebound apex h·e², so the next landing is 2·e·√(2h/g) later.
    expect(truth.objects[0]?.contactsS[1]).toBeCloseTo(landS + 2 * 0.6 * landS, 9);
    expect(truth.objects[1]?.contactsS[1]).toBeCloseTo(landS + 2 * 0.75 * landS, 9);
    const contacts = truth.objects.flatMap((object) => object.contactsS).sort((a, b) => a - b);
    expect(truth.audio?.impactsS).toEqual(contacts);
  });

  it('rolls them off the table one behind the other', () => {
    const rolling = promptSchema.parse({
      id: 'two-rolling',
      text: 'a red ball and a blue ball roll off a table one after the other',
      category: 'rolling',
      durationS: 2,
      expect: {
        objects: [
          { name: 'red ball', colorHint: 'red', diameterM: 0.06 },
          { name: 'blue ball', colorHint: 'blue', diameterM: 0.06 },
        ],
      },
    });
    const { world } = buildScene(rolling, 2);
    const [first, second] = world.balls;
    expect(second?.xM).toBeCloseTo((first?.xM ?? 0) - 0.06 - 2 * 0.06, 12);
    expect(world.balls.every((ball) => ball.onTable)).toBe(true);
  });
});
