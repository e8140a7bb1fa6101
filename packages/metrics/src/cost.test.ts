import { parseExposition, sampleValue } from '@genxai/test-utils';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { costOf, createPriceTable, normalizeModelId } from './cost';
import { renderMetrics } from './exposition';
import { createMetrics } from './metrics';
import { METRICS } from './names';
import { DEFAULT_PRICES, PRICE_SOURCES, PRICES_AS_OF } from './prices';

const setup = (options: Parameters<typeof createMetrics>[0] = {}) => {
  const registry = new Registry();
  const warnings: string[] = [];
  const metrics = createMetrics({
    registry,
    onWarning: ({ code, message }) => warnings.push(`${code} ${message}`),
    ...options,
  });
  const scrape = async () => parseExposition((await renderMetrics(registry)).body);
  return { metrics, warnings, scrape };
};

describe('price table', () => {
  it('is dated, names its sources and covers the four providers', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(PRICE_SOURCES)).toEqual(['openai', 'anthropic', 'google', 'mistral']);
    const models = Object.keys(DEFAULT_PRICES);
    for (const prefix of ['gpt-', 'claude-', 'gemini-', 'mistral-']) {
      expect(
        models.some((m) => m.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });

  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['GPT-4.1-Mini', 'gpt-4.1-mini'],
  ])('normalizes %s to %s', (model, key) => {
    expect(normalizeModelId(model)).toBe(key);
    expect(createPriceTable().priceOf(model)).toBe(DEFAULT_PRICES[key]);
  });

  it('does not guess a price for an unknown model by prefix', () => {
    expect(createPriceTable().priceOf('gpt-4o-super-new')).toBeUndefined();
  });

  it('lets users override and extend, or replace the table', () => {
    const table = createPriceTable({
      'gpt-4o': { input: 1, output: 2 },
      'my-model': { input: 3, output: 4 },
    });
    expect(table.priceOf('gpt-4o')).toEqual({ input: 1, output: 2 });
    expect(table.priceOf('my-model')).toEqual({ input: 3, output: 4 });
    expect(table.priceOf('gpt-4o-mini')).toBe(DEFAULT_PRICES['gpt-4o-mini']);
    const only = createPriceTable({ 'my-model': { input: 3, output: 4 } }, { replaceDefaults: true });
    expect(only.priceOf('gpt-4o-mini')).toBeUndefined();
  });

  it.each([
    [{ input: -1, output: 1 }, /prices\["m"\]\.input/],
    [{ input: 1, output: Number.NaN }, /prices\["m"\]\.output/],
    [{ input: 1 }, /prices\["m"\]\.output/],
    [{ input: 1, output: 1, cachedInput: '0.5' }, /prices\["m"\]\.cachedInput/],
    [null, /prices\["m"\]/],
  ])('rejects a bad price at setup: %j', (price, message) => {
    expect(() => createPriceTable({ m: price as never })).toThrow(message);
  });
});

describe('costOf', () => {
  const price = { input: 2, cachedInput: 0.5, cacheWrite: 2.5, output: 8 };

  it('bills uncached input, cache reads, cache writes and output at their own prices', () => {
    // 1M input of which 400k cached and 100k written; 200k output.
    const cost = costOf(price, {
      inputTokens: 1_000_000,
      cachedInputTokens: 400_000,
      cacheWriteInputTokens: 100_000,
      outputTokens: 200_000,
    });
    expect(cost).toBeCloseTo(0.5 * 2 + 0.4 * 0.5 + 0.1 * 2.5 + 0.2 * 8, 10);
  });

  it('bills reasoning tokens as output, once', () => {
    const withReasoning = costOf(price, {
      inputTokens: 0,
      outputTokens: 1_000_000,
      reasoningTokens: 900_000,
    });
    expect(withReasoning).toBe(8);
  });

  it('bills cached tokens at the input price when the model has no cache price', () => {
    expect(
      costOf(
        { input: 2, output: 6 },
        { inputTokens: 1_000_000, cachedInputTokens: 1_000_000, outputTokens: 0 },
      ),
    ).toBe(2);
  });

  it('switches to long-context prices above the threshold', () => {
    const gemini = DEFAULT_PRICES['gemini-2.5-pro']!;
    expect(costOf(gemini, { inputTokens: 200_000, outputTokens: 0 })).toBeCloseTo(0.25, 10);
    expect(costOf(gemini, { inputTokens: 200_001, outputTokens: 0 })).toBeCloseTo(200_001 * 2.5e-6, 10);
  });
});

