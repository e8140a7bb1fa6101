import { libraryConfig } from '../../tsup.base';

// shims: the optional @opentelemetry/api and pino-pretty are loaded with a require built from
// import.meta.url in the ESM build; the shim gives the CJS build the same code path.
export default libraryConfig({ shims: true });
