// Cache and reasoning tokens, from each provider's real response shape to /metrics: counted as parts of
// prompt and completion (never added to the total), and priced at the cached and cache-write prices.
import { renderMetrics } from '@genxai/metrics';
import { parseExposition, sampleValue } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { setupForTest } from './test-signals';

const tokens = (families: ReturnType<typeof parseExposition>, labels: Record<string, string>, type: string) =>
  sampleValue(families, 'genxai_llm_tokens_total', { ...labels, token_type: type });

describe('cache and reasoning tokens', () => {
  it('OpenAI Chat Completions: cached and reasoning tokens, priced at the cached input price', async () => {
    const { obs, registry, logs } = await setupForTest();
    const info = { provider: 'openai', model: 'o4-mini' };
    await obs.observeLLM(info, async () => ({
      id: 'chatcmpl-9',
      object: 'chat.completion',
      model: 'o4-mini-2025-04-16',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }],
      usage: {
        prompt_tokens: 2000,
        completion_tokens: 500,
        total_tokens: 2500,
        prompt_tokens_details: { cached_tokens: 1500 },
        completion_tokens_details: { reasoning_tokens: 320 },
      },
    }));
    const families = parseExposition((await renderMetrics(registry, 'prometheus')).body);
    expect(tokens(families, info, 'prompt')).toBe(2000);
    expect(tokens(families, info, 'completion')).toBe(500);
    expect(tokens(families, info, 'total')).toBe(2500);
    expect(tokens(families, info, 'cache_read')).toBe(1500);
    expect(tokens(families, info, 'reasoning')).toBe(320);
    expect(tokens(families, info, 'cache_write')).toBeUndefined();
    // 500 uncached × 1.1 + 1500 cached × 0.275 + 500 output (reasoning included) × 4.4, per million.
    const cost = (500 * 1.1 + 1500 * 0.275 + 500 * 4.4) / 1e6;
    expect(sampleValue(families, 'genxai_llm_cost_total', info)).toBeCloseTo(cost, 12);
    // The finish line carries the same tokens, the cost and the model that answered.
    const finish = logs().find((line) => line.message === 'LLM request completed');
    expect(finish).toMatchObject({
      tokens_used: 2500,
      input_tokens: 2000,
      output_tokens: 500,
      cached_tokens: 1500,
      response_model: 'o4-mini-2025-04-16',
    });
    expect(finish?.cost_usd as number).toBeCloseTo(cost, 12);
    await obs.shutdown();
  });

  it('Anthropic Messages: cache reads and writes, writes dearer than plain input', async () => {
    const { obs, registry } = await setupForTest();
    const info = { provider: 'anthropic', model: 'claude-sonnet-4-5' };
    await obs.observeLLM(info, async () => ({
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      // Anthropic's input_tokens leave both cache counts out.
      usage: {
        input_tokens: 100,
        cache_read_input_tokens: 4000,
        cache_creation_input_tokens: 1000,
        output_tokens: 50,
      },
    }));
    const families = parseExposition((await renderMetrics(registry, 'prometheus')).body);
    expect(tokens(families, info, 'prompt')).toBe(5100);
    expect(tokens(families, info, 'cache_read')).toBe(4000);
    expect(tokens(families, info, 'cache_write')).toBe(1000);
    expect(tokens(families, info, 'total')).toBe(5150);
    // 100 × 3 + 4000 × 0.3 + 1000 × 3.75 + 50 × 15, per million.
    expect(sampleValue(families, 'genxai_llm_cost_total', info)).toBeCloseTo(
      (100 * 3 + 4000 * 0.3 + 1000 * 3.75 + 50 * 15) / 1e6,
      12,
    );
    await obs.shutdown();
  });
});
