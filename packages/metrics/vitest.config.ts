import { defineConfig } from 'vitest/config';
import { TEST_LIMITS } from '../../vitest.base';

export default defineConfig({
  test: {
    // The cardinality test measures retained heap after a forced GC.
    execArgv: ['--expose-gc'],
    ...TEST_LIMITS,
  },
});
