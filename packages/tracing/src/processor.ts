import { errorType, isSampled, messageOf, type WarnOnce } from '@genxai/obs-core';
import {
  type Attributes,
  type Counter,
  createNoopMeter,
  type Meter,
  type MeterProvider,
} from '@opentelemetry/api';
import type { ResolvedBatchOptions } from './config';
import {
  EXPORT_RESULT,
  type ExportResult,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
  type TraceSdk,
} from './sdk';
import { ATTR_ERROR_TYPE } from './semconv';

/** Live span counts of the tracing pipeline, summed over every exporter. */
export interface TracingStats {
  /** Sampled spans that ended, so were handed to the exporters' queues. */
  readonly ended: number;
  /** Spans the exporter accepted. */
  readonly exported: number;
  /**
   * Spans whose export failed (collector down, 5xx after retries, timeout reported by the
   * exporter), and spans still unaccounted for when `shutdown()` gave up at its bound.
   */
  readonly failed: number;
  /**
   * Spans dropped because the queue was full (`batch.maxQueueSize`), or because they ended after
   * `shutdown()` was called.
   */
  readonly dropped: number;
}

/** What the pipeline reports about lost spans. */
export interface SpanLossReporter {
  /** Called with the number of spans dropped from a full queue, each time it happens. */
  onDrop?: ((count: number) => void) | undefined;
  /** Reports each kind of problem once. */
  warnOnce: WarnOnce;
}

/** Mutable counters behind {@link TracingStats}. */
export interface StatsCounter extends TracingStats {
  ended: number;
  exported: number;
  failed: number;
  dropped: number;
}

/** A fresh, zeroed stats object. */
export function createStats(): StatsCounter {
  return { ended: 0, exported: 0, failed: 0, dropped: 0 };
}

// The SDK's batch processor reports queue-full drops through the
// self-observability meter (`error.type: queue_full`). A tiny meter that only
// keeps those counts makes them visible without a metrics SDK. Exports are
// counted by the exporter wrapper instead: it also sees an exporter that
// throws, calls back twice or never calls back.
function dropsMeterProvider(onDropped: (count: number) => void): MeterProvider {
  const counter: Counter = {
    add(value: number, attributes?: Attributes) {
      if (attributes?.[ATTR_ERROR_TYPE] === 'queue_full') onDropped(value);
    },
  };
  // createNoopMeter() returns a shared instance: inherit from it, never patch it.
  const meter = Object.create(createNoopMeter()) as Meter;
  meter.createCounter = () => counter;
  return { getMeter: () => meter };
}

