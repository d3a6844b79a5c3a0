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
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
