import { createRequire } from 'node:module';
import { GenxaiObservabilityError, messageOf, type WarnOnce } from '@genxai/obs-core';
import { ATTR_SERVICE_NAME, OTLP_SCOPE_NAME } from './names';
import type { OtlpLogProtocol, ResolvedOtlpLogOptions } from './otlp-options';
import type { LineRecord } from './otlp-record';

/** The optional peers OTLP export loads, by role. */
export const OTLP_PEERS = {
  api: '@opentelemetry/api',
  sdkLogs: '@opentelemetry/sdk-logs',
  resources: '@opentelemetry/resources',
  exporter: {
    'http/protobuf': '@opentelemetry/exporter-logs-otlp-proto',
    'http/json': '@opentelemetry/exporter-logs-otlp-http',
  },
} as const;

/** Loads a CommonJS module by name; swapped in tests to simulate a missing peer or another SDK line. */
export type ModuleLoader = (name: string) => unknown;

// The parts of the SDK we use, typed here: the package needs no OTel types, and each shape holds
// for both SDK lines (sdk-logs 0.2xx with api < 1.10, and sdk-logs 3.x with api 1.10).
type Context = unknown;
type Resource = { merge(other: Resource): Resource };

interface ExportResult {
  code: number;
  error?: unknown;
}

