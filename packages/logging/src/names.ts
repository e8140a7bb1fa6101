/**
 * The keys of a log line, defined once. The README, the tests and the pretty printer use these.
 * `trace_id`, `span_id` and `trace_flags` follow the OpenTelemetry log data model's field names.
 *
 * @see https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-traceid
 */
export const LOG_KEYS = {
  timestamp: 'timestamp',
  level: 'level',
  message: 'message',
  error: 'err',
  traceId: 'trace_id',
  spanId: 'span_id',
  traceFlags: 'trace_flags',
} as const;

/**
 * Where a `StructuredLogger` writes its name when the pino logger it wraps already writes a
 * `name`. Written only in that case, so it is kept apart from {@link LOG_KEYS}.
 */
export const STRUCTURED_LOGGER_KEY = 'logger';

/**
 * A field or bound value named like one of the line's own keys (`timestamp`, `level`, `message`)
 * is written under this prefix (`fields.level`), so no key appears twice on a line.
 */
export const RENAMED_KEY_PREFIX = 'fields.';

/** The line's own keys, which a caller's field may not repeat. */
export const RESERVED_KEYS: readonly string[] = [LOG_KEYS.timestamp, LOG_KEYS.level, LOG_KEYS.message];

/** How each pino level is written in the `level` field: the plan's (Python logging) names. */
export const LEVEL_LABELS = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
} as const;

/**
 * The OpenTelemetry severity number of each pino level: the first number of each range of the
 * log data model (`TRACE` 1, `DEBUG` 5, `INFO` 9, `WARN` 13, `ERROR` 17, `FATAL` 21).
 *
 * @see https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-severitynumber
 */
export const SEVERITY_NUMBERS = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
} as const;

/** The instrumentation scope of the log records exported over OTLP. */
export const OTLP_SCOPE_NAME = '@genxai/logging';

/** Where OTLP log records go when no URL is configured (OTLP/HTTP's default port and logs path). */
export const DEFAULT_OTLP_LOGS_URL = 'http://localhost:4318/v1/logs';

/**
 * The semantic-convention keys an `err` field is exported under over OTLP.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/exceptions/exceptions-logs/
 */
export const EXCEPTION_ATTRIBUTES = {
  type: 'exception.type',
  message: 'exception.message',
  stacktrace: 'exception.stacktrace',
} as const;

/** The resource attribute that names the service. */
export const ATTR_SERVICE_NAME = 'service.name';
