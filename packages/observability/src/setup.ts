import { createLogger, type Logger, type LoggerOptions, shutdownLogger } from '@genxai/logging';
import {
  createMetrics,
  type GenxaiMetrics,
  type MetricsOptions,
  type MetricsServer,
  type MetricsServerOptions,
  reportSpanCounts,
  startMetricsServer,
} from '@genxai/metrics';
import {
  checkOptionNames,
  createWarnOnce,
  invalidOption,
  messageOf,
  type RedactionOptions,
  type WarningHandler,
} from '@genxai/obs-core';
import { setupTracing, type Tracing, type TracingOptions } from '@genxai/tracing';
import type { Tracer } from '@opentelemetry/api';
import { createInstrument, type Instrument } from './instrument';
import { createObservers, type Observers } from './observe';

/** Metrics options of {@link setupObservability}. */
export interface ObservabilityMetricsOptions extends MetricsOptions {
  /**
   * Start a `/metrics` server with these options (`{ port: 9464 }`, …). Off unless given:
   * a library does not open ports it was not asked to.
   * @default false
   */
  server?: false | MetricsServerOptions;
}

/** Options of {@link setupObservability}. Each signal is on unless set to `false`. */
export interface ObservabilityOptions {
  /** `service.name` of the traces and `name` field of the log lines. Env: `OTEL_SERVICE_NAME`. */
  serviceName?: string;
  /** Prometheus metrics, or `false` for none. @default {} (the default registry, no server) */
  metrics?: false | ObservabilityMetricsOptions;
  /**
   * OpenTelemetry tracing, or `false` for none. Exporter from `OTEL_TRACES_EXPORTER`. Pass
   * `{ tracerProvider }` to record into a provider the application already has (a NodeSDK's,
   * `trace.getTracerProvider()`): then no provider, exporter or context manager of ours is made.
   * @default {}
   */
  tracing?: false | TracingOptions;
  /**
   * pino logging, or `false` for none. Level from `LOG_LEVEL` / `NODE_ENV`. Pass `{ logger }` to
   * write through the application's own pino logger (its bindings and format kept; our context,
   * redaction and trace ids added).
   * @default {} (JSON to stdout)
   */
  logging?: false | LoggerOptions;
  /**
   * Extra redaction rules (keys, patterns), applied to span content capture and to logs alike.
   * Each signal builds its redactor from them, with its own length window.
   */
  redaction?: RedactionOptions;
  /**
   * Install SIGTERM and SIGINT handlers that call `shutdown()` and then exit with code 0.
   * @default false
   */
  handleSignals?: boolean;
  /** Where telemetry problems are reported, once each. @default process.emitWarning */
  onWarning?: WarningHandler;
}

/** What {@link setupObservability} returns. */
export interface Observability extends Observers {
  /** The metric recorders, or undefined when metrics are off. */
  readonly metrics: GenxaiMetrics | undefined;
  /** The `/metrics` server, when one was asked for. */
  readonly metricsServer: MetricsServer | undefined;
  /** The tracing setup (provider, stats, span helpers), or undefined when tracing is off. */
  readonly tracing: Tracing | undefined;
  /** The tracer, or undefined when tracing is off. */
  readonly tracer: Tracer | undefined;
  /** The root pino logger, or undefined when logging is off. */
  readonly logger: Logger | undefined;
  /** Wraps methods of an existing object so each call is observed. */
  readonly instrument: Instrument;
  /**
   * Exports every finished span and writes every buffered log line, without shutting anything
   * down: for serverless handlers, call it before the handler returns. Never rejects.
   */
  forceFlush(): Promise<void>;
  /**
   * Flushes spans and logs and closes the metrics server. Never rejects; safe to call twice
   * (the second call returns the first call's promise).
   */
  shutdown(): Promise<void>;
}

const OPTION_NAMES = {
  serviceName: true,
  metrics: true,
  tracing: true,
  logging: true,
  redaction: true,
  handleSignals: true,
  onWarning: true,
} satisfies Record<keyof ObservabilityOptions, true>;

function section<T extends object>(name: string, value: T | false | undefined): T | undefined {
  if (value === false) return undefined;
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null) invalidOption(name, value, 'an options object, or false');
  return value;
}

