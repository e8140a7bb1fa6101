import { mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import {
  createRedactor,
  invalidOption,
  REDACTED,
  type RedactionOptions,
  type Redactor,
} from '@genxai/obs-core';
import pino, {
  type DestinationStream,
  type LogFn,
  type Logger,
  type LoggerOptions as PinoOptions,
  type TransportMultiOptions,
  type TransportPipelineOptions,
  type TransportSingleOptions,
} from 'pino';
import { type LevelName, resolveLevel } from './levels';
import { LEVEL_LABELS, LOG_KEYS, RENAMED_KEY_PREFIX, RESERVED_KEYS } from './names';
import { createTraceMixin, loadTraceApi } from './trace-context';

/** Options for {@link createLogger}. Every one is optional: `createLogger()` writes JSON lines to stdout. */
export interface LoggerOptions {
  /** Written as `name` on every line (the plan's logger name, such as `genxai.agent`). */
  name?: string;
  /**
   * The starting level. Names are pino's or the plan's (`warning`, `critical`), any case.
   * @default LOG_LEVEL, else 'debug' when NODE_ENV=development, else 'info'
   */
  level?: LevelName;
  /**
   * Where `LOG_LEVEL` and `NODE_ENV` are read from.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
  /**
   * Human-readable output through pino-pretty instead of JSON. `'auto'` turns it on when
   * `NODE_ENV=development`, stdout is a TTY and no destination or transport is given.
   * @default 'auto'
   */
  pretty?: boolean | 'auto';
  /**
   * Where lines go: a file path (directories are created), a file descriptor, or a stream.
   * @default 1 (stdout)
   */
  destination?: string | number | DestinationStream;
  /**
   * Write synchronously, so no line is lost on `process.exit` or a crash. With `false`, lines are
   * buffered and pino flushes them on a normal exit; call `logger.flush()` before you exit otherwise.
   * Ignored when `destination` is a stream.
   * @default true
   */
  sync?: boolean;
  /** A pino transport (worker thread), instead of `destination`. */
  transport?: TransportSingleOptions | TransportMultiOptions | TransportPipelineOptions;
  /**
   * Secret redaction rules (from `@genxai/obs-core`), added to the defaults. They apply to every
   * log object, binding and message. `false` turns redaction off, along with the cycle and size
   * protection that comes with it.
   * @default {}
   */
  redaction?: RedactionOptions | false;
  /** A redactor built once and shared, for example with `@genxai/tracing`. Wins over `redaction`. */
  redactor?: Redactor;
  /**
   * Extra pino `redact` paths for values whose key name is not a secret (`user.email`,
   * `req.body.ssn`). Key names are already covered at any depth by the redaction rules.
   * @default []
   */
  redactPaths?: string[];
  /**
   * Strings longer than this (messages, fields, stacks) are cut, with `…[truncated N chars]`.
   * @default 10000
   */
  maxStringLength?: number;
  /**
   * Add `trace_id`, `span_id` and `trace_flags` to lines written inside an active OpenTelemetry
   * span. Needs the optional `@opentelemetry/api` peer; without it this does nothing.
   * @default true
   */
  traceCorrelation?: boolean;
  /** Any other pino options. They are applied last; `formatters` and `serializers` are merged. */
  pino?: PinoOptions;
}

const requireOptional = createRequire(import.meta.url);

function formatLevel(label: string) {
  return { [LOG_KEYS.level]: LEVEL_LABELS[label as keyof typeof LEVEL_LABELS] ?? label.toUpperCase() };
}

function timestamp() {
  return `,"${LOG_KEYS.timestamp}":"${new Date().toISOString()}"`;
}

function hasReservedKey(object: object, keys: readonly string[]): boolean {
  for (const key of keys) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** A shallow copy with `keys` moved to `fields.<key>`, keeping the key order otherwise. */
function renameReserved(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    result[keys.includes(key) ? RENAMED_KEY_PREFIX + key : key] = object[key];
  }
  return result;
}

/** Bindings never repeat the line's own keys. */
function renameReservedBindings(bindings: Record<string, unknown>): Record<string, unknown> {
  return hasReservedKey(bindings, RESERVED_KEYS) ? renameReserved(bindings, RESERVED_KEYS) : bindings;
}

// `message` in a call's fields is pino's message when no message argument is given; then it stays.
const RESERVED_WITHOUT_MESSAGE = RESERVED_KEYS.filter((key) => key !== LOG_KEYS.message);

/** The log call's arguments with fields named like the line's own keys renamed (never mutated). */
function renameReservedFields(args: unknown[]): unknown[] {
  const fields = args[0];
  if (typeof fields !== 'object' || fields === null || fields instanceof Error) return args;
  const keys = args[1] === undefined ? RESERVED_WITHOUT_MESSAGE : RESERVED_KEYS;
  if (!hasReservedKey(fields, keys)) return args;
  return [renameReserved(fields as Record<string, unknown>, keys), ...args.slice(1)];
}

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

function passThrough(value: unknown) {
  return value;
}

function isAutoPretty(env: Record<string, string | undefined>) {
  return env.NODE_ENV === 'development' && process.stdout.isTTY === true;
}

function buildDestination(options: LoggerOptions, pretty: boolean): DestinationStream | undefined {
  const { destination = 1, sync = true } = options;
  const isStream = typeof destination === 'object' && destination !== null;
  if (!isStream && typeof destination !== 'string' && typeof destination !== 'number') {
    invalidOption('destination', destination, 'a file path, a file descriptor or a stream');
  }
  // Open a file now, not asynchronously: a buffered logger that exits before an async open
  // completes would lose every line.
  const target = typeof destination === 'string' ? openLogFile(destination) : destination;
  // pino's own SonicBoom: synchronous, or buffered and flushed by pino on exit.
  const output = typeof target === 'object' ? target : pino.destination({ dest: target, sync });
  return pretty ? prettyDestination(output, destination === 1 && process.stdout.isTTY === true) : output;
}

type Prettify = (line: string) => string | undefined;

/**
 * Formats each line with pino-pretty's `prettyFactory` in the calling thread and writes it to
 * `output` at once. pino-pretty's own stream passes lines through asynchronous stream stages, so
 * lines still in them are lost on `process.exit`, and a file it opens itself is not ready before
 * the first write ("sonic boom is not ready yet").
 */
function prettyDestination(output: DestinationStream, colorize: boolean): DestinationStream {
  const { prettyFactory } = requireOptional('pino-pretty') as { prettyFactory(options: object): Prettify };
  const prettify = prettyFactory({
    colorize,
    messageKey: LOG_KEYS.message,
    timestampKey: LOG_KEYS.timestamp,
    errorLikeObjectKeys: [LOG_KEYS.error, 'error'],
    ignore: 'pid,hostname',
    translateTime: 'SYS:HH:MM:ss.l',
  });
  const flushable = output as DestinationStream & {
    flush?: (callback: (error?: Error) => void) => void;
    flushSync?: () => void;
  };
  return {
    write(line: string) {
      const text = prettify(line);
      if (text !== undefined && text !== '') output.write(text);
    },
    flush(callback: (error?: Error) => void) {
      if (typeof flushable.flush === 'function') flushable.flush(callback);
      else callback();
    },
    flushSync() {
      flushable.flushSync?.();
    },
  } as DestinationStream;
}

function openLogFile(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'a');
  } catch (error) {
    return invalidOption('destination', path, `a writable file path (${(error as Error).message})`);
  }
}

