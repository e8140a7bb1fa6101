import { libraryConfig } from '../../tsup.base';

// shims: `import.meta.url` (used to load the optional Jaeger peer lazily) also works in the CJS build.
export default libraryConfig({ shims: true });
