import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { createBatchProcessor } from './otlp-export';

/** An exporter that keeps what it gets and answers at once. */
function keepingExporter() {
  const exported: unknown[] = [];
  return {
    exported,
    export(records: unknown[], done: (result: { code: number }) => void) {
      exported.push(...records);
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
}

type Exporter = ReturnType<typeof keepingExporter>;

// The two constructor shapes of BatchLogRecordProcessor across the SDK lines.
class PositionalProcessor {
  // sdk-logs 0.201 … 0.219: (exporter, config)
  constructor(
    readonly exporter: Exporter,
    readonly config: { exportTimeoutMillis?: number },
  ) {}
}

class OptionsProcessor {
  // sdk-logs 0.220+ and 3.x: ({ exporter, …config })
  readonly exporter: Exporter;
  readonly exportTimeoutMillis: number | undefined;
  constructor(options: { exporter: Exporter; exportTimeoutMillis?: number }) {
    this.exporter = options.exporter;
    this.exportTimeoutMillis = options.exportTimeoutMillis;
  }
}

describe('createBatchProcessor, across the SDK lines', () => {
  it('gives the (exporter, options) constructor a working exporter and its options', async () => {
    const exporter = keepingExporter();
    const processor = createBatchProcessor(PositionalProcessor as never, exporter, {
      exportTimeoutMillis: 1234,
    }) as unknown as PositionalProcessor;
    expect(processor.config.exportTimeoutMillis).toBe(1234);
    const results: number[] = [];
    processor.exporter.export(['record'], (result) => results.push(result.code));
    await processor.exporter.forceFlush();
    await processor.exporter.shutdown();
    expect(exporter.exported).toEqual(['record']);
    expect(results).toEqual([0]);
  });

  it('gives the ({ exporter, …options }) constructor the exporter itself and its options', () => {
    const exporter = keepingExporter();
    const processor = createBatchProcessor(OptionsProcessor as never, exporter, {
      exportTimeoutMillis: 1234,
    }) as unknown as OptionsProcessor;
    expect(processor.exporter).toBe(exporter);
    expect(processor.exportTimeoutMillis).toBe(1234);
  });

  it('works with the installed sdk-logs (0.222): an emitted record reaches the exporter', async () => {
    const exporter = keepingExporter();
    const processor = createBatchProcessor(BatchLogRecordProcessor as never, exporter, {
      exportTimeoutMillis: 1000,
    });
    const provider = new LoggerProvider({ processors: [processor as BatchLogRecordProcessor] });
    provider.getLogger('test').emit({ severityNumber: 9, severityText: 'INFO', body: 'hello' });
    await provider.shutdown();
    expect(exporter.exported).toHaveLength(1);
    expect((exporter.exported[0] as { body: unknown }).body).toBe('hello');
  });
});
