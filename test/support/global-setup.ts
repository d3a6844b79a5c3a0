import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One folder per test run where simulateClipOnce keeps the clips it rendered (test/support/sim-clip-cache.ts). */
    simClipCacheDir: string;
  }
}

/** Makes the run's clip cache folder before any worker starts, and removes it when the run ends. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-test-clips-'));
  project.provide('simClipCacheDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
