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
    // A worker runs its files one after another in one process, keeping loaded modules: aws-cdk-lib
    // is imported once per worker rather than once per file (313 s of the suite's 655 s went to
    // imports), and what a process caches (a bundle, a synthesized environment) serves every file.
    // No test mocks a module; a test that stubs stdout or the environment restores it.
    isolate: false,
  },
});
