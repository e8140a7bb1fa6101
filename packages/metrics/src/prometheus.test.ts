import {
  type PromResult,
  requireBinary,
  startPrometheus,
  type TestPrometheus,
  waitFor,
} from '@genxai/test-utils';
import type { Histogram } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type GenxaiMetrics } from './metrics';
import { type MetricsServer, startMetricsServer } from './metrics-server';
import { GEN_AI_METRICS, METRICS } from './names';
import { createMetricsRegistry } from './registry';

const binary = requireBinary('prometheus');
const EXEMPLAR = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' };

/** LLM requests: successes with usage and a response model, and failures without either. */
function recordLlmRequests(metrics: GenxaiMetrics, requests: number) {
  for (let i = 0; i < requests; i++) {
    const timer = metrics.llm.start({ provider: 'openai', model: 'gpt-4o-mini' });
    if (i % 4 === 3)
      timer.fail(Object.assign(new Error('Rate limit reached'), { code: 'rate_limit_exceeded' }));
    else
      timer.succeed({
        usage: { inputTokens: 900, outputTokens: 120 },
        responseModel: 'gpt-4o-mini-2024-07-18',
      });
  }
}

/** Polls an instant query until it answers a non-empty result whose every value is above zero. */
async function positive(prometheus: TestPrometheus, query: string): Promise<PromResult[]> {
  return waitFor(`a positive result of ${query}`, async () => {
    const result = await prometheus.query(query);
    return result.length > 0 && result.every((r) => Number(r.value[1]) > 0) ? result : undefined;
  });
}

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
    recordLlmRequests(metrics, 8);
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry });
    prometheus = await startPrometheus(binary!, {
      targets: [{ job: 'genxai', target: `127.0.0.1:${server.port}` }],
    });
    await prometheus.waitForScrape();
    // Requests after the first scrape, so rate() and increase() see the counts grow.
    recordLlmRequests(metrics, 8);
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

  // The next three queries are quoted from Grafana's own GenAI dashboards: the example queries of the
  // Grafana AI Observability (Sigil) app plugin, github.com/grafana/sigil, apps/plugin/src/plugin/bootstrap.ts
  // (commit 273d63787c230925d7a7294e4a5d08eca2b50c8d), `otel_metrics.*.example_queries`; its dashboard panels
  // (apps/plugin/src/dashboard/queries.ts) build the same expressions.
  it("answers Grafana's token usage by model and token type", async () => {
    const result = await positive(
      prometheus,
      'sum by (gen_ai_request_model, gen_ai_token_type) (increase(gen_ai_client_token_usage_sum[1h]))',
    );
    expect(
      result.map((r) => r.metric).sort((a, b) => a.gen_ai_token_type!.localeCompare(b.gen_ai_token_type!)),
    ).toEqual([
      { gen_ai_request_model: 'gpt-4o-mini', gen_ai_token_type: 'input' },
      { gen_ai_request_model: 'gpt-4o-mini', gen_ai_token_type: 'output' },
    ]);
  });

  it("answers Grafana's p95 over the gen_ai_client_operation_duration_seconds buckets", async () => {
    const [p95, ...rest] = await positive(
      prometheus,
      'histogram_quantile(0.95, sum by (le) (rate(gen_ai_client_operation_duration_seconds_bucket[5m])))',
    );
    expect(rest).toEqual([]);
    const seconds = Number(p95!.value[1]);
    expect(Number.isFinite(seconds)).toBe(true);
    expect(seconds).toBeLessThanOrEqual(GEN_AI_METRICS.clientOperationDurationSeconds.buckets.at(-1)!);
  });

  it("answers Grafana's error rate, which reads an empty error_type as success", async () => {
    const errors = await positive(
      prometheus,
      'sum(rate(gen_ai_client_operation_duration_seconds_count{error_type!=""}[5m]))',
    );
    expect(errors).toHaveLength(1);
    // Prometheus stores an empty label value as no label: successes carry no error_type, nor an unknown response model.
    const series = await prometheus.query(
      `${GEN_AI_METRICS.clientOperationDurationSeconds.name}_count{job="genxai"}`,
    );
    const byErrorType = Object.fromEntries(series.map((r) => [r.metric.error_type ?? '(none)', r.metric]));
    expect(Object.keys(byErrorType).sort()).toEqual(['(none)', 'rate_limit_exceeded']);
    expect(byErrorType['(none)']).toMatchObject({
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai',
      gen_ai_request_model: 'gpt-4o-mini',
      gen_ai_response_model: 'gpt-4o-mini-2024-07-18',
    });
    expect(byErrorType.rate_limit_exceeded!.gen_ai_response_model).toBeUndefined();
  });

  it('sees the target up', async () => {
    const up = await prometheus.query('up{job="genxai"}');
    expect(up.map((r) => r.value[1])).toEqual(['1']);
  });
});
