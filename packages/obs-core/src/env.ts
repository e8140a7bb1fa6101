import { invalidOption } from './errors';

/** Where `OTEL_*` and other variables are read from: `process.env` or a test's own record. */
export type Environment = Record<string, string | undefined>;

/** Reads a variable: undefined when unset or blank; surrounding spaces are dropped. */
export function readEnv(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * A positive integer (or one from `min` to `max`) from an option or the text of a variable:
 * digits only, so `"0x10"`, `"1e3"` and `"12ms"` are refused. Throws naming `source`.
 */
export function parsePositiveInteger(
  value: unknown,
  source: string,
  max = Number.MAX_SAFE_INTEGER,
  min = 1,
): number {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    invalidOption(source, value, `an integer from ${min} to ${max}`);
  }
  return number;
}

/** An http:// or https:// URL from an option or a variable, returned as given. Throws naming `source`. */
export function parseHttpUrl(value: unknown, source: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    invalidOption(source, value, 'an http:// or https:// URL');
  }
  return value as string;
}
