import { libraryConfig } from '../../tsup.base';

export default libraryConfig({ entry: ['src/main.ts'], format: ['esm'], dts: false });
