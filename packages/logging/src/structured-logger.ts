import type { Logger } from 'pino';
import { createLogger, type LoggerOptions } from './create-logger';
import { type LevelName, setLevel } from './levels';
import { STRUCTURED_LOGGER_KEY } from './names';

/** Options for {@link StructuredLogger}: a pino logger to wrap, or options for a new one. */
export interface StructuredLoggerOptions extends LoggerOptions {
  /**
   * The pino logger to write through (for example one from {@link createLogger}). When given, the
   * other options are ignored, and it is used as it is: to add our redaction and trace ids to an
   * application's own pino logger, pass `createLogger({ logger: appLogger })`.
   * @default the shared default logger, created on first use from the environment
   */
  logger?: Logger;
}

type Fields = Record<string, unknown>;

// How `child` passes its state to the constructor without a public parameter.
const internalKey = Symbol('StructuredLogger.internal');
type Internal = { [internalKey]?: { base: Logger; context: Fields; level: string } };

let defaultLogger: Logger | undefined;

/** The process-wide logger that `new StructuredLogger(name)` writes through when given no options. */
function getDefaultLogger(): Logger {
  defaultLogger ??= createLogger();
  return defaultLogger;
}

/**
 * The plan's `StructuredLogger`, as a thin layer over a pino logger:
 * `new StructuredLogger('genxai.agent')`, `addContext({ agent_id })`, then
 * `info('Agent execution completed', { duration, tokens_used, status })`.
 *
 * Context is bound with pino's `child`, so each line costs what a pino line costs.
 */
export class StructuredLogger {
  readonly #base: Logger;
  #context: Fields;
  #logger: Logger;

  /**
   * @param name written as `name` on every line; as `logger` when the given `logger` already
   *   writes a `name` (`createLogger({ name: 'app' })`), so neither is lost nor written twice.
   * @param options a `logger` to wrap, or {@link LoggerOptions} for a new one. Without options,
   *   all StructuredLoggers share one default logger (JSON to stdout, level from the environment).
   */
  constructor(name: string, options?: StructuredLoggerOptions) {
    const internal = (options as Internal | undefined)?.[internalKey];
    if (internal !== undefined) {
      this.#base = internal.base;
      this.#context = internal.context;
      this.#logger = internal.base.child(internal.context);
      this.#logger.level = internal.level;
      return;
    }
    const { logger, ...loggerOptions } = options ?? {};
    // A logger that already writes `name` gets ours as `logger`, so `name` is never written twice.
    this.#base =
      logger?.child(logger.bindings().name === undefined ? { name } : { [STRUCTURED_LOGGER_KEY]: name }) ??
      (options === undefined ? getDefaultLogger().child({ name }) : createLogger({ ...loggerOptions, name }));
    this.#context = {};
    this.#logger = this.#base;
  }

  /** The pino logger carrying this logger's name and context; use it for anything pino does. */
  get logger(): Logger {
    return this.#logger;
  }

  /** A copy of the context bound so far. */
  get context(): Readonly<Fields> {
    return { ...this.#context };
  }

  /** The current level, as pino names it. */
  get level(): string {
    return this.#logger.level;
  }

  /**
   * Adds fields to every later line of this logger (the plan's `add_context`). A key added again
   * replaces the earlier value; it is never written twice. Child loggers made earlier keep their context.
   */
  addContext(fields: Fields): this {
    this.#context = { ...this.#context, ...fields };
    const level = this.#logger.level;
    this.#logger = this.#base.child(this.#context);
    this.#logger.level = level;
    return this;
  }

  /** A new StructuredLogger with this one's context plus `fields` and its level; this one does not change. */
  child(fields: Fields): StructuredLogger {
    const internal: Internal[typeof internalKey] = {
      base: this.#base,
      context: { ...this.#context, ...fields },
      level: this.#logger.level,
    };
    return new StructuredLogger('', { [internalKey]: internal } as StructuredLoggerOptions);
  }

  /** Changes the level of this logger at runtime (`'debug'`, `'warning'`, …). */
  setLevel(level: LevelName): void {
    setLevel(this.#logger, level);
  }

  /** Logs at DEBUG. Costs almost nothing when debug is off. */
  debug(message: string, fields?: Fields): void {
    if (fields === undefined) this.#logger.debug(message);
    else this.#logger.debug(fields, message);
  }

  /** Logs at INFO. */
  info(message: string, fields?: Fields): void {
    if (fields === undefined) this.#logger.info(message);
    else this.#logger.info(fields, message);
  }

  /** Logs at WARNING (pino's `warn`). */
  warning(message: string, fields?: Fields): void {
    if (fields === undefined) this.#logger.warn(message);
    else this.#logger.warn(fields, message);
  }

  /** Logs at ERROR. Pass the error as `err` (or any field) to get its type, message and stack. */
  error(message: string, fields?: Fields): void {
    if (fields === undefined) this.#logger.error(message);
    else this.#logger.error(fields, message);
  }

  /** Logs at CRITICAL (pino's `fatal`). */
  critical(message: string, fields?: Fields): void {
    if (fields === undefined) this.#logger.fatal(message);
    else this.#logger.fatal(fields, message);
  }

  /** Flushes buffered lines (only needed with `sync: false`). */
  flush(callback?: (error?: Error) => void): void {
    this.#logger.flush(callback);
  }
}
