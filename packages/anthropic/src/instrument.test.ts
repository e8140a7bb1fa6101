// A real `@anthropic-ai/sdk` client against a local server speaking the Anthropic Messages wire
// format, observed end to end: spans, /metrics and the JSON log lines.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
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
        cache_creation_input_tokens: 0,
        output_tokens: 1,
      },
    },
  });
  send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  send({ type: 'ping' });
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
      'gen_ai.usage.input_tokens': 125,
      'gen_ai.usage.output_tokens': 15,
    });
    expect(llm.attributes['gen_ai.response.time_to_first_chunk'] as number).toBeGreaterThanOrEqual(0.045);

    const families = await t.metrics();
    expect(sampleValue(families, 'genxai_llm_requests_total', { ...LABELS, status: 'success' })).toBe(1);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'total' })).toBe(140);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...LABELS, token_type: 'cache_read' })).toBe(
      100,
    );
    expect(sampleValue(families, METRICS.llmCostTotal.name, LABELS)).toBeCloseTo(cost(25, 100, 0, 15), 12);
    expect(sampleValue(families, `${STREAM_METRICS.llmTimeToFirstTokenSeconds.name}_count`, LABELS)).toBe(1);
    const finish = t.logs().find((line) => line.message === 'LLM request completed')!;
    expect(finish).toMatchObject({ status: 'success', tokens_used: 140 });
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

  it('passes other members through, bound to the real client; messages.stream() is not observed', async () => {
    const t = await setup();
    expect(t.client.baseURL).toBe(baseURL);
    expect(t.client.messages.create).toBe(t.client.messages.create);
    const text = await t.client.messages.stream(params).finalText();
    expect(text).toBe('Lisbon is sunny');
    expect(await t.spans()).toHaveLength(0);
    expect(() => instrumentAnthropic(null as never, t.obs)).toThrow(/Anthropic client instance/);
  });
});
