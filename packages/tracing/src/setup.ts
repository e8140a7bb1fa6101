import { createWarnOnce, invalidOption, type WarningHandler } from '@genxai/obs-core';
import { type Attributes, context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  defaultResource,
  detectResources,
  envDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanLimits,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  type BatchOptions,
  displayUrl,
  type Environment,
  type ExporterName,
  JAEGER_AGENT_COMPACT_PORT,
  type JaegerOptions,
  type OtlpOptions,
  parseExporterNames,
  parseRatio,
  parseSamplerName,
  readEnv,
  resolveBatchOptions,
  resolveJaegerOptions,
  resolveOtlpOptions,
  type SamplerName,
} from './config';
import type { ContentCaptureOptions } from './content';
import { createConsoleExporter, createJaegerExporter, createOtlpExporter, isSpanExporter } from './exporters';
import { createBatchProcessor, createEndedCounter, createStats, type TracingStats } from './processor';
import { createSpanHelpers, type SpanHelpers, type SpanNaming, TRACER_NAME } from './spans';

/** Options of {@link setupTracing}. Explicit options beat environment variables. */
export interface TracingOptions {
  /** `service.name` of the resource. Env: `OTEL_SERVICE_NAME`. @default 'unknown_service:node' (OTel's default) */
  serviceName?: string;
  /** `service.version` of the resource. */
  serviceVersion?: string;
  /**
   * Where spans go: `'otlp'` (OTLP/HTTP, protobuf by default), `'jaeger'` (UDP agent or HTTP
   * collector; needs the optional peer `@opentelemetry/exporter-jaeger`), `'console'`, `'none'`,
   * several names (array or comma list), or your own `SpanExporter`.
   * Env: `OTEL_TRACES_EXPORTER`.
   * @default 'none' (nothing is sent anywhere you did not name)
   */
  exporter?: ExporterName | ExporterName[] | string | SpanExporter;
  /** Settings of the `jaeger` exporter. */
  jaeger?: JaegerOptions;
  /** Settings of the `otlp` exporter. */
  otlp?: OtlpOptions;
  /**
   * A sampler name or your own `Sampler`. Env: `OTEL_TRACES_SAMPLER`.
   * @default 'parentbased_always_on'
   */
  sampler?: SamplerName | Sampler;
  /** Ratio for the `*traceidratio` samplers, from 0 to 1. Env: `OTEL_TRACES_SAMPLER_ARG`. @default 1 */
  sampleRatio?: number;
  /** Extra resource attributes, or a `Resource`; merged over the defaults and `OTEL_RESOURCE_ATTRIBUTES`. */
  resource?: Resource | Attributes;
  /** Queue and batch sizes; the queue is bounded. */
  batch?: BatchOptions;
  /** Span limits passed to the SDK (attribute count, value length, …). */
  spanLimits?: SpanLimits;
  /**
   * Also register the provider as the global `@opentelemetry/api` tracer provider, with the W3C
   * trace-context and baggage propagator, so third-party instrumentation uses it. Off by
   * default: the helpers use this provider directly. (An AsyncLocalStorage context manager is
   * registered globally either way when none is, since span nesting needs one.)
   * @default false
   */
  registerGlobal?: boolean;
  /** Content capture of task, tool parameters, prompt and completion. @default redacted, truncated to 1024 */
  contentCapture?: ContentCaptureOptions;
  /** Seed span names or the GenAI semconv names. @default 'seed' */
  spanNames?: SpanNaming;
  /** Where problems (dropped spans, failed exports, port traps) are reported, once each. @default process warnings */
  onWarning?: WarningHandler;
  /** Called with the number of spans dropped from a full queue, each time it happens. */
  onDrop?: (count: number) => void;
  /** The environment to read `OTEL_*` variables from. @default process.env */
  env?: Environment;
}

/** One configured exporter, for a start-up summary. */
export interface ExporterDescription {
  /** `otlp`, `jaeger`, `console` or `custom`. */
  name: string;
  /** Where spans go, e.g. `http://localhost:4318/v1/traces (http/protobuf)` or `udp://localhost:6832`. */
  target?: string;
}

