import { describe, expect, it } from 'vitest';
import { promptSchema } from '../../prompts/schema.js';
import { filterForShard, itemKey, parseShard, planItems, videoPathFor } from '../../suites/plan.js';

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

describe('filterForShard', () => {
  it('splits the items into contiguous slices whose union is the whole, in order', () => {
    const items = Array.from({ length: 11 }, (_, i) => i);
    const shards = [1, 2, 3, 4].map((index) => filterForShard(items, { index, total: 4 }));
    expect(shards).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10]]);
    expect(shards.flat()).toEqual(items);
  });

  it('leaves later shards empty when there are fewer items than shards', () => {
    expect([1, 2, 3].map((index) => filterForShard(['a', 'b'], { index, total: 3 }))).toEqual([['a'], ['b'], []]);
  });

  it('parses i/n and rejects what is not a shard', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, total: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad), bad).toThrow(/i\/n/);
  });
});