interface LogRecordExporter {
  export(records: unknown[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** `logger.emit(…)`: the same record shape in `@opentelemetry/api-logs` 0.2xx and `@opentelemetry/api` 1.10. */
interface OtelLogRecord {
  timestamp?: number;
  severityNumber?: number;
  severityText?: string;
  body?: string;
  attributes?: Record<string, unknown>;
  context?: Context;
}

interface OtelLogger {
  emit(record: OtelLogRecord): void;
}

interface LoggerProvider {
  getLogger(name: string): OtelLogger;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

interface SdkLogsModule {
  LoggerProvider: new (options: { resource: Resource; processors: unknown[] }) => LoggerProvider;
  BatchLogRecordProcessor: new (...args: unknown[]) => unknown;
}

interface ExporterModule {
  OTLPLogExporter: new (config: Record<string, unknown>) => LogRecordExporter;
}

interface ResourcesModule {
  defaultResource(): Resource;
  detectResources(config: { detectors: unknown[] }): Resource;
  envDetector: unknown;
  resourceFromAttributes(attributes: Record<string, unknown>): Resource;
}

interface ApiModule {
  ROOT_CONTEXT: Context;
  trace: {
    setSpanContext(
      context: Context,
      spanContext: { traceId: string; spanId: string; traceFlags: number; isRemote?: boolean },
    ): Context;
  };
}

/** The install line of each SDK line, with versions that share one copy of each package. */
function installLines(protocol: OtlpLogProtocol): string {
  const exporter = OTLP_PEERS.exporter[protocol];
  return (
    `With OpenTelemetry SDK 2 (@opentelemetry/api 1.9 or older, Node 18+): npm install ${OTLP_PEERS.sdkLogs}@0.222.0 ${exporter}@0.222.0 ${OTLP_PEERS.resources}@2.11.0. ` +
    `With SDK 3 (@opentelemetry/api 1.10, Node 22.15+): npm install ${OTLP_PEERS.sdkLogs}@3.1.0 ${exporter}@0.301.0 ${OTLP_PEERS.resources}@3.1.0.`
  );
}

function loadPeer<T>(name: string, protocol: OtlpLogProtocol, load: ModuleLoader): T {
  try {
    return load(name) as T;
  } catch (error) {
    throw new GenxaiObservabilityError(
      'GENXAI_MISSING_PEER',
      `OTLP log export needs the optional peer dependency ${name}. ${installLines(protocol)} ` +
        'Or turn it off: otlp: false, or unset OTEL_LOGS_EXPORTER.',
      { cause: error },
    );
  }
}

/**
 * A `BatchLogRecordProcessor` on either constructor: sdk-logs before 0.220 takes
 * `(exporter, options)`, 0.220 and later (and 3.x) take one `{ exporter, …options }` object. The
 * first argument is both: an exporter that also carries `exporter` and the options, so each
 * version reads what it expects and neither silently gets no exporter.
 */
export function createBatchProcessor(
  BatchLogRecordProcessor: SdkLogsModule['BatchLogRecordProcessor'],
  exporter: LogRecordExporter,
  options: { exportTimeoutMillis: number },
): unknown {
  const exporterAndOptions = {
    export: (records: unknown[], done: (result: ExportResult) => void) => exporter.export(records, done),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    exporter,
    ...options,
  };
  return new BatchLogRecordProcessor(exporterAndOptions, options);
}

/** The URL without user name, password or query (collectors take API keys there). */
function displayTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * An exporter that reports a failed export once through `warn`, and passes the result on.
 * The SDK itself only tells `diag`, which is silent unless the application set a diag logger.
 */
function reportingExporter(exporter: LogRecordExporter, warn: WarnOnce, target: string): LogRecordExporter {
  const report = (error: unknown) =>
    warn(
      'otlp-export',
      'GENXAI_LOG_EXPORT_FAILED',
      `@genxai/logging: exporting log records over OTLP to ${target} failed (${messageOf(error)}); those records are lost. The JSON lines are not affected. Reported once.`,
    );
  return {
    export(records, done) {
      try {
        exporter.export(records, (result) => {
          if (result.code !== 0) report(result.error ?? 'the exporter reported a failure');
          done(result);
        });
      } catch (error) {
        report(error);
        done({ code: 1, error });
      }
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/** True when `run()` settled within `millis`. Never rejects; the timer does not hold the process open. */
function settlesWithin(run: () => Promise<unknown>, millis: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), millis);
    timer.unref();
    // A synchronous throw becomes a rejection, and counts as settled.
    Promise.resolve()
      .then(run)
      .then(
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        () => {
          clearTimeout(timer);
          resolve(true);
        },
      );
  });
}

/** The OTLP side of a logger: records in, batches out. */
export interface OtlpPipeline {
  /** Where records go, without credentials: `http://collector:4318/v1/logs`. */
  readonly target: string;
  /** Queues one record. Never throws. */
  emit(record: LineRecord): void;
  /** Exports every queued record. Resolves within `timeoutMillis`, whatever the collector does. Never rejects. */
  flush(): Promise<void>;
  /** Exports what is queued and shuts the provider and exporter down, within `timeoutMillis` in all. Never rejects; idempotent. */
  shutdown(): Promise<void>;
}

// Pipelines not shut down yet. A process that ends on its own (no process.exit) flushes them on
// `beforeExit`: the batch timer does not hold the process open, so the last records would be lost.
const open = new Set<{ flushPending(): void }>();

function flushPendingOnExit() {
  for (const pipeline of open) pipeline.flushPending();
}

/**
 * Builds the OTLP log pipeline: `LoggerProvider` (with the resource) → `BatchLogRecordProcessor`
 * → the OTLP/HTTP exporter. The optional peers are loaded here, so a logger without OTLP export
 * never loads them. Throws `GENXAI_MISSING_PEER` with the install line when one is missing.
 */
export function createOtlpPipeline(
  options: ResolvedOtlpLogOptions,
  warn: WarnOnce,
  load: ModuleLoader = createRequire(import.meta.url),
): OtlpPipeline {
  const { protocol, timeoutMillis } = options;
  const api = loadPeer<ApiModule>(OTLP_PEERS.api, protocol, load);
  const sdkLogs = loadPeer<SdkLogsModule>(OTLP_PEERS.sdkLogs, protocol, load);
  const resources = loadPeer<ResourcesModule>(OTLP_PEERS.resources, protocol, load);
  const { OTLPLogExporter } = loadPeer<ExporterModule>(OTLP_PEERS.exporter[protocol], protocol, load);

  const target = displayTarget(options.url);
  const exporter = reportingExporter(
    new OTLPLogExporter({
      url: options.url,
      timeoutMillis,
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    }),
    warn,
    target,
  );
  const extra: Record<string, unknown> = { ...options.resource };
  if (options.serviceName !== undefined) extra[ATTR_SERVICE_NAME] = options.serviceName;
  const resource = resources
    .defaultResource()
    .merge(resources.detectResources({ detectors: [resources.envDetector] }))
    .merge(resources.resourceFromAttributes(extra));
  const provider = new sdkLogs.LoggerProvider({
    resource,
    processors: [
      createBatchProcessor(sdkLogs.BatchLogRecordProcessor, exporter, { exportTimeoutMillis: timeoutMillis }),
    ],
  });
  const otelLogger = provider.getLogger(OTLP_SCOPE_NAME);

  let pending = 0;
  let closing: Promise<void> | undefined;
  // One flush at a time: the SDK returns at once from a flush that overlaps another, before the
  // records queued since were exported.
  let flushes: Promise<void> = Promise.resolve();

  const timedOut = (what: string) =>
    warn(
      `otlp-${what}-timeout`,
      'GENXAI_LOG_EXPORT_TIMEOUT',
      `@genxai/logging: the OTLP log ${what} to ${target} did not finish within ${timeoutMillis} ms; records still queued may be lost. Reported once.`,
    );

  const pipeline: OtlpPipeline & { flushPending(): void } = {
    target,
    emit(record) {
      if (closing !== undefined) return;
      const { span } = record;
      otelLogger.emit({
        timestamp: record.timestamp,
        severityNumber: record.severityNumber,
        severityText: record.severityText,
        body: record.body,
        attributes: record.attributes,
        // Always a context: without one the SDK takes the active one, and a logger with
        // traceCorrelation off would still export the ids its lines leave out.
        context:
          span === undefined
            ? api.ROOT_CONTEXT
            : api.trace.setSpanContext(api.ROOT_CONTEXT, {
                traceId: span.traceId,
                spanId: span.spanId,
                traceFlags: span.traceFlags,
                isRemote: false,
              }),
      });
      pending++;
    },
    flush() {
      if (closing !== undefined) return closing;
      pending = 0;
      const deadline = Date.now() + timeoutMillis;
      const run = flushes.then(async () => {
        const left = Math.max(1, deadline - Date.now());
        if (!(await settlesWithin(() => provider.forceFlush(), left))) timedOut('flush');
      });
      flushes = run;
      // The caller waits at most timeoutMillis, even behind an earlier flush that hangs.
      return settlesWithin(() => run, timeoutMillis).then(() => undefined);
    },
    flushPending() {
      if (pending > 0) void pipeline.flush();
    },
    shutdown() {
      closing ??= (async () => {
        open.delete(pipeline);
        if (open.size === 0) process.off('beforeExit', flushPendingOnExit);
        // One deadline for the whole shutdown: the flushes under way, then the provider's own.
        const deadline = Date.now() + timeoutMillis;
        await settlesWithin(() => flushes, timeoutMillis);
        const left = Math.max(1, deadline - Date.now());
        if (!(await settlesWithin(() => provider.shutdown(), left))) timedOut('shutdown');
      })();
      return closing;
    },
  };
  if (open.size === 0) process.on('beforeExit', flushPendingOnExit);
  open.add(pipeline);
  return pipeline;
}
