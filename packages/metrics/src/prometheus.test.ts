import { requireBinary, startPrometheus, type TestPrometheus } from '@genxai/test-utils';
import type { Histogram } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { type MetricsServer, startMetricsServer } from './metrics-server';
import { METRICS } from './names';
import { createMetricsRegistry } from './registry';

const binary = requireBinary('prometheus');
const EXEMPLAR = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' };

describe.skipIf(!binary)('a real Prometheus scraping the metrics server', () => {
  let prometheus: TestPrometheus;
  let server: MetricsServer;

  beforeAll(async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry, defaultMetrics: true });
    for (let i = 0; i < 10; i++) {
      const timer = metrics.agent.start({ agentId: 'planner' });
      if (i < 3) timer.fail(new TypeError('bad'));
      else timer.succeed();
    }
    // Real durations here are near zero; observe known ones (with an exemplar) to check the quantile exactly.
    const histogram = metrics.instruments.agentExecutionDurationSeconds as Histogram;
    histogram.reset();
    for (let i = 0; i < 10; i++) {
      histogram.observe({ labels: { agent_id: 'planner' }, value: 0.3, exemplarLabels: EXEMPLAR } as never);
    }
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry });
    prometheus = await startPrometheus(binary!, {
      targets: [{ job: 'genxai', target: `127.0.0.1:${server.port}` }],
    });
    await prometheus.waitForScrape();
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
  });

  it('stores the counters under their _total names with the recorded values', async () => {
    const result = await prometheus.query(`${METRICS.agentExecutionsTotal.name}{job="genxai"}`);
    const byStatus = Object.fromEntries(result.map((r) => [r.metric.status, Number(r.value[1])]));
    expect(byStatus).toEqual({ success: 7, error: 3 });
    const errors = await prometheus.query(`${METRICS.agentErrorsTotal.name}{error_type="TypeError"}`);
    expect(errors.map((r) => Number(r.value[1]))).toEqual([3]);
  });

  it('answers histogram_quantile over the duration buckets', async () => {
    const result = await prometheus.query(
      `histogram_quantile(0.5, sum by (le) (${METRICS.agentExecutionDurationSeconds.name}_bucket{agent_id="planner"}))`,
    );
    expect(result).toHaveLength(1);
    // All 10 observations fall in (0.1, 0.5]: the median interpolates to 0.3.
    expect(Number(result[0]!.value[1])).toBeCloseTo(0.3, 5);
  });

  it('scraped OpenMetrics (Prometheus asks for it) and stored the exemplars', async () => {
    const now = Date.now() / 1000;
    const parameters = new URLSearchParams({
      query: `${METRICS.agentExecutionDurationSeconds.name}_bucket`,
      start: String(now - 300),
      end: String(now + 60),
    });
    const data = await prometheus.api<{ exemplars: { labels: Record<string, string> }[] }[]>(
      `/api/v1/query_exemplars?${parameters}`,
    );
    const exemplars = data.flatMap((series) => series.exemplars);
    expect(exemplars.length).toBeGreaterThan(0);
    expect(exemplars[0]!.labels).toEqual(EXEMPLAR);
  });

  it('sees the target up', async () => {
    const up = await prometheus.query('up{job="genxai"}');
    expect(up.map((r) => r.value[1])).toEqual(['1']);
  });
});
