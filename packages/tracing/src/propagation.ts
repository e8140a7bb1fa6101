import {
  type Context,
  context,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { loadOptionalPeer } from './sdk';

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
   * Needs the optional peer `@opentelemetry/propagator-jaeger` (SDK 2 line); without it, only the
   * W3C headers are used and a process warning says so once.
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

interface Propagators {
  w3c: TextMapPropagator;
  withJaeger: TextMapPropagator;
}

// The W3C propagator of `@opentelemetry/core` (an optional peer, present with either SDK line), built on
// first use. Without it, the API's global propagator (the application's SDK registers one) is used.
let propagators: Propagators | undefined;
let jaegerMissing = false;
let jaegerWarned = false;

function loadPropagators(): Propagators {
  if (propagators !== undefined) return propagators;
  let w3c: TextMapPropagator = propagation;
  let composite: ((list: TextMapPropagator[]) => TextMapPropagator) | undefined;
  try {
    const core = loadOptionalPeer('@opentelemetry/core') as {
      W3CTraceContextPropagator: new () => TextMapPropagator;
      CompositePropagator: new (config: { propagators: TextMapPropagator[] }) => TextMapPropagator;
    };
    w3c = new core.W3CTraceContextPropagator();
    composite = (list) => new core.CompositePropagator({ propagators: list });
  } catch {
    // No SDK installed: the global propagator.
  }
  let withJaeger = w3c;
  try {
    const { JaegerPropagator } = loadOptionalPeer('@opentelemetry/propagator-jaeger') as {
      JaegerPropagator: new () => TextMapPropagator;
    };
    // Later propagators override earlier ones on extract, so W3C goes last and wins.
    if (composite !== undefined) withJaeger = composite([new JaegerPropagator(), w3c]);
  } catch {
    jaegerMissing = true;
  }
  propagators = { w3c, withJaeger };
  return propagators;
}

function propagatorFor(options: PropagationOptions): TextMapPropagator {
  const loaded = loadPropagators();
  if (options.jaeger !== true) return loaded.w3c;
  if (jaegerMissing && !jaegerWarned) {
    jaegerWarned = true;
    process.emitWarning(
      'jaeger: true needs the optional peer @opentelemetry/propagator-jaeger; only W3C trace-context headers are used.',
      { code: 'GENXAI_MISSING_PEER' },
    );
  }
  return loaded.withJaeger;
}

/**
 * Writes the active (or given) span's W3C `traceparent` and `tracestate`
 * headers into `headers`, and `uber-trace-id` too when `jaeger` is set.
 * Returns the same object, for `fetch(url, { headers: injectTraceHeaders({}) })`.
 * Uses its own W3C propagator (from `@opentelemetry/core`), so it works without a globally
 * registered SDK; with no SDK installed at all, the API's global propagator.
 */
export function injectTraceHeaders<Headers extends Record<string, unknown>>(
  headers: Headers,
  options: PropagationOptions = {},
): Headers {
  propagatorFor(options).inject(options.context ?? context.active(), headers, setter);
  return headers;
}

/**
 * Reads `traceparent`/`tracestate` (and `uber-trace-id` when `jaeger` is set)
 * from incoming headers and returns a context whose spans continue that
 * trace: `context.with(extractTraceContext(req.headers), () => …)`.
 * Malformed headers are ignored: the context is returned unchanged.
 */
export function extractTraceContext(headers: HeaderCarrier, options: PropagationOptions = {}): Context {
  return propagatorFor(options).extract(options.context ?? context.active(), headers, getter);
}
