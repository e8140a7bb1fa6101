import { defineConfig } from 'vitest/config';
import { TEST_LIMITS } from '../../vitest.base';

export default defineConfig({
  test: {
    ...TEST_LIMITS,
  },
});
