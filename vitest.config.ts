import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest defaults to cores - 1 workers, one on a 2-core machine; many tests wait on child
    // processes (the CLI, synth, s3rver), so two workers keep both cores busy.
    maxWorkers: 2,
  },
});
