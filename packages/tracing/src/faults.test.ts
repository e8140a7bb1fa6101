import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTracing } from './setup';

// Fault injection against a real OTLP/HTTP endpoint: each row is a way a collector can fail.
// The figures are printed as a table at the end, for the docs.

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

interface Sink {
  url: string;
  requests: () => number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startSink(handler: Handler): Promise<Sink> {
  let requests = 0;
  const server = createServer((request, response) => {
    const index = requests++;
    request.resume(); // read the body, so the client's write completes
    request.on('end', () => handler(request, response, index));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections(); // drops the requests a "never answers" sink is holding
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: connections are refused. */
async function closedPort(): Promise<Sink> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return { url: `http://127.0.0.1:${port}/v1/traces`, requests: () => 0, close: async () => {} };
}

const SHUTDOWN_TIMEOUT_MILLIS = 2000;
const SPANS = 10_000;
const CHUNK = 1000;

interface Scenario {
  name: string;
  sink: () => Promise<Sink>;
  /** Nothing gets through: with a small queue, spans must be dropped. */
  dead: boolean;
  /** Some batches get through. */
  exports: boolean;
  /** The OTLP request timeout; longer than the shutdown bound for a sink that never answers. */
  otlpTimeoutMillis: number;
  /** Warning codes expected, each exactly once. */
  codes: string[];
  /** Codes that may come or not, depending on the machine's speed. */
  optionalCodes?: string[];
}

const scenarios: Scenario[] = [
  {
    // The baseline for the caller's time per call.
    name: 'answers 200',
    sink: () => startSink((_request, response) => response.writeHead(200).end()),
    dead: false,
    exports: true,
    otlpTimeoutMillis: 10_000,
    codes: [],
    // A busy machine can fill the queue, or time an export out, even with a healthy collector.
    optionalCodes: ['GENXAI_SPANS_DROPPED', 'GENXAI_SPAN_EXPORT_FAILED'],
  },
  {
    name: 'refuses connections',
    sink: closedPort,
    dead: true,
    exports: false,
    otlpTimeoutMillis: 500,
    codes: ['GENXAI_SPANS_DROPPED', 'GENXAI_SPAN_EXPORT_FAILED'],
  },
  {
    name: 'never answers',
    sink: () => startSink(() => {}),
    dead: true,
    exports: false,
    otlpTimeoutMillis: 10_000,
    codes: ['GENXAI_SPANS_DROPPED', 'GENXAI_SHUTDOWN_TIMEOUT'],
  },
  {
    name: 'answers 503',
    sink: () => startSink((_request, response) => response.writeHead(503).end('overloaded')),
    dead: true,
    exports: false,
    otlpTimeoutMillis: 500,
    codes: ['GENXAI_SPANS_DROPPED', 'GENXAI_SPAN_EXPORT_FAILED'],
  },
  {
    name: 'answers 500 three times, then 200',
    sink: () => startSink((_request, response, index) => response.writeHead(index < 3 ? 500 : 200).end()),
    dead: false,
    exports: true,
    otlpTimeoutMillis: 500,
    codes: ['GENXAI_SPANS_DROPPED', 'GENXAI_SPAN_EXPORT_FAILED'],
  },
  {
    name: 'answers 429 with Retry-After: 1',
    sink: () =>
      startSink((_request, response) => response.writeHead(429, { 'Retry-After': '1' }).end('slow down')),
    dead: true,
    exports: false,
    otlpTimeoutMillis: 500,
    codes: ['GENXAI_SPANS_DROPPED', 'GENXAI_SPAN_EXPORT_FAILED'],
  },
];

const figures: Record<string, string | number>[] = [];

afterAll(() => {
  console.log('\nOTLP fault suite (10,000 spans, queue 512, batch 128, shutdown bound 2000 ms)');
  console.table(figures);
});

describe.each(scenarios)('a collector that $name', (scenario) => {
  it('costs the caller nothing, keeps memory bounded, accounts for every span and warns once', async () => {
    const sink = await scenario.sink();
    const warnings: { code: string; message: string }[] = [];
    try {
      const tracing = setupTracing({
        exporter: 'otlp',
        otlp: { url: sink.url, timeoutMillis: scenario.otlpTimeoutMillis },
        batch: {
          maxQueueSize: 512,
          maxExportBatchSize: 128,
          scheduledDelayMillis: 10,
          exportTimeoutMillis: 1000,
        },
        shutdownTimeoutMillis: SHUTDOWN_TIMEOUT_MILLIS,
        onWarning: (warning) => warnings.push(warning),
        env: {},
      });

      // (a) Every wrapped call returns its own value, whatever the collector does. The caller's time
      // per call is measured, and printed beside a healthy collector's: a figure, not an assertion.
      let wrong = 0;
      let callMillis = 0;
      for (let done = 0; done < SPANS; done += CHUNK) {
        const chunkStart = performance.now();
        for (let i = done; i < done + CHUNK; i++) {
          const value = tracing.withToolSpan({ toolName: 'lookup' }, () => i * 2);
          if (value !== i * 2) wrong++;
        }
        callMillis += performance.now() - chunkStart;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(wrong).toBe(0);
      const callMicros = Number(((callMillis * 1000) / SPANS).toFixed(1));

      // (c) shutdown resolves within its bound, even when requests are never answered.
      const started = performance.now();
      await expect(tracing.shutdown()).resolves.toBeUndefined();
      const shutdownMillis = Math.round(performance.now() - started);
      // Generous slack: this is a bound check on a noisy machine, not a benchmark.
      expect(shutdownMillis).toBeLessThan(SHUTDOWN_TIMEOUT_MILLIS + 1500);

      // (b) Every ended span is accounted for when shutdown() resolves.
      const { ended, exported, failed, dropped } = tracing.stats;
      expect(ended).toBe(SPANS);
      expect(exported + failed + dropped).toBe(ended);
      if (scenario.dead) {
        expect(exported).toBe(0);
        // The queue holds 512: the rest of a dead pipeline's spans are dropped, not retained.
        expect(dropped).toBeGreaterThan(0);
      }
      if (scenario.exports) expect(exported).toBeGreaterThan(0);
      else expect(failed).toBeGreaterThan(0);

      // Late results (a request answered after the bound) never change the counts.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(tracing.stats).toEqual({ ended, exported, failed, dropped });

      // (d) Each kind of failure is reported once.
      // A code can come twice for two different problems (a 503, and a timeout on a busy machine),
      // never twice for the same one.
      const codes = new Set(
        warnings.map((warning) => warning.code).filter((code) => !scenario.optionalCodes?.includes(code)),
      );
      expect([...codes].sort()).toEqual([...scenario.codes].sort());
      const messages = warnings.map((warning) => warning.message);
      expect(new Set(messages).size).toBe(messages.length);

      figures.push({
        'µs per call': callMicros,
        collector: scenario.name,
        requests: sink.requests(),
        ended,
        exported,
        failed,
        dropped,
        'shutdown ms': shutdownMillis,
      });
    } finally {
      await sink.close();
    }
  });
});

describe('shutdown accounting', () => {
  it('waits for the batches still retrying after one failed, and always shuts the exporter down', async () => {
    let calls = 0;
    let shutdowns = 0;
    const exporter: SpanExporter = {
      export(_spans, done) {
        // The first batch fails at once; the others succeed after a "retry".
        if (calls++ === 0) done({ code: ExportResultCode.FAILED, error: new Error('refused') });
        else setTimeout(() => done({ code: ExportResultCode.SUCCESS }), 150);
      },
      async shutdown() {
        shutdowns++;
      },
    };
    const tracing = setupTracing({
      exporter,
      batch: { maxExportBatchSize: 10, scheduledDelayMillis: 60_000 },
      onWarning: () => undefined,
      env: {},
    });
    for (let i = 0; i < 50; i++) tracing.withToolSpan({ toolName: 'lookup' }, () => i);
    await tracing.shutdown();
    expect(tracing.stats).toEqual({ ended: 50, exported: 40, failed: 10, dropped: 0 });
    expect(shutdowns).toBe(1);
    // A span ended after shutdown is counted as dropped, so the sum still holds.
    expect(tracing.withToolSpan({ toolName: 'late' }, () => 'late')).toBe('late');
    expect(tracing.stats).toEqual({ ended: 51, exported: 40, failed: 10, dropped: 1 });
  });

  it('rejects a shutdownTimeoutMillis that is not a positive integer, at setup', () => {
    expect(() => setupTracing({ shutdownTimeoutMillis: 0, env: {} })).toThrow(/shutdownTimeoutMillis/);
    expect(() => setupTracing({ shutdownTimeoutMillis: 1.5, env: {} })).toThrow(/shutdownTimeoutMillis/);
  });
});
