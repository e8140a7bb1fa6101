#!/usr/bin/env node
// The demo's MCP tool server: a child process the demo starts, serving its `search` tool over
// stdio, observed with `@genxai/mcp`. Its spans continue the demo's traces: they go to the exporter
// the environment configures (OTEL_TRACES_EXPORTER, inherited from the demo), or, when the demo
// keeps its traces in process, back to the demo as lines on stderr for the waterfall.
import { instrumentMcpServer } from '@genxai/mcp';
import { setupObservability } from '@genxai/observability';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { createRandom } from './random';
import { SpanLineExporter } from './span-lines';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const configured = process.env.OTEL_TRACES_EXPORTER;
const obs = await setupObservability({
  serviceName: `${process.env.OTEL_SERVICE_NAME ?? 'genxai-demo'}-tools`,
  metrics: false,
  tracing: configured === undefined || configured === '' ? { exporter: new SpanLineExporter() } : {},
  logging: false,
});
const random = createRandom(Number(process.env.GENXAI_DEMO_SEED ?? 1));

const server = instrumentMcpServer(new McpServer({ name: 'genxai-demo-tools', version: '1.0.0' }), obs);
server.registerTool(
  'search',
  { description: 'Searches the research index', inputSchema: { query: z.string() } },
  async ({ query }) => {
    await sleep(5 + Math.floor(random() * 20));
    return {
      content: [
        { type: 'text', text: `result for ${query}` },
        { type: 'text', text: 'another result' },
      ],
    };
  },
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await obs.shutdown();
  process.exit(0);
};
process.stdin.on('end', () => void stop());
process.on('SIGTERM', () => void stop());
await server.connect(new StdioServerTransport());
