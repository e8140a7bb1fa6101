// Two processes: the agent (this test, with the MCP client) and the tool server (a child process,
// `__fixtures__/tool-server.mjs`), both exporting spans over OTLP/HTTP to one local sink, decoded
// with the official proto definitions. Over stdio and over Streamable HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMetricsRegistry, MCP_METRICS, METRICS, renderMetrics } from '@genxai/metrics';
import { setupObservability } from '@genxai/observability';
import {
  decodeOtlpProtobuf,
  findSamples,
  hex,
  type OtlpRequest,
  type OtlpSpan,
  otlpAttributes,
  parseExposition,
  sampleValue,
  startHttpSink,
  waitFor,
} from '@genxai/test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentMcpClient, instrumentMcpServer } from './index';

const FIXTURE = fileURLToPath(new URL('./__fixtures__/tool-server.mjs', import.meta.url));
const SPAN_KIND = { SERVER: 2, CLIENT: 3 } as const;
const STATUS_ERROR = 2;

interface Decoded extends OtlpSpan {
  service: string;
  attrs: Record<string, unknown>;
}

function decodedSpans(bodies: Buffer[]): Decoded[] {
  return bodies.flatMap((body) =>
    (decodeOtlpProtobuf(body) as OtlpRequest).resourceSpans.flatMap((resourceSpans) => {
      const service = String(otlpAttributes(resourceSpans.resource.attributes)['service.name']);
      return resourceSpans.scopeSpans.flatMap((scope) =>
        scope.spans.map((span) => ({ ...span, service, attrs: otlpAttributes(span.attributes) })),
      );
    }),
  );
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The metrics line the tool server prints on stderr when it stops. */
function serverMetrics(stderr: () => string) {
  const line = stderr()
    .split('\n')
    .find((text) => text.startsWith('METRICS '));
  if (line === undefined) throw new Error(`the tool server printed no metrics; its stderr:\n${stderr()}`);
  return parseExposition(JSON.parse(line.slice('METRICS '.length)) as string);
}

async function agentSide(sinkUrl: string) {
  const lines: string[] = [];
  const registry = createMetricsRegistry();
  const obs = await setupObservability({
    serviceName: 'agent',
    metrics: { registry },
    tracing: { env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl } },
    logging: { level: 'debug', destination: { write: (line: string) => void lines.push(line) } },
  });
  cleanups.push(() => obs.shutdown());
  const client = instrumentMcpClient(new Client({ name: 'agent', version: '1.0.0' }), obs);
  const logs = () =>
    lines
      .flatMap((text) => text.split('\n').filter(Boolean))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { obs, client, registry, logs };
}

/** The agent's run: every kind of request, a tool call covered by the agent's own tool span, two failures. */
async function runAgent(agent: Awaited<ReturnType<typeof agentSide>>) {
  const { obs, client } = agent;
  return obs.observeAgent({ agentId: 'planner' }, async () => {
    const tools = await client.listTools();
    const direct = await client.callTool({
      name: 'search',
      arguments: { q: 'otel', api_key: 'sk-live-0123456789abcdef' },
    });
    const covered = await obs.observeTool({ toolName: 'search', parameters: { q: 'covered' } }, () =>
      client.callTool({ name: 'search', arguments: { q: 'covered' } }),
    );
    const flaky = await client.callTool({ name: 'flaky', arguments: { q: 'x' } });
    const prompt = await client.getPrompt({ name: 'summarize' });
    const resource = await client.readResource({ uri: 'doc://readme' });
    const rejected = await client.getPrompt({ name: 'no-such-prompt' }).catch((error: unknown) => error);
    return { tools, direct, covered, flaky, prompt, resource, rejected };
  });
}

