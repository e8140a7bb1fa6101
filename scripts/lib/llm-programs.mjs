// The LLM SDK programs the smoke tests run in their npm projects (scripts/pack-smoke.test.mjs on Node 20,
// scripts/node24/sdk3.test.mjs on Node 24), and the checks on what they print. Each program starts a node:http
// server on 127.0.0.1:0 that speaks the provider's wire format (JSON, and SSE for a stream), points the real SDK
// at it through our instrumentation, makes its calls inside `obs.observeAgent`, and prints one JSON line last:
// what the calls returned, what the server was asked, the spans (with their ids) and the /metrics text. The MCP
// program (scripts/mcp-smoke.test.mjs, scripts/node24/mcp-sdk3.test.mjs) links its client and server in memory
// instead.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { assertMajors, assertSdkLine, lastJsonLine, moduleFormats, runIn } from './smoke.mjs';

// --- shared by every program ----------------------------------------------------------------------------------

/** What every program loads besides its SDK and our wrapper of it. */
const OBSERVABILITY_IMPORTS = {
  '@genxai/metrics': ['createMetricsRegistry', 'renderMetrics'],
  '@genxai/observability': ['setupObservability'],
};

// `smokeRun(serviceName, wire, calls)`: serves `wire(url, body, response)`, runs `calls({ obs, baseURL })` and
// prints `{ values, requests, spans, metrics }`. The exporter keeps every span with its ids and kind, for the
// nesting. A program that makes no HTTP call passes `null` for `wire`.
const HARNESS = `
async function smokeRun(serviceName, wire, calls) {
  const { createServer } = await import('node:http');
  const requests = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (part) => (raw += part));
    request.on('end', () => {
      const body = JSON.parse(raw || '{}');
      requests.push({ url: request.url, model: body.model, stream: body.stream === true, streamOptions: body.stream_options, tools: Array.isArray(body.tools) ? body.tools.length : 0 });
      Promise.resolve(wire(request.url, body, response)).catch((error) => {
        console.error(error);
        response.destroy();
      });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const spans = [];
  const exporter = {
    export(batch, done) {
      for (const span of batch) {
        const context = span.spanContext();
        spans.push({ name: span.name, kind: span.kind, traceId: context.traceId, spanId: context.spanId, parentSpanId: span.parentSpanContext?.spanId, attributes: span.attributes });
      }
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  const registry = createMetricsRegistry();
  const obs = await setupObservability({ serviceName, metrics: { registry }, tracing: { exporter }, logging: false });
  const values = await obs.observeAgent({ agentId: 'smoke-agent' }, () => calls({ obs, baseURL: 'http://127.0.0.1:' + server.address().port }));
  await obs.shutdown();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const { body } = await renderMetrics(registry);
  process.stdout.write(JSON.stringify({ values, requests, spans, metrics: body }) + '\\n');
}
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
`;

// --- the OpenAI wire format (the openai SDK, and the AI SDK's OpenAI provider) -----------------------------------

const OPENAI_RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';

/**
 * Chat completions (JSON; SSE ending in an include_usage chunk; a tool call when tools are offered and not yet
 * answered), the Responses API (JSON) and embeddings (floats, or base64 as the openai SDK asks by default).
 * Chat usage: plain 10 (4 cached) + 2 (1 reasoning), streamed 12 + 4; Responses 7 + 3; embeddings 5.
 */
