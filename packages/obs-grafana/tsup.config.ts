import { libraryConfig } from '../../tsup.base';

// generate.ts is the `pnpm generate` script, not part of the public API.
export default libraryConfig({ entry: ['src/index.ts', 'src/generate.ts'] });
