import { createRequire } from 'node:module';
import { LOG_KEYS } from './names';

/** The part of `@opentelemetry/api` we use, typed here so that the package needs no OTel types. */
interface TraceApi {
  trace: {
    getActiveSpan(): { spanContext(): { traceId: string; spanId: string; traceFlags: number } } | undefined;
    isSpanContextValid(context: { traceId: string; spanId: string; traceFlags: number }): boolean;
  };
}

/** The trace fields added to a line written inside an active span. */
export interface TraceFields {
  trace_id: string;
  span_id: string;
  trace_flags: string;
}

// undefined: not looked up yet; null: the peer is not installed.
let traceApi: TraceApi | null | undefined;

/**
 * Loads the optional `@opentelemetry/api` peer, once per process. It returns undefined when the
 * peer is not installed, so logging works without any OTel package.
 */
export function loadTraceApi(): TraceApi | undefined {
  if (traceApi === undefined) {
    try {
      const requireOptional = createRequire(import.meta.url);
      traceApi = requireOptional('@opentelemetry/api') as TraceApi;
    } catch {
      traceApi = null;
    }
  }
  return traceApi ?? undefined;
}

/**
 * The trace fields of the active OpenTelemetry span: `trace_id`, `span_id` and `trace_flags`
 * (two hex digits, `01` = sampled). Outside a valid span, or without the optional
 * `@opentelemetry/api` peer, it returns `{}`.
 *
 * It is a pino `mixin`, for an application that builds its own pino logger. `createLogger` uses
 * the same function. Context propagation across `await` needs a context manager (the tracing
 * package's `setupTracing`, or `AsyncLocalStorageContextManager`).
 *
 * @example
 * import pino from 'pino';
 * import { traceMixin } from '@genxai/logging';
 *
 * const logger = pino({ mixin: traceMixin });
 * // Inside a span: {"level":30,…,"trace_id":"4bf9…","span_id":"00f0…","trace_flags":"01","msg":"hi"}
 * logger.info('hi');
 */
export function traceMixin(): Partial<TraceFields> {
  // A new object each time: pino's default mixin merge assigns the call's fields into it.
  const api = loadTraceApi();
  if (api === undefined) return {};
  const span = api.trace.getActiveSpan();
  if (span === undefined) return {};
  const context = span.spanContext();
  if (!api.trace.isSpanContextValid(context)) return {};
  return {
    [LOG_KEYS.traceId]: context.traceId,
    [LOG_KEYS.spanId]: context.spanId,
    [LOG_KEYS.traceFlags]: `0${(context.traceFlags & 0xff).toString(16)}`.slice(-2),
  };
}
