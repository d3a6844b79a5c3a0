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
