import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { GenxaiObservabilityError } from '@genxai/obs-core';
import { ExportResultCode, hrTimeToMicroseconds } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ResolvedJaegerOptions, ResolvedOtlpOptions } from './config';

/** The name and version of the optional peer that the `jaeger` exporter needs. */
export const JAEGER_EXPORTER_PACKAGE = '@opentelemetry/exporter-jaeger';

interface JaegerModule {
  JaegerExporter: new (config: Record<string, unknown>) => SpanExporter;
}

/** Loads a CommonJS module by name; swapped in tests to simulate a missing peer. */
export type ModuleLoader = (name: string) => unknown;

const requireFromHere = createRequire(import.meta.url);

/** True for a SpanExporter-shaped object. */
export function isSpanExporter(value: unknown): value is SpanExporter {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SpanExporter).export === 'function' &&
    typeof (value as SpanExporter).shutdown === 'function'
  );
}

/**
 * Builds the Jaeger exporter. `@opentelemetry/exporter-jaeger` is an optional
 * peer, loaded only here, so users who never pick Jaeger do not install it
 * (nor `jaeger-client`, which it drags in).
 */
export function createJaegerExporter(
  options: ResolvedJaegerOptions,
  load: ModuleLoader = requireFromHere,
): SpanExporter {
  let module: JaegerModule;
  try {
    module = load(JAEGER_EXPORTER_PACKAGE) as JaegerModule;
  } catch (error) {
    throw new GenxaiObservabilityError(
      'GENXAI_MISSING_PEER',
      `The "jaeger" exporter needs the optional peer dependency ${JAEGER_EXPORTER_PACKAGE}. ` +
        `Install it with: npm install ${JAEGER_EXPORTER_PACKAGE}@2.11.0. ` +
        'Or send OTLP instead (exporter "otlp"): Jaeger has accepted OTLP/HTTP on port 4318 since 1.35.',
      { cause: error },
    );
  }
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
export function createOtlpExporter(options: ResolvedOtlpOptions, concurrentBatches: number): SpanExporter {
  const config = {
    url: options.url,
    concurrencyLimit: Math.max(30, concurrentBatches + 1),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.timeoutMillis === undefined ? {} : { timeoutMillis: options.timeoutMillis }),
  };
  return options.protocol === 'http/json' ? new OtlpJsonExporter(config) : new OtlpProtoExporter(config);
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
        done({ code: ExportResultCode.SUCCESS });
      } catch (error) {
        done({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
}
