import { fileURLToPath } from 'node:url';
import { instrumentMcpClient } from '@genxai/mcp';
import type { Observability } from '@genxai/observability';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { TraceCapture } from './trace-capture';

// From src/ (tests) and dist/ alike: the server is built beside main.js.
const SERVER = fileURLToPath(new URL('../dist/mcp-tool-server.js', import.meta.url));

/** The demo's MCP tool server, a child process, and the instrumented client that calls it. */
export interface McpTools {
  /** Calls `name` on the tool server; resolves with its text results. */
  call(name: string, parameters: Record<string, unknown>): Promise<string[]>;
  /** Stops the server; its spans are in the capture once this resolves. */
  close(): Promise<void>;
}

/** Starts the tool server over stdio, with the demo's seed and environment. */
export async function startMcpTools(
  obs: Observability,
  seed: number,
  capture?: TraceCapture,
): Promise<McpTools> {
  const client = instrumentMcpClient(new Client({ name: 'genxai-demo', version: '1.0.0' }), obs);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SERVER],
    env: { ...(process.env as Record<string, string>), GENXAI_DEMO_SEED: String(seed) },
    stderr: 'pipe',
  });
  let pending = '';
  const exited = new Promise<void>((resolve) => {
    transport.stderr?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      capture?.readSpanLines(pending.slice(0, end));
      pending = pending.slice(end + 1);
    });
    transport.stderr?.on('end', () => resolve());
  });
  await client.connect(transport);
  return {
    async call(name, parameters) {
      const result = await client.callTool({ name, arguments: parameters });
      const content = (result.content ?? []) as { type: string; text?: string }[];
      if (result.isError === true) throw new Error(content[0]?.text ?? `the MCP tool ${name} failed`);
      return content.flatMap((part) => (part.type === 'text' && part.text !== undefined ? [part.text] : []));
    },
    async close() {
      await client.close();
      await exited;
    },
  };
}
