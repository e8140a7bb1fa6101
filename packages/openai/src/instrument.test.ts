// A real `openai` client against a local server speaking the OpenAI wire format, observed end to end:
// spans, /metrics and the JSON log lines.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createMetricsRegistry,
  GEN_AI_METRICS,
  METRICS,
  renderMetrics,
  STREAM_METRICS,
  TOKEN_TYPE,
} from '@genxai/metrics';
import { type Observability, setupObservability } from '@genxai/observability';
import { recordedObservability, sampleValue, startWireServer, type WireServer } from '@genxai/test-utils';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { instrumentOpenAI } from './index';

const MODEL = 'gpt-4o-mini';
const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
const LABELS = { provider: 'openai', model: MODEL };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-s1',
  object: 'chat.completion.chunk',
  created: 1,
  model: RESPONSE_MODEL,
  choices: [{ index: 0, delta, finish_reason: finish }],
});

// The Responses API (`POST /v1/responses`) as OpenAI publishes it: a `response` object whose
// `output` holds items (`reasoning`, `message` with `output_text` parts, `function_call`), and usage
// with `input_tokens_details` / `output_tokens_details`. `output_text` is not in the wire body: the
// SDK adds it to a non-streamed result. A stream is named SSE events (`event:` + `data:`), no `[DONE]`.
const REASONING_MODEL = 'o4-mini';
const RESPONSES_MODELS: Record<string, string> = {
  [MODEL]: RESPONSE_MODEL,
  [REASONING_MODEL]: 'o4-mini-2025-04-16',
};
const WEATHER_CALL = { call_id: 'call_lisbon_1', name: 'get_weather', arguments: '{"city":"Lisbon"}' };
const WEATHER_TOOL = {
  type: 'function' as const,
  name: WEATHER_CALL.name,
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};
const TEXT_PARTS = ['Lis', 'bon', ' is', ' sunny'];

function usageFor(body: { model?: string; stream?: boolean }) {
  if (body.model === REASONING_MODEL)
    return {
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 400 },
      output_tokens: 200,
      output_tokens_details: { reasoning_tokens: 50 },
      total_tokens: 1200,
    };
  const [input, output] = body.stream ? [12, 4] : [1000, 200];
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

const responseObject = (
  body: { model?: string; tools?: unknown[] },
  status: 'in_progress' | 'completed',
  output: unknown[],
  usage: unknown,
) => ({
  id: 'resp_67ccd2bed1ec8190b14f964abc054267',
  object: 'response',
  created_at: 1741476542,
  status,
  completed_at: status === 'completed' ? 1741476543 : null,
  background: false,
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: RESPONSES_MODELS[body.model ?? ''] ?? body.model,
  output,
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: body.model === REASONING_MODEL ? 'medium' : null, summary: null },
  service_tier: 'default',
  store: true,
  temperature: 1,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: body.tools ?? [],
  top_p: 1,
  truncation: 'disabled',
  usage,
  user: null,
  metadata: {},
});

const messageItem = (text: string, status: 'in_progress' | 'completed') => ({
  id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e6',
  type: 'message',
  status,
  role: 'assistant',
  content: status === 'completed' ? [{ type: 'output_text', text, annotations: [], logprobs: [] }] : [],
});

const functionCallItem = (argumentsText: string, status: 'in_progress' | 'completed') => ({
  id: 'fc_67ccd3acc8d48190a77525dc6de64b4f',
  type: 'function_call',
  status,
  call_id: WEATHER_CALL.call_id,
  name: WEATHER_CALL.name,
  arguments: argumentsText,
});