/** What both transports must show, from the decoded spans. */
function assertTrace(spans: Decoded[], transport: 'pipe' | 'tcp') {
  const agent = spans.filter((span) => span.service === 'agent');
  const server = spans.filter((span) => span.service === 'mcp-tool-server');
  const root = agent.find((span) => span.name === 'agent.execute')!;
  expect(root).toBeDefined();
  const traceId = hex(root.traceId);
  const inTrace = (span: Decoded) => hex(span.traceId) === traceId;

  // The direct call: one CLIENT span under the agent, one SERVER span under it, across the process boundary.
  const clientCalls = agent.filter((span) => span.name === 'tools/call search');
  expect(clientCalls).toHaveLength(1);
  const call = clientCalls[0]!;
  expect(call.kind).toBe(SPAN_KIND.CLIENT);
  expect(hex(call.parentSpanId)).toBe(hex(root.spanId));
  expect(call.attrs).toMatchObject({
    'mcp.method.name': 'tools/call',
    'gen_ai.tool.name': 'search',
    'gen_ai.operation.name': 'execute_tool',
    'network.transport': transport,
    'mcp.protocol.version': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    'jsonrpc.request.id': expect.stringMatching(/^\d+$/),
  });
  // Content capture: the arguments are recorded redacted.
  expect(String(call.attrs['tool.parameters'])).toContain('otel');
  expect(String(call.attrs['tool.parameters'])).not.toContain('sk-live-0123456789abcdef');

  const served = server.filter((span) => span.name === 'tools/call search');
  expect(served).toHaveLength(2);
  for (const span of served) {
    expect(span.kind).toBe(SPAN_KIND.SERVER);
    expect(inTrace(span)).toBe(true);
    expect(span.attrs).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'search' });
  }
  const servedDirect = served.find((span) => hex(span.parentSpanId) === hex(call.spanId));
  expect(servedDirect, 'the server span of the direct call is the child of the client span').toBeDefined();
  expect(servedDirect!.attrs['jsonrpc.request.id']).toBe(call.attrs['jsonrpc.request.id']);
  // The tool result, as content: on both sides (capture is on by default, redacted and cut).
  for (const span of [call, servedDirect!])
    expect(String(span.attrs['gen_ai.tool.call.result'])).toContain('3 results for otel');

  // The covered call: the agent's own tool span carries the MCP attributes, with no second client span.
  const toolSpans = agent.filter((span) => span.name === 'tool.execute');
  expect(toolSpans).toHaveLength(1);
  const covering = toolSpans[0]!;
  expect(covering.attrs).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'search' });
  expect(served.some((span) => hex(span.parentSpanId) === hex(covering.spanId))).toBe(true);

  // A tool result with isError: a failure on both sides, error.type tool_error.
  for (const side of [agent, server]) {
    const flaky = side.find((span) => span.name === 'tools/call flaky')!;
    expect(flaky.status?.code).toBe(STATUS_ERROR);
    expect(flaky.attrs['error.type']).toBe('tool_error');
  }
  // A JSON-RPC error response: error.type and rpc.response.status_code are the JSON-RPC code.
  const rejected = agent.find((span) => span.name === 'prompts/get no-such-prompt')!;
  expect(rejected.status?.code).toBe(STATUS_ERROR);
  expect(rejected.attrs).toMatchObject({ 'error.type': '-32602', 'rpc.response.status_code': '-32602' });
  expect(server.find((span) => span.name === 'prompts/get no-such-prompt')?.status?.code).toBe(STATUS_ERROR);

  // The other requests, on both sides, each server span the child of its client span.
  for (const [name, extra] of [
    ['tools/list', {}],
    ['prompts/get summarize', { 'gen_ai.prompt.name': 'summarize' }],
    ['resources/read', { 'mcp.resource.uri': 'doc://readme' }],
  ] as const) {
    const sent = agent.find((span) => span.name === name)!;
    const handled = server.find((span) => span.name === name)!;
    expect(sent.kind).toBe(SPAN_KIND.CLIENT);
    expect(handled.kind).toBe(SPAN_KIND.SERVER);
    expect(sent.attrs).toMatchObject(extra);
    expect(hex(handled.parentSpanId)).toBe(hex(sent.spanId));
  }
  // `initialize` at connect: its own trace, client and server.
  const initialize = agent.find((span) => span.name === 'initialize')!;
  expect(hex(server.find((span) => span.name === 'initialize')!.parentSpanId)).toBe(hex(initialize.spanId));
  return { agent, server, call, servedDirect: servedDirect! };
}