describe('LLM token and cost metrics', () => {
  it('counts prompt, completion and total tokens and prices them', async () => {
    const { metrics, scrape, warnings } = setup();
    metrics.llm.start({ provider: 'openai', model: 'gpt-4o-mini-2024-07-18' }).succeed({
      usage: {
        inputTokens: 1_000_000,
        cachedInputTokens: 500_000,
        outputTokens: 100_000,
        reasoningTokens: 20_000,
      },
    });
    const families = await scrape();
    const labels = { provider: 'openai', model: 'gpt-4o-mini-2024-07-18' };
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...labels, token_type: 'prompt' })).toBe(
      1_000_000,
    );
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...labels, token_type: 'completion' })).toBe(
      100_000,
    );
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...labels, token_type: 'total' })).toBe(
      1_100_000,
    );
    // gpt-4o-mini: $0.15 input, $0.075 cached, $0.60 output per million.
    expect(sampleValue(families, METRICS.llmCostTotal.name, labels)).toBeCloseTo(
      0.5 * 0.15 + 0.5 * 0.075 + 0.1 * 0.6,
      10,
    );
    expect(sampleValue(families, METRICS.llmRequestsTotal.name, { ...labels, status: 'success' })).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('records tokens but no cost for an unknown model, and warns once', async () => {
    const { metrics, scrape, warnings } = setup();
    for (let i = 0; i < 3; i++) {
      metrics.llm.recordUsage({ provider: 'acme', model: 'acme-1' }, { inputTokens: 10, outputTokens: 5 });
    }
    const families = await scrape();
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { model: 'acme-1', token_type: 'total' })).toBe(
      45,
    );
    expect(sampleValue(families, METRICS.llmCostTotal.name, { model: 'acme-1' })).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^GENXAI_METRICS_UNKNOWN_MODEL .*"acme-1"/);
  });

  it.each([
    { inputTokens: -5, outputTokens: 1 },
    { inputTokens: Number.NaN, outputTokens: 1 },
    { inputTokens: 2.5, outputTokens: 1 },
    { inputTokens: 1, outputTokens: 1, cachedInputTokens: 9 },
  ])('rejects %j safely: warns, records no tokens or cost, still counts the request', async (usage) => {
    const { metrics, scrape, warnings } = setup();
    expect(() => metrics.llm.start({ provider: 'openai', model: 'gpt-4o' }).succeed({ usage })).not.toThrow();
    const families = await scrape();
    expect(families.samples.filter((s) => s.name === METRICS.llmTokensTotal.name)).toEqual([]);
    // The series exists from the request's start, at 0; nothing was added to it.
    expect(families.samples.filter((s) => s.name === METRICS.llmCostTotal.name).map((s) => s.value)).toEqual([
      0,
    ]);
    expect(sampleValue(families, METRICS.llmRequestsTotal.name, { model: 'gpt-4o', status: 'success' })).toBe(
      1,
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^GENXAI_METRICS_INVALID_USAGE/);
  });

  it('takes usage from the result with time()', async () => {
    const { metrics, scrape } = setup({ prices: { 'sim-1': { input: 1, output: 2 } } });
    await metrics.llm.time(
      { provider: 'sim', model: 'sim-1' },
      async () => ({ text: 'hi', usage: { inputTokens: 3, outputTokens: 4 } }),
      {
        onSuccess: (response) => ({ usage: response.usage }),
      },
    );
    const families = await scrape();
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { model: 'sim-1', token_type: 'total' })).toBe(
      7,
    );
    expect(sampleValue(families, METRICS.llmCostTotal.name, { model: 'sim-1' })).toBeCloseTo(
      (3 + 8) / 1e6,
      12,
    );
  });
});

describe('the cost series of a new model', () => {
  it('starts at 0 when its first request starts, so the first priced request is a visible increase', async () => {
    const { metrics, scrape } = setup();
    const timer = metrics.llm.start({ provider: 'openai', model: 'gpt-4o-mini' });
    metrics.llm.start({ provider: 'acme', model: 'acme-1' }).succeed();
    let families = await scrape();
    expect(sampleValue(families, METRICS.llmCostTotal.name, { model: 'gpt-4o-mini' })).toBe(0);
    // No price, no cost series: a made-up 0 would look like a free model.
    expect(sampleValue(families, METRICS.llmCostTotal.name, { model: 'acme-1' })).toBeUndefined();
    timer.succeed({ usage: { inputTokens: 1_000_000, outputTokens: 0 } });
    families = await scrape();
    expect(sampleValue(families, METRICS.llmCostTotal.name, { model: 'gpt-4o-mini' })).toBeCloseTo(0.15, 10);
  });
});
