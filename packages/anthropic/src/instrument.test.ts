// A real `@anthropic-ai/sdk` client against a local server speaking the Anthropic Messages wire
// format, observed end to end: spans, /metrics and the JSON log lines.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import {
  createMetricsRegistry,
  GEN_AI_METRICS,
  METRICS,
  renderMetrics,
  STREAM_METRICS,
} from '@genxai/metrics';
import { type Observability, setupObservability } from '@genxai/observability';
import { KeepingExporter, parseExposition, sampleValue } from '@genxai/test-utils';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { instrumentAnthropic } from './index';

const MODEL = 'claude-sonnet-4-5';
const RESPONSE_MODEL = 'claude-sonnet-4-5-20250929';
const LABELS = { provider: 'anthropic', model: MODEL };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
// claude-sonnet-4-5, USD per million tokens: input 3, cache read 0.3, cache write 3.75, output 15.
const cost = (input: number, cacheRead: number, cacheWrite: number, output: number) =>
  (input * 3 + cacheRead * 0.3 + cacheWrite * 3.75 + output * 15) / 1e6;

const ERRORS: Record<string, { status: number; type: string; message: string }> = {
  'rate-limited': {
    status: 429,
    type: 'rate_limit_error',
    message: 'Number of request tokens has exceeded your rate limit',
  },
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
  broken: { status: 500, type: 'api_error', message: 'Internal server error' },
};
// A stream that starts, then ends with an `error` event.
const FAILS_MIDWAY = 'overloaded-midway';

