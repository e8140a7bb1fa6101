import {
  type Context,
  context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';

/**
 * HTTP headers to read trace context from: a plain object (any key case,
 * values as Node's `IncomingHttpHeaders` has them) or a fetch `Headers`.
 */
export type HeaderCarrier =
  | Record<string, string | string[] | number | undefined>
  | { get(name: string): string | null; forEach?: unknown };

/** Options of {@link injectTraceHeaders} and {@link extractTraceContext}. */
export interface PropagationOptions {
  /** The context to inject from or extract into. @default context.active() */
  context?: Context;
  /**
   * Also write and read Jaeger's `uber-trace-id` header, for services still on
   * Jaeger clients. On extract, W3C `traceparent` wins when both are present.
   * @default false
   */
  jaeger?: boolean;
}

function isHeadersLike(carrier: unknown): carrier is { get(name: string): string | null } {
  return typeof (carrier as { get?: unknown }).get === 'function';
}

const getter: TextMapGetter<HeaderCarrier> = {
  keys(carrier) {
    if (isHeadersLike(carrier)) {
      const keys: string[] = [];
      (carrier as unknown as { forEach(callback: (value: string, key: string) => void): void }).forEach?.(
        (_value, key) => {
          keys.push(key);
        },
      );
      return keys;
    }
    return Object.keys(carrier);
  },
  get(carrier, key) {
    if (isHeadersLike(carrier)) return carrier.get(key) ?? undefined;
    const record = carrier as Record<string, string | string[] | number | undefined>;
    let value = record[key];
    if (value === undefined) {
      const wanted = key.toLowerCase();
      const match = Object.keys(record).find((name) => name.toLowerCase() === wanted);
      value = match === undefined ? undefined : record[match];
    }
    if (typeof value === 'number') return String(value);
    return value;
  },
};

const setter: TextMapSetter<Record<string, unknown>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const w3c = new W3CTraceContextPropagator();
// Later propagators override earlier ones on extract, so W3C goes last and wins.
const withJaeger: TextMapPropagator = new CompositePropagator({ propagators: [new JaegerPropagator(), w3c] });

/**
 * Writes the active (or given) span's W3C `traceparent` and `tracestate`
 * headers into `headers`, and `uber-trace-id` too when `jaeger` is set.
 * Returns the same object, for `fetch(url, { headers: injectTraceHeaders({}) })`.
 * Uses its own propagator, so it works without a globally registered SDK.
 */
export function injectTraceHeaders<Headers extends Record<string, unknown>>(
  headers: Headers,
  options: PropagationOptions = {},
): Headers {
  const propagator = options.jaeger === true ? withJaeger : w3c;
  propagator.inject(options.context ?? context.active(), headers, setter);
  return headers;
}

/**
 * Reads `traceparent`/`tracestate` (and `uber-trace-id` when `jaeger` is set)
 * from incoming headers and returns a context whose spans continue that
 * trace: `context.with(extractTraceContext(req.headers), () => …)`.
 * Malformed headers are ignored: the context is returned unchanged.
 */
export function extractTraceContext(headers: HeaderCarrier, options: PropagationOptions = {}): Context {
  const propagator = options.jaeger === true ? withJaeger : w3c;
  return propagator.extract(options.context ?? context.active(), headers, getter);
}
