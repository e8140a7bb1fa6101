import { EXCEPTION_ATTRIBUTES, LEVEL_LABELS, LOG_KEYS, SEVERITY_NUMBERS } from './names';

/** The span a line was written in, as the OTLP LogRecord's `traceId`, `spanId` and `flags`. */
export interface LineSpan {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

/** One JSON line as an OTLP log record, before it gets its context. */
export interface LineRecord {
  /** Milliseconds since the epoch, from the line's `timestamp`; undefined lets the SDK use now. */
  timestamp: number | undefined;
  severityNumber: number;
  severityText: string | undefined;
  /** The line's `message`. */
  body: string | undefined;
  /** Every other field of the line. */
  attributes: Record<string, unknown>;
  span: LineSpan | undefined;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACE_FLAGS = /^[0-9a-f]{2}$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * The OTel severity of a pino level: pino's own numbers (10 … 60) map to the start of each range;
 * a custom level maps to the range its number falls in.
 */
export function severityOf(
  level: number | undefined,
  label: string | undefined,
): { severityNumber: number; severityText: string | undefined } {
  const severityText =
    label === undefined
      ? undefined
      : (LEVEL_LABELS[label as keyof typeof LEVEL_LABELS] ?? label.toUpperCase());
  if (typeof level !== 'number' || !Number.isFinite(level)) return { severityNumber: 0, severityText };
  const severityNumber =
    level >= 60
      ? SEVERITY_NUMBERS.fatal
      : level >= 50
        ? SEVERITY_NUMBERS.error
        : level >= 40
          ? SEVERITY_NUMBERS.warn
          : level >= 30
            ? SEVERITY_NUMBERS.info
            : level >= 20
              ? SEVERITY_NUMBERS.debug
              : SEVERITY_NUMBERS.trace;
  return { severityNumber, severityText };
}

/** The span ids a line carries (from the trace mixin), when they are valid W3C ids. */
function spanOf(line: Record<string, unknown>): LineSpan | undefined {
  const traceId = line[LOG_KEYS.traceId];
  const spanId = line[LOG_KEYS.spanId];
  const flags = line[LOG_KEYS.traceFlags];
  if (typeof traceId !== 'string' || !TRACE_ID.test(traceId) || traceId === INVALID_TRACE_ID)
    return undefined;
  if (typeof spanId !== 'string' || !SPAN_ID.test(spanId) || spanId === INVALID_SPAN_ID) return undefined;
  const traceFlags = typeof flags === 'string' && TRACE_FLAGS.test(flags) ? Number.parseInt(flags, 16) : 0;
  return { traceId, spanId, traceFlags };
}

/** `err` under the semantic-convention keys; what else the error had stays under `err`. */
function exceptionAttributes(error: unknown, attributes: Record<string, unknown>): void {
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return;
  const { type, message, stack, ...rest } = error as Record<string, unknown>;
  if (typeof type !== 'string' && typeof message !== 'string' && typeof stack !== 'string') return;
  if (typeof type === 'string') attributes[EXCEPTION_ATTRIBUTES.type] = type;
  if (typeof message === 'string') attributes[EXCEPTION_ATTRIBUTES.message] = message;
  if (typeof stack === 'string') attributes[EXCEPTION_ATTRIBUTES.stacktrace] = stack;
  if (Object.keys(rest).length > 0) attributes[LOG_KEYS.error] = rest;
  else delete attributes[LOG_KEYS.error];
}

/**
 * Turns one written JSON line into an OTLP record. The line is what pino wrote, after our
 * redaction, `redactPaths` and truncation, so nothing reaches the collector that the line does
 * not show. Throws on a line that is not a JSON object; the caller reports it.
 *
 * @param level pino's level number of the line.
 * @param label pino's name for that level (`warn`), if known.
 */
export function lineToRecord(line: string, level: number | undefined, label: string | undefined): LineRecord {
  const parsed: unknown = JSON.parse(line);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError('the line is not a JSON object');
  }
  const fields = parsed as Record<string, unknown>;
  // A plain loop: rest destructuring with computed keys takes V8's slow path, on every line.
  const attributes: Record<string, unknown> = {};
  for (const key in fields) {
    if (key !== LOG_KEYS.timestamp && key !== LOG_KEYS.level && key !== LOG_KEYS.message) {
      attributes[key] = fields[key];
    }
  }
  const timestamp = fields[LOG_KEYS.timestamp];
  const message = fields[LOG_KEYS.message];
  const span = spanOf(fields);
  if (span !== undefined) {
    delete attributes[LOG_KEYS.traceId];
    delete attributes[LOG_KEYS.spanId];
    delete attributes[LOG_KEYS.traceFlags];
  }
  exceptionAttributes(attributes[LOG_KEYS.error], attributes);
  const time = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  const { severityNumber, severityText } = severityOf(level, label);
  return {
    timestamp: Number.isFinite(time) ? time : undefined,
    severityNumber,
    severityText,
    body: message === undefined ? undefined : typeof message === 'string' ? message : JSON.stringify(message),
    attributes,
    span,
  };
}