async function handle(request: IncomingMessage, response: ServerResponse) {
  let raw = '';
  for await (const part of request) raw += part;
  const body = JSON.parse(raw || '{}');
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_1', ...headers });
    response.end(JSON.stringify(value));
  };
  const failure = ERRORS[body.model];
  if (failure)
    return json(
      failure.status,
      { type: 'error', error: { type: failure.type, message: failure.message } },
      { 'retry-after': '0' },
    );
  if (request.url !== '/v1/messages') return json(404, { type: 'error', error: { type: 'not_found_error' } });
  if (!body.stream)
    return json(200, {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: RESPONSE_MODEL,
      content: [{ type: 'text', text: 'Sunny' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      // Anthropic's input_tokens leave both cache counts out.
      usage: {
        input_tokens: 100,
        cache_read_input_tokens: 4000,
        cache_creation_input_tokens: 1000,
        output_tokens: 50,
      },
    });
  response.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_2' });
  const send = (value: { type: string; [key: string]: unknown }) =>
    response.write(`event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`);
  send({
    type: 'message_start',
    message: {
      id: 'msg_2',
      type: 'message',
      role: 'assistant',
      model: RESPONSE_MODEL,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 25,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 50,
        output_tokens: 1,
      },
    },
  });
  send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  send({ type: 'ping' });
  if (body.model === FAILS_MIDWAY) {
    await sleep(50);
    send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Lis' } });
    // What the API sends when it is overloaded after the stream started.
    send({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    return response.end();
  }
  for (const text of ['Lis', 'bon', ' is', ' sunny']) {
    await sleep(50);
    if (response.destroyed) return;
    send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
  }
  await sleep(50);
  if (response.destroyed) return;
  send({ type: 'content_block_stop', index: 0 });
  send({
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 15 },
  });
  send({ type: 'message_stop' });
  response.end();
}

let server: Server;
let baseURL: string;
beforeAll(async () => {
  server = createServer(
    (request, response) => void handle(request, response).catch(() => response.destroy()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const newClient = () => new Anthropic({ apiKey: 'sk-ant-test', baseURL, maxRetries: 0 });

async function setup() {
  const exporter = new KeepingExporter<ReadableSpan>();
  const lines: string[] = [];
  const registry = createMetricsRegistry();
  const obs: Observability = await setupObservability({
    serviceName: 'anthropic-test',
    metrics: { registry },
    tracing: { exporter },
    logging: { level: 'debug', destination: { write: (line: string) => void lines.push(line) } },
  });
  const client = instrumentAnthropic(newClient(), obs);
  return {
    obs,
    client,
    async spans() {
      await obs.tracing?.forceFlush();
      return exporter.spans;
    },
    async metrics() {
      return parseExposition((await renderMetrics(registry, 'prometheus')).body);
    },
    logs: () =>
      lines
        .flatMap((text) => text.split('\n').filter(Boolean))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
const messages = [{ role: 'user' as const, content: 'Weather in Lisbon?' }];
const params = { model: MODEL, max_tokens: 256, messages };

describe('instrumentAnthropic', () => {
  it('records a message: tokens with cache reads and writes, cost, response model and stop reason, under the agent span', async () => {
    const t = await setup();
    const reply = await t.obs.observeAgent({ agentId: 'planner' }, () => t.client.messages.create(params));
    expect(reply.content[0]).toEqual({ type: 'text', text: 'Sunny' });
    expect(reply._request_id).toBe('req_1');

    const spans = await t.spans();
    const llm = spans.find((span) => span.attributes['gen_ai.operation.name'] === 'chat')!;
    const agent = spans.find((span) => span.name === 'agent.execute')!;
    expect(llm.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(llm.spanContext().traceId).toBe(agent.spanContext().traceId);
    expect(llm.attributes).toMatchObject({
      status: 'success',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': MODEL,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.stream': false,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.id': 'msg_1',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 5100,
      'gen_ai.usage.output_tokens': 50,
    });

    const families = await t.metrics();
    const tokens = (token_type: string) =>
      sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type });
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    expect(tokens('prompt')).toBe(5100);
    expect(tokens('cache_read')).toBe(4000);
    expect(tokens('cache_write')).toBe(1000);
    expect(tokens('completion')).toBe(50);
    expect(tokens('total')).toBe(5150);
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(
      cost(100, 4000, 1000, 50),
      12,
    );
    // A cache write is dearer than plain input, a cache read cheaper.
    expect(cost(0, 0, 1, 0)).toBeGreaterThan(cost(1, 0, 0, 0));
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({
      status: 'success',
      tokens_used: 5150,
      provider: 'anthropic',
      model: MODEL,
    });
    expect(finish.span_id).toBe(llm.spanContext().spanId);
  });

  it('returns the SDK APIPromise: .withResponse() gives { data, response, request_id }', async () => {
    const t = await setup();
    const call = t.client.messages.create(params);
    expect(typeof call.withResponse).toBe('function');
    const { data, response, request_id } = await call.withResponse();
    expect(data.stop_reason).toBe('end_turn');
    expect(response.status).toBe(200);
    expect(request_id).toBe('req_1');
    const [llm] = await t.spans();
    expect(llm!.attributes['gen_ai.usage.output_tokens']).toBe(50);
  });

  it('records a stream for as long as it lasts, with the usage of its events and time to first token', async () => {
    const t = await setup();
    const started = performance.now();
    const stream = await t.obs.observeAgent({ agentId: 'planner' }, () =>
      t.client.messages.create({ ...params, stream: true }),
    );
    let text = '';
    for await (const event of stream)
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
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
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 175,
      'gen_ai.usage.output_tokens': 15,
    });
    expect(llm.attributes['gen_ai.response.time_to_first_chunk'] as number).toBeGreaterThanOrEqual(0.045);

    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'total' })).toBe(190);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'cache_read' })).toBe(
      100,
    );
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(cost(25, 100, 50, 15), 12);
    expect(sampleValue(families, `${STREAM_METRICS.llmTimeToFirstTokenSeconds.name}_count`, LABELS)).toBe(1);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ status: 'success', tokens_used: 190 });
    expect(finish.duration as number).toBeGreaterThanOrEqual(0.245);
  });

  it('.withResponse() on a streamed call gives the observed Stream', async () => {
    const t = await setup();
    const { data: stream, response } = await t.client.messages
      .create({ ...params, stream: true })
      .withResponse();
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    let events = 0;
    for await (const _ of stream) events++;
    expect(events).toBeGreaterThan(5);
    const [llm] = await t.spans();
    expect(llm!.attributes).toMatchObject({ status: 'success', 'gen_ai.usage.output_tokens': 15 });
  });

  it('records an error event mid-stream with the API error type (overloaded_error), and rethrows the SDK error', async () => {
    const t = await setup();
    const stream = await t.client.messages.create({ ...params, model: FAILS_MIDWAY, stream: true });
    const error = await (async () => {
      for await (const _ of stream) {
        // read on until it fails
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as { code?: unknown }).code).toBeUndefined();
    const llm = await failedChatSpan(t);
    expect(llm.attributes).toMatchObject({ status: 'error', 'error.type': 'overloaded_error' });
    const families = await t.metrics();
    expect(
      sampleValue(families, GEN_AI_METRICS.clientOperationDurationSeconds.name, {
        error_type: 'overloaded_error',
      }),
    ).toBe(1);
    const failure = t.logs().find((line) => line.message === 'LLM request failed')!;
    expect(failure).toMatchObject({ status: 'error', error_type: 'overloaded_error' });
  });

  it('records a stream left early (break) as cancelled', async () => {
    const t = await setup();
    const stream = await t.client.messages.create({ ...params, stream: true });
    for await (const event of stream)
      if (
        event.type === 'content_block_delta' &&
        event.delta.type === 'text_delta' &&
        event.delta.text === 'bon'
      )
        break;
    const [llm] = await t.spans();
    expect(llm!.attributes.status).toBe('cancelled');
    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'cancelled' })).toBe(1);
  });

  it('records a stream aborted midway (controller.abort()) as cancelled', async () => {
    const t = await setup();
    const stream = await t.client.messages.create({ ...params, stream: true });
    let seen = '';
    for await (const event of stream)
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        seen += event.delta.text;
        if (seen === 'Lisbon') stream.controller.abort();
      }
    expect(seen).toBe('Lisbon'); // the SDK swallows its own abort and ends the loop without an error
    const [llm] = await t.spans();
    expect(llm!.attributes.status).toBe('cancelled');
  });

  it.each([
    {
      model: 'rate-limited',
      status: 429,
      errorClass: Anthropic.RateLimitError,
      errorType: 'rate_limit_error',
    },
    {
      model: 'overloaded',
      status: 529,
      errorClass: Anthropic.OverloadedError,
      errorType: 'overloaded_error',
    },
    { model: 'broken', status: 500, errorClass: Anthropic.InternalServerError, errorType: 'api_error' },
  ])('records a $status as an error ($errorType), and the SDK error reaches the caller', async (c) => {
    const t = await setup();
    const error = await t.client.messages.create({ ...params, model: c.model }).catch((e) => e);
    expect(error).toBeInstanceOf(c.errorClass);
    expect(error.status).toBe(c.status);
    expect(error.code).toBeUndefined(); // the caller's error is the SDK's own, untouched
    const [llm] = await t.spans();
    expect(llm!.attributes.status).toBe('error');
    expect(llm!.attributes['error.type']).toBe(c.errorType);
    const families = await t.metrics();
    expect(
      sampleValue(families, 'genxai_llm_requests_total', {
        provider: 'anthropic',
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

  it('records a connection failure by its class name', async () => {
    const t = await setup();
    const client = instrumentAnthropic(
      new Anthropic({ apiKey: 'sk-ant-test', baseURL: 'http://127.0.0.1:1', maxRetries: 0 }),
      t.obs,
    );
    const error = await client.messages.create(params).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.APIConnectionError);
    const [llm] = await t.spans();
    expect(llm!.attributes['error.type']).toBe('APIConnectionError');
  });

  it('a failed call nobody awaits is recorded, with no unhandled rejection of ours', async () => {
    const t = await setup();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      void t.client.messages.create({ ...params, model: 'broken' });
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
    const twice = instrumentAnthropic(t.client, t.obs);
    await twice.messages.create(params);
    expect(await t.spans()).toHaveLength(1);
  });

  it('still makes the call when the observer itself throws', async () => {
    const broken = {
      observeLLM: () => {
        throw new Error('telemetry down');
      },
    };
    const client = instrumentAnthropic(newClient(), broken);
    const reply = await client.messages.create(params);
    expect(reply.content[0]).toEqual({ type: 'text', text: 'Sunny' });
  });

  it('passes other members through, bound to the real client', async () => {
    const t = await setup();
    expect(t.client.baseURL).toBe(baseURL);
    expect(t.client.messages.create).toBe(t.client.messages.create);
    expect(t.client.messages.stream).toBe(t.client.messages.stream);
    expect(t.client.messages).toBe(t.client.messages);
    const count = await t.client.messages.countTokens(params).catch((error) => error);
    expect(count).toBeInstanceOf(Anthropic.NotFoundError); // the test server has no such route
    expect(await t.spans()).toHaveLength(0);
    expect(() => instrumentAnthropic(null as never, t.obs)).toThrow(/Anthropic client instance/);
  });
});

const chatSpans = (spans: readonly ReadableSpan[]) =>
  spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');

/** The one `llm.generate` span: a second one would mean the `create` inside the helper was recorded too. */
async function onlyChatSpan(t: Awaited<ReturnType<typeof setup>>): Promise<ReadableSpan> {
  const chat = chatSpans(await t.spans());
  expect(chat).toHaveLength(1);
  return chat[0]!;
}

/**
 * The one `llm.generate` span of a failed stream. A failure is recorded a few microtasks after the
 * SDK reports it (its error is read from `done()` once the stream has ended), so it is waited for.
 */
async function failedChatSpan(t: Awaited<ReturnType<typeof setup>>): Promise<ReadableSpan> {
  await vi.waitFor(async () => expect(chatSpans(await t.spans()).length).toBeGreaterThan(0), {
    timeout: 1000,
    interval: 5,
  });
  return onlyChatSpan(t);
}

/**
 * The unhandled rejections while `run` runs, and a little after. Vitest's own listeners (which
 * would fail the run) are set aside meanwhile, then put back.
 */
async function unhandledRejections(run: () => Promise<void>): Promise<unknown[]> {
  const reasons: unknown[] = [];
  const vitestListeners = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  const listener = (reason: unknown) => void reasons.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await sleep(30);
  } finally {
    process.off('unhandledRejection', listener);
    for (const other of vitestListeners) process.on('unhandledRejection', other);
  }
  return reasons;
}

describe('instrumentAnthropic: messages.stream()', () => {
  it('returns the SDK MessageStream itself, all its members working', async () => {
    const t = await setup();
    const stream = t.client.messages.stream(params);
    const plain = newClient().messages.stream(params);
    expect(stream).toBeInstanceOf(MessageStream);
    expect(Object.getPrototypeOf(stream)).toBe(MessageStream.prototype);
    // Nothing of ours on it: the same own members as a stream of an unwrapped client.
    expect(Reflect.ownKeys(stream)).toEqual(Reflect.ownKeys(plain));
    expect(stream.messages).toEqual(messages);
    const { data, response, request_id } = await stream.withResponse();
    expect(data).toBe(stream);
    expect(response.status).toBe(200);
    expect(request_id).toBe('req_2');
    expect(stream.request_id).toBe('req_2');
    const message = await stream.finalMessage();
    expect(message).toMatchObject({ id: 'msg_2', stop_reason: 'end_turn', usage: { output_tokens: 15 } });
    expect(await stream.finalText()).toBe('Lisbon is sunny');
    expect(stream.receivedMessages).toEqual([message]);
    expect([stream.ended, stream.errored, stream.aborted]).toEqual([true, false, false]);
    expect(await plain.finalText()).toBe('Lisbon is sunny');
    expect((await onlyChatSpan(t)).attributes.status).toBe('success');
  });

  it('records a stream read with for await: one llm.generate span under the agent span, every event to the user', async () => {
    const t = await setup();
    let text = '';
    const types: string[] = [];
    await t.obs.observeAgent({ agentId: 'planner' }, async () => {
      for await (const event of t.client.messages.stream(params)) {
        types.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          text += event.delta.text;
      }
    });
    expect(text).toBe('Lisbon is sunny');
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      ...Array(4).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);

    const llm = await onlyChatSpan(t);
    const agent = (await t.spans()).find((span) => span.name === 'agent.execute')!;
    expect(llm.name).toBe('llm.generate');
    expect(llm.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(llm.spanContext().traceId).toBe(agent.spanContext().traceId);
    expect(llm.attributes).toMatchObject({
      status: 'success',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': MODEL,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.stream': true,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.id': 'msg_2',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 175,
      'gen_ai.usage.output_tokens': 15,
    });
    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ status: 'success', tokens_used: 190, agent_id: 'planner' });
    expect(finish.span_id).toBe(llm.spanContext().spanId);
  });

  it('records a stream read only through its events and finalMessage(): tokens with cache reads and writes, cost, the finish line', async () => {
    const t = await setup();
    const stream = t.client.messages.stream(params);
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const message = await stream.finalMessage();
    expect(text).toBe('Lisbon is sunny');
    expect(message.usage).toMatchObject({ input_tokens: 25, output_tokens: 15 });

    const llm = await onlyChatSpan(t);
    expect(llm.attributes).toMatchObject({
      status: 'success',
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.usage.input_tokens': 175, // 25 + 100 cache reads + 50 cache writes
      'gen_ai.usage.output_tokens': 15,
    });
    const families = await t.metrics();
    const tokens = (token_type: string) =>
      sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type });
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    expect(tokens('prompt')).toBe(175);
    expect(tokens('cache_read')).toBe(100);
    expect(tokens('cache_write')).toBe(50);
    expect(tokens('completion')).toBe(15);
    expect(tokens('total')).toBe(190);
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(cost(25, 100, 50, 15), 12);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({
      status: 'success',
      provider: 'anthropic',
      model: MODEL,
      tokens_used: 190,
      input_tokens: 175,
      output_tokens: 15,
      cached_tokens: 100,
      response_model: RESPONSE_MODEL,
    });
    expect(finish.cost_usd as number).toBeCloseTo(cost(25, 100, 50, 15), 12);
    expect(finish.span_id).toBe(llm.spanContext().spanId);
  });

  it.each([
    { how: 'done()', run: (stream: MessageStream) => stream.done() },
    { how: 'finalText()', run: (stream: MessageStream) => stream.finalText() },
  ])('records a stream awaited only through $how', async ({ run }) => {
    const t = await setup();
    await run(t.client.messages.stream(params));
    const llm = await onlyChatSpan(t);
    expect(llm.attributes).toMatchObject({ status: 'success', 'gen_ai.usage.output_tokens': 15 });
    const families = await t.metrics();
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'total' })).toBe(190);
  });

  it('records a stream read through toReadableStream(), as a frontend would', async () => {
    const t = await setup();
    const relayed = MessageStream.fromReadableStream(t.client.messages.stream(params).toReadableStream());
    expect(await relayed.finalText()).toBe('Lisbon is sunny');
    const llm = await onlyChatSpan(t);
    expect(llm.attributes).toMatchObject({ status: 'success', 'gen_ai.usage.output_tokens': 15 });
  });

  it('records the time to first token: the histogram and gen_ai.response.time_to_first_chunk', async () => {
    const t = await setup();
    const started = performance.now();
    let firstTextMs: number | undefined;
    const stream = t.client.messages.stream(params);
    stream.once('text', () => {
      firstTextMs = performance.now() - started;
    });
    await stream.done();
    const llm = await onlyChatSpan(t);
    // The server sends the first text 50 ms after the headers.
    const timeToFirst = llm.attributes['gen_ai.response.time_to_first_chunk'] as number;
    expect(timeToFirst).toBeGreaterThanOrEqual(0.045);
    expect(timeToFirst * 1000).toBeLessThanOrEqual(firstTextMs! + 5);
    expect(timeToFirst * 1000).toBeLessThan(ms(llm.duration));
    const families = await t.metrics();
    const histogram = STREAM_METRICS.llmTimeToFirstTokenSeconds.name;
    expect(sampleValue(families, `${histogram}_count`, LABELS)).toBe(1);
    expect(sampleValue(families, `${histogram}_sum`, LABELS)).toBeGreaterThanOrEqual(0.045);
    expect(sampleValue(families, `${histogram}_sum`, LABELS)! * 1000).toBeLessThanOrEqual(firstTextMs! + 5);
  });

  it('lasts as long as the stream: the span ends when the stream does, not when it is handed over', async () => {
    const t = await setup();
    const started = performance.now();
    const stream = t.client.messages.stream(params);
    const handedOverMs = performance.now() - started;
    await stream.finalMessage();
    const wallMs = performance.now() - started;
    const llm = await onlyChatSpan(t);
    // Handed over at once (not buffered), and the span lasts the stream, ending by the time the user's await
    // resumes. Bounds relative to the test's own clock, so a loaded machine cannot break them.
    expect(handedOverMs).toBeLessThan(wallMs / 2);
    expect(wallMs).toBeGreaterThanOrEqual(245); // five gaps of 50 ms on the server
    expect(ms(llm.duration)).toBeGreaterThanOrEqual(245);
    expect(ms(llm.duration)).toBeLessThanOrEqual(wallMs + 1);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish.duration as number).toBeGreaterThanOrEqual(0.245);
    // Recorded by the time the user's await resumed: a flush right after finalMessage() has it.
    expect(
      sampleValue(await t.metrics(), `${METRICS.llmRequestDurationSeconds.name}_sum`, LABELS),
    ).toBeGreaterThanOrEqual(0.245);
  });

  it.each([
    { how: 'done()', run: (stream: MessageStream) => stream.done() },
    { how: 'finalMessage()', run: (stream: MessageStream) => stream.finalMessage() },
    {
      how: 'for await',
      run: async (stream: MessageStream) => {
        for await (const _ of stream);
      },
    },
  ])('is recorded by the time $how resumes the caller (a flush right after has it)', async ({ run }) => {
    const t = await setup();
    await run(t.client.messages.stream(params));
    // Read at once, with no await in between: the finish line is written when the request is recorded.
    const finish = t.logs().find((line) => line.message === 'LLM request completed');
    expect(finish).toMatchObject({ status: 'success', tokens_used: 190 });
    const llm = await onlyChatSpan(t);
    expect(finish!.span_id).toBe(llm.spanContext().spanId);
  });

  it.each([
    {
      how: 'stream.abort()',
      start: (client: Anthropic) => {
        const stream = client.messages.stream(params);
        stream.on('text', (_, snapshot) => snapshot === 'Lisbon' && stream.abort());
        return stream.done().catch((error: unknown) => error);
      },
    },
    {
      how: "the user's AbortSignal",
      start: (client: Anthropic) => {
        const controller = new AbortController();
        const stream = client.messages.stream(params, { signal: controller.signal });
        stream.on('text', (_, snapshot) => snapshot === 'Lisbon' && controller.abort());
        return stream.finalMessage().catch((error: unknown) => error);
      },
    },
    {
      how: 'a break out of for await',
      start: async (client: Anthropic) => {
        const stream = client.messages.stream(params);
        let text = '';
        for await (const event of stream)
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
            text += event.delta.text;
            if (text === 'Lisbon') break;
          }
        return stream.done().catch((error: unknown) => error);
      },
    },
  ])('records a stream aborted midway by $how as cancelled', async ({ start }) => {
    const t = await setup();
    const started = performance.now();
    const outcome = await start(t.client);
    const wallMs = performance.now() - started;
    expect(outcome).toBeInstanceOf(Anthropic.APIUserAbortError); // what the SDK gives the user
    const llm = await onlyChatSpan(t);
    expect(llm.attributes.status).toBe('cancelled');
    expect(llm.attributes['error.type']).toBeUndefined();
    // Ended at the abort (after the second text delta, 100 ms in), not at the stream's natural end: the
    // user got the abort error at once, so a span still open until the natural end would outlast the wall time.
    expect(ms(llm.duration)).toBeGreaterThanOrEqual(95);
    expect(ms(llm.duration)).toBeLessThan(wallMs + 5);
    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'cancelled' })).toBe(1);
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(
      undefined,
    );
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish.status).toBe('cancelled');
  });

  it('records a stream aborted before its response arrives as cancelled, with no usage', async () => {
    const t = await setup();
    const stream = t.client.messages.stream(params);
    stream.abort();
    expect(await stream.done().catch((error: unknown) => error)).toBeInstanceOf(Anthropic.APIUserAbortError);
    const llm = await onlyChatSpan(t);
    expect(llm.attributes.status).toBe('cancelled');
    expect(llm.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'cancelled' })).toBe(1);
  });

  it.each([
    {
      model: 'rate-limited',
      status: 429,
      errorClass: Anthropic.RateLimitError,
      errorType: 'rate_limit_error',
    },
    { model: 'broken', status: 500, errorClass: Anthropic.InternalServerError, errorType: 'api_error' },
  ])('records a $status as an error ($errorType), and the SDK error reaches the caller', async (c) => {
    const t = await setup();
    const stream = t.client.messages.stream({ ...params, model: c.model });
    const heard: unknown[] = [];
    stream.on('error', (error) => heard.push(error));
    const error = await stream.finalMessage().catch((e) => e);
    expect(error).toBeInstanceOf(c.errorClass);
    expect(error.status).toBe(c.status);
    expect(error.code).toBeUndefined(); // the caller's error is the SDK's own, untouched
    expect(heard).toEqual([error]);
    const llm = await failedChatSpan(t);
    expect(llm.attributes).toMatchObject({
      status: 'error',
      'error.type': c.errorType,
      'gen_ai.request.model': c.model,
      'gen_ai.request.stream': true,
    });
    const families = await t.metrics();
    expect(
      sampleValue(families, 'genxai_llm_requests_total', {
        provider: 'anthropic',
        model: c.model,
        status: 'error',
      }),
    ).toBe(1);
    expect(
      sampleValue(families, GEN_AI_METRICS.clientOperationDurationSeconds.name, { error_type: c.errorType }),
    ).toBe(1);
    const failure = t.logs().find((line) => line.message === 'LLM request failed')!;
    expect(failure).toMatchObject({ status: 'error', error_type: c.errorType, model: c.model });
    expect(failure.span_id).toBe(llm.spanContext().spanId);
  });

  it('records an error event mid-stream (overloaded_error) as an error, after the events before it', async () => {
    const t = await setup();
    const stream = t.client.messages.stream({ ...params, model: FAILS_MIDWAY });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const error = await stream.finalMessage().catch((e) => e);
    expect(text).toBe('Lis');
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.type).toBe('overloaded_error');
    expect(error.code).toBeUndefined();
    const llm = await failedChatSpan(t);
    expect(llm.attributes).toMatchObject({ status: 'error', 'error.type': 'overloaded_error' });
    // The stream had started: its first text was seen.
    expect(llm.attributes['gen_ai.response.time_to_first_chunk'] as number).toBeGreaterThanOrEqual(0.045);
    const families = await t.metrics();
    expect(
      sampleValue(families, GEN_AI_METRICS.clientOperationDurationSeconds.name, {
        error_type: 'overloaded_error',
      }),
    ).toBe(1);
    const failure = t.logs().find((line) => line.message === 'LLM request failed')!;
    expect(failure).toMatchObject({ status: 'error', error_type: 'overloaded_error' });
  });

  describe('leaves the SDK deciding what an unhandled failure is', () => {
    // How the user treats the stream; `settled` is true once the SDK is done with it.
    const uses = {
      'ignores it': (stream: MessageStream) => {
        void stream;
      },
      "listens to 'error' and 'abort'": (stream: MessageStream) => {
        stream.on('error', () => {});
        stream.on('abort', () => {});
      },
      'awaits finalMessage() and catches': (stream: MessageStream) => {
        void stream.finalMessage().catch(() => {});
      },
      'only listens to text': (stream: MessageStream) => {
        stream.on('text', () => {});
      },
    };
    const failures = {
      'a 500': { model: 'broken', abort: false },
      'an error event mid-stream': { model: FAILS_MIDWAY, abort: false },
      'an abort midway': { model: MODEL, abort: true },
    };
    const cases = Object.entries(failures).flatMap(([failure, how]) =>
      Object.keys(uses).map((use) => ({ failure, use, ...how })),
    );

    it.each(cases)('$failure, when the user $use', async ({ model, abort, use }) => {
      const t = await setup();
      const run = (client: Anthropic) =>
        unhandledRejections(async () => {
          const stream = client.messages.stream({ ...params, model });
          // `connect` has no bearing on failures; the abort comes after the first text.
          if (abort) stream.on('connect', () => setTimeout(() => stream.abort(), 75));
          uses[use as keyof typeof uses](stream);
          await vi.waitFor(() => expect(stream.ended).toBe(true), { timeout: 2000, interval: 5 });
        });
      const without = await run(newClient());
      const observed = await run(t.client);
      // Exactly as many unhandled rejections, of the same errors, with the observation as without.
      expect(observed.map((reason) => reason?.constructor)).toEqual(
        without.map((reason) => reason?.constructor),
      );
      expect(without.length).toBe(use === 'ignores it' || use === 'only listens to text' ? 1 : 0);
      // And the stream was observed all the same.
      const llm = await failedChatSpan(t);
      expect(llm.attributes.status).toBe(abort ? 'cancelled' : 'error');
    });
  });

  it('records a stream once when the client is wrapped twice', async () => {
    const t = await setup();
    const twice = instrumentAnthropic(t.client, t.obs);
    expect(await twice.messages.stream(params).finalText()).toBe('Lisbon is sunny');
    expect((await onlyChatSpan(t)).attributes.status).toBe('success');
  });

  it('still streams when the observer throws', async () => {
    const calls: unknown[] = [];
    const broken = {
      observeLLM: (info: unknown) => {
        calls.push(info);
        throw new Error('telemetry down');
      },
    };
    const stream = instrumentAnthropic(newClient(), broken).messages.stream(params);
    expect(calls).toEqual([
      { provider: 'anthropic', model: MODEL, request: params, stream: true, operationName: 'chat' },
    ]);
    expect(stream).toBeInstanceOf(MessageStream);
    expect(await stream.finalText()).toBe('Lisbon is sunny');
  });

  it('still streams, and reports once, when recording fails', async () => {
    const warnings: { code: string; message: string }[] = [];
    const exporter = new KeepingExporter<ReadableSpan>();
    const obs = await setupObservability({
      serviceName: 'anthropic-test',
      metrics: { registry: createMetricsRegistry() },
      tracing: { exporter },
      logging: {
        level: 'debug',
        destination: {
          write: () => {
            throw new Error('log destination down');
          },
        },
      },
      onWarning: (warning) => void warnings.push(warning),
    });
    const client = instrumentAnthropic(newClient(), obs);
    for (let i = 0; i < 2; i++)
      expect(await client.messages.stream(params).finalText()).toBe('Lisbon is sunny');
    await obs.tracing?.forceFlush();
    expect(chatSpans(exporter.spans)).toHaveLength(2);
    // Four lines failed to be written (start and finish of each stream): reported once.
    expect(warnings).toEqual([
      { code: 'GENXAI_LOG_FAILED', message: expect.stringContaining('log destination down') },
    ]);
  });

  it('passes a synchronous SDK error through untouched, and records it', async () => {
    const t = await setup();
    const bad = { ...params, messages: 42 } as never;
    let thrown: unknown;
    try {
      t.client.messages.stream(bad);
    } catch (error) {
      thrown = error;
    }
    let plain: unknown;
    try {
      newClient().messages.stream(bad);
    } catch (error) {
      plain = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).constructor).toBe((plain as Error).constructor);
    expect((await failedChatSpan(t)).attributes).toMatchObject({
      status: 'error',
      'error.type': 'TypeError',
    });
  });
});