async function respond(
  body: { model?: string; stream?: boolean; tools?: unknown[] },
  response: ServerResponse,
  json: (status: number, value: unknown) => void,
) {
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  const reasoning = body.model === REASONING_MODEL ? [{ id: 'rs_1', type: 'reasoning', summary: [] }] : [];
  const finalItem = tools
    ? functionCallItem(WEATHER_CALL.arguments, 'completed')
    : messageItem('Sunny', 'completed');
  if (!body.stream)
    return json(200, responseObject(body, 'completed', [...reasoning, finalItem], usageFor(body)));

  response.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_3' });
  let sequence = 0;
  const send = (type: string, fields: Record<string, unknown>) =>
    response.write(
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`,
    );
  send('response.created', { response: responseObject(body, 'in_progress', [], null) });
  send('response.in_progress', { response: responseObject(body, 'in_progress', [], null) });
  const text = TEXT_PARTS.join('');
  const item = tools ? functionCallItem('', 'in_progress') : messageItem(text, 'in_progress');
  send('response.output_item.added', { output_index: 0, item });
  if (!tools)
    send('response.content_part.added', {
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    });
  const deltas = tools ? ['{"city":', '"Lisbon"}'] : TEXT_PARTS;
  for (const delta of deltas) {
    await sleep(50);
    if (response.destroyed) return;
    if (tools) send('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta });
    else
      send('response.output_text.delta', {
        item_id: item.id,
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      });
  }
  await sleep(50);
  if (response.destroyed) return;
  const done = tools ? functionCallItem(WEATHER_CALL.arguments, 'completed') : messageItem(text, 'completed');
  if (tools)
    send('response.function_call_arguments.done', {
      item_id: item.id,
      output_index: 0,
      name: WEATHER_CALL.name,
      arguments: WEATHER_CALL.arguments,
    });
  else {
    send('response.output_text.done', {
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      text,
      logprobs: [],
    });
    send('response.content_part.done', {
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text, annotations: [] },
    });
  }
  send('response.output_item.done', { output_index: 0, item: done });
  send('response.completed', { response: responseObject(body, 'completed', [done], usageFor(body)) });
  response.end();
}

async function handle(request: IncomingMessage, response: ServerResponse) {
  let raw = '';
  for await (const part of request) raw += part;
  const body = JSON.parse(raw || '{}');
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_1', ...headers });
    response.end(JSON.stringify(value));
  };
  if (body.model === 'rate-limited')
    return json(
      429,
      {
        error: {
          message: 'Rate limit reached',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      { 'retry-after': '0' },
    );
  if (body.model === 'broken')
    return json(500, {
      error: { message: 'The server had an error', type: 'server_error', param: null, code: null },
    });
  if (request.url === '/v1/embeddings')
    return json(200, {
      object: 'list',
      model: 'text-embedding-3-small',
      // openai 6 asks for base64 unless told otherwise, and decodes it to numbers.
      data: [
        {
          object: 'embedding',
          index: 0,
          embedding:
            body.encoding_format === 'base64'
              ? Buffer.from(new Float32Array([0.5, 0.25]).buffer).toString('base64')
              : [0.5, 0.25],
        },
      ],
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
  if (request.url === '/v1/responses') return respond(body, response, json);
  if (request.url !== '/v1/chat/completions') return json(404, { error: { message: 'no route' } });
  if (!body.stream && body.tools)
    return json(200, {
      id: 'chatcmpl-2',
      object: 'chat.completion',
      created: 1,
      model: RESPONSE_MODEL,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: WEATHER_CALL.call_id,
                type: 'function',
                function: { name: WEATHER_CALL.name, arguments: WEATHER_CALL.arguments },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
    });
  if (!body.stream)
    return json(200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: RESPONSE_MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Sunny' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
    });
  response.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_2' });
  const send = (value: unknown) => response.write(`data: ${JSON.stringify(value)}\n\n`);
  const parts = ['Lis', 'bon', ' is', ' sunny'];
  for (const [index, content] of parts.entries()) {
    await sleep(50);
    if (response.destroyed) return;
    send(chunk(index === 0 ? { role: 'assistant', content } : { content }));
  }
  await sleep(50);
  send(chunk({}, 'stop'));
  if (body.stream_options?.include_usage)
    send({ ...chunk({}), choices: [], usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } });
  response.end('data: [DONE]\n\n');
}

let server: WireServer;
let baseURL: string;
beforeAll(async () => {
  server = await startWireServer(handle);
  baseURL = `${server.url}/v1`;
});
afterAll(() => server.close());

async function setup() {
  const recorded = await recordedObservability<
    ReadableSpan,
    Observability,
    ReturnType<typeof createMetricsRegistry>
  >('openai-test', { setupObservability, createMetricsRegistry, renderMetrics });
  const client = instrumentOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0 }), recorded.obs);
  return { ...recorded, client };
}
const messages = [{ role: 'user' as const, content: 'Weather in Lisbon?' }];

describe('instrumentOpenAI', () => {
  it('records a chat completion: tokens, cost, response model and finish reasons, under the agent span', async () => {
    const t = await setup();
    const reply = await t.obs.observeAgent({ agentId: 'planner' }, () =>
      t.client.chat.completions.create({ model: MODEL, messages }),
    );
    expect(reply.choices[0]!.message.content).toBe('Sunny');
    expect(reply._request_id).toBe('req_1');

    const spans = await t.spans();
    const llm = spans.find((span) => span.attributes['gen_ai.operation.name'] === 'chat')!;
    const agent = spans.find((span) => span.name === 'agent.execute')!;
    expect(llm.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(llm.spanContext().traceId).toBe(agent.spanContext().traceId);
    expect(llm.attributes).toMatchObject({
      status: 'success',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': MODEL,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
    });

    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'total' })).toBe(1200);
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(
      (1000 * 0.15 + 200 * 0.6) / 1e6,
      12,
    );
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ status: 'success', tokens_used: 1200, provider: 'openai', model: MODEL });
    expect(finish.span_id).toBe(llm.spanContext().spanId);
  });

  it('returns the SDK APIPromise: .withResponse() gives { data, response }', async () => {
    const t = await setup();
    const call = t.client.chat.completions.create({ model: MODEL, messages });
    expect(typeof call.withResponse).toBe('function');
    const { data, response, request_id } = await call.withResponse();
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(response.status).toBe(200);
    expect(request_id).toBe('req_1');
    const [llm] = await t.spans();
    expect(llm!.attributes['gen_ai.usage.output_tokens']).toBe(200);
  });

  it('.withResponse() on a streamed call gives the observed Stream', async () => {
    const t = await setup();
    const call = t.client.chat.completions.create({
      model: MODEL,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(call).toBeInstanceOf(Promise);
    const { data: stream, response } = await call.withResponse();
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Lisbon is sunny');
    const [llm] = await t.spans();
    expect(llm!.attributes).toMatchObject({ status: 'success', 'gen_ai.usage.input_tokens': 12 });
  });

  it('records a stream for as long as it lasts, with the usage of its last chunk and time to first token', async () => {
    const t = await setup();
    const started = performance.now();
    const stream = await t.obs.observeAgent({ agentId: 'planner' }, () =>
      t.client.chat.completions.create({
        model: MODEL,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta?.content ?? '';
    const loopMs = performance.now() - started;
    expect(text).toBe('Lisbon is sunny');

    const spans = await t.spans();
    const llm = spans.find((span) => span.attributes['gen_ai.operation.name'] === 'chat')!;
    const agent = spans.find((span) => span.name === 'agent.execute')!;
    expect(llm.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(ms(llm.duration)).toBeGreaterThanOrEqual(245); // five gaps of 50 ms
    expect(ms(llm.duration)).toBeLessThanOrEqual(loopMs + 5);
    expect(llm.attributes).toMatchObject({
      status: 'success',
      'gen_ai.request.stream': true,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
    });
    expect(llm.attributes['gen_ai.response.time_to_first_chunk'] as number).toBeGreaterThanOrEqual(0.045);

    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'total' })).toBe(16);
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(
      (12 * 0.15 + 4 * 0.6) / 1e6,
      12,
    );
    expect(sampleValue(families, `${STREAM_METRICS.llmTimeToFirstTokenSeconds.name}_count`, LABELS)).toBe(1);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ status: 'success', tokens_used: 16 });
    expect(finish.duration as number).toBeGreaterThanOrEqual(0.245);
  });

  it('watches a stream iterated inside .then(), before any await', async () => {
    const t = await setup();
    let text = '';
    await t.client.chat.completions
      .create({ model: MODEL, messages, stream: true, stream_options: { include_usage: true } })
      .then(async (stream) => {
        for await (const part of stream) text += part.choices[0]?.delta?.content ?? '';
      });
    expect(text).toBe('Lisbon is sunny');
    const [llm] = await t.spans();
    expect(llm!.attributes).toMatchObject({ status: 'success', 'gen_ai.usage.output_tokens': 4 });
  });

  it('records a stream left early (break) as cancelled', async () => {
    const t = await setup();
    const stream = await t.client.chat.completions.create({ model: MODEL, messages, stream: true });
    for await (const part of stream) if (part.choices[0]?.delta?.content === 'bon') break;
    const [llm] = await t.spans();
    expect(llm!.attributes.status).toBe('cancelled');
    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'cancelled' })).toBe(1);
  });

  // openai's Stream swallows its own abort: after controller.abort() the loop just ends, as if the
  // stream were done; the stream observer reads the stream's controller to tell it from a real end.
  it('records a stream aborted midway (controller.abort()) as cancelled', async () => {
    const t = await setup();
    const stream = await t.client.chat.completions.create({ model: MODEL, messages, stream: true });
    let seen = '';
    for await (const part of stream) {
      seen += part.choices[0]?.delta?.content ?? '';
      if (seen === 'Lisbon') stream.controller.abort();
    }
    expect(seen).toBe('Lisbon'); // the SDK ends the loop without an error
    const [llm] = await t.spans();
    expect(llm!.attributes.status).toBe('cancelled');
    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'cancelled' })).toBe(1);
  });

  it('records embeddings', async () => {
    const t = await setup();
    const result = await t.client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(result.data[0]!.embedding).toEqual([0.5, 0.25]);
    const [span] = await t.spans();
    expect(span!.attributes).toMatchObject({
      status: 'success',
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': 8,
    });
  });

  it.each([
    {
      model: 'rate-limited',
      status: 429,
      errorClass: OpenAI.RateLimitError,
      errorType: 'rate_limit_exceeded',
    },
    {
      model: 'broken',
      status: 500,
      errorClass: OpenAI.InternalServerError,
      errorType: 'InternalServerError',
    },
  ])('records a $status as an error ($errorType), and the SDK error reaches the caller', async (c) => {
    const t = await setup();
    const error = await t.client.chat.completions.create({ model: c.model, messages }).catch((e) => e);
    expect(error).toBeInstanceOf(c.errorClass);
    expect(error.status).toBe(c.status);
    const [llm] = await t.spans();
    expect(llm!.attributes.status).toBe('error');
    expect(llm!.attributes['error.type']).toBe(c.errorType);
    const families = await t.metrics();
    expect(
      sampleValue(families, 'genxai_llm_requests_total', {
        provider: 'openai',
        model: c.model,
        status: 'error',
      }),
    ).toBe(1);
    expect(
      sampleValue(families, GEN_AI_METRICS.clientOperationDurationSeconds.name, { error_type: c.errorType }),
    ).toBe(1);
    const failure = t.logs().find((line) => line.message === 'LLM request failed')!;
    expect(failure).toMatchObject({ status: 'error', error_type: c.errorType });
  });

  it('leaves .asResponse() to the SDK: the raw Response, its body already read for the observation', async () => {
    const t = await setup();
    const response = await t.client.chat.completions.create({ model: MODEL, messages }).asResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    await vi.waitFor(async () => expect(await t.spans()).toHaveLength(1));
    expect(response.bodyUsed).toBe(true);
    const [llm] = await t.spans();
    expect(llm!.attributes['gen_ai.usage.input_tokens']).toBe(1000);
  });

  it('a failed call nobody awaits is recorded, with no unhandled rejection of ours', async () => {
    const t = await setup();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      void t.client.chat.completions.create({ model: 'broken', messages });
      await vi.waitFor(async () => expect(await t.spans()).toHaveLength(1));
      await sleep(20);
      expect(rejections).toEqual([]);
      expect((await t.spans())[0]!.attributes.status).toBe('error');
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('records a call once when the client is wrapped twice', async () => {
    const t = await setup();
    const twice = instrumentOpenAI(t.client, t.obs);
    await twice.chat.completions.create({ model: MODEL, messages });
    expect(await t.spans()).toHaveLength(1);
  });

  it('still makes the call when the observer itself throws', async () => {
    const broken = {
      observeLLM: () => {
        throw new Error('telemetry down');
      },
    };
    const client = instrumentOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0 }), broken);
    const reply = await client.chat.completions.create({ model: MODEL, messages });
    expect(reply.choices[0]!.message.content).toBe('Sunny');
  });

  it('passes other members through, bound to the real client', async () => {
    const t = await setup();
    expect(t.client.baseURL).toBe(baseURL);
    expect(t.client.chat.completions.create).toBe(t.client.chat.completions.create);
    expect(() => instrumentOpenAI(null as never, t.obs)).toThrow(/OpenAI client instance/);
  });
});

describe('instrumentOpenAI: responses.create', () => {
  const input = 'Weather in Lisbon?';
  const RESPONSE_ID = 'resp_67ccd2bed1ec8190b14f964abc054267';

  it('records a response: operation chat, tokens, cost, response model and id, status, the SDK-added output_text', async () => {
    const t = await setup();
    const reply = await t.obs.observeAgent({ agentId: 'planner' }, () =>
      t.client.responses.create({ model: MODEL, input }),
    );
    // Not in the wire body: the SDK adds it, and the caller still gets it.
    expect(reply.output_text).toBe('Sunny');
    expect(reply._request_id).toBe('req_1');

    const spans = await t.spans();
    const llm = spans.find((span) => span.name === 'llm.generate')!;
    const agent = spans.find((span) => span.name === 'agent.execute')!;
    expect(llm.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(llm.attributes).toMatchObject({
      status: 'success',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': MODEL,
      'gen_ai.request.stream': false,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.id': RESPONSE_ID,
      'gen_ai.response.finish_reasons': ['completed'],
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'llm.completion': 'Sunny',
      'llm.completion_length': 5,
    });
    expect(llm.attributes['llm.tool_calls.ids']).toBeUndefined();

    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'total' })).toBe(1200);
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(
      (1000 * 0.15 + 200 * 0.6) / 1e6,
      12,
    );
    expect(
      sampleValue(families, GEN_AI_METRICS.clientOperationDurationSeconds.name, {
        gen_ai_operation_name: 'chat',
        gen_ai_response_model: RESPONSE_MODEL,
      }),
    ).toBe(1);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({
      status: 'success',
      tokens_used: 1200,
      provider: 'openai',
      model: MODEL,
      response_model: RESPONSE_MODEL,
    });
    expect(finish.span_id).toBe(llm.spanContext().spanId);
  });

  it('returns the SDK APIPromise: .withResponse() gives the parsed response, output_text included', async () => {
    const t = await setup();
    const call = t.client.responses.create({ model: MODEL, input });
    expect(typeof call.withResponse).toBe('function');
    const { data, response, request_id } = await call.withResponse();
    expect(data.output_text).toBe('Sunny');
    expect(response.status).toBe(200);
    expect(request_id).toBe('req_1');
    const [llm] = await t.spans();
    expect(llm!.attributes).toMatchObject({ 'gen_ai.usage.output_tokens': 200, 'llm.completion': 'Sunny' });
  });

  it('counts cached and reasoning tokens (input_tokens_details, output_tokens_details) and prices cache reads', async () => {
    const t = await setup();
    const reply = await t.client.responses.create({
      model: REASONING_MODEL,
      input,
      reasoning: { effort: 'medium' },
    });
    expect(reply.output_text).toBe('Sunny'); // the reasoning item is not text
    const labels = { provider: 'openai', model: REASONING_MODEL };
    const families = await t.metrics();
    const tokens = (token_type: string) =>
      sampleValue(families, METRICS.llmTokensTotal.name, { ...labels, token_type });
    expect(tokens(TOKEN_TYPE.prompt)).toBe(1000);
    expect(tokens(TOKEN_TYPE.completion)).toBe(200);
    expect(tokens(TOKEN_TYPE.total)).toBe(1200);
    expect(tokens(TOKEN_TYPE.cacheRead)).toBe(400);
    expect(tokens(TOKEN_TYPE.reasoning)).toBe(50);
    // o4-mini: 1.1 $/M uncached input, 0.275 $/M cached input, 4.4 $/M output (reasoning included).
    const cost = (600 * 1.1 + 400 * 0.275 + 200 * 4.4) / 1e6;
    expect(sampleValue(families, METRICS.llmCostTotal.name, labels)).toBeCloseTo(cost, 12);

    const [llm] = await t.spans();
    expect(llm!.attributes).toMatchObject({
      'gen_ai.response.model': 'o4-mini-2025-04-16',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.usage.cache_read.input_tokens': 400,
    });
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ input_tokens: 1000, output_tokens: 200, cached_tokens: 400 });
    expect(finish.cost_usd as number).toBeCloseTo(cost, 12);
  });

  it('records a stream for as long as it lasts: usage from response.completed, time to first token', async () => {
    const t = await setup();
    const started = performance.now();
    const stream = await t.obs.observeAgent({ agentId: 'planner' }, () =>
      t.client.responses.create({ model: MODEL, input, stream: true }),
    );
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    const loopMs = performance.now() - started;
    expect(text).toBe('Lisbon is sunny');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');

    const spans = await t.spans();
    const llm = spans.find((span) => span.name === 'llm.generate')!;
    const agent = spans.find((span) => span.name === 'agent.execute')!;
    expect(llm.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(ms(llm.duration)).toBeGreaterThanOrEqual(245); // five gaps of 50 ms
    expect(ms(llm.duration)).toBeLessThanOrEqual(loopMs + 5);
    expect(llm.attributes).toMatchObject({
      status: 'success',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.stream': true,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.id': RESPONSE_ID,
      'gen_ai.response.finish_reasons': ['completed'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
      'llm.completion': 'Lisbon is sunny',
    });
    // response.created and output_item.added come at once; the first text delta 50 ms later.
    expect(llm.attributes['gen_ai.response.time_to_first_chunk'] as number).toBeGreaterThanOrEqual(0.045);

    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'total' })).toBe(16);
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(
      (12 * 0.15 + 4 * 0.6) / 1e6,
      12,
    );
    expect(sampleValue(families, 'genxai_llm_time_to_first_token_seconds_count', LABELS)).toBe(1);
    expect(
      sampleValue(families, 'genxai_llm_time_to_first_token_seconds_sum', LABELS),
    ).toBeGreaterThanOrEqual(0.045);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ status: 'success', tokens_used: 16, response_model: RESPONSE_MODEL });
    expect(finish.duration as number).toBeGreaterThanOrEqual(0.245);
  });

  // openai's Stream swallows its own abort: after controller.abort() the loop just ends.
  it.each([
    { how: 'controller.abort()', abort: true },
    { how: 'break', abort: false },
  ])('records a stream left midway ($how) as cancelled, with no usage', async ({ abort }) => {
    const t = await setup();
    const stream = await t.client.responses.create({ model: MODEL, input, stream: true });
    let seen = '';
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') seen += event.delta;
      if (seen !== 'Lisbon') continue;
      if (!abort) break;
      stream.controller.abort();
    }
    expect(seen).toBe('Lisbon'); // the SDK ends the loop without an error
    const [llm] = await t.spans();
    expect(llm!.attributes.status).toBe('cancelled');
    expect(llm!.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(llm!.attributes['gen_ai.response.time_to_first_chunk'] as number).toBeGreaterThanOrEqual(0.045);
    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'cancelled' })).toBe(1);
    expect(
      sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' }),
    ).toBeUndefined();
    expect(
      sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'total' }),
    ).toBeUndefined();
  });

  it.each([
    { stream: false, firstToken: false },
    { stream: true, firstToken: true },
  ])(
    'records a function_call (stream: $stream) with its call_id, as a chat completion tool call is',
    async (c) => {
      const t = await setup();
      const chat = await t.client.chat.completions.create({
        model: MODEL,
        messages,
        tools: [
          { type: 'function', function: { name: WEATHER_TOOL.name, parameters: WEATHER_TOOL.parameters } },
        ],
      });
      expect(chat.choices[0]!.message.tool_calls?.[0]?.id).toBe(WEATHER_CALL.call_id);

      let calls: { call_id: string; name: string; arguments: string }[];
      if (c.stream) {
        const stream = await t.client.responses.create({
          model: MODEL,
          input,
          tools: [WEATHER_TOOL],
          stream: true,
        });
        calls = [];
        for await (const event of stream)
          if (event.type === 'response.output_item.done' && event.item.type === 'function_call')
            calls.push(event.item);
      } else {
        const reply = await t.client.responses.create({ model: MODEL, input, tools: [WEATHER_TOOL] });
        calls = reply.output.filter((item) => item.type === 'function_call');
        expect(reply.output_text).toBe('');
      }
      expect(calls.map((call) => [call.call_id, call.name, call.arguments])).toEqual([
        [WEATHER_CALL.call_id, WEATHER_CALL.name, WEATHER_CALL.arguments],
      ]);

      const spans = await t.spans();
      expect(spans).toHaveLength(2);
      const [chatSpan, responseSpan] = spans;
      expect(chatSpan!.attributes).toMatchObject({
        'llm.tool_calls.names': [WEATHER_CALL.name],
        'llm.tool_calls.ids': [WEATHER_CALL.call_id],
        'gen_ai.response.finish_reasons': ['tool_calls'],
      });
      expect(responseSpan!.attributes).toMatchObject({
        status: 'success',
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.stream': c.stream,
        'llm.tool_calls.names': [WEATHER_CALL.name],
        'llm.tool_calls.ids': [WEATHER_CALL.call_id],
        'gen_ai.response.finish_reasons': ['completed'],
      });
      // The argument text is the model's first output of a streamed call.
      if (c.firstToken)
        expect(
          responseSpan!.attributes['gen_ai.response.time_to_first_chunk'] as number,
        ).toBeGreaterThanOrEqual(0.045);
      else {
        expect(responseSpan!.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
        // The whole response is there: the conventions' output message, with the tool call in it.
        const [output] = JSON.parse(responseSpan!.attributes['gen_ai.output.messages'] as string);
        expect(output).toMatchObject({
          role: 'assistant',
          finish_reason: 'tool_call',
          parts: [{ type: 'tool_call', id: WEATHER_CALL.call_id, name: WEATHER_CALL.name }],
        });
      }
    },
  );

  it.each([
    {
      model: 'rate-limited',
      status: 429,
      errorClass: OpenAI.RateLimitError,
      errorType: 'rate_limit_exceeded',
      stream: false,
    },
    {
      model: 'rate-limited',
      status: 429,
      errorClass: OpenAI.RateLimitError,
      errorType: 'rate_limit_exceeded',
      stream: true,
    },
    {
      model: 'broken',
      status: 500,
      errorClass: OpenAI.InternalServerError,
      errorType: 'InternalServerError',
      stream: false,
    },
    {
      model: 'broken',
      status: 500,
      errorClass: OpenAI.InternalServerError,
      errorType: 'InternalServerError',
      stream: true,
    },
  ])(
    'records a $status (stream: $stream) as an error ($errorType), and the SDK error reaches the caller',
    async (c) => {
      const t = await setup();
      const error = await t.client.responses
        .create({ model: c.model, input, stream: c.stream })
        .catch((e) => e);
      expect(error).toBeInstanceOf(c.errorClass);
      expect(error.status).toBe(c.status);
      const [llm] = await t.spans();
      expect(llm!.attributes).toMatchObject({
        status: 'error',
        'error.type': c.errorType,
        'gen_ai.operation.name': 'chat',
      });
      const families = await t.metrics();
      expect(
        sampleValue(families, 'genxai_llm_requests_total', {
          provider: 'openai',
          model: c.model,
          status: 'error',
        }),
      ).toBe(1);
      expect(
        sampleValue(families, GEN_AI_METRICS.clientOperationDurationSeconds.name, {
          error_type: c.errorType,
          gen_ai_operation_name: 'chat',
        }),
      ).toBe(1);
      const failure = t.logs().find((line) => line.message === 'LLM request failed')!;
      expect(failure).toMatchObject({ status: 'error', error_type: c.errorType });
    },
  );

  it('leaves other Responses methods to the SDK, bound to the real client', async () => {
    const t = await setup();
    expect(t.client.responses.create).toBe(t.client.responses.create);
    expect(t.client.responses.retrieve.name).toBe('bound retrieve');
    const reply = await t.client.responses.create({ model: MODEL, input });
    expect(reply.output_text).toBe('Sunny');
    expect(await t.spans()).toHaveLength(1);
  });
});
