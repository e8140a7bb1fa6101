import type { WarnOnce } from '@genxai/obs-core';
import {
  type Attributes,
  type Counter,
  createNoopMeter,
  type Meter,
  type MeterProvider,
} from '@opentelemetry/api';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ResolvedBatchOptions } from './config';
import { ATTR_ERROR_TYPE } from './semconv';

/** Live span counts of the tracing pipeline, summed over every exporter. */
export interface TracingStats {
  /** Sampled spans that ended, so were handed to the exporters' queues. */
  readonly ended: number;
  /** Spans the exporter accepted. */
  readonly exported: number;
  /** Spans whose export failed (collector down, 5xx after retries, timeout reported by the exporter). */
  readonly failed: number;
  /** Spans dropped because the queue was full (`batch.maxQueueSize`). */
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

// The SDK's batch processor reports processed spans through the
// self-observability meter: `error.type: queue_full` for drops, the export
// error's name for failures and no error.type for successes. A tiny meter
// that only keeps those counts makes them visible without a metrics SDK.
function statsMeterProvider(stats: StatsCounter, reporter: SpanLossReporter): MeterProvider {
  const counter: Counter = {
    add(value: number, attributes?: Attributes) {
      const errorType = attributes?.[ATTR_ERROR_TYPE];
      if (errorType === undefined) {
        stats.exported += value;
      } else if (errorType === 'queue_full') {
        stats.dropped += value;
        reporter.warnOnce(
          'spans-dropped',
          'GENXAI_SPANS_DROPPED',
          'Spans are being dropped because the span queue is full (the exporter is slower than the ' +
            'application, or down). See tracing.stats.dropped; raise batch.maxQueueSize if needed.',
        );
        try {
          reporter.onDrop?.(value);
        } catch {
          // A user callback must not break span processing.
        }
      } else {
        stats.failed += value;
        reporter.warnOnce(
          `export-failed:${String(errorType)}`,
          'GENXAI_SPAN_EXPORT_FAILED',
          `Span export failed (${String(errorType)}); the spans of that batch are lost. See tracing.stats.failed.`,
        );
      }
    },
  };
  // createNoopMeter() returns a shared instance: inherit from it, never patch it.
  const meter = Object.create(createNoopMeter()) as Meter;
  meter.createCounter = () => counter;
  return { getMeter: () => meter };
}

/** A batch span processor with a bounded queue whose drops and failures land in `stats`. */
export function createBatchProcessor(
  exporter: SpanExporter,
  batch: ResolvedBatchOptions,
  stats: StatsCounter,
  reporter: SpanLossReporter,
): BatchSpanProcessor {
  return new BatchSpanProcessor(exporter, {
    ...batch,
    selfObsMeterProvider: statsMeterProvider(stats, reporter),
  } as ConstructorParameters<typeof BatchSpanProcessor>[1]);
}

/**
 * Counts sampled spans as they end, so `ended` can be compared with
 * `exported`: once every export has settled, `ended === exported + failed + dropped`
 * (per exporter).
 */
export function createEndedCounter(stats: StatsCounter): SpanProcessor {
  return {
    onStart() {},
    onEnd(span) {
      if ((span.spanContext().traceFlags & 1) === 1) stats.ended += 1;
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}
