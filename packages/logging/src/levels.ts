import { invalidOption } from '@genxai/obs-core';
import type { Logger } from 'pino';

/** A level name: pino's (`warn`, `fatal`) or the plan's (`warning`, `critical`), any case. */
export type LevelName =
  | 'trace'
  | 'debug'
  | 'info'
  | 'warn'
  | 'warning'
  | 'error'
  | 'fatal'
  | 'critical'
  | 'silent'
  | (string & {});

type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

const PINO_LEVELS: Record<string, PinoLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  silent: 'silent',
};

const ALLOWED = 'one of trace, debug, info, warning (or warn), error, critical (or fatal), silent';

/**
 * The pino level for a level name, case-insensitive. Throws a `GenxaiObservabilityError`
 * naming the bad value and the valid ones.
 *
 * @param source what to name in the error (`level`, `LOG_LEVEL`).
 */
export function toPinoLevel(level: unknown, source = 'level'): PinoLevel {
  const found = typeof level === 'string' ? PINO_LEVELS[level.trim().toLowerCase()] : undefined;
  return found ?? invalidOption(source, level, ALLOWED);
}

/**
 * The starting level: the `level` option, else `LOG_LEVEL`, else `debug` when
 * `NODE_ENV=development` and `info` otherwise (production, test, unset).
 */
export function resolveLevel(
  level: LevelName | undefined,
  env: Record<string, string | undefined>,
): PinoLevel {
  if (level !== undefined) return toPinoLevel(level, 'level');
  const fromEnv = env.LOG_LEVEL?.trim();
  if (fromEnv) return toPinoLevel(fromEnv, 'LOG_LEVEL');
  return env.NODE_ENV === 'development' ? 'debug' : 'info';
}

/**
 * Changes a logger's level at runtime, accepting the plan's names (`warning`, `critical`) as well
 * as pino's. Only this logger changes: its existing children keep their own level.
 */
export function setLevel(logger: Logger, level: LevelName): void {
  logger.level = toPinoLevel(level, 'level');
}
