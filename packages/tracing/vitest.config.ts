import { transform } from 'esbuild';
import { defineConfig } from 'vitest/config';
import { TEST_LIMITS } from '../../vitest.base';

export default defineConfig({
  plugins: [
    {
      // Vite's default transform (oxc) only lowers legacy decorators; the
      // decorator test uses TS 5 standard decorators, which esbuild lowers.
      name: 'standard-decorators',
      enforce: 'pre',
      async transform(code, id) {
        if (!id.endsWith('decorators.test.ts')) return undefined;
        const result = await transform(code, {
          loader: 'ts',
          target: 'es2022',
          sourcemap: true,
          sourcefile: id,
        });
        return { code: result.code, map: result.map };
      },
    },
  ],
  test: {
    // The memory test measures retained heap after a forced GC.
    execArgv: ['--expose-gc'],
    ...TEST_LIMITS,
  },
});