const OPENAI_WIRE = `
async function openAiWire(url, body, response) {
  const json = (value) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  if (url === '/v1/embeddings') {
    const vector = [0.5, 0.25];
    const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return json({ object: 'list', model: body.model, data: [{ object: 'embedding', index: 0, embedding }], usage: { prompt_tokens: 5, total_tokens: 5 } });
  }
  if (url === '/v1/responses') {
    return json({ id: 'resp_smoke', object: 'response', created_at: 1, status: 'completed', model: '${OPENAI_RESPONSE_MODEL}',
      output: [{ type: 'message', id: 'msg_smoke', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Lisbon', annotations: [] }] }],
      usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } } });
  }
  if (url !== '/v1/chat/completions') return response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no route"}}');
  if (body.stream) {
    const chunk = (delta, finish = null) => ({ id: 'chatcmpl-stream', object: 'chat.completion.chunk', created: 1, model: '${OPENAI_RESPONSE_MODEL}', choices: [{ index: 0, delta, finish_reason: finish }] });
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (event) => response.write('data: ' + JSON.stringify(event) + '\\n\\n');
    await pause(20);
    send(chunk({ role: 'assistant', content: 'Lis' }));
    await pause(20);
    send(chunk({ content: 'bon' }));
    send(chunk({}, 'stop'));
    if (body.stream_options?.include_usage) send({ ...chunk({}), choices: [], usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } });
    return response.end('data: [DONE]\\n\\n');
  }
  const answered = body.messages.some((message) => message.role === 'tool');
  const wantsTool = Array.isArray(body.tools) && body.tools.length > 0 && !answered;
  const message = wantsTool
    ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'weather', arguments: '{"city":"Lisbon"}' } }] }
    : { role: 'assistant', content: answered ? 'Lisbon is sunny' : 'Lisbon' };
  return json({ id: wantsTool ? 'chatcmpl-tool' : answered ? 'chatcmpl-after-tool' : 'chatcmpl-plain', object: 'chat.completion', created: 1, model: '${OPENAI_RESPONSE_MODEL}',
    choices: [{ index: 0, finish_reason: wantsTool ? 'tool_calls' : 'stop', message }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 1 } } });
}
`;

/** What the OpenAI program loads. */
const OPENAI_IMPORTS = {
  openai: ['OpenAI'],
  '@genxai/openai': ['instrumentOpenAI'],
  ...OBSERVABILITY_IMPORTS,
};

/**
 * `instrumentOpenAI(new OpenAI({ baseURL }), obs)`: chat.completions.create plain (through `.withResponse()`)
 * and streamed with include_usage, responses.create and embeddings.create (the SDK's default base64 path).
 */
const openAiProgram = (load) => `${load}
${HARNESS}
${OPENAI_WIRE}
smokeRun('smoke-openai', openAiWire, async ({ obs, baseURL }) => {
  const client = instrumentOpenAI(new OpenAI({ apiKey: 'test', baseURL: baseURL + '/v1', maxRetries: 0 }), obs);
  const messages = [{ role: 'user', content: 'Where?' }];
  const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
  let streamed = '';
  for await (const part of stream) streamed += part.choices[0]?.delta?.content ?? '';
  const answer = await client.responses.create({ model: 'gpt-4o-mini', input: 'Where?' });
  const embedding = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'Lisbon' });
  return { plain: data.choices[0].message.content, status: response.status, streamed, responseText: answer.output_text, embedding: Array.from(embedding.data[0].embedding) };
});
`;

/** Checks the OpenAI program's output: values, one span per call under the agent span, and the metrics. */
function assertOpenAiRun({ stdout, stderr }) {
  assertOnlyWarnings(stderr, [/GENXAI_METRICS_UNKNOWN_MODEL.*"text-embedding-3-small"/]);
  const result = lastJsonLine(stdout);
  assert.deepEqual(result.values, {
    plain: 'Lisbon',
    status: 200,
    streamed: 'Lisbon',
    responseText: 'Lisbon',
    embedding: [0.5, 0.25],
  });
  const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' };
  const answered = { ...chat, 'gen_ai.response.model': OPENAI_RESPONSE_MODEL };
  assertLlmSpans(result, 'openai', [
    {
      ...answered,
      'gen_ai.request.stream': false,
      'gen_ai.response.id': 'chatcmpl-plain',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.output_tokens': 2,
    },
    {
      ...answered,
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'chatcmpl-stream',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
    },
    {
      ...answered,
      'gen_ai.request.stream': false,
      'gen_ai.response.id': 'resp_smoke',
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 3,
    },
    {
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 0,
    },
  ]);
  const labels = { provider: 'openai', model: 'gpt-4o-mini' };
  assertSamples(result.metrics, [
    ['genxai_llm_tokens_total', { ...labels, token_type: 'prompt' }, 10 + 12 + 7],
    ['genxai_llm_tokens_total', { ...labels, token_type: 'completion' }, 2 + 4 + 3],
    ['genxai_llm_tokens_total', { ...labels, token_type: 'cache_read' }, 4],
    ['genxai_llm_tokens_total', { ...labels, token_type: 'reasoning' }, 1],
    [
      'genxai_llm_tokens_total',
      { provider: 'openai', model: 'text-embedding-3-small', token_type: 'prompt' },
      5,
    ],
    ['genxai_llm_time_to_first_token_seconds_count', labels, 1],
    ['genxai_llm_requests_total', { ...labels, agent_id: 'smoke-agent', status: 'success' }, 3],
  ]);
}

