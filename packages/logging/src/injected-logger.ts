import { invalidOption, type Redactor } from '@genxai/obs-core';
import type { ChildLoggerOptions, Logger } from 'pino';
import { wrapChildBindings } from './child-bindings';
import { LOG_KEYS, STRUCTURED_LOGGER_KEY } from './names';
import { renameReservedIn } from './reserved-keys';
import { traceMixin } from './trace-context';

type Fields = Record<string, unknown>;
type Serializer = (value: unknown) => unknown;

interface PinoFormatters {
  level?: (label: string, number: number) => object;
  log?: (object: Fields) => Fields;
}

// pino's public symbols are `Symbol.for`, so they also work on a logger from another pino copy.
const FORMATTERS = Symbol.for('pino.formatters');
const SERIALIZERS = Symbol.for('pino.serializers');

/** Has the methods every pino logger has: `child`, `info` and a string `level`. */
export function looksLikePinoLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.child === 'function' &&
    typeof candidate.info === 'function' &&
    typeof candidate.level === 'string'
  );
}

/** A pino logger whose formatters and serializers we can read, so a child can chain them. */
export function isPinoLogger(value: unknown): value is Logger {
  if (!looksLikePinoLogger(value)) return false;
  const internals = value as unknown as Record<symbol, unknown>;
  return typeof internals[FORMATTERS] === 'object' && typeof internals[SERIALIZERS] === 'object';
}

/** What {@link injectedChild} adds to the application's logger. */
export interface InjectedChildOptions {
  redactor: Redactor | undefined;
  traceCorrelation: boolean;
  name: string | undefined;
  level: string | undefined;
}

/**
 * A child of the application's pino logger that redacts, correlates and renames what is written
 * through it, and keeps the application's bindings, level, destination, mixin and formatters.
 *
 * Why `formatters.log` on the child, not a `mixin`: pino has one mixin per root instance and a
 * child cannot add one, so ours would have to replace the application's. A child's
 * `formatters.log` replaces its parent's for that child only, and pino runs it after merging the
 * mixin's fields. So we call the application's own `formatters.log` from ours, and its mixin,
 * `formatters.level` and bindings are left alone. Our trace fields go first, as a mixin's would:
 * the call's fields, and an application mixin writing the same keys, win without a repeated key.
 *
 * The line's object is redacted after the application's formatter and serializers have run
 * (pino's own order), so its `err` and `req` serializers get the values they expect, and what they
 * return is redacted too. The child's serializers are then no-ops, except the message's.
 */
export function injectedChild(appLogger: Logger, options: InjectedChildOptions): Logger {
  const internals = appLogger as unknown as Record<symbol, unknown>;
  const appFormatters = internals[FORMATTERS] as PinoFormatters;
  const appSerializers = internals[SERIALIZERS] as Record<string, Serializer | undefined>;
  const appLog = appFormatters.log;
  const messageKey = stringOr(pinoInternal(appLogger, 'pino.messageKey'), 'msg');
  const errorKey = stringOr(pinoInternal(appLogger, 'pino.errorKey'), 'err');
  const nested = typeof pinoInternal(appLogger, 'pino.nestedKey') === 'string';
  const lineKeys = [...levelKeys(appFormatters), ...timeKeys(appLogger)];
  // A call's `msg` field is pino's message when no message argument is given, and a formatter
  // cannot tell the two cases apart, so only bindings rename the message key. Under a nestedKey,
  // the call's fields cannot collide with the line's keys.
  const fieldKeys = nested ? [] : lineKeys;
  const bindingKeys = [...lineKeys, messageKey];
  const { redactor, traceCorrelation } = options;

  /** The application's serializers, applied as pino would apply them after `formatters.log`. */
  function serialize(object: Fields): Fields {
    let result: Fields | undefined;
    for (const key of Object.keys(object)) {
      // The message key is serialized (and redacted) by the child's serializer, below.
      if (key === messageKey || object[key] === undefined) continue;
      const serializer = appSerializers[key] ?? (key === errorKey ? appSerializers.err : undefined);
      if (serializer === undefined) continue;
      result ??= { ...object };
      result[key] = serializer(object[key]);
    }
    return result ?? object;
  }

  const redactSerialized =
    redactor === undefined
      ? (object: Fields) => object
      : (object: Fields) => redactor.redactValue(serialize(object)) as Fields;

  function formatLog(line: object): Fields {
    const object = line as Fields;
    const trace = traceCorrelation ? traceMixin() : undefined;
    const withTrace = trace?.[LOG_KEYS.traceId] === undefined ? object : { ...trace, ...object };
    const renamed = renameReservedIn(withTrace, fieldKeys);
    return redactSerialized(appLog === undefined ? renamed : appLog(renamed));
  }

  const prepareBindings = (bindings: Fields) => redactSerialized(renameReservedIn(bindings, bindingKeys));

  const childOptions: ChildLoggerOptions<never> = { formatters: { log: formatLog } };
  if (redactor !== undefined) {
    const serializers: Record<string, Serializer> = {};
    for (const key in appSerializers) serializers[key] = passThrough;
    serializers[errorKey] = passThrough;
    const appMessage = appSerializers[messageKey];
    serializers[messageKey] = (message) =>
      redactor.redactValue(appMessage === undefined ? message : appMessage(message));
    childOptions.serializers = serializers;
  }
  if (options.level !== undefined) childOptions.level = options.level;

  // The StructuredLogger rule: a logger that already writes `name` gets ours as `logger`.
  const name = options.name;
  const bindings =
    name === undefined
      ? {}
      : appLogger.bindings().name === undefined
        ? { name }
        : { [STRUCTURED_LOGGER_KEY]: name };
  const child = appLogger.child(prepareBindings(bindings), childOptions);
  if ((child as unknown as Record<symbol, PinoFormatters>)[FORMATTERS]?.log !== formatLog) {
    invalidOption('logger', appLogger, 'a pino logger (v7 or later) whose child() takes formatters');
  }
  wrapChildBindings(child, prepareBindings);
  return child;
}

function passThrough(value: unknown) {
  return value;
}

/**
 * One of a pino instance's private settings, found by its symbol's description. `pino.symbols`
 * has these as plain `Symbol()`s of our pino copy, so they miss a logger built by another copy
 * (the application's own pino 9 or 10); the descriptions have been stable since pino 5.
 */
function pinoInternal(logger: Logger, description: string): unknown {
  for (let object: object | null = logger; object !== null; object = Object.getPrototypeOf(object)) {
    const symbol = Object.getOwnPropertySymbols(object).find(
      (candidate) => candidate.description === description,
    );
    if (symbol !== undefined) return (logger as unknown as Record<symbol, unknown>)[symbol];
  }
  return undefined;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** The keys the application's `formatters.level` writes (`level` by default). */
function levelKeys(formatters: PinoFormatters): string[] {
  try {
    const written = formatters.level?.('info', 30);
    return typeof written === 'object' && written !== null ? Object.keys(written) : [];
  } catch {
    return [];
  }
}

/** The key the application's `timestamp` function writes (`time` by default), if it writes one. */
function timeKeys(logger: Logger): string[] {
  const time = pinoInternal(logger, 'pino.time');
  if (typeof time !== 'function') return [];
  try {
    const match = /^,("(?:[^"\\]|\\.)*"):/.exec(String(time.call(logger)));
    return match?.[1] === undefined ? [] : [JSON.parse(match[1]) as string];
  } catch {
    return [];
  }
}
