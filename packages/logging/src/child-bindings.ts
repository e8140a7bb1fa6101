import type { Logger } from 'pino';

/**
 * pino passes only the root's bindings through `formatters.bindings`; a child's are written as
 * given. Children inherit `child` from their parent object, so wrapping it on one logger covers
 * `child` and `setBindings` on it and on its descendants at every depth (and on nothing above it).
 */
export function wrapChildBindings(
  logger: Logger,
  prepare: (bindings: Record<string, unknown>) => Record<string, unknown>,
): void {
  const { child, setBindings } = logger;
  Object.assign(logger, {
    child(this: Logger, bindings: Record<string, unknown>, childOptions?: object) {
      return child.call(this, prepare(bindings), childOptions);
    },
    setBindings(this: Logger, bindings: Record<string, unknown>) {
      setBindings.call(this, prepare(bindings));
    },
  });
}