/** What {@link setupTracing} returns: the provider, its tracer, the span helpers and the lifecycle. */
export interface Tracing extends SpanHelpers {
  /** The tracer the helpers use. */
  readonly tracer: Tracer;
  /** The SDK provider; pass it to instrumentations that take a `tracerProvider`. */
  readonly provider: NodeTracerProvider;
  /** Live counts of exported, failed and dropped spans. */
  readonly stats: TracingStats;
  /** The exporters in use (empty for `none`). */
  readonly exporters: readonly ExporterDescription[];
  /** Exports every finished span now. Never rejects: a failure is reported through `onWarning`. */
  forceFlush(): Promise<void>;
  /**
   * Flushes every finished span, then closes the exporters. Never rejects. Idempotent.
   * Call it before the process exits.
   */
  shutdown(): Promise<void>;
}

let contextManagerUsers = 0;
let ownContextManager: AsyncLocalStorageContextManager | undefined;

// Span nesting through the active context needs a global context manager.
// Install ours only when no other is registered, and remove it when the last
// tracing set-up that needed it shuts down.
function acquireContextManager() {
  if (contextManagerUsers === 0) {
    const manager = new AsyncLocalStorageContextManager().enable();
    if (context.setGlobalContextManager(manager)) ownContextManager = manager;
    else manager.disable();
  }
  contextManagerUsers++;
}

function releaseContextManager() {
  contextManagerUsers = Math.max(0, contextManagerUsers - 1);
  if (contextManagerUsers === 0 && ownContextManager !== undefined) {
    context.disable();
    ownContextManager = undefined;
  }
}

function buildSampler(options: TracingOptions, env: Environment): Sampler {
  const given = options.sampler;
  if (typeof given === 'object' && given !== null) {
    if (typeof (given as Sampler).shouldSample !== 'function') {
      invalidOption('sampler', given, 'a sampler name or an object with shouldSample()');
    }
    return given;
  }
  const fromEnv = readEnv(env, 'OTEL_TRACES_SAMPLER');
  const name =
    given !== undefined
      ? parseSamplerName(given, 'sampler')
      : fromEnv !== undefined
        ? parseSamplerName(fromEnv, 'OTEL_TRACES_SAMPLER')
        : 'parentbased_always_on';
  const ratio = () => {
    if (options.sampleRatio !== undefined) return parseRatio(options.sampleRatio, 'sampleRatio');
    const arg = readEnv(env, 'OTEL_TRACES_SAMPLER_ARG');
    return arg === undefined ? 1 : parseRatio(arg, 'OTEL_TRACES_SAMPLER_ARG');
  };
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
  }
}

function buildResource(options: TracingOptions, env: Environment): Resource {
  let resource = defaultResource().merge(detectResources({ detectors: [envDetector] }));
  if (options.resource !== undefined) {
    const given = options.resource as Resource;
    resource = resource.merge(
      typeof given.merge === 'function' ? given : resourceFromAttributes(options.resource as Attributes),
    );
  }
  const serviceName = options.serviceName ?? readEnv(env, 'OTEL_SERVICE_NAME');
  const extra: Attributes = {};
  if (serviceName !== undefined) {
    if (typeof serviceName !== 'string' || serviceName.trim() === '') {
      invalidOption('serviceName', serviceName, 'a non-empty string');
    }
    extra['service.name'] = serviceName;
  }
  if (options.serviceVersion !== undefined) extra['service.version'] = options.serviceVersion;
  return Object.keys(extra).length === 0 ? resource : resource.merge(resourceFromAttributes(extra));
}

/**
 * Sets up OpenTelemetry tracing in one call: a `NodeTracerProvider` with the
 * AsyncLocalStorage context manager, a bounded `BatchSpanProcessor` per
 * exporter, the sampler and the resource, from options and the standard
 * `OTEL_*` variables. Bad configuration throws a `GenxaiObservabilityError`
 * here, naming the option or variable; nothing after setup throws into the
 * application.
 *
 * Does **not** register the provider globally unless `registerGlobal: true`.
 */
