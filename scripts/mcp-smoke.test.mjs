// Packed-tarball smoke test of @genxai/mcp on the Node 20 line: its tarball and those of its @genxai dependencies,
// installed with plain `npm install` beside @modelcontextprotocol/sdk 1.32.2, zod and the OpenTelemetry SDK 2
// pieces into an empty project, then an instrumented Client calling a tool of an instrumented McpServer over
// InMemoryTransport, from ESM and CJS (the program is in scripts/lib/llm-programs.mjs). The Node 24 lane runs the
// same program beside the latest releases: scripts/node24/mcp-sdk3.test.mjs.

import { describeLlmSdkSmokes } from './lib/llm-programs.mjs';
import { packedProjects } from './lib/smoke.mjs';

/** The SDK 2 pieces for recording into an exporter object of the caller's (as in pack-smoke.test.mjs). */
const SDK2_TRACER = [
  '@opentelemetry/api@1.9',
  '@opentelemetry/sdk-trace@2',
  '@opentelemetry/context-async-hooks@2',
];

/** The MCP SDK release this lane pins; zod (the SDK's peer, which the tool's schema is written in) goes by major. */
const PINNED = { '@modelcontextprotocol/sdk': '1.32.2' };

const { install } = packedProjects('genxai-mcp-smoke-', { names: ['@genxai/mcp', '@genxai/metrics'] });

describeLlmSdkSmokes(
  { '@genxai/mcp': { '@modelcontextprotocol/sdk': 1, zod: 4 } },
  {
    lane: 'on Node 20, with the SDK 2 line',
    spec: (sdk, major) => `${sdk}@${PINNED[sdk] ?? major}`,
    install: (label, names, specs) => install(label, names, [...specs, ...SDK2_TRACER]),
    sdkLine: 2,
  },
);
