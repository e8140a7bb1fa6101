import { defineConfig, type Options } from 'tsup';

/** The one tsup setup every library shares: ESM + CJS + .d.ts for Node 20. */
export function libraryConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    ...overrides,
  });
}
