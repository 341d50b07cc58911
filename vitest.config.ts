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
    // A worker that dies (a native crash) fails the run without naming its test file; the heap
    // figure each file prints in the log says which files ran, and which grew.
    logHeapUsage: true,
  },
});
