// The real `ai` package and its real OpenAI provider against a local server speaking the OpenAI wire
// format (JSON and SSE), observed end to end: spans, /metrics and the JSON log lines.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOpenAI } from '@ai-sdk/openai';
import { createMetricsRegistry, METRICS, renderMetrics, STREAM_METRICS } from '@genxai/metrics';
import { type Observability, setupObservability } from '@genxai/observability';
import {
  jsonBody,
  KeepingExporter,
  recordedObservability,
  sampleValue,
  startWireServer,
  type WireServer,
} from '@genxai/test-utils';
import { BasicTracerProvider, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  embed,
  generateObject,
  generateText,
  jsonSchema,
  stepCountIs,
  streamObject,
  streamText,
  tool,
} from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentModel, instrumentTools } from './index';

const MODEL = 'gpt-4o-mini';
const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
const LABELS = { provider: 'openai', model: MODEL };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

// What the server answers: 1000 prompt tokens (600 of them cached), 200 completion (50 reasoning).
const USAGE = {
  prompt_tokens: 1000,
  completion_tokens: 200,
  total_tokens: 1200,
  prompt_tokens_details: { cached_tokens: 600 },
  completion_tokens_details: { reasoning_tokens: 50 },
};
const COST = ((1000 - 600) * 0.15 + 600 * 0.075 + 200 * 0.6) / 1e6;

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-s1',
  object: 'chat.completion.chunk',
  created: 1,
  model: RESPONSE_MODEL,
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** What @ai-sdk/openai sends to the Chat Completions and Embeddings endpoints, as far as the server reads it. */
interface ChatBody {
  model?: string;
  messages?: { role: string }[];
  tools?: unknown[];
  response_format?: unknown;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

const requests: ChatBody[] = [];

async function handle(request: IncomingMessage, response: ServerResponse) {
  const body = await jsonBody<ChatBody>(request);
  requests.push(body);
  const json = (status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(value));
  };
  if (body.model === 'rate-limited')
    return json(429, {
      error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
  if (body.model === 'broken')
    return json(500, {
      error: { message: 'The server had an error', type: 'server_error', param: null, code: null },
    });
  if (request.url === '/v1/embeddings')
    return json(200, {
      object: 'list',
      model: 'text-embedding-3-small',
      data: [{ object: 'embedding', index: 0, embedding: [0.5, 0.25] }],
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
  if (request.url !== '/v1/chat/completions') return json(404, { error: { message: 'no route' } });
  const answered = (body.messages ?? []).some((message) => message.role === 'tool');
  const wantsTool = Array.isArray(body.tools) && !answered;
  const content = body.response_format ? '{"city":"Lisbon","sunny":true}' : 'Lisbon is sunny';
  if (!body.stream) {
    const message = wantsTool
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_w1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Lisbon"}' },
            },
          ],
        }
      : { role: 'assistant', content };
    return json(200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: RESPONSE_MODEL,
      choices: [{ index: 0, message, finish_reason: wantsTool ? 'tool_calls' : 'stop' }],
      usage: USAGE,
    });
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (value: unknown) => response.write(`data: ${JSON.stringify(value)}\n\n`);
  // `slow` streams for a long time, for the abort test.
  const parts = body.response_format
    ? ['{"city":', '"Lisbon",', '"sunny":true}']
    : body.model === 'slow'
      ? Array.from({ length: 100 }, () => 'la ')
      : ['Lis', 'bon', ' is', ' sunny'];
  for (const [index, piece] of parts.entries()) {
    await sleep(50);
    if (response.destroyed) return;
    send(chunk(index === 0 ? { role: 'assistant', content: piece } : { content: piece }));
  }
  await sleep(50);
  send(chunk({}, 'stop'));
  // @ai-sdk/openai asks for it: stream_options.include_usage.
  // `no-usage` is a server that ignores include_usage, as some OpenAI-compatible ones do.
  if (body.stream_options?.include_usage && body.model !== 'no-usage')
    send({ ...chunk({}), choices: [], usage: USAGE });
  response.end('data: [DONE]\n\n');
}

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer(handle);
});
afterAll(() => server.close());