export function setupTracing(options: TracingOptions = {}): Tracing {
  const env = options.env ?? process.env;
  const warnOnce = createWarnOnce(options.onWarning);
  const batch = resolveBatchOptions(options.batch, env);
  const sampler = buildSampler(options, env);
  const resource = buildResource(options, env);

  const exporters: SpanExporter[] = [];
  const descriptions: ExporterDescription[] = [];
  const given = options.exporter;
  if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
    if (!isSpanExporter(given)) {
      invalidOption(
        'exporter',
        given,
        'otlp, jaeger, console, none, or an object with export() and shutdown()',
      );
    }
    exporters.push(given);
    descriptions.push({ name: 'custom' });
  } else {
    const fromEnv = readEnv(env, 'OTEL_TRACES_EXPORTER');
    const names: ExporterName[] =
      given !== undefined
        ? parseExporterNames(Array.isArray(given) ? given.join(',') : String(given), 'exporter')
        : fromEnv !== undefined
          ? parseExporterNames(fromEnv, 'OTEL_TRACES_EXPORTER')
          : ['none'];
    for (const name of names) {
      if (name === 'otlp') {
        const otlp = resolveOtlpOptions(options.otlp, env);
        const concurrentBatches = Math.ceil(batch.maxQueueSize / batch.maxExportBatchSize);
        exporters.push(createOtlpExporter(otlp, concurrentBatches));
        descriptions.push({ name, target: `${displayUrl(otlp.url)} (${otlp.protocol})` });
      } else if (name === 'jaeger') {
        const jaeger = resolveJaegerOptions(options.jaeger, env);
        if (jaeger.mode === 'agent' && jaeger.port === JAEGER_AGENT_COMPACT_PORT) {
          warnOnce(
            'jaeger-compact-port',
            'GENXAI_JAEGER_COMPACT_PORT',
            `The Jaeger exporter sends binary Thrift, but port ${JAEGER_AGENT_COMPACT_PORT} takes the compact ` +
              'protocol only: a real Jaeger agent drops these spans. Use port 6832, or the collector endpoint ' +
              'http://HOST:14268/api/traces, or OTLP.',
          );
        }
        exporters.push(createJaegerExporter(jaeger));
        descriptions.push({
          name,
          target:
            jaeger.mode === 'collector' ? displayUrl(jaeger.endpoint) : `udp://${jaeger.host}:${jaeger.port}`,
        });
      } else if (name === 'console') {
        exporters.push(createConsoleExporter());
        descriptions.push({ name, target: 'stderr' });
      }
    }
  }

  const stats = createStats();
  const spanProcessors: SpanProcessor[] = exporters.map((exporter) =>
    createBatchProcessor(exporter, batch, stats, { onDrop: options.onDrop, warnOnce }),
  );
  const provider = new NodeTracerProvider({
    resource,
    sampler,
    // Only when spans go somewhere: with no exporter there is nothing to compare `ended` with.
    spanProcessors:
      spanProcessors.length > 0 ? [createEndedCounter(stats), ...spanProcessors] : spanProcessors,
    ...(options.spanLimits === undefined ? {} : { spanLimits: options.spanLimits }),
  });

  acquireContextManager();
  const registerGlobal = options.registerGlobal === true;
  if (registerGlobal) {
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
  }

  const helpers = createSpanHelpers({
    tracer: provider.getTracer(TRACER_NAME),
    ...(options.contentCapture === undefined ? {} : { contentCapture: options.contentCapture }),
    ...(options.spanNames === undefined ? {} : { spanNames: options.spanNames }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });

  let shutdownPromise: Promise<void> | undefined;
  const report = (what: string, error: unknown) =>
    warnOnce(
      `lifecycle:${what}`,
      'GENXAI_SPAN_EXPORT_FAILED',
      `Tracing ${what} did not complete: ${error instanceof Error ? error.message : String(error)}`,
    );

  return {
    ...helpers,
    provider,
    stats,
    exporters: descriptions,
    async forceFlush() {
      try {
        await provider.forceFlush();
      } catch (error) {
        report('flush', error);
      }
    },
    shutdown() {
      shutdownPromise ??= (async () => {
        try {
          await provider.shutdown();
        } catch (error) {
          report('shutdown', error);
        } finally {
          if (registerGlobal) {
            trace.disable();
            propagation.disable();
          }
          releaseContextManager();
        }
      })();
      return shutdownPromise;
    },
  };
}
