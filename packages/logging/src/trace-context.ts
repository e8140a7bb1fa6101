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

/**
 * Loads the optional `@opentelemetry/api` peer. It returns undefined when the peer is not
 * installed, so logging works without any OTel package.
 */
export function loadTraceApi(): TraceApi | undefined {
  try {
    const requireOptional = createRequire(import.meta.url);
    return requireOptional('@opentelemetry/api') as TraceApi;
  } catch {
    return undefined;
  }
}

/**
 * A pino `mixin` adding `trace_id`, `span_id` and `trace_flags` (two hex digits, `01` = sampled)
 * when a valid span is active, and nothing otherwise.
 */
export function createTraceMixin(api: TraceApi): () => Partial<TraceFields> {
  return () => {
    const span = api.trace.getActiveSpan();
    if (span === undefined) return {};
    const context = span.spanContext();
    if (!api.trace.isSpanContextValid(context)) return {};
    return {
      [LOG_KEYS.traceId]: context.traceId,
      [LOG_KEYS.spanId]: context.spanId,
      [LOG_KEYS.traceFlags]: `0${(context.traceFlags & 0xff).toString(16)}`.slice(-2),
    };
  };
}
