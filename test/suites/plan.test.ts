import { describe, expect, it } from 'vitest';
import { promptSchema } from '../../prompts/schema.js';
import { itemKey, planItems, videoPathFor } from '../../suites/plan.js';

const prompt = (id: string) =>
  promptSchema.parse({
    id,
    text: `A ball called ${id} is dropped onto a floor.`,
    category: 'drop',
    durationS: 2,
    expect: { objects: [{ name: 'ball', diameterM: 0.2 }] },
  });

describe('planItems', () => {
  it('crosses prompts, generators and seeds in a stable key order', () => {
    const items = planItems([prompt('b-drop'), prompt('a-drop')], ['sim:ideal', 'sim:flawed'], [2, 1]);
    expect(items.map((item) => item.key)).toEqual([
      'sim:flawed|a-drop|1',
      'sim:flawed|a-drop|2',
      'sim:flawed|b-drop|1',
      'sim:flawed|b-drop|2',
      'sim:ideal|a-drop|1',
      'sim:ideal|a-drop|2',
      'sim:ideal|b-drop|1',
      'sim:ideal|b-drop|2',
    ]);
  });

  it('gives every item a file-system-safe video path', () => {
    const [item] = planItems([prompt('a-drop')], ['fal:fal-ai/pika/v2.2'], [7]);
    expect(item?.key).toBe(itemKey('fal:fal-ai/pika/v2.2', 'a-drop', 7));
    expect(videoPathFor(item!)).toBe('videos/fal_fal-ai_pika_v2.2/a-drop-s7.mp4');
  });
});
