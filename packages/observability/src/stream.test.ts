// Streamed LLM responses through observeLLM: the span, the duration, the active count and the finish line end
// when the stream does, with success, cancelled or error, and the usage of the stream's last chunk.
import { renderMetrics } from '@genxai/metrics';
import { parseExposition, sampleValue } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { setupForTest } from './test-signals';

const hrTimeToMilliseconds = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OPENAI = { provider: 'openai', model: 'gpt-4o-mini' };

// OpenAI Chat Completions chunks, as `openai`'s Stream yields them with stream_options.include_usage.
interface ChatChunk {
  id: string;
  object: string;
  model: string;
  choices: { index: number; delta: { content?: string }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}
const chunk = (content: string): ChatChunk => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
});
async function* openAiStream(options: {
  gapMs: number;
  failAfter?: number;
  usage?: boolean;
}): AsyncGenerator<ChatChunk> {
  const parts = ['Lis', 'bon', ' is', ' sunny'];
  for (let index = 0; index < parts.length; index++) {
    await sleep(options.gapMs);
    if (index === options.failAfter)
      throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    yield chunk(parts[index]!);
  }
  yield { ...chunk(''), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
  if (options.usage !== false) {
    yield {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
    };
  }
}

async function scrape(registry: Parameters<typeof renderMetrics>[0]) {
  return parseExposition((await renderMetrics(registry, 'prometheus')).body);
}

describe('observeLLM with a streamed response', () => {
  it('lasts as long as the stream, and records its usage, time to first token and finish line at its end', async () => {
    const { obs, registry, spans, logs } = await setupForTest();
    const loopStart = performance.now();
    const stream = await obs.observeLLM({ ...OPENAI, stream: true }, async () => openAiStream({ gapMs: 50 }));
    const seen: string[] = [];
    // While the stream runs, the request is not finished yet.
    expect(
      sampleValue(await scrape(registry), 'genxai_llm_requests_total', { ...OPENAI, status: 'success' }),
    ).toBeUndefined();
    for await (const part of stream) seen.push(part.choices[0]?.delta?.content ?? '');
    const loopEnd = performance.now();
    expect(seen.join('')).toBe('Lisbon is sunny');

    const [llm] = (await spans()).filter((span) => span.name === 'llm.generate');
    const spanMs = hrTimeToMilliseconds(llm!.duration);
    expect(spanMs).toBeGreaterThanOrEqual(195); // four gaps of 50 ms
    expect(spanMs).toBeLessThanOrEqual(loopEnd - loopStart + 5); // ends with the stream, not later
    expect(llm!.attributes).toMatchObject({
      status: 'success',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.request.stream': true,
      // Content capture is on by default: the span keeps the streamed text.
      'llm.completion': 'Lisbon is sunny',
    });
    const ttft = llm!.attributes['gen_ai.response.time_to_first_chunk'] as number;
    expect(ttft).toBeGreaterThanOrEqual(0.045);
    expect(ttft).toBeLessThan(spanMs / 1000);
    expect(llm!.events.map((event) => event.name)).toContain('llm.first_token');

    const families = await scrape(registry);
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...OPENAI, status: 'success' })).toBe(1);
    expect(sampleValue(families, 'genxai_llm_tokens_total', { ...OPENAI, token_type: 'prompt' })).toBe(12);
    expect(sampleValue(families, 'genxai_llm_tokens_total', { ...OPENAI, token_type: 'completion' })).toBe(4);
    expect(sampleValue(families, 'genxai_llm_time_to_first_token_seconds_count', OPENAI)).toBe(1);
    const ttftSum = sampleValue(families, 'genxai_llm_time_to_first_token_seconds_sum', OPENAI)!;
    expect(ttftSum).toBeGreaterThanOrEqual(0.045);
    expect(sampleValue(families, 'genxai_llm_request_duration_seconds_sum', OPENAI)).toBeGreaterThanOrEqual(
      0.195,
    );
    // Three intervals between the four content chunks.
    expect(
      sampleValue(families, 'gen_ai_client_operation_time_per_output_chunk_seconds_count', {
        gen_ai_response_model: 'gpt-4o-mini-2024-07-18',
      }),
    ).toBe(3);

    const finish = logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ status: 'success', tokens_used: 16, provider: 'openai' });
    expect(finish.duration as number).toBeGreaterThanOrEqual(0.195);
    // Written at the stream's end in the LLM span's context: its ids, not the consumer's.
    expect(finish.span_id).toBe(llm!.spanContext().spanId);
    await obs.shutdown();
  });

  it('counts a consumer that stops reading as cancelled: not a success, not an error', async () => {
    const { obs, registry, spans } = await setupForTest();
    const stream = await obs.observeLLM(OPENAI, async () => openAiStream({ gapMs: 5 }));
    for await (const part of stream) if (part.choices[0]?.delta?.content === 'bon') break;
    const [llm] = (await spans()).filter((span) => span.name === 'llm.generate');
    expect(llm!.attributes.status).toBe('cancelled');
    expect(llm!.status.code).not.toBe(2); // not ERROR
    const families = await scrape(registry);
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...OPENAI, status: 'cancelled' })).toBe(1);
    expect(
      sampleValue(families, 'genxai_llm_requests_total', { ...OPENAI, status: 'success' }),
    ).toBeUndefined();
    await obs.shutdown();
  });

  it('counts a stream that fails halfway as an error, which still reaches the consumer', async () => {
    const { obs, registry, spans, logs } = await setupForTest();
    const stream = await obs.observeLLM(OPENAI, async () => openAiStream({ gapMs: 5, failAfter: 2 }));
    await expect(
      (async () => {
        for await (const _ of stream) {
          // read on
        }
      })(),
    ).rejects.toThrow('connection reset');
    const [llm] = (await spans()).filter((span) => span.name === 'llm.generate');
    expect(llm!.attributes).toMatchObject({ status: 'error', 'error.type': 'ECONNRESET' });
    const families = await scrape(registry);
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...OPENAI, status: 'error' })).toBe(1);
    expect(logs().find((line) => line.message === 'LLM request failed')).toMatchObject({
      error_type: 'ECONNRESET',
    });
    await obs.shutdown();
  });

  it('records no usage, and says so once per model, for a stream that reports none', async () => {
    const { obs, registry, warnings } = await setupForTest();
    for (let run = 0; run < 2; run++) {
      const stream = await obs.observeLLM(OPENAI, async () => openAiStream({ gapMs: 1, usage: false }));
      for await (const _ of stream) {
        // read on
      }
    }
    const families = await scrape(registry);
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...OPENAI, status: 'success' })).toBe(2);
    expect(
      sampleValue(families, 'genxai_llm_tokens_total', { ...OPENAI, token_type: 'prompt' }),
    ).toBeUndefined();
    expect(warnings.filter((code) => code === 'GENXAI_OBSERVE_NO_USAGE')).toHaveLength(1);
    await obs.shutdown();
  });
});
