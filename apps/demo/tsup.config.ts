import { libraryConfig } from '../../tsup.base';

export default libraryConfig({
  entry: ['src/main.ts', 'src/mcp-tool-server.ts'],
  format: ['esm'],
  dts: false,
});