function assertClientMetrics(text: string) {
  const exposition = parseExposition(text);
  const client = MCP_METRICS.clientOperationDurationSeconds.name;
  // The direct and the covered call, and the failed one with its error type.
  expect(
    sampleValue(exposition, client, {
      mcp_method_name: 'tools/call',
      gen_ai_tool_name: 'search',
      error_type: '',
    }),
  ).toBe(2);
  expect(sampleValue(exposition, client, { gen_ai_tool_name: 'flaky', error_type: 'tool_error' })).toBe(1);
  expect(
    sampleValue(exposition, client, {
      mcp_method_name: 'prompts/get',
      error_type: '-32602',
      rpc_response_status_code: '-32602',
    }),
  ).toBe(1);
  expect(sampleValue(exposition, client, { mcp_method_name: 'tools/list' })).toBe(1);
  const buckets = findSamples(exposition, `${client}_bucket`, { mcp_method_name: 'tools/list' }).map(
    (s) => s.labels.le,
  );
  expect(buckets).toEqual([...MCP_METRICS.clientOperationDurationSeconds.buckets.map(String), '+Inf']);
  // Our tool metrics count MCP tool calls with the same tool_name as local tools.
  expect(
    sampleValue(exposition, METRICS.toolCallsTotal.name, { tool_name: 'search', status: 'success' }),
  ).toBe(2);
  expect(sampleValue(exposition, METRICS.toolCallsTotal.name, { tool_name: 'flaky', status: 'error' })).toBe(
    1,
  );
}

function assertServerMetrics(exposition: ReturnType<typeof parseExposition>, transport: string) {
  const server = MCP_METRICS.serverOperationDurationSeconds.name;
  expect(
    sampleValue(exposition, server, {
      mcp_method_name: 'tools/call',
      gen_ai_tool_name: 'search',
      network_transport: transport,
    }),
  ).toBe(2);
  expect(sampleValue(exposition, server, { gen_ai_tool_name: 'flaky', error_type: 'tool_error' })).toBe(1);
  expect(
    sampleValue(exposition, METRICS.toolCallsTotal.name, { tool_name: 'search', status: 'success' }),
  ).toBe(2);
  expect(
    sampleValue(exposition, METRICS.toolErrorsTotal.name, { tool_name: 'flaky', error_type: 'tool_error' }),
  ).toBe(1);
}

