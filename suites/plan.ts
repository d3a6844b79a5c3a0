import type { Prompt } from '../prompts/schema.js';

/** One unit of work: a prompt, sent to a generator, with a seed. */
export interface PlannedItem {
  /** Stable, sortable identity: `generator|promptId|seed`. */
  key: string;
  prompt: Prompt;
  generatorId: string;
  seed: number;
}

export function itemKey(generatorId: string, promptId: string, seed: number): string {
  return `${generatorId}|${promptId}|${seed}`;
}

/** The run's items: prompts × generators × seeds, sorted by key so every run and shard sees one order. */
export function planItems(prompts: readonly Prompt[], generatorIds: readonly string[], seeds: readonly number[]): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (const generatorId of generatorIds) {
    for (const prompt of prompts) {
      for (const seed of seeds) {
        items.push({ key: itemKey(generatorId, prompt.id, seed), prompt, generatorId, seed });
      }
    }
  }
  return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A file-system-safe name for an item's video: `sim_ideal/basketball-drop-s1.mp4`. */
export function videoPathFor(item: PlannedItem): string {
  return `videos/${item.generatorId.replace(/[^a-zA-Z0-9._-]/g, '_')}/${item.prompt.id}-s${item.seed}.mp4`;
}

/** Which slice of a run one CI job takes: `index` of `total`, 1-based (`--shard 2/4`). */
export interface Shard {
  index: number;
  total: number;
}

/**
 * The contiguous range of the key-sorted items that shard `index` of `total` runs (Playwright's
 * convention): every item lands in exactly one shard, and the shards' union is the whole run.
 */
export function filterForShard<T>(items: readonly T[], shard: Shard): T[] {
  const base = Math.floor(items.length / shard.total);
  const extra = items.length % shard.total;
  const start = (shard.index - 1) * base + Math.min(shard.index - 1, extra);
  const size = base + (shard.index <= extra ? 1 : 0);
  return items.slice(start, start + size);
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new Error(`a shard is written i/n with 1 ≤ i ≤ n, e.g. 2/4; got '${text}'`);
  }
  return { index, total };
}
