import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The cardinality test measures retained heap after a forced GC.
    execArgv: ['--expose-gc'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