async function setup() {
  const recorded = await recordedObservability<
    ReadableSpan,
    Observability,
    ReturnType<typeof createMetricsRegistry>
  >('ai-sdk-test', { setupObservability, createMetricsRegistry, renderMetrics });
  const provider = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1` });
  return { ...recorded, provider, model: (id = MODEL) => instrumentModel(provider.chat(id), recorded.obs) };
}

const llmSpans = (spans: readonly ReadableSpan[]) => spans.filter((span) => span.name === 'llm.generate');
const agentOf = (spans: readonly ReadableSpan[]) => spans.find((span) => span.name === 'agent.execute')!;

describe('instrumentModel with generateText', () => {
  it('records tokens (cached and reasoning), cost and the response model, under the agent span', async () => {
    const t = await setup();
    const result = await t.obs.observeAgent({ agentId: 'planner' }, () =>
      generateText({ model: t.model(), prompt: 'Weather in Lisbon?' }),
    );
    expect(result.text).toBe('Lisbon is sunny');
    expect(result.usage.inputTokens).toBe(1000);

    const spans = await t.spans();
    const [llm] = llmSpans(spans);
    expect(llmSpans(spans)).toHaveLength(1);
    expect(llm!.parentSpanContext?.spanId).toBe(agentOf(spans).spanContext().spanId);
    expect(llm!.attributes).toMatchObject({
      status: 'success',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': MODEL,
      'gen_ai.request.stream': false,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.usage.cache_read.input_tokens': 600,
    });

    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    const tokens = (token_type: string) =>
      sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type });
    expect([tokens('prompt'), tokens('completion'), tokens('cache_read'), tokens('reasoning')]).toEqual([
      1000, 200, 600, 50,
    ]);
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(COST, 12);

    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({
      status: 'success',
      provider: 'openai',
      model: MODEL,
      input_tokens: 1000,
      output_tokens: 200,
      cached_tokens: 600,
      response_model: RESPONSE_MODEL,
    });
    expect(finish.cost_usd as number).toBeCloseTo(COST, 12);
    expect(finish.span_id).toBe(llm!.spanContext().spanId);
  });

  it('records each step of a tool loop, the tool calls the model asked for, and the tool execution', async () => {
    const t = await setup();
    const tools = instrumentTools(
      {
        weather: tool({
          description: 'The weather in a city',
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          }),
          execute: async ({ city }) => {
            await sleep(20);
            return `${city}: 21°C`;
          },
        }),
      },
      t.obs,
    );
    const result = await t.obs.observeAgent({ agentId: 'planner' }, () =>
      generateText({ model: t.model(), tools, stopWhen: stepCountIs(3), prompt: 'Weather in Lisbon?' }),
    );
    expect(result.steps).toHaveLength(2);
    expect(result.toolResults[0]?.output ?? result.steps[0]!.toolResults[0]!.output).toBe('Lisbon: 21°C');

    const spans = await t.spans();
    const agent = agentOf(spans);
    const [first, second] = llmSpans(spans).sort((a, b) => ms(a.startTime) - ms(b.startTime));
    expect(llmSpans(spans)).toHaveLength(2);
    expect(first!.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['tool-calls'],
      'llm.tool_calls.names': ['weather'],
      'llm.tool_calls.ids': ['call_w1'],
    });
    expect(second!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(second!.attributes['llm.tool_calls.names']).toBeUndefined();
    const toolSpan = spans.find((span) => span.name === 'tool.execute')!;
    expect(toolSpan.attributes).toMatchObject({
      'gen_ai.tool.name': 'weather',
      'gen_ai.tool.call.id': 'call_w1',
    });
    for (const span of [first!, second!, toolSpan])
      expect(span.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    // The tool ran between the two model calls.
    expect(ms(toolSpan.startTime)).toBeGreaterThanOrEqual(ms(first!.endTime));
    expect(ms(second!.startTime)).toBeGreaterThanOrEqual(ms(toolSpan.endTime));

    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(2);
    expect(
      sampleValue(families, 'genxai_tool_calls_total', { tool_name: 'weather', status: 'success' }),
    ).toBe(1);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'prompt' })).toBe(
      2000,
    );
  });

  it("maps the AI SDK's APICallError to a low-cardinality error_type, and rethrows it untouched", async () => {
    const t = await setup();
    for (const [model, errorType] of [
      ['rate-limited', 'rate_limit'],
      ['broken', 'server_error'],
    ] as const) {
      const failure = await generateText({ model: t.model(model), prompt: 'x', maxRetries: 0 }).catch(
        (error: unknown) => error,
      );
      expect((failure as Error).name).toBe('AI_APICallError');
      expect((failure as { code?: unknown }).code).toBeUndefined();
      const families = await t.metrics();
      expect(
        sampleValue(families, 'genxai_llm_requests_total', { provider: 'openai', model, status: 'error' }),
      ).toBe(1);
      const [span] = llmSpans(await t.spans()).filter((s) => s.attributes['gen_ai.request.model'] === model);
      expect(span!.attributes['error.type']).toBe(errorType);
      const line = t.logs().find((l) => l.message === 'LLM request failed' && l.model === model)!;
      expect(line).toMatchObject({ status: 'error', error_type: errorType });
    }
  });
});

describe('instrumentModel with streamText', () => {
  it('records the stream for as long as it lasts, with its usage and time to first token', async () => {
    const t = await setup();
    const started = performance.now();
    const text = await t.obs.observeAgent({ agentId: 'planner' }, async () => {
      const result = streamText({ model: t.model(), prompt: 'Weather in Lisbon?' });
      let out = '';
      for await (const piece of result.textStream) out += piece;
      return out;
    });
    const wallMs = performance.now() - started;
    expect(text).toBe('Lisbon is sunny');

    const spans = await t.spans();
    const [llm] = llmSpans(spans);
    expect(llm!.parentSpanContext?.spanId).toBe(agentOf(spans).spanContext().spanId);
    // Five gaps of 50 ms on the server: the span lasts as long as the stream, not until its first byte.
    expect(ms(llm!.duration)).toBeGreaterThanOrEqual(245);
    expect(ms(llm!.duration)).toBeLessThanOrEqual(wallMs + 5);
    expect(llm!.attributes).toMatchObject({
      status: 'success',
      'gen_ai.request.stream': true,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
    });
    expect(llm!.attributes['gen_ai.response.time_to_first_chunk'] as number).toBeGreaterThanOrEqual(0.045);
    expect(llm!.attributes['gen_ai.response.time_to_first_chunk'] as number).toBeLessThan(
      ms(llm!.duration) / 1000,
    );

    const families = await t.metrics();
    expect(sampleValue(families, `${STREAM_METRICS.llmTimeToFirstTokenSeconds.name}_count`, LABELS)).toBe(1);
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(COST, 12);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ status: 'success', input_tokens: 1000, cached_tokens: 600 });
    expect(finish.duration as number).toBeGreaterThanOrEqual(0.245);
  });

  it('records a stream that reports no usage with no tokens, and says so once per model', async () => {
    const warnings: string[] = [];
    const recorded = await recordedObservability<
      ReadableSpan,
      Observability,
      ReturnType<typeof createMetricsRegistry>
    >('ai-sdk-test', {
      setupObservability: (options) =>
        setupObservability({ ...options, onWarning: ({ code }) => void warnings.push(code) }),
      createMetricsRegistry,
      renderMetrics,
    });
    const model = instrumentModel(
      createOpenAI({ apiKey: 'k', baseURL: `${server.url}/v1` }).chat('no-usage'),
      recorded.obs,
    );
    for (let i = 0; i < 2; i++) {
      const result = streamText({ model, prompt: 'x' });
      expect(await result.text).toBe('Lisbon is sunny');
    }
    const spans = llmSpans(await recorded.spans());
    expect(spans.map((span) => span.attributes.status)).toEqual(['success', 'success']);
    for (const span of spans) expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    const families = await recorded.metrics();
    const labels = { provider: 'openai', model: 'no-usage' };
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...labels, status: 'success' })).toBe(2);
    expect(
      sampleValue(families, METRICS.llmTokensTotal.name, { ...labels, token_type: 'prompt' }),
    ).toBeUndefined();
    expect(warnings.filter((code) => code === 'GENXAI_OBSERVE_NO_USAGE')).toHaveLength(1);
  });

  it('records a stream aborted midway as cancelled, with no usage', async () => {
    const t = await setup();
    const controller = new AbortController();
    const result = streamText({ model: t.model('slow'), prompt: 'x', abortSignal: controller.signal });
    let pieces = 0;
    try {
      for await (const _ of result.textStream) if (++pieces === 3) controller.abort();
    } catch {
      // Depending on the AI SDK version, an aborted textStream ends or throws.
    }
    expect(pieces).toBeGreaterThanOrEqual(3);
    expect(pieces).toBeLessThan(100);
    const [llm] = llmSpans(await t.spans());
    expect(llm!.attributes.status).toBe('cancelled');
    expect(llm!.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    const families = await t.metrics();
    expect(
      sampleValue(families, 'genxai_llm_requests_total', {
        provider: 'openai',
        model: 'slow',
        status: 'cancelled',
      }),
    ).toBe(1);
  });
});

describe('instrumentModel with generateObject, streamObject and embed', () => {
  const schema = jsonSchema<{ city: string; sunny: boolean }>({
    type: 'object',
    properties: { city: { type: 'string' }, sunny: { type: 'boolean' } },
    required: ['city', 'sunny'],
    additionalProperties: false,
  });

  it('records generateObject and streamObject as one chat call each', async () => {
    const t = await setup();
    const { object } = await generateObject({ model: t.model(), schema, prompt: 'Lisbon?' });
    expect(object).toEqual({ city: 'Lisbon', sunny: true });
    const streamed = streamObject({ model: t.model(), schema, prompt: 'Lisbon?' });
    for await (const _ of streamed.partialObjectStream) {
      // consumed as an app would
    }
    expect(await streamed.object).toEqual({ city: 'Lisbon', sunny: true });
    const spans = llmSpans(await t.spans());
    expect(spans.map((span) => span.attributes['gen_ai.request.stream'])).toEqual([false, true]);
    for (const span of spans) expect(span.attributes['gen_ai.usage.input_tokens']).toBe(1000);
    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(2);
    expect(sampleValue(families, `${STREAM_METRICS.llmTimeToFirstTokenSeconds.name}_count`, LABELS)).toBe(1);
  });

  it('records embed as an embeddings call with its input tokens', async () => {
    const t = await setup();
    const model = instrumentModel(t.provider.embedding('text-embedding-3-small'), t.obs);
    const { embedding } = await embed({ model, value: 'Lisbon' });
    expect(embedding).toEqual([0.5, 0.25]);
    const [span] = llmSpans(await t.spans());
    expect(span!.attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': 8,
    });
    const families = await t.metrics();
    expect(
      sampleValue(families, METRICS.llmTokensTotal.name, {
        provider: 'openai',
        model: 'text-embedding-3-small',
        token_type: 'prompt',
      }),
    ).toBe(8);
  });
});

describe("beside the AI SDK's own telemetry", () => {
  it('leaves gen_ai.usage.* to the AI SDK model-call span, so a trace sums the usage once', async () => {
    const t = await setup();
    const sdkExporter = new KeepingExporter<ReadableSpan>();
    const sdkProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(sdkExporter)] });
    await generateText({
      model: t.model(),
      prompt: 'Weather in Lisbon?',
      experimental_telemetry: { isEnabled: true, tracer: sdkProvider.getTracer('ai') },
    });
    const ours = llmSpans(await t.spans());
    const theirs = sdkExporter.spans;
    expect(theirs.map((span) => span.name)).toContain('ai.generateText.doGenerate');
    const all = [...ours, ...theirs];
    const summed = all.reduce(
      (sum, span) => sum + ((span.attributes['gen_ai.usage.input_tokens'] as number) ?? 0),
      0,
    );
    expect(summed).toBe(1000);
    // Ours still has the call's other attributes, and the metrics have its tokens.
    expect(ours[0]!.attributes['gen_ai.response.model']).toBe(RESPONSE_MODEL);
    const families = await t.metrics();
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'prompt' })).toBe(
      1000,
    );
  });
});

describe('instrumentModel and instrumentTools: setup and hostile input', () => {
  it('throws a clear error at setup for a bad model, observer or option', async () => {
    const t = await setup();
    const model = t.provider.chat(MODEL);
    expect(() => instrumentModel(null as never, t.obs)).toThrow(
      /instrumentModel: the first argument must be an AI SDK model/,
    );
    expect(() => instrumentModel(model, {} as never)).toThrow(/observeLLM/);
    expect(() => instrumentModel(model, t.obs, { provder: 'x' } as never)).toThrow(
      /Unknown option "provder" of instrumentModel. Did you mean "provider"/,
    );
    expect(() => instrumentModel(model, t.obs, { provider: '' })).toThrow(/options.provider/);
    expect(() => instrumentTools(undefined as never, t.obs)).toThrow(
      /instrumentTools: the first argument must be an object of AI SDK tools/,
    );
    expect(() => instrumentTools({}, { observeLLM: t.obs.observeLLM } as never)).toThrow(/observeTool/);
  });

  it('keeps the model working when telemetry throws, and when its getters throw', async () => {
    const t = await setup();
    const throwing = {
      observeLLM: () => {
        throw new Error('telemetry bug');
      },
    };
    const result = await generateText({
      model: instrumentModel(t.provider.chat(MODEL), throwing),
      prompt: 'x',
    });
    expect(result.text).toBe('Lisbon is sunny');
    const base = t.provider.chat(MODEL);
    const hostile = new Proxy(base, {
      get(target, key, receiver) {
        if (key === 'provider') throw new Error('hostile getter');
        return Reflect.get(target, key, receiver);
      },
    });
    // Reading `provider` throws for the AI SDK too, so only the wrapper is exercised here.
    const wrapped = instrumentModel(hostile, t.obs, { provider: 'openai' });
    const raw = await wrapped.doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
    });
    expect(raw.usage.inputTokens.total).toBe(1000);
    expect(instrumentModel(hostile, t.obs).modelId).toBe(MODEL);
    const [span] = llmSpans(await t.spans());
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(1000);
  });

  it('passes the provider label through, and other properties untouched', async () => {
    const t = await setup();
    const base = t.provider.chat(MODEL);
    const model = instrumentModel(base, t.obs, { provider: 'azure.ai.openai' });
    expect(model.modelId).toBe(base.modelId);
    expect(model.provider).toBe(base.provider);
    expect(model.specificationVersion).toBe(base.specificationVersion);
    await generateText({ model, prompt: 'x' });
    const [span] = llmSpans(await t.spans());
    expect(span!.attributes['gen_ai.provider.name']).toBe('azure.ai.openai');
    expect(requests.at(-1)?.model).toBe(MODEL);
  });
});