// --- the Anthropic wire format ------------------------------------------------------------------------------------

const ANTHROPIC_RESPONSE_MODEL = 'claude-sonnet-4-5-20250929';

/**
 * Messages: JSON (10 input tokens, 20 more read from the prompt cache, 2 output), and the SSE events
 * message_start (12 input) … content_block_delta … message_delta (4 output, cumulative) … message_stop.
 */
const ANTHROPIC_WIRE = `
async function anthropicWire(url, body, response) {
  if (url !== '/v1/messages') return response.writeHead(404, { 'content-type': 'application/json' }).end('{"type":"error","error":{"type":"not_found_error","message":"no route"}}');
  if (!body.stream) {
    return response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_plain' }).end(JSON.stringify({
      id: 'msg_plain', type: 'message', role: 'assistant', model: '${ANTHROPIC_RESPONSE_MODEL}',
      content: [{ type: 'text', text: 'Lisbon' }], stop_reason: 'end_turn', stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 20, cache_creation_input_tokens: 0 },
    }));
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_stream' });
  const send = (event) => response.write('event: ' + event.type + '\\ndata: ' + JSON.stringify(event) + '\\n\\n');
  send({ type: 'message_start', message: { id: 'msg_stream', type: 'message', role: 'assistant', model: '${ANTHROPIC_RESPONSE_MODEL}', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } });
  send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  await pause(20);
  send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Lis' } });
  await pause(20);
  send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'bon' } });
  send({ type: 'content_block_stop', index: 0 });
  send({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } });
  send({ type: 'message_stop' });
  response.end();
}
`;

/** What the Anthropic program loads. */
const ANTHROPIC_IMPORTS = {
  '@anthropic-ai/sdk': ['Anthropic'],
  '@genxai/anthropic': ['instrumentAnthropic'],
  ...OBSERVABILITY_IMPORTS,
};

/**
 * `instrumentAnthropic(new Anthropic({ baseURL }), obs)`: messages.create plain (`.withResponse()`) and `stream: true`,
 * and the `messages.stream()` helper read through its events and `finalMessage()` only.
 */
const anthropicProgram = (load) => `${load}
${HARNESS}
${ANTHROPIC_WIRE}
smokeRun('smoke-anthropic', anthropicWire, async ({ obs, baseURL }) => {
  const client = instrumentAnthropic(new Anthropic({ apiKey: 'test', baseURL, maxRetries: 0 }), obs);
  const params = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Where?' }] };
  const { data, response } = await client.messages.create(params).withResponse();
  const stream = await client.messages.create({ ...params, stream: true });
  const events = [];
  let streamed = '';
  for await (const event of stream) {
    events.push(event.type);
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') streamed += event.delta.text;
  }
  const helper = client.messages.stream({ ...params, max_tokens: 32 });
  let helperText = '';
  helper.on('text', (delta) => (helperText += delta));
  const final = await helper.finalMessage();
  return { plain: data.content[0].text, status: response.status, streamed, events, helperText, helperStop: final.stop_reason };
});
`;

/** Checks the Anthropic program's output: values, both spans under the agent span (cache reads counted in), metrics. */
function assertAnthropicRun({ stdout, stderr }) {
  assertOnlyWarnings(stderr, []);
  const result = lastJsonLine(stdout);
  assert.deepEqual(result.values, {
    plain: 'Lisbon',
    status: 200,
    streamed: 'Lisbon',
    events: [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ],
    helperText: 'Lisbon',
    helperStop: 'end_turn',
  });
  const answered = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'gen_ai.response.model': ANTHROPIC_RESPONSE_MODEL,
    'gen_ai.response.finish_reasons': ['end_turn'],
  };
  assertLlmSpans(result, 'anthropic', [
    {
      ...answered,
      'gen_ai.request.stream': false,
      'gen_ai.response.id': 'msg_plain',
      // The convention counts cache reads inside the input; Anthropic counts them outside.
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.cache_read.input_tokens': 20,
      'gen_ai.usage.output_tokens': 2,
    },
    {
      ...answered,
      'gen_ai.request.stream': true,
      'gen_ai.request.max_tokens': 64,
      'gen_ai.response.id': 'msg_stream',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
    },
    // messages.stream(): one span, though the helper calls messages.create inside.
    {
      ...answered,
      'gen_ai.request.stream': true,
      'gen_ai.request.max_tokens': 32,
      'gen_ai.response.id': 'msg_stream',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
    },
  ]);
  const labels = { provider: 'anthropic', model: 'claude-sonnet-4-5' };
  assertSamples(result.metrics, [
    ['genxai_llm_tokens_total', { ...labels, token_type: 'prompt' }, 30 + 12 + 12],
    ['genxai_llm_tokens_total', { ...labels, token_type: 'cache_read' }, 20],
    ['genxai_llm_tokens_total', { ...labels, token_type: 'completion' }, 2 + 4 + 4],
    ['genxai_llm_time_to_first_token_seconds_count', labels, 2],
    ['genxai_llm_requests_total', { ...labels, agent_id: 'smoke-agent', status: 'success' }, 3],
  ]);
}

