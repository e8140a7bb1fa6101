import { inspect } from 'node:util';
import { GenxaiObservabilityError } from '@genxai/obs-core';
import type { HrTime } from '@opentelemetry/api';
import type { ResolvedJaegerOptions, ResolvedOtlpOptions } from './config';
import { EXPORT_RESULT, loadOptionalPeer, type ModuleLoader, type SpanExporter } from './sdk';

/** The name and version of the optional peer that the `jaeger` exporter needs. */
export const JAEGER_EXPORTER_PACKAGE = '@opentelemetry/exporter-jaeger';

interface JaegerModule {
  JaegerExporter: new (config: Record<string, unknown>) => SpanExporter;
}

interface OtlpModule {
  OTLPTraceExporter: new (config: Record<string, unknown>) => SpanExporter;
}

/** The OTLP/HTTP exporter packages, by protocol: optional peers of either SDK line (0.2xx or 0.30x). */
export const OTLP_EXPORTER_PACKAGES = {
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
} as const;

function hrTimeToMicroseconds(time: HrTime): number {
  return Math.round(time[0] * 1e6 + time[1] / 1e3);
}

/** True for a SpanExporter-shaped object. */
export function isSpanExporter(value: unknown): value is SpanExporter {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SpanExporter).export === 'function' &&
    typeof (value as SpanExporter).shutdown === 'function'
  );
}

/** Loads an optional peer, or throws `GENXAI_MISSING_PEER` with `message` (the install line). */
function loadPeer<Module>(load: ModuleLoader, name: string, message: string): Module {
  try {
    return load(name) as Module;
  } catch (error) {
    throw new GenxaiObservabilityError('GENXAI_MISSING_PEER', message, { cause: error });
  }
}

/**
 * Builds the Jaeger exporter. `@opentelemetry/exporter-jaeger` is an optional
 * peer, loaded only here, so users who never pick Jaeger do not install it
 * (nor `jaeger-client`, which it drags in).
 */
export function createJaegerExporter(
  options: ResolvedJaegerOptions,
  load: ModuleLoader = loadOptionalPeer,
): SpanExporter {
  const module = loadPeer<JaegerModule>(
    load,
    JAEGER_EXPORTER_PACKAGE,
    `The "jaeger" exporter needs the optional peer dependency ${JAEGER_EXPORTER_PACKAGE}. ` +
      `Install it with: npm install ${JAEGER_EXPORTER_PACKAGE}@2 (SDK 2 only). ` +
      'Or send OTLP instead (exporter "otlp"): Jaeger has accepted OTLP/HTTP on port 4318 since 1.35.',
  );
  if (options.mode === 'collector') {
    return new module.JaegerExporter({
      endpoint: options.endpoint,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    });
  }
  return new module.JaegerExporter({
    host: options.host,
    port: options.port,
    ...(options.maxPacketSize === undefined ? {} : { maxPacketSize: options.maxPacketSize }),
  });
}

/**
 * Builds the OTLP/HTTP exporter: protobuf by default, JSON on request.
 * `concurrencyLimit` is raised so a shutdown flushing a full queue at once
 * is not refused by the exporter's own limit.
 */
export function createOtlpExporter(
  options: ResolvedOtlpOptions,
  concurrentBatches: number,
  load: ModuleLoader = loadOptionalPeer,
): SpanExporter {
  const name = OTLP_EXPORTER_PACKAGES[options.protocol];
  const module = loadPeer<OtlpModule>(
    load,
    name,
    `The "otlp" exporter (${options.protocol}) needs the optional peer dependency ${name}. ` +
      `Install it with: npm install ${name} (0.30x beside SDK 3, 0.2xx beside SDK 2).`,
  );
  const config = {
    url: options.url,
    concurrencyLimit: Math.max(30, concurrentBatches + 1),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.timeoutMillis === undefined ? {} : { timeoutMillis: options.timeoutMillis }),
  };
  return new module.OTLPTraceExporter(config);
}

/**
 * Prints each span to stderr, for development. Stderr, not stdout (where the SDK's
 * `ConsoleSpanExporter` writes), so spans never interleave with JSON log lines on stdout.
 */
export function createConsoleExporter(stream: NodeJS.WritableStream = process.stderr): SpanExporter {
  return {
    export(spans, done) {
      try {
        for (const span of spans) {
          const context = span.spanContext();
          const info = {
            traceId: context.traceId,
            parentId: span.parentSpanContext?.spanId,
            name: span.name,
            id: context.spanId,
            kind: span.kind,
            timestamp: hrTimeToMicroseconds(span.startTime),
            duration: hrTimeToMicroseconds(span.duration),
            attributes: span.attributes,
            status: span.status,
            events: span.events,
          };
          stream.write(`${inspect(info, { depth: 3, breakLength: 120 })}\n`);
        }
        done({ code: EXPORT_RESULT.SUCCESS });
      } catch (error) {
        done({
          code: EXPORT_RESULT.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
}