// Settles when `promise` does or when `deadline` (a Date.now() value) passes,
// whichever comes first; never rejects. The timer is unref'd: it must not keep
// a process alive that is otherwise done.
export async function untilDeadline(promise: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    timer.unref?.();
  });
  try {
    await Promise.race([promise.then(noop, noop), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function noop() {}

/** Settings of {@link createBatchProcessor}. */
export interface BatchProcessorOptions {
  batch: ResolvedBatchOptions;
  /** The bound of `shutdown()`, in milliseconds. */
  shutdownTimeoutMillis: number;
}

/**
 * A batch span processor with a bounded queue whose exports, failures and drops land in `stats`.
 *
 * Its `shutdown()` never rejects, and resolves once every span this processor received is
 * accounted for (`exported + failed + dropped`), or when `shutdownTimeoutMillis` has passed:
 * then the spans still in flight are counted as failed, and later results for them are ignored,
 * so the counts stay exact. The exporter's own `shutdown()` is always called, once.
 */
export function createBatchProcessor(
  exporter: SpanExporter,
  options: BatchProcessorOptions,
  stats: StatsCounter,
  reporter: SpanLossReporter,
  sdk: Pick<TraceSdk, 'createBatchProcessor'>,
): SpanProcessor {
  const { warnOnce } = reporter;
  let received = 0;
  let settled = 0;
  let closed = false;
  // Set when shutdown gave up waiting: results that arrive later were already counted as failed.
  let abandoned = false;
  let onSettled: (() => void) | undefined;

  const settle = (kind: 'exported' | 'failed' | 'dropped', count: number) => {
    if (abandoned) return;
    stats[kind] += count;
    settled += count;
    if (settled >= received) onSettled?.();
  };

  const dropped = (count: number) => {
    settle('dropped', count);
    warnOnce(
      'spans-dropped',
      'GENXAI_SPANS_DROPPED',
      'Spans are being dropped because the span queue is full (the exporter is slower than the ' +
        'application, or down). See tracing.stats.dropped; raise batch.maxQueueSize if needed.',
    );
    try {
      reporter.onDrop?.(count);
    } catch {
      // A user callback must not break span processing.
    }
  };

  const exportFinished = (count: number, result: ExportResult) => {
    if (result.code === EXPORT_RESULT.SUCCESS) {
      settle('exported', count);
      return;
    }
    settle('failed', count);
    const kind = result.error === undefined ? 'Error' : errorType(result.error);
    warnOnce(
      `export-failed:${kind}`,
      'GENXAI_SPAN_EXPORT_FAILED',
      `Span export failed (${kind}${result.error === undefined ? '' : `: ${messageOf(result.error)}`}); ` +
        'the spans of that batch are lost. See tracing.stats.failed.',
    );
  };

  let exporterShutdown: Promise<void> | undefined;
  const counting: SpanExporter = {
    export(spans, done) {
      let finished = false;
      const callback = (result: ExportResult) => {
        if (finished) return; // an exporter that calls back twice must not count twice
        finished = true;
        exportFinished(spans.length, result);
        done(result);
      };
      try {
        exporter.export(spans, callback);
      } catch (error) {
        callback({
          code: EXPORT_RESULT.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    },
    shutdown() {
      exporterShutdown ??= (async () => exporter.shutdown())();
      return exporterShutdown;
    },
    forceFlush: async () => exporter.forceFlush?.(),
  };

  const processor = sdk.createBatchProcessor(counting, options.batch, dropsMeterProvider(dropped));

  const report = (what: string, error: unknown) =>
    warnOnce(
      `lifecycle:${what}`,
      'GENXAI_SPAN_EXPORT_FAILED',
      `Tracing ${what} did not complete: ${messageOf(error)}`,
    );

  let shutdownPromise: Promise<void> | undefined;
  const shutdown = async () => {
    const deadline = Date.now() + options.shutdownTimeoutMillis;
    // The SDK's shutdown flushes the queue, but settles as soon as one batch fails or times out,
    // and then skips the exporter's shutdown: wait for the counts ourselves. Its rejection is a
    // batch failure the export callback already counted and reported, or its own timeout,
    // which the accounting below covers: not a problem of its own.
    await untilDeadline(processor.shutdown(), deadline);
    if (settled < received) {
      await untilDeadline(
        new Promise<void>((resolve) => {
          onSettled = resolve;
        }),
        deadline,
      );
      onSettled = undefined;
    }
    const unaccounted = received - settled;
    if (unaccounted > 0) {
      settle('failed', unaccounted);
      abandoned = true;
      warnOnce(
        'shutdown-timeout',
        'GENXAI_SHUTDOWN_TIMEOUT',
        `Tracing shutdown gave up after ${options.shutdownTimeoutMillis} ms with ${unaccounted} spans still being ` +
          'exported; they are counted in tracing.stats.failed. Raise shutdownTimeoutMillis if the collector is slow.',
      );
    }
    // Always close the exporter, but do not wait past the bound for it.
    let closing: Promise<void>;
    try {
      closing = counting.shutdown().catch((error: unknown) => report('exporter shutdown', error));
    } catch (error) {
      closing = Promise.resolve(report('exporter shutdown', error));
    }
    await untilDeadline(closing, deadline);
  };

  return {
    onStart(span: never, parentContext) {
      processor.onStart(span, parentContext);
    },
    onEnd(span: ReadableSpan) {
      if (!isSampled(span.spanContext())) return;
      received += 1;
      if (closed) {
        // Counted even after shutdown gave up on in-flight spans: this span was never queued.
        stats.dropped += 1;
        settled += 1;
        warnOnce(
          'spans-after-shutdown',
          'GENXAI_SPANS_DROPPED',
          'Spans ended after tracing.shutdown() are dropped; they are counted in tracing.stats.dropped.',
        );
        return;
      }
      processor.onEnd(span);
    },
    forceFlush: () => (closed ? Promise.resolve() : processor.forceFlush()),
    shutdown() {
      closed = true;
      shutdownPromise ??= shutdown();
      return shutdownPromise;
    },
  };
}

/**
 * Counts sampled spans as they end, so `ended` can be compared with the other counts: once every
 * export has settled (and always when `shutdown()` resolves), `ended === exported + failed + dropped`
 * (with one exporter; each exporter adds its own counts).
 */
export function createEndedCounter(stats: StatsCounter): SpanProcessor {
  return {
    onStart() {},
    onEnd(span) {
      if (isSampled(span.spanContext())) stats.ended += 1;
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}