// --- the Vercel AI SDK with its OpenAI provider, over the OpenAI chat wire format --------------------------------

/** What the AI SDK program loads. */
const AI_SDK_IMPORTS = {
  ai: ['generateText', 'jsonSchema', 'stepCountIs', 'streamText', 'tool'],
  '@ai-sdk/openai': ['createOpenAI'],
  '@genxai/ai-sdk': ['instrumentModel', 'instrumentTools'],
  ...OBSERVABILITY_IMPORTS,
};

/**
 * `instrumentModel(createOpenAI({ baseURL }).chat('gpt-4o-mini'), obs)`: generateText, streamText, and a
 * generateText tool loop over `instrumentTools({ weather })` (two model calls, one tool execution).
 */
const aiSdkProgram = (load) => `${load}
${HARNESS}
${OPENAI_WIRE}
smokeRun('smoke-ai-sdk', openAiWire, async ({ obs, baseURL }) => {
  const model = instrumentModel(createOpenAI({ apiKey: 'test', baseURL: baseURL + '/v1' }).chat('gpt-4o-mini'), obs);
  const plain = await generateText({ model, prompt: 'Where?', maxRetries: 0 });
  const stream = streamText({ model, prompt: 'Where?', maxRetries: 0 });
  let streamed = '';
  for await (const piece of stream.textStream) streamed += piece;
  const streamUsage = await stream.usage;
  const tools = instrumentTools({
    weather: tool({
      description: 'The weather in a city',
      inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
      execute: async ({ city }) => city + ': 21°C',
    }),
  }, obs);
  const loop = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'Weather in Lisbon?', maxRetries: 0 });
  return {
    plain: plain.text,
    plainUsage: { input: plain.usage.inputTokens, output: plain.usage.outputTokens },
    streamed,
    streamUsage: { input: streamUsage.inputTokens, output: streamUsage.outputTokens },
    loop: { text: loop.text, steps: loop.steps.length, toolOutput: loop.steps[0].toolResults[0]?.output },
  };
});
`;

