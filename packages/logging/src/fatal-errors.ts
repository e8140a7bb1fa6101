import type { Logger } from 'pino';

/** Options for {@link logFatalErrors}. */
export interface FatalErrorOptions {
  /**
   * Exit code after logging an uncaught exception or unhandled rejection. With `false` the error is
   * only logged, and you must exit yourself: Node does not crash on an uncaught exception while a
   * listener is installed.
   * @default 1
   */
  exitCode?: number | false;
}

/**
 * Logs uncaught exceptions and unhandled rejections at CRITICAL (with the error's type, message
 * and stack, redacted), flushes, then exits. Opt-in, because it installs process listeners.
 * Returns a function that removes them.
 */
export function logFatalErrors(logger: Logger, options: FatalErrorOptions = {}): () => void {
  const { exitCode = 1 } = options;
  const onFatal = (kind: string) => (error: unknown) => {
    try {
      logger.fatal({ err: error }, kind);
      logger.flush();
    } finally {
      if (exitCode !== false) process.exit(exitCode);
    }
  };
  const onException = onFatal('uncaught exception');
  const onRejection = onFatal('unhandled rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