// The OTLP log records carry the same service.name as the spans: `serviceName` goes to the logger's
// OTLP resource, whether export is asked for by option or by OTEL_LOGS_EXPORTER (an injected logger
// exports nothing of ours, and `otlp` throws with it).
function otlpServiceName(
  serviceName: string | undefined,
  logging: LoggerOptions,
): Pick<LoggerOptions, 'otlp' | 'env'> {
  if (serviceName === undefined || logging.logger !== undefined) return {};
  const otlp = logging.otlp;
  if (otlp === true) return { otlp: { serviceName } };
  if (typeof otlp === 'object' && otlp !== null) return { otlp: { serviceName, ...otlp } };
  if (otlp === false) return {};
  return { env: { ...(logging.env ?? process.env), OTEL_SERVICE_NAME: serviceName } };
}

/**
 * Sets up metrics, tracing and logging in one call, from options and the
 * standard `OTEL_*`, `LOG_LEVEL` and `NODE_ENV` variables. Bad options throw
 * here, never later.
 *
 * @example
 * const obs = await setupObservability({ serviceName: 'research-agent', metrics: { server: { port: 9464 } } });
 * const answer = await obs.observeAgent({ agentId: 'planner', task }, () => plan(task));
 * await obs.shutdown();
 */
export async function setupObservability(options: ObservabilityOptions = {}): Promise<Observability> {
  if (typeof options !== 'object' || options === null) invalidOption('options', options, 'an object');
  checkOptionNames('setupObservability', options, OPTION_NAMES);
  const metricsOptions = section('metrics', options.metrics);
  const tracingOptions = section('tracing', options.tracing);
  const loggingOptions = section('logging', options.logging);
  const warn = createWarnOnce(options.onWarning);

  // The logger and the metrics first: they only validate and allocate. Tracing takes the global
  // context manager, so anything that fails after it must shut it down again.
  const logger =
    loggingOptions &&
    createLogger({
      name: options.serviceName ?? process.env.OTEL_SERVICE_NAME,
      ...(options.redaction ? { redaction: options.redaction } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      ...loggingOptions,
      ...otlpServiceName(options.serviceName, loggingOptions),
    });
  const { server: serverOptions, ...createMetricsOptions } = metricsOptions ?? {};
  const metrics = metricsOptions && createMetrics({ onWarning: options.onWarning, ...createMetricsOptions });
  const tracing =
    tracingOptions &&
    setupTracing({
      // An injected provider has its own resource: the service name is the application's to set.
      ...(tracingOptions.tracerProvider === undefined ? { serviceName: options.serviceName } : {}),
      onWarning: options.onWarning,
      ...tracingOptions,
      contentCapture: {
        ...(options.redaction ? { redaction: options.redaction } : {}),
        ...tracingOptions.contentCapture,
      },
    });

  let metricsServer: MetricsServer | undefined;
  if (metrics && serverOptions) {
    try {
      metricsServer = await startMetricsServer({
        registry: metrics.registry,
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
        ...serverOptions,
      });
    } catch (error) {
      await tracing?.shutdown();
      throw error;
    }
  }

  // Telemetry health on /metrics: spans exported, failed and dropped, read at each scrape.
  const stats = tracing?.stats;
  const stopReportingSpans = metrics && stats ? reportSpanCounts(metrics.registry, () => stats) : undefined;

  const observers = createObservers({ metrics, spans: tracing, logger, warn });
  const flushLogger = () =>
    new Promise<void>((resolve) => {
      if (!logger) return resolve();
      try {
        logger.flush(() => resolve());
      } catch {
        resolve();
      }
    });
  let closing: Promise<void> | undefined;
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  const onSignal = () => {
    void shutdown().finally(() => process.exit(0));
  };
  const shutdown = () => {
    closing ??= (async () => {
      if (options.handleSignals) for (const signal of signals) process.off(signal, onSignal);
      await tracing?.shutdown();
      stopReportingSpans?.();
      await metricsServer?.close();
      // Flushes the lines, sends the queued OTLP log records and closes that exporter, bounded.
      if (logger) await shutdownLogger(logger);
    })().catch((error: unknown) => {
      warn(
        'shutdown',
        'GENXAI_SHUTDOWN_FAILED',
        `@genxai/observability: shutdown failed: ${messageOf(error)}`,
      );
    });
    return closing;
  };
  const forceFlush = async () => {
    try {
      await tracing?.forceFlush();
      await flushLogger();
    } catch (error) {
      warn('flush', 'GENXAI_FLUSH_FAILED', `@genxai/observability: flush failed: ${messageOf(error)}`);
    }
  };
  if (options.handleSignals) for (const signal of signals) process.once(signal, onSignal);

  return {
    ...observers,
    metrics,
    metricsServer,
    tracing,
    tracer: tracing?.tracer,
    logger,
    instrument: createInstrument(observers, warn),
    forceFlush,
    shutdown,
  };
}