/** Checks the AI SDK program's output: four model calls and one tool execution under the agent span, and the metrics. */
function assertAiSdkRun({ stdout, stderr }) {
  assertOnlyWarnings(stderr, []);
  const result = lastJsonLine(stdout);
  assert.deepEqual(result.values, {
    plain: 'Lisbon',
    plainUsage: { input: 10, output: 2 },
    streamed: 'Lisbon',
    streamUsage: { input: 12, output: 4 },
    loop: { text: 'Lisbon is sunny', steps: 2, toolOutput: 'Lisbon: 21°C' },
  });
  const streamRequest = result.requests.find((request) => request.stream);
  assert.deepEqual(
    streamRequest?.streamOptions,
    { include_usage: true },
    '@ai-sdk/openai asks for the usage chunk',
  );
  const answered = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': OPENAI_RESPONSE_MODEL,
  };
  const { agent } = assertLlmSpans(result, 'openai', [
    {
      ...answered,
      'gen_ai.request.stream': false,
      'gen_ai.response.id': 'chatcmpl-plain',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.output_tokens': 2,
    },
    {
      ...answered,
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'chatcmpl-stream',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
    },
    {
      ...answered,
      'gen_ai.request.stream': false,
      'gen_ai.response.id': 'chatcmpl-tool',
      // The AI SDK's unified finish reason.
      'gen_ai.response.finish_reasons': ['tool-calls'],
      'llm.tool_calls.names': ['weather'],
      'llm.tool_calls.ids': ['call_w1'],
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.output_tokens': 2,
    },
    {
      ...answered,
      'gen_ai.request.stream': false,
      'gen_ai.response.id': 'chatcmpl-after-tool',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.output_tokens': 2,
    },
  ]);
  const tools = result.spans.filter((span) => span.name === 'tool.execute');
  assert.equal(tools.length, 1, `one tool.execute span, got ${JSON.stringify(tools)}`);
  assert.equal(tools[0].attributes['gen_ai.tool.name'], 'weather');
  assert.equal(tools[0].attributes['gen_ai.tool.call.id'], 'call_w1', "the model's call id");
  assert.equal(tools[0].traceId, agent.traceId);
  assert.equal(tools[0].parentSpanId, agent.spanId, 'the tool span is a child of the agent span');
  const labels = { provider: 'openai', model: 'gpt-4o-mini' };
  assertSamples(result.metrics, [
    ['genxai_llm_tokens_total', { ...labels, token_type: 'prompt' }, 10 + 12 + 10 + 10],
    ['genxai_llm_tokens_total', { ...labels, token_type: 'completion' }, 2 + 4 + 2 + 2],
    // The parts, read from the model's usage (`inputTokens.cacheRead`, `outputTokens.reasoning`).
    ['genxai_llm_tokens_total', { ...labels, token_type: 'cache_read' }, 4 * 3],
    ['genxai_llm_tokens_total', { ...labels, token_type: 'reasoning' }, 1 * 3],
    ['genxai_llm_time_to_first_token_seconds_count', labels, 1],
    ['genxai_llm_requests_total', { ...labels, agent_id: 'smoke-agent', status: 'success' }, 4],
    ['genxai_tool_calls_total', { tool_name: 'weather', agent_id: 'smoke-agent', status: 'success' }, 1],
  ]);
}

// --- the MCP SDK: an instrumented Client and McpServer in one process, over InMemoryTransport ------------------

/** What the MCP program loads. */
const MCP_IMPORTS = {
  '@modelcontextprotocol/sdk/client/index.js': ['Client'],
  '@modelcontextprotocol/sdk/server/mcp.js': ['McpServer'],
  '@modelcontextprotocol/sdk/inMemory.js': ['InMemoryTransport'],
  zod: ['z'],
  '@genxai/mcp': ['instrumentMcpClient', 'instrumentMcpServer'],
  ...OBSERVABILITY_IMPORTS,
};

/**
 * `instrumentMcpServer(new McpServer(...), obs)` with one tool and `instrumentMcpClient(new Client(...), obs)`,
 * linked by `InMemoryTransport.createLinkedPair()` (no HTTP wire), then one `callTool`. Both sides record into
 * the same `obs`: the packaging is what is under test here; packages/mcp's vitest suite runs them in two processes.
 */
const mcpProgram = (load) => `${load}
${HARNESS}
smokeRun('smoke-mcp', null, async ({ obs }) => {
  const server = instrumentMcpServer(new McpServer({ name: 'smoke-tools', version: '1.0.0' }), obs);
  server.registerTool('search', { description: 'Searches the docs', inputSchema: { q: z.string() } }, async ({ q }) => ({
    content: [{ type: 'text', text: '3 results for ' + q }],
  }));
  const client = instrumentMcpClient(new Client({ name: 'smoke-agent', version: '1.0.0' }), obs);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  const result = await client.callTool({ name: 'search', arguments: { q: 'otel' } });
  await client.close();
  return { content: result.content, isError: result.isError === true };
});
`;

/** `SpanKind` of @opentelemetry/api, as the exporter sees it on a finished span. */
const SPAN_KIND = { SERVER: 1, CLIENT: 2 };

/**
 * Checks the MCP program's output: the tool's result, a CLIENT `tools/call search` span under the agent span and a
 * SERVER one under it in the same trace (the context carried in `params._meta`), and both sides' metrics.
 */