/**
 * Creates a configured pino `Logger`. It writes one JSON object a line to stdout in the plan's
 * shape: `timestamp` (ISO-8601 UTC), `level` (`DEBUG`/`INFO`/`WARNING`/`ERROR`), `message`, the
 * bound context and the call's fields. Secrets are redacted, and `trace_id`/`span_id` are added
 * inside an active OpenTelemetry span.
 *
 * It is pino, configured: `child`, `info(obj, msg)`, `isLevelEnabled`, `flush` and the rest all work.
 * Bad options (an unknown level, a bad destination) throw here, never on a log call.
 *
 * @example
 * const logger = createLogger({ name: 'genxai.agent' });
 * const agentLog = logger.child({ agent_id: 'a1', agent_role: 'planner' });
 * agentLog.info({ task, tokens_used: 512 }, 'Agent execution completed');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const level = resolveLevel(options.level, env);
  const { pretty: prettyOption = 'auto' } = options;
  if (prettyOption !== true && prettyOption !== false && prettyOption !== 'auto') {
    invalidOption('pretty', prettyOption, "true, false or 'auto'");
  }
  if (options.transport !== undefined && options.destination !== undefined) {
    invalidOption('transport', options.transport, 'no transport when a destination is given');
  }
  const pretty =
    options.transport === undefined &&
    (prettyOption === true ||
      (prettyOption === 'auto' && options.destination === undefined && isAutoPretty(env)));

  const maxStringLength = options.maxStringLength ?? 10_000;
  const redactor =
    options.redactor ??
    (options.redaction === false ? undefined : createRedactor({ maxStringLength, ...options.redaction }));
  const replacement = options.redaction === false ? REDACTED : (options.redaction?.replacement ?? REDACTED);
  const traceApi = options.traceCorrelation === false ? undefined : loadTraceApi();

  // pino-pretty labels and colours pino's numeric levels itself, and pino refuses a level
  // formatter with multi-target transports: both keep pino's numbers.
  const numericLevels = pretty || (options.transport !== undefined && 'targets' in options.transport);
  const formatters: NonNullable<PinoOptions['formatters']> = numericLevels ? {} : { level: formatLevel };
  const serializers: Record<string, (value: unknown) => unknown> = {};
  // Bindings are renamed, then redacted: at the root here, in children by wrapChildBindings.
  const prepareBindings =
    redactor === undefined
      ? renameReservedBindings
      : (bindings: Record<string, unknown>) =>
          redactor.redactValue(renameReservedBindings(bindings)) as Record<string, unknown>;
  formatters.bindings = prepareBindings;
  if (redactor !== undefined) {
    // One deep copy per line: key rules at any depth, string rules, errors, cycles, BigInt, size.
    formatters.log = (object) => redactor.redactValue(object) as Record<string, unknown>;
    // pino passes the message through the serializer registered under messageKey.
    serializers[LOG_KEYS.message] = (message) => redactor.redactValue(message);
    // Errors are already serialized (and redacted) by formatters.log.
    serializers[LOG_KEYS.error] = passThrough;
  }

  const pinoOptions: PinoOptions = {
    level,
    messageKey: LOG_KEYS.message,
    errorKey: LOG_KEYS.error,
    timestamp,
    ...(options.name !== undefined && { name: options.name }),
    ...(traceApi !== undefined && { mixin: createTraceMixin(traceApi) }),
    ...(options.redactPaths !== undefined &&
      options.redactPaths.length > 0 && { redact: { paths: options.redactPaths, censor: replacement } }),
    ...(options.transport !== undefined && { transport: options.transport }),
    ...options.pino,
    formatters: withoutUndefined({ ...formatters, ...options.pino?.formatters }),
    serializers: { ...serializers, ...options.pino?.serializers },
    hooks: { ...options.pino?.hooks, logMethod: renamingLogMethod(options.pino?.hooks?.logMethod) },
  };
  const logger =
    options.transport !== undefined
      ? pino(pinoOptions)
      : pino(pinoOptions, buildDestination(options, pretty));
  wrapChildBindings(logger, prepareBindings);
  return logger;
}

type LogMethodHook = NonNullable<NonNullable<PinoOptions['hooks']>['logMethod']>;

/** pino's `logMethod` hook, renaming reserved fields first, then calling the caller's own hook. */
function renamingLogMethod(userHook: LogMethodHook | undefined): LogMethodHook {
  return function logMethod(this: Logger, args: Parameters<LogFn>, method: LogFn, level: number) {
    const renamed = renameReservedFields(args) as Parameters<LogFn>;
    if (userHook !== undefined) return userHook.call(this, renamed, method, level);
    return method.apply(this, renamed);
  };
}

/**
 * pino passes only the root's bindings through `formatters.bindings`; a child's are written as
 * given. Children inherit `child` from their parent object, so wrapping it on the root covers
 * `child` and `setBindings` at every depth.
 */
function wrapChildBindings(
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
