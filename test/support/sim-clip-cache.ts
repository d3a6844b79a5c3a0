import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import type { Prompt } from '../../prompts/schema.js';
import type { SimOptions } from '../../runners/sim/options.js';
import { simulateClip, truthPathFor } from '../../runners/sim/simulate-clip.js';

/**
 * Writes the simulator's clip of `prompt` with `options` to `outPath`, its truth beside it, as
 * simulateClip does; the clip is rendered once per test run and later calls, from any file on either
 * worker, copy it. The simulator is deterministic (same prompt, options and seed, same clip), and
 * several provider test files serve the same smoke clips from their fake servers.
 */
export async function simulateClipOnce(prompt: Prompt, outPath: string, options: SimOptions = {}): Promise<void> {
  const cacheDir = inject('simClipCacheDir');
  const key = createHash('sha256').update(JSON.stringify({ prompt, options })).digest('hex');
  const cached = join(cacheDir, `${key}.mp4`);
  if (!existsSync(cached)) {
    // Rendered under a name of its own and renamed into place, truth first: a cached .mp4 always has its truth,
    // and two workers rendering the same clip at once each rename a whole file.
    const partial = join(cacheDir, `${key}.${randomUUID()}.mp4`);
    await simulateClip(prompt, partial, options);
    renameSync(truthPathFor(partial), truthPathFor(cached));
    renameSync(partial, cached);
  }
  mkdirSync(dirname(outPath), { recursive: true });
  copyFileSync(truthPathFor(cached), truthPathFor(outPath));
  copyFileSync(cached, outPath);
}