function assertMcpRun({ stdout, stderr }) {
  assertOnlyWarnings(stderr, []);
  const result = lastJsonLine(stdout);
  assert.deepEqual(result.values, {
    content: [{ type: 'text', text: '3 results for otel' }],
    isError: false,
  });
  assert.deepEqual(result.requests, [], 'nothing went over HTTP');
  const agents = result.spans.filter((span) => span.name === 'agent.execute');
  assert.equal(agents.length, 1, `one agent.execute span, got ${describeSpans(result.spans)}`);
  const [agent] = agents;
  const calls = result.spans.filter((span) => span.name === 'tools/call search');
  const client = calls.filter((span) => span.kind === SPAN_KIND.CLIENT);
  const server = calls.filter((span) => span.kind === SPAN_KIND.SERVER);
  assert.equal(client.length, 1, `one CLIENT span tools/call search, got ${describeSpans(result.spans)}`);
  assert.equal(server.length, 1, `one SERVER span tools/call search, got ${describeSpans(result.spans)}`);
  assert.equal(calls.length, 2, `no other tools/call search span, got ${describeSpans(calls)}`);
  assert.equal(client[0].traceId, agent.traceId, 'the client span is in the agent trace');
  assert.equal(client[0].parentSpanId, agent.spanId, 'the client span is a child of the agent span');
  assert.equal(server[0].traceId, client[0].traceId, 'the server span is in the client trace');
  assert.equal(server[0].parentSpanId, client[0].spanId, 'the server span is a child of the client span');
  for (const span of [client[0], server[0]]) {
    assert.equal(span.attributes['mcp.method.name'], 'tools/call');
    assert.equal(span.attributes['gen_ai.tool.name'], 'search');
    assert.equal(span.attributes['gen_ai.operation.name'], 'execute_tool');
  }
  const samples = parseSamples(result.metrics);
  for (const side of ['client', 'server']) {
    const name = `mcp_${side}_operation_duration_seconds_count`;
    const found = samples.filter(
      (sample) => sample.name === name && sample.labels.mcp_method_name === 'tools/call',
    );
    assert.equal(found.length, 1, `one ${name} sample of tools/call in:\n${result.metrics}`);
    assert.equal(found[0].labels.gen_ai_tool_name, 'search');
    assert.equal(found[0].value, 1);
  }
  // Both sides count the call as a tool call, into the one registry they share here: the client's against the
  // calling agent, the server's against none.
  assertSamples(result.metrics, [
    ['genxai_tool_calls_total', { tool_name: 'search', agent_id: 'smoke-agent', status: 'success' }, 1],
    ['genxai_tool_calls_total', { tool_name: 'search', agent_id: '', status: 'success' }, 1],
  ]);
}

// --- one entry point for the tests ---------------------------------------------------------------------------

const SMOKES = {
  '@genxai/openai': {
    calls: 'chat completions (plain and streamed), a response and an embedding',
    imports: OPENAI_IMPORTS,
    program: openAiProgram,
    check: assertOpenAiRun,
  },
  '@genxai/anthropic': {
    calls: 'a plain and a streamed message and messages.stream()',
    imports: ANTHROPIC_IMPORTS,
    program: anthropicProgram,
    check: assertAnthropicRun,
  },
  '@genxai/ai-sdk': {
    calls: 'generateText, streamText and a tool loop with instrumentTools',
    imports: AI_SDK_IMPORTS,
    program: aiSdkProgram,
    check: assertAiSdkRun,
  },
  '@genxai/mcp': {
    calls: 'a tools/call over InMemoryTransport (the Client and the McpServer instrumented)',
    imports: MCP_IMPORTS,
    program: mcpProgram,
    check: assertMcpRun,
  },
};

/**
 * Declares (with node:test) the smoke tests of our LLM SDK packages in one lane. `sdks` maps each package to the
 * SDK majors it is installed beside, e.g. `{ '@genxai/ai-sdk': { ai: 7, '@ai-sdk/openai': 4 } }`; `spec(sdk, major)`
 * is what npm is asked for; `install(label, names, specs)` makes the project (and checks the install has no peer
 * trouble), with `@genxai/metrics` among `names` for the renderer. Each package's program runs from ESM and CJS.
 */
