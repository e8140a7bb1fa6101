import type { Logger } from 'pino';
import { pipelineOf } from './otlp-destination';

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
 * and stack, redacted), flushes, then exits. With OTLP export on, it exits once the queued records
 * are exported, or after the OTLP `timeoutMillis`. Opt-in, because it installs process listeners.
 * Returns a function that removes them.
 */
export function logFatalErrors(logger: Logger, options: FatalErrorOptions = {}): () => void {
  const { exitCode = 1 } = options;
  const onFatal = (kind: string) => (error: unknown) => {
    try {
      logger.fatal({ err: error }, kind);
      logger.flush();
    } finally {
      if (exitCode !== false) exitAfterExport(logger, exitCode);
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

/** Exits at once, or, with OTLP export on, once the queued records (the CRITICAL one too) are sent or time out. */
function exitAfterExport(logger: Logger, exitCode: number): void {
  const pipeline = pipelineOf(logger);
  if (pipeline === undefined) process.exit(exitCode);
  else void pipeline.flush().finally(() => process.exit(exitCode));
}