async function otlpSink() {
  const sink = await startHttpSink((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  cleanups.push(() => sink.close());
  return sink;
}

describe('MCP across two processes', () => {
  it('over stdio: one trace, the server spans under the client spans, both sides measured', async () => {
    const sink = await otlpSink();
    const agent = await agentSide(sink.url);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [FIXTURE, 'stdio'],
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } as Record<string, string>,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await agent.client.connect(transport);
    const results = await runAgent(agent);
    expect(results.tools.tools.map((tool) => tool.name).sort()).toEqual(['flaky', 'search']);
    expect(results.direct.content).toEqual([{ type: 'text', text: '3 results for otel' }]);
    expect(results.flaky.isError).toBe(true);
    expect((results.rejected as { code?: unknown }).code).toBe(-32602);
    await agent.client.close();
    await waitFor('the tool server to stop', async () => (stderr.includes('METRICS ') ? true : undefined), {
      timeout: 20_000,
      interval: 50,
    });
    await agent.obs.forceFlush();

    const spans = decodedSpans(sink.requests.map((request) => request.body));
    const { call } = assertTrace(spans, 'pipe');
    expect(call.attrs['mcp.session.id']).toBeUndefined();
    assertClientMetrics((await renderMetrics(agent.registry, 'prometheus')).body);
    assertServerMetrics(
      serverMetrics(() => stderr),
      'pipe',
    );

    // The tool log lines, with the MCP method in context.
    const finished = agent
      .logs()
      .filter((line) => line.message === 'Tool call completed' && line.tool_name === 'search');
    expect(finished).toHaveLength(2);
    expect(finished.filter((line) => line.mcp_method === 'tools/call')).toHaveLength(1);
    const failed = agent.logs().find((line) => line.message === 'Tool call failed');
    expect(failed).toMatchObject({ tool_name: 'flaky', mcp_method: 'tools/call', error_type: 'tool_error' });
  }, 60_000);

  it('over Streamable HTTP: the same tree, with the session id on both sides', async () => {
    const sink = await otlpSink();
    const agent = await agentSide(sink.url);
    const child: ChildProcess = spawn(process.execPath, [FIXTURE, 'http'], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await waitFor('the tool server to listen', async () => (/PORT \d+/.test(stdout) ? true : undefined), {
      timeout: 20_000,
      interval: 50,
    });
    const port = Number(/PORT (\d+)/.exec(stdout)![1]);
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
    await agent.client.connect(transport);
    const results = await runAgent(agent);
    expect(results.direct.content).toEqual([{ type: 'text', text: '3 results for otel' }]);
    const sessionId = transport.sessionId;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await agent.client.close();
    child.kill('SIGTERM');
    await exited;
    await agent.obs.forceFlush();

    const spans = decodedSpans(sink.requests.map((request) => request.body));
    const { call, servedDirect } = assertTrace(spans, 'tcp');
    expect(call.attrs).toMatchObject({
      'mcp.session.id': sessionId,
      'server.address': '127.0.0.1',
      'server.port': port,
    });
    expect(servedDirect.attrs).toMatchObject({ 'mcp.session.id': sessionId, 'network.transport': 'tcp' });
    assertClientMetrics((await renderMetrics(agent.registry, 'prometheus')).body);
    assertServerMetrics(
      serverMetrics(() => stderr),
      'tcp',
    );
    const finished = agent
      .logs()
      .find((line) => line.message === 'Tool call completed' && line.mcp_method === 'tools/call');
    expect(finished).toMatchObject({ tool_name: 'search', mcp_session_id: sessionId });
  }, 60_000);
});

describe('MCP in one process', () => {
  it('counts the client side of a tool call against the calling agent, the server side against none', async () => {
    const registry = createMetricsRegistry();
    const obs = await setupObservability({
      serviceName: 'in-process',
      metrics: { registry },
      tracing: false,
      logging: false,
    });
    cleanups.push(() => obs.shutdown());
    const server = instrumentMcpServer(new McpServer({ name: 'tools', version: '1.0.0' }), obs);
    server.registerTool('search', { description: 'Searches' }, async () => ({
      content: [{ type: 'text' as const, text: 'found' }],
    }));
    const client = instrumentMcpClient(new Client({ name: 'agent', version: '1.0.0' }), obs);
    // The SDK's in-memory transport hands a request to the server synchronously, inside the agent.
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    cleanups.push(() => client.close());
    await obs.observeAgent({ agentId: 'planner' }, () => client.callTool({ name: 'search', arguments: {} }));
    const exposition = parseExposition((await renderMetrics(registry)).body);
    const calls = (agent_id: string) =>
      sampleValue(exposition, METRICS.toolCallsTotal.name, { tool_name: 'search', agent_id });
    expect([calls('planner'), calls('')]).toEqual([1, 1]);
  });
});

describe('setup and hostile input', () => {
  it('fails fast on what is not a client, a server or an Observability', async () => {
    const obs = await setupObservability({
      serviceName: 'setup',
      metrics: false,
      tracing: false,
      logging: false,
    });
    expect(() => instrumentMcpClient(null as never, obs)).toThrow(/instrumentMcpClient: the first argument/);
    expect(() => instrumentMcpClient({} as never, obs)).toThrow(/no request method/);
    expect(() => instrumentMcpClient(new Client({ name: 'a', version: '1' }), {} as never)).toThrow(
      /observe/,
    );
    expect(() => instrumentMcpServer({} as never, obs)).toThrow(/request handlers were not found/);
    const client = new Client({ name: 'a', version: '1' });
    expect(instrumentMcpClient(instrumentMcpClient(client, obs), obs)).toBe(client);
  });

  it('a request it cannot read is sent as it is, and reported once', async () => {
    const obs = await setupObservability({
      serviceName: 'hostile',
      metrics: false,
      tracing: false,
      logging: false,
    });
    const warnings: string[] = [];
    const sent: unknown[] = [];
    const fake = {
      request: async (message: unknown) => {
        sent.push(message);
        return { ok: true };
      },
    };
    const client = instrumentMcpClient(fake, obs, { onWarning: ({ code }) => void warnings.push(code) });
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    await expect(client.request(hostile)).resolves.toEqual({ ok: true });
    await expect(client.request(hostile)).resolves.toEqual({ ok: true });
    expect(sent).toHaveLength(2);
    expect(sent[0] === hostile && sent[1] === hostile).toBe(true);
    expect(warnings).toEqual(['GENXAI_MCP_REQUEST_UNREADABLE']);
  });
});