export function describeLlmSdkSmokes(sdks, { lane, spec, install, sdkLine, skip }) {
  for (const [name, majors] of Object.entries(sdks)) {
    const smoke = SMOKES[name];
    assert.ok(smoke, `no LLM smoke program for ${name}; there are ${Object.keys(SMOKES).join(', ')}`);
    const label = name.replace('@genxai/', '');
    const specs = Object.entries(majors).map(([sdk, major]) => spec(sdk, major));
    describe(`${name} from its tarball with ${specs.join(' + ')} (${lane})`, { skip }, () => {
      let project;
      before(async () => {
        project = await install(`llm-${label}`, [name, '@genxai/metrics'], specs);
      });

      const installed = Object.entries(majors).map(([sdk, major]) => `${sdk} ${major}`);
      it(`has ${installed.join(' and ')}, and the SDK ${sdkLine} line with one @opentelemetry/api`, () => {
        assertMajors(project, majors);
        assertSdkLine(project, sdkLine);
      });

      for (const [format, file, load] of moduleFormats(smoke.imports)) {
        it(`records ${smoke.calls} against a local server, under the agent span, from ${format}`, () => {
          smoke.check(runIn(project, `${label}-${file}`, smoke.program(load)));
        });
      }
    });
  }
}

// --- the checks -----------------------------------------------------------------------------------------------

const describeSpans = (spans) =>
  JSON.stringify(
    spans.map(({ name, kind, attributes }) => ({ name, kind, attributes })),
    null,
    1,
  );

/**
 * Fails unless the program made one agent span and exactly one successful `llm.generate` span per expected call,
 * each a child of the agent span, whose attributes include every expected one; a streamed call's span has its time
 * to first chunk. Returns the agent span.
 */
function assertLlmSpans(result, provider, expectedCalls) {
  const agents = result.spans.filter((span) => span.name === 'agent.execute');
  assert.equal(agents.length, 1, `one agent.execute span, got ${describeSpans(result.spans)}`);
  const [agent] = agents;
  const llm = result.spans.filter((span) => span.name === 'llm.generate');
  assert.equal(
    llm.length,
    expectedCalls.length,
    `one llm.generate span per call (${expectedCalls.length}), got ${describeSpans(llm)}`,
  );
  for (const expected of expectedCalls) {
    const matching = llm.filter((span) =>
      Object.entries(expected).every(([key, value]) => isDeepStrictEqual(span.attributes[key], value)),
    );
    assert.equal(
      matching.length,
      1,
      `one llm.generate span with ${JSON.stringify(expected, null, 1)}\namong ${describeSpans(llm)}`,
    );
    const [span] = matching;
    assert.equal(span.attributes.status, 'success');
    assert.equal(span.attributes['gen_ai.provider.name'], provider);
    assert.equal(span.traceId, agent.traceId, 'the llm span is in the agent trace');
    assert.equal(span.parentSpanId, agent.spanId, 'the llm span is a child of the agent span');
    const firstChunk = span.attributes['gen_ai.response.time_to_first_chunk'];
    if (expected['gen_ai.request.stream'] === true) {
      assert.equal(typeof firstChunk, 'number', 'a streamed span has gen_ai.response.time_to_first_chunk');
      assert.ok(firstChunk > 0, `a positive time to first chunk, got ${firstChunk}`);
    } else {
      assert.equal(firstChunk, undefined, 'a plain call has no time to first chunk');
    }
  }
  return { agent };
}

/** The samples of a Prometheus text exposition: [{ name, labels, value }]. */
function parseSamples(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value;
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Fails unless each [name, labels, value] is a sample of the exposition, with exactly those labels. */
function assertSamples(text, expected) {
  const samples = parseSamples(text);
  for (const [name, labels, value] of expected) {
    const found = samples.filter(
      (sample) => sample.name === name && isDeepStrictEqual(sample.labels, labels),
    );
    assert.equal(
      found.length,
      1,
      `one sample ${name}${JSON.stringify(labels)} in:\n${text
        .split('\n')
        .filter((line) => line.startsWith(name))
        .join('\n')}`,
    );
    assert.equal(found[0].value, value, `${name}${JSON.stringify(labels)}`);
  }
}

/** Fails on any GENXAI_ warning on stderr but the `allowed` ones: a reader that misses a shape warns. */
function assertOnlyWarnings(stderr, allowed) {
  const unexpected = stderr
    .split('\n')
    .filter((line) => /\[GENXAI_[A-Z0-9_]+\]/.test(line) && !allowed.some((pattern) => pattern.test(line)));
  assert.deepEqual(unexpected, [], `no unexpected warning, but stderr has:\n${stderr}`);
}
