import { decodeOtlpProtobuf, freePort, otlpSpans, startHttpSink } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { setupTracing, type Tracing } from './setup';

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc() {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Ends `count` spans in chunks, yielding to the event loop between chunks so the exporter gets to run. */
async function endSpans(tracing: Tracing, count: number, chunk = 1000) {
  let results = 0;
  for (let done = 0; done < count; done += chunk) {
    for (let i = 0; i < chunk; i++) {
      results += tracing.withMemorySpan({ operationType: 'retrieve', memoryType: 'vector' }, () => 1);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}

describe('never hurts the host', () => {
  it('shutdown() delivers all 10,000 ended spans to the collector', async () => {
    let received = 0;
    const sink = await startHttpSink((request, response) => {
      received += otlpSpans([decodeOtlpProtobuf(request.body)]).length;
      response.writeHead(200).end();
    });
    try {
      const tracing = setupTracing({ exporter: 'otlp', otlp: { url: `${sink.url}/v1/traces` }, env: {} });
      for (let i = 0; i < 10_000; i++) {
        tracing.withAgentSpan({ agentId: `agent-${i % 10}`, task: 'short task' }, () => i);
      }
      await tracing.shutdown();
      expect(received).toBe(10_000);
      expect(tracing.stats).toEqual({ ended: 10_000, exported: 10_000, failed: 0, dropped: 0 });
    } finally {
      await sink.close();
    }
  });

  it('a collector that is down costs nothing visible; drops and failures are counted and reported once', async () => {
    const port = await freePort();
    const warnings: string[] = [];
    const drops: number[] = [];
    const tracing = setupTracing({
      exporter: 'otlp',
      otlp: { url: `http://127.0.0.1:${port}/v1/traces`, timeoutMillis: 500 },
      batch: { maxQueueSize: 1000, scheduledDelayMillis: 20, exportTimeoutMillis: 1000 },
      onWarning: ({ code }) => warnings.push(code),
      onDrop: (count) => drops.push(count),
      env: {},
    });
    const spans = 60_000;
    await expect(endSpans(tracing, spans)).resolves.toBe(spans);
    await expect(tracing.shutdown()).resolves.toBeUndefined();
    const { ended, exported, failed, dropped } = tracing.stats;
    expect(ended).toBe(spans);
    expect(exported).toBe(0);
    expect(failed).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
    expect(drops.reduce((sum, count) => sum + count, 0)).toBe(dropped);
    // Every span is accounted for: none vanishes without being counted.
    expect(failed + dropped).toBe(spans);
    // Each kind of problem is reported once, not per span.
    expect(warnings.filter((code) => code === 'GENXAI_SPANS_DROPPED')).toHaveLength(1);
    expect(warnings.filter((code) => code === 'GENXAI_SPAN_EXPORT_FAILED').length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThan(5);
  });

  it('a collector that never answers: the bounded queue keeps memory flat', async () => {
    const sink = await startHttpSink(() => {
      // Hold every request open, so exported batches stay in flight.
    });
    const before = heapAfterGc();
    const tracing = setupTracing({
      exporter: 'otlp',
      otlp: { url: `${sink.url}/v1/traces`, timeoutMillis: 5000 },
      batch: {
        maxQueueSize: 1000,
        maxExportBatchSize: 500,
        scheduledDelayMillis: 20,
        exportTimeoutMillis: 5000,
      },
      onWarning: () => undefined,
      env: {},
    });
    const spans = 60_000;
    await expect(endSpans(tracing, spans)).resolves.toBe(spans);
    const growth = heapAfterGc() - before;
    // Retaining 60,000 spans costs well over 40 MB here; the queue holds at most 1,000 (+ one batch in flight).
    expect(growth).toBeLessThan(15 * 1024 * 1024);
    expect(tracing.stats.dropped).toBeGreaterThan(spans / 2);
    // Closing the collector fails the held requests, so shutdown returns.
    await sink.close();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('a collector answering 503 costs nothing visible; failures are counted', async () => {
    const sink = await startHttpSink((_request, response) => {
      response.writeHead(503).end('overloaded');
    });
    const warnings: string[] = [];
    try {
      const tracing = setupTracing({
        exporter: 'otlp',
        otlp: { url: `${sink.url}/v1/traces`, timeoutMillis: 1000 },
        batch: { maxQueueSize: 2000, maxExportBatchSize: 100, scheduledDelayMillis: 10 },
        onWarning: ({ code }) => warnings.push(code),
        env: {},
      });
      await expect(endSpans(tracing, 1000, 100)).resolves.toBe(1000);
      await expect(tracing.forceFlush()).resolves.toBeUndefined();
      await expect(tracing.shutdown()).resolves.toBeUndefined();
      expect(sink.requests.length).toBeGreaterThan(0);
      expect(tracing.stats.exported).toBe(0);
      expect(tracing.stats.failed).toBeGreaterThan(0);
      expect(warnings).toContain('GENXAI_SPAN_EXPORT_FAILED');
    } finally {
      await sink.close();
    }
  });

  it('a collector that never answers does not block the caller, and shutdown still returns', async () => {
    const sink = await startHttpSink(() => {
      // Hold every request open.
    });
    try {
      const tracing = setupTracing({
        exporter: 'otlp',
        otlp: { url: `${sink.url}/v1/traces`, timeoutMillis: 300 },
        batch: { maxExportBatchSize: 50, scheduledDelayMillis: 10, exportTimeoutMillis: 500 },
        onWarning: () => undefined,
        env: {},
      });
      // Operations complete while the collector is sitting on a request.
      await endSpans(tracing, 200, 50);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sink.requests.length).toBeGreaterThan(0);
      await expect(endSpans(tracing, 200, 50)).resolves.toBe(200);
      await expect(tracing.shutdown()).resolves.toBeUndefined();
      expect(tracing.stats.exported).toBe(0);
    } finally {
      await sink.close();
    }
  });

  it('spans ended after shutdown are ignored without error', async () => {
    const tracing = setupTracing({ exporter: 'console', env: {} });
    await tracing.shutdown();
    await tracing.shutdown();
    expect(tracing.withToolSpan({ toolName: 'late' }, () => 'still works')).toBe('still works');
  });
});
