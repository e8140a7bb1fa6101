// Test helper (not exported): real signals wired to in-memory sinks.
import { createMetricsRegistry, type MetricsRegistry } from '@genxai/metrics';
import { KeepingExporter } from '@genxai/test-utils';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type Observability, type ObservabilityOptions, setupObservability } from './setup';

/** Real signals whose output tests can read back. */
export interface TestSignals {
  obs: Observability;
  registry: MetricsRegistry;
  warnings: string[];
  /** Every exported span, after a flush. */
  spans(): Promise<ReadableSpan[]>;
  /** Every log line, parsed. */
  logs(): Record<string, unknown>[];
}

export async function setupForTest(overrides: Partial<ObservabilityOptions> = {}): Promise<TestSignals> {
  const exporter = new KeepingExporter<ReadableSpan>();
  const lines: string[] = [];
  const warnings: string[] = [];
  const registry = createMetricsRegistry();
  const obs = await setupObservability({
    serviceName: 'test-agent',
    metrics: { registry },
    tracing: { exporter },
    logging: { level: 'debug', destination: { write: (line: string) => void lines.push(line) } },
    onWarning: ({ code }) => warnings.push(code),
    ...overrides,
  });
  return {
    obs,
    registry,
    warnings,
    async spans() {
      await obs.tracing?.forceFlush();
      return exporter.spans;
    },
    logs() {
      return lines.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line));
    },
  };
}
