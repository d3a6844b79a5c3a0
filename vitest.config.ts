import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two workers on two cores: much of a test's time is spent waiting on ffmpeg children, so one
    // worker (Vitest's default, cores − 1) leaves a core idle and the suite took 5.5 min.
    maxWorkers: 2,
    // Each worker runs its files one after another in one process instead of a fresh one per file:
    // a fresh process re-imported OpenCV, zod, vega and the rest, ~0.4 s of CPU for each of ~130 files.
    // So a test file must not leave global state behind (restore any process.env it changes).
    isolate: false,
    // The run's cache of simulator clips that several files render alike (test/support/sim-clip-cache.ts).
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
