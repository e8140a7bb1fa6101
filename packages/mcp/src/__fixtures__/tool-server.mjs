// An MCP tool server in its own process, observed with @genxai/mcp: stdio (`stdio`) or Streamable
// HTTP (`http`, the port is printed as `PORT <n>`). Spans go over OTLP/HTTP to
// OTEL_EXPORTER_OTLP_ENDPOINT; on shutdown (stdin closed, or SIGTERM) it flushes them and prints its
// Prometheus text on stderr as one `METRICS <json>` line.
import { createServer } from 'node:http';
import { instrumentMcpServer } from '@genxai/mcp';
import { createMetricsRegistry, renderMetrics } from '@genxai/metrics';
import { setupObservability } from '@genxai/observability';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const mode = process.argv[2] ?? 'stdio';
const registry = createMetricsRegistry();
const obs = await setupObservability({
  serviceName: 'mcp-tool-server',
  metrics: { registry },
  tracing: {
    env: {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
    },
  },
  logging: false,
});

function toolServer() {
  const server = instrumentMcpServer(new McpServer({ name: 'tool-server', version: '1.0.0' }), obs);
  server.registerTool(
    'search',
    { description: 'Searches the docs', inputSchema: { q: z.string() } },
    async ({ q }) => ({ content: [{ type: 'text', text: `3 results for ${q}` }] }),
  );
  server.registerTool('flaky', { description: 'Always fails', inputSchema: { q: z.string() } }, async () => {
    throw new Error('the index is down');
  });
  server.registerPrompt('summarize', { description: 'Summarizes' }, async () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'Summarize.' } }],
  }));
  server.registerResource('readme', 'doc://readme', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, text: 'Read me.' }],
  }));
  return server;
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await obs.shutdown();
  process.stderr.write(`METRICS ${JSON.stringify((await renderMetrics(registry, 'prometheus')).body)}\n`);
  process.exit(code);
}
process.on('SIGTERM', () => void stop());

if (mode === 'stdio') {
  const transport = new StdioServerTransport();
  transport.onclose = () => void stop();
  process.stdin.on('end', () => void stop());
  await toolServer().connect(transport);
} else {
  // Stateful Streamable HTTP: one server and transport per session.
  const sessions = new Map();
  const http = createServer(async (request, response) => {
    let body = '';
    for await (const part of request) body += part;
    const parsed = body === '' ? undefined : JSON.parse(body);
    const id = request.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (transport === undefined) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        onsessioninitialized: (sessionId) => sessions.set(sessionId, transport),
      });
      await toolServer().connect(transport);
    }
    await transport.handleRequest(request, response, parsed);
  });
  http.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${http.address().port}\n`));
}
