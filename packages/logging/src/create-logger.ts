import { mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import {
  checkOptionNames,
  createRedactor,
  createWarnOnce,
  invalidOption,
  messageOf,
  REDACTED,
  type RedactionOptions,
  type Redactor,
  type WarningHandler,
  type WarnOnce,
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
import { wrapChildBindings } from './child-bindings';
import { injectedChild, isPinoLogger, looksLikePinoLogger } from './injected-logger';
import { type LevelName, resolveLevel, toPinoLevel } from './levels';
import { LEVEL_LABELS, LOG_KEYS, RESERVED_KEYS } from './names';
import { attachPipeline, otlpDestination } from './otlp-destination';
import { createOtlpPipeline, type OtlpPipeline } from './otlp-export';
import { type OtlpLogOptions, resolveOtlpLogOptions } from './otlp-options';
import { hasReservedKey, renameReserved, renameReservedIn } from './reserved-keys';
import { loadTraceApi, traceMixin } from './trace-context';

/** Options for {@link createLogger}. Every one is optional: `createLogger()` writes JSON lines to stdout. */
export interface LoggerOptions {
  /**
   * The application's own pino logger. `createLogger` then builds no pino instance: it returns a
   * child of this logger, so lines keep its bindings, level, destination and format (its
   * `messageKey`, `timestamp`, `mixin` and `formatters`), and adds our redaction of each call's
   * fields, message and child bindings, trace correlation, and the `fields.<key>` renaming of
   * fields named like its level and time keys. `name`, `level`, `redaction`,
   * `maxStringLength` and `traceCorrelation` still apply. `destination`, `transport`, `pretty`,
   * `sync`, `pino`, `env` and `redactPaths` belong to the application's logger and throw here.
   * @default none: a new pino logger is built from the other options
   */
  logger?: Logger;
  /**
   * Written as `name` on every line (the plan's logger name, such as `genxai.agent`). With an
   * injected `logger` that already writes a `name`, it is written as `logger` instead.
   */
  name?: string;
  /**
   * The starting level. Names are pino's or the plan's (`warning`, `critical`), any case.
   * @default LOG_LEVEL, else 'debug' when NODE_ENV=development, else 'info'; with an injected
   *   `logger`, that logger's level
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
   * Where lines go: a file path (directories are created), a file descriptor (a non-negative
   * integer), or a stream (an object with a `write` function). Anything else throws here; to
   * write through an existing pino logger, pass it as `logger`.
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
  /**
   * Where problems inside logging are reported, once each (a line whose fields could not be read,
   * a failed or timed-out OTLP export).
   * @default process warnings
   */
  onWarning?: WarningHandler;
  /** Any other pino options. They are applied last; `formatters` and `serializers` are merged. */
  pino?: PinoOptions;
  /**
   * Also export every line as an OpenTelemetry log record over OTLP/HTTP, so one Collector gets
   * logs, traces and metrics. `true` uses the defaults and the `OTEL_EXPORTER_OTLP_*` variables;
   * an object sets them (see {@link OtlpLogOptions}). The JSON lines are written as before. Each
   * record carries the line's trace and span ids as its `traceId`/`spanId`, a severity from its
   * level, the message as body, the other fields (as redacted on the line) as attributes, and the
   * resource (`service.name`). Needs the optional peers `@opentelemetry/sdk-logs`,
   * `@opentelemetry/exporter-logs-otlp-proto` and `@opentelemetry/resources`, of either SDK line;
   * without them this throws here. Not with `logger` or `transport`. `logger.flush(callback)`
   * also exports what is queued; {@link shutdownLogger} flushes and closes the export.
   * @default `OTEL_LOGS_EXPORTER` lists `otlp`: on with the defaults; otherwise off
   */
  otlp?: boolean | OtlpLogOptions;
}

const requireOptional = createRequire(import.meta.url);

function formatLevel(label: string) {
  return { [LOG_KEYS.level]: LEVEL_LABELS[label as keyof typeof LEVEL_LABELS] ?? label.toUpperCase() };
}

// Lines in a burst share their millisecond: its ISO text is made once.
let stampedAt = Number.NaN;
let stamp = '';
function timestamp() {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = `,"${LOG_KEYS.timestamp}":"${new Date(now).toISOString()}"`;
  }
  return stamp;
}

/** Bindings never repeat the line's own keys. */
function renameReservedBindings(bindings: Record<string, unknown>): Record<string, unknown> {
  return renameReservedIn(bindings, RESERVED_KEYS);
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

/**
 * A string path, a non-negative integer fd, or an object with a `write` function. pino itself
 * accepts any object, and then loses every line with one "stream.write is not a function" warning.
 */
function checkDestination(destination: unknown): void {
  if (destination === undefined || typeof destination === 'string') return;
  if (typeof destination === 'number' && Number.isInteger(destination) && destination >= 0) return;
  if (looksLikePinoLogger(destination)) {
    invalidOption(
      'destination',
      destination,
      'a file path, a file descriptor or a stream, not a pino logger: pass a pino logger as `logger` instead',
    );
  }
  const isStream =
    typeof destination === 'object' &&
    destination !== null &&
    typeof (destination as { write?: unknown }).write === 'function';
  if (!isStream) {
    invalidOption(
      'destination',
      destination,
      'a file path, a file descriptor or a stream: a string, a non-negative integer or an object with a write function',
    );
  }
}

function buildDestination(options: LoggerOptions, pretty: boolean): DestinationStream | undefined {
  const { destination = 1, sync = true } = options;
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
 * Given the application's own pino logger as `logger`, it returns a child of it instead, in the
 * application's format, with our redaction and trace ids added (see {@link LoggerOptions.logger}).
 *
 * @example
 * const logger = createLogger({ name: 'genxai.agent' });
 * const agentLog = logger.child({ agent_id: 'a1', agent_role: 'planner' });
 * agentLog.info({ task, tokens_used: 512 }, 'Agent execution completed');
 *
 * @example
 * const agentLog = createLogger({ logger: app.log, name: 'genxai.agent' }); // e.g. Fastify's logger
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  if (typeof options !== 'object' || options === null)
    invalidOption('createLogger options', options, 'an object');
  checkOptionNames('createLogger', options, LOGGER_OPTION_NAMES);
  if (options.logger !== undefined) return createInjectedLogger(options);
  checkDestination(options.destination);
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

  const redactor = buildRedactor(options);
  const warn = createWarnOnce(options.onWarning);
  const pipeline = buildOtlpPipeline(options, env, warn);
  const replacement = options.redaction === false ? REDACTED : (options.redaction?.replacement ?? REDACTED);

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
    ...(traceCorrelationOn(options) && { mixin: traceMixin }),
    ...(options.redactPaths !== undefined &&
      options.redactPaths.length > 0 && { redact: { paths: options.redactPaths, censor: replacement } }),
    ...(options.transport !== undefined && { transport: options.transport }),
    ...options.pino,
    formatters: withoutUndefined({ ...formatters, ...options.pino?.formatters }),
    serializers: { ...serializers, ...options.pino?.serializers },
    hooks: { ...options.pino?.hooks, logMethod: safeLogMethod(options.pino?.hooks?.logMethod, warn) },
  };
  let logger: Logger;
  try {
    if (options.transport !== undefined) {
      logger = pino(pinoOptions);
    } else {
      const output = buildDestination(options, pretty);
      logger = pino(
        pinoOptions,
        pipeline === undefined || output === undefined ? output : otlpDestination(output, pipeline, warn),
      );
    }
  } catch (error) {
    void pipeline?.shutdown();
    throw error;
  }
  if (pipeline !== undefined) attachPipeline(logger, pipeline);
  wrapChildBindings(logger, prepareBindings);
  return logger;
}

/** The OTLP pipeline, when `otlp` or `OTEL_LOGS_EXPORTER` asks for one. Its peers are loaded only then. */
function buildOtlpPipeline(
  options: LoggerOptions,
  env: Record<string, string | undefined>,
  warn: WarnOnce,
): OtlpPipeline | undefined {
  const otlp = resolveOtlpLogOptions(options.otlp, env);
  if (otlp === undefined) return undefined;
  if (options.transport !== undefined) {
    // A transport writes in a worker thread, where no line passes through this one.
    invalidOption(
      options.otlp === undefined ? 'OTEL_LOGS_EXPORTER' : 'otlp',
      options.otlp === undefined ? env.OTEL_LOGS_EXPORTER : options.otlp,
      'no OTLP export together with transport: use destination, or set otlp: false',
    );
  }
  return createOtlpPipeline(otlp, warn);
}

function buildRedactor(options: LoggerOptions): Redactor | undefined {
  const maxStringLength = options.maxStringLength ?? 10_000;
  return options.redaction === false ? undefined : createRedactor({ maxStringLength, ...options.redaction });
}

function traceCorrelationOn(options: LoggerOptions): boolean {
  return options.traceCorrelation !== false && loadTraceApi() !== undefined;
}

const LOGGER_OPTION_NAMES = {
  logger: true,
  name: true,
  level: true,
  env: true,
  pretty: true,
  destination: true,
  sync: true,
  transport: true,
  redaction: true,
  redactPaths: true,
  maxStringLength: true,
  traceCorrelation: true,
  onWarning: true,
  pino: true,
  otlp: true,
} satisfies Record<keyof LoggerOptions, true>;

// Options that configure the pino instance itself, which the injected logger's owner already did.
const NOT_WITH_LOGGER = {
  destination: "lines go to the injected logger's destination",
  transport: "lines go to the injected logger's destination",
  pretty: 'the injected logger keeps its own format; make it pretty where it is built',
  sync: "the injected logger's destination decides",
  pino: 'configure the injected logger where it is built',
  env: 'LOG_LEVEL is not read: the injected logger keeps its level, or pass level',
  redactPaths:
    "a child's redact paths would replace the injected logger's own; add them to its redact option, or name the keys in redaction.keys",
  otlp: "OTLP export taps the destination that createLogger builds, and lines go to the injected logger's destination; use createLogger({ otlp }) without logger",
} as const satisfies Partial<Record<keyof LoggerOptions, string>>;

function createInjectedLogger(options: LoggerOptions): Logger {
  const { logger } = options;
  if (!isPinoLogger(logger)) {
    return invalidOption(
      'logger',
      logger,
      'a pino logger (an object with child, info and level, from pino())',
    );
  }
  for (const [option, reason] of Object.entries(NOT_WITH_LOGGER)) {
    const value = options[option as keyof typeof NOT_WITH_LOGGER];
    if (value !== undefined) invalidOption(option, value, `no ${option} together with logger (${reason})`);
  }
  return injectedChild(logger, {
    redactor: buildRedactor(options),
    traceCorrelation: traceCorrelationOn(options),
    name: options.name,
    level: options.level === undefined ? undefined : toPinoLevel(options.level, 'level'),
  });
}

type LogMethodHook = NonNullable<NonNullable<PinoOptions['hooks']>['logMethod']>;

/** A plain copy of a call's fields, reading each one on its own: a throwing getter or Proxy trap loses only itself. */
function readableFields(fields: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  let keys: string[];
  try {
    keys = Object.keys(fields as object);
  } catch {
    return { fields: UNREADABLE };
  }
  for (const key of keys) {
    try {
      copy[key] = (fields as Record<string, unknown>)[key];
    } catch {
      copy[key] = UNREADABLE;
    }
  }
  return copy;
}

const UNREADABLE = '[Unreadable]';

/**
 * pino's `logMethod` hook: renames reserved fields, then calls the caller's own hook. A line whose
 * fields cannot be read (a throwing getter, a Proxy: pino merges and serializes them) is written
 * again from a copy that reads each field on its own; a log call never throws into the caller.
 */
function safeLogMethod(userHook: LogMethodHook | undefined, warn: WarnOnce): LogMethodHook {
  // Hoisted, not a closure per call: this runs on every line written.
  const write = (self: Logger, callArgs: unknown[], method: LogFn, level: number) => {
    const renamed = renameReservedFields(callArgs as Parameters<LogFn>) as Parameters<LogFn>;
    if (userHook !== undefined) return userHook.call(self, renamed, method, level);
    return method.apply(self, renamed);
  };
  return function logMethod(this: Logger, args: Parameters<LogFn>, method: LogFn, level: number) {
    try {
      return write(this, args, method, level);
    } catch (error) {
      warn(
        'write-failed',
        'GENXAI_LOG_FAILED',
        `@genxai/logging: a log line could not be written (${messageOf(error)}); it was retried with each field read on its own, unreadable ones as "${UNREADABLE}", and dropped if that failed too.`,
      );
    }
    try {
      const [first, ...rest] = args as unknown[];
      return write(
        this,
        typeof first === 'object' && first !== null ? [readableFields(first), ...rest] : [UNREADABLE],
        method,
        level,
      );
    } catch {
      // Nothing more to try: a log call never throws into the caller.
    }
  };
}
