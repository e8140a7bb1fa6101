const marker = Symbol.for('genxai.observability.error');

/**
 * The error every GenXAI Observability package throws at configuration time.
 *
 * It carries a `Symbol.for('genxai.observability.error')` marker, so
 * {@link GenxaiObservabilityError.isInstance} still recognises it when two
 * copies of the package are installed and `instanceof` would fail.
 */
export class GenxaiObservabilityError extends Error {
  readonly [marker] = true;

  /** A stable, machine-readable code such as `GENXAI_INVALID_OPTION`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GenxaiObservabilityError';
    this.code = code;
  }

  /** True for an error thrown by any copy of any GenXAI Observability package. */
  static isInstance(error: unknown): error is GenxaiObservabilityError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/**
 * Throws a {@link GenxaiObservabilityError} naming the bad option, the value
 * received and what is allowed.
 */
export function invalidOption(option: string, value: unknown, allowed: string): never {
  throw new GenxaiObservabilityError(
    'GENXAI_INVALID_OPTION',
    `Invalid ${option}: ${describeValue(value)}. Expected ${allowed}.`,
  );
}

/** A short, safe rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}
