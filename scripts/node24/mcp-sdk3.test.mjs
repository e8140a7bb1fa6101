// The Node 24 lane of the @genxai/mcp smoke test: its tarball (and those of its @genxai dependencies) installed with
// plain `npm install` beside the latest @modelcontextprotocol/sdk and zod and the OpenTelemetry SDK 3 line
// (`@opentelemetry/sdk-node@latest @opentelemetry/api@latest`, as sdk3.test.mjs does), then the program of
// scripts/mcp-smoke.test.mjs: an instrumented Client calling a tool of an instrumented McpServer over
// InMemoryTransport, from ESM and CJS. On an older Node.js it is skipped, or fails under GENXAI_NODE24_LANE=1.

import { describeLlmSdkSmokes } from '../lib/llm-programs.mjs';
import { packedProjects, sdk3LaneSkipReason } from '../lib/smoke.mjs';

const skip = sdk3LaneSkipReason();

/** What a user on Node 24 installs beside our packages. */
const SDK3 = ['@opentelemetry/sdk-node@latest', '@opentelemetry/api@latest'];

const { install } = packedProjects('genxai-node24-mcp-', { names: ['@genxai/mcp', '@genxai/metrics'], skip });

describeLlmSdkSmokes(
  { '@genxai/mcp': { '@modelcontextprotocol/sdk': 1, zod: 4 } },
  {
    lane: 'beside SDK 3 on Node 24',
    spec: (sdk) => `${sdk}@latest`,
    install: (label, names, specs) => install(label, names, [...SDK3, ...specs]),
    sdkLine: 3,
    skip,
  },
);
