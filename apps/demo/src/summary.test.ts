import { createMetrics, createMetricsRegistry } from '@genxai/metrics';
import { describe, expect, it } from 'vitest';
import { bucketQuantile, summarize } from './summary';

const line = (summary: string, label: string) => summary.split('\n').find((l) => l.startsWith(`  ${label}`));

describe('summarize', () => {
  it('reads LLM requests, cached tokens and time to first token back from the metrics', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry });
    const info = { provider: 'openai', model: 'gpt-4o-mini' };
    // Five first tokens in the (0.02, 0.04] bucket, five in (0.06, 0.08], one request failed.
    for (const seconds of [0.03, 0.03, 0.03, 0.03, 0.03, 0.07, 0.07, 0.07, 0.07, 0.07])
      metrics.llm.start(info).succeed({
        usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: seconds < 0.05 ? 40 : 0 },
        timeToFirstChunkSeconds: seconds,
      });
    metrics.llm
      .start(info)
      .fail(Object.assign(new Error('Rate limit reached'), { code: 'rate_limit_exceeded' }));

    const summary = await summarize(registry);
    expect(line(summary, 'LLM requests')).toBe('  LLM requests         11 (error rate 9.1%)');
    expect(line(summary, 'LLM tokens')).toBe('  LLM tokens           1100 (1000 prompt, 100 completion)');
    expect(line(summary, 'cached tokens')).toBe(
      "  cached tokens        200 (20.0% of prompt tokens, read from the provider's cache)",
    );
    // p50: rank 5 ends the (0.02, 0.04] bucket; p95: rank 9.5 is 4.5/5 into (0.06, 0.08].
    expect(line(summary, 'time to first token')).toBe(
      '  time to first token  p50 40 ms, p95 78 ms (10 streams, estimated from histogram buckets)',
    );
  });

  it('says so when no response was streamed', async () => {
    const registry = createMetricsRegistry();
    createMetrics({ registry })
      .llm.start({ provider: 'openai', model: 'gpt-4o-mini' })
      .succeed({ usage: { inputTokens: 10, outputTokens: 5 } });
    const summary = await summarize(registry);
    expect(line(summary, 'time to first token')).toBe(
      '  time to first token  none recorded (no streamed responses)',
    );
    expect(line(summary, 'cached tokens')).toMatch(/^ {2}cached tokens {8}0 \(0\.0% of prompt tokens/);
  });
});

describe('bucketQuantile', () => {
  const buckets = [
    { le: 0.1, count: 2 },
    { le: 0.2, count: 6 },
    { le: Number.POSITIVE_INFINITY, count: 8 },
  ];
  it('interpolates within the bucket the rank falls in, from 0 below the first', () => {
    expect(bucketQuantile(0.125, buckets)).toBeCloseTo(0.05, 12);
    expect(bucketQuantile(0.5, buckets)).toBeCloseTo(0.15, 12);
  });
  it('gives the highest finite bound for a rank in the +Inf bucket, and nothing for no observations', () => {
    expect(bucketQuantile(0.95, buckets)).toBe(0.2);
    expect(bucketQuantile(0.5, [{ le: Number.POSITIVE_INFINITY, count: 0 }])).toBeUndefined();
  });
});
