import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../../prompts/catalog.js';
import type { Prompt } from '../../prompts/schema.js';
import { simulateClipOnce } from '../support/sim-clip-cache.js';

export const SMOKE_PROMPT_IDS = ['basketball-bounce-hardwood', 'tennis-ball-lob', 'rubber-balls-thrown-midair'] as const;

export function catalogPrompt(id: string): Prompt {
  const prompt = loadCatalog().find((candidate) => candidate.id === id);
  if (!prompt) throw new Error(`no prompt ${id} in the catalog`);
  return prompt;
}

/** Real 320x180, 2 s H.264+AAC clips of the smoke prompts, from the simulator, by prompt text. */
export async function smokeClips(dir: string): Promise<Map<string, Buffer>> {
  const clips = new Map<string, Buffer>();
  for (const id of SMOKE_PROMPT_IDS) {
    const prompt = catalogPrompt(id);
    const path = join(dir, `${id}.mp4`);
    await simulateClipOnce(prompt, path, { width: 320, height: 180, durationS: 2, seed: 1 });
    clips.set(prompt.text, readFileSync(path));
  }
  return clips;
}

/** The clip for a prompt text; prompts carrying fault tokens get the first clip. */
export function clipFor(clips: ReadonlyMap<string, Buffer>): (prompt: string) => Buffer {
  const fallback = [...clips.values()][0];
  return (prompt) => {
    const clip = clips.get(prompt) ?? fallback;
    if (!clip) throw new Error('no clips made');
    return clip;
  };
}
