// Packed-tarball smoke test: packs the libraries as `pnpm publish` would, installs the tarballs with plain
// `npm install` into empty projects outside the workspace, and uses them from ESM and from CJS, as a user would.
// It pins the OpenTelemetry SDK 2 line (api 1.9, sdk-trace 2, sdk-node 0.2xx), the one a Node 20 user gets; it
// runs on any Node.js >= 20. scripts/node24/ does the same with the SDK 3 line on Node 24.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeLlmSdkSmokes } from './lib/llm-programs.mjs';
import {
  assertCustomExporter,
  assertDefaults,
  assertNodeSdkSpans,
  assertNoSdk,
  assertOtlpTree,
  customExporterProgram,
  defaultsProgram,
  installSpecsIn,
  nodeSdkProgram,
  noSdkProgram,
  otlpTreeProgram,
} from './lib/programs.mjs';
import {
  assertNoPeerTrouble,
  assertSdkLine,
  assertValidTree,
  createProject,
  isInstalled,
  moduleFormats,
  nodeRunsSdk3,
  npmInstall,
  packAll,
  runIn,
  tarballsFor,
} from './lib/smoke.mjs';

const work = mkdtempSync(join(tmpdir(), 'genxai-pack-smoke-'));
let tarballs;

/**
 * The SDK 2 pieces `setupTracing` needs, pinned as its GENXAI_MISSING_PEER message tells a Node 20 user to
 * (npm's engine check alone would pick the same on Node 20), plus the OTLP exporter for `exporter: 'otlp'`.
 */
const SDK2_TRACE = [
  '@opentelemetry/api@1.9',
  '@opentelemetry/sdk-trace@2',
  '@opentelemetry/context-async-hooks@2',
  '@opentelemetry/exporter-trace-otlp-proto',
];

/** The SDK 2 pieces for recording into an exporter object of the caller's: SDK2_TRACE less the OTLP exporter. */
const SDK2_TRACER = SDK2_TRACE.filter((spec) => !spec.includes('exporter'));

/**
 * The LLM SDK majors a Node 20 user gets: the current `openai` (7), `ai` (7) and `@ai-sdk/openai` (4) need
 * Node >= 22, so npm on Node 20 picks the majors before; `@anthropic-ai/sdk` has one line for both.
 */
const LLM_SDKS_ON_NODE20 = {
  '@genxai/openai': { openai: 6 },
  '@genxai/anthropic': { '@anthropic-ai/sdk': 1 },
  '@genxai/ai-sdk': { ai: 6, '@ai-sdk/openai': 3 },
};

/**
 * The whole SDK in one package, unpinned: npm resolves the line this Node.js runs, on Node 20 sdk-node 0.2xx
 * (SDK 2) with api 1.9, from Node 22.15 sdk-node 0.3xx (SDK 3) with api 1.10.
 */
const NODE_SDK = ['@opentelemetry/sdk-node', '@opentelemetry/api'];
const NODE_SDK_LINE = nodeRunsSdk3() ? 3 : 2;

/** Installs `specs` and the tarballs of `names` (and their @genxai dependencies) into a new project. */
async function installProject(label, names, specs = []) {
  const project = createProject(work, label);
  const install = await npmInstall(project, [...specs, ...tarballsFor(tarballs, names)]);
  assertNoPeerTrouble(install, [...names, ...specs].join(' + '));
  assertValidTree(project);
  return project;
}

before(() => {
  tarballs = packAll(join(work, 'tarballs'));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('@genxai/metrics installed alone from its tarball', () => {
  let project;
  before(async () => {
    project = await installProject('metrics', ['@genxai/metrics']);
  });

  const program = (load) => `${load}
const registry = createMetricsRegistry();
const metrics = createMetrics({ registry });
metrics.agent.start({ agentId: 'smoke' }).succeed();
metrics.llm.recordUsage({ provider: 'openai', model: 'gpt-4o-mini' }, { inputTokens: 1000, outputTokens: 100 });
renderMetrics(registry).then(({ body }) => console.log(body));`;

  for (const [format, file, load] of moduleFormats({
    '@genxai/metrics': ['createMetrics', 'createMetricsRegistry', 'renderMetrics'],
  })) {
    it(`works from ${format}`, () => {
      const { stdout } = runIn(project, file, program(load));
      assert.match(stdout, /^genxai_agent_executions_total\{agent_id="smoke",status="success"\} 1$/m);
      // Recorded outside any agent: agent_id is empty.
      assert.match(
        stdout,
        /^genxai_llm_cost_total\{provider="openai",model="gpt-4o-mini",agent_id=""\} 0\.00021$/m,
      );
    });
  }

  // prom-client itself depends on @opentelemetry/api (for exemplars), but on no SDK.
  it('pulls in no tracing or logging library', () => {
    for (const name of [
      'pino',
      '@opentelemetry/core',
      '@opentelemetry/sdk-trace',
      '@opentelemetry/sdk-trace-base',
      '@opentelemetry/sdk-trace-node',
    ]) {
      assert.equal(isInstalled(project, name), false, `${name} should not be installed`);
    }
  });
});

describe('@genxai/obs-grafana installed alone from its tarball', () => {
  let project;
  before(async () => {
    project = await installProject('obs-grafana', ['@genxai/obs-grafana']);
  });

  const program = (load) => `${load}
let bad;
try { renderAgentDashboard({ uid: 'no spaces' }); } catch (error) { bad = error.code; }
console.log(JSON.stringify({
  overview: renderOverviewDashboard(),
  agent: renderAgentDashboard(),
  rules: renderAlertRules(),
  bad,
}));`;

  const committed = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

  for (const [format, file, load] of moduleFormats({
    '@genxai/obs-grafana': ['renderAgentDashboard', 'renderAlertRules', 'renderOverviewDashboard'],
  })) {
    it(`renders the committed dashboards and rules, byte for byte, from ${format}`, () => {
      const result = JSON.parse(runIn(project, file, program(load)).stdout.trim().split('\n').pop());
      assert.equal(result.overview, committed('dashboards/genxai_overview.json'));
      assert.equal(result.agent, committed('dashboards/genxai_agent.json'));
      assert.equal(result.rules, committed('alerts/genxai_alerts.yml'));
      assert.equal(result.bad, 'GENXAI_INVALID_OPTION');
    });
  }
});

describe('@genxai/tracing from its tarball with the SDK 2 pieces', () => {
  let project;
  before(async () => {
    project = await installProject('tracing', ['@genxai/tracing'], SDK2_TRACE);
  });

  it('has the SDK 2 line', () => assertSdkLine(project, 2));

  for (const [format, file, load] of moduleFormats({ '@genxai/tracing': ['setupTracing'] })) {
    it(`exports to an exporter object from ${format}`, () => {
      assertCustomExporter(runIn(project, `custom-${file}`, customExporterProgram(load)).stdout, {
        sdkMajor: 2,
      });
    });

    it(`sends a workflow → agent → llm trace to an OTLP sink from ${format}`, () => {
      assertOtlpTree(runIn(project, `otlp-${file}`, otlpTreeProgram(load)).stdout, { sdkMajor: 2 });
    });
  }

  it('pulls in no metrics or logging library, and not the deprecated Jaeger exporter', () => {
    for (const name of ['prom-client', 'pino', '@opentelemetry/exporter-jaeger', 'jaeger-client']) {
      assert.equal(isInstalled(project, name), false, `${name} should not be installed`);
    }
  });
});

describe('@genxai/tracing from its tarball with no trace SDK installed', () => {
  let project;
  let missingPeerMessage;
  before(async () => {
    project = await installProject('tracing-no-sdk', ['@genxai/tracing'], ['@opentelemetry/api']);
  });

  it('has no SDK package', () => {
    for (const name of ['@opentelemetry/sdk-trace', '@opentelemetry/sdk-trace-base', '@opentelemetry/core']) {
      assert.equal(isInstalled(project, name), false, `${name} should not be installed`);
    }
  });

  for (const [format, file, load] of moduleFormats({ '@genxai/tracing': ['setupTracing'] })) {
    it(`warns once, still runs the wrapped code, and needs an SDK for an exporter, from ${format}`, () => {
      missingPeerMessage = assertNoSdk(runIn(project, file, noSdkProgram(load)), {
        // The install line for this Node.js: SDK 2 below 22.15, the NodeSDK (SDK 3) from there.
        installLine: /npm install @opentelemetry\/(api@1\.9 @opentelemetry\/sdk-trace@2|sdk-node)/,
      });
    });
  }

  // Every package the message names, as a user copying it would install them.
  it('following the install line of the GENXAI_MISSING_PEER message makes the otlp exporter work', async () => {
    assert.ok(missingPeerMessage, 'the no-SDK program ran first');
    const specs = installSpecsIn(missingPeerMessage);
    const install = await npmInstall(project, specs);
    assertNoPeerTrouble(install, `the install line ${specs.join(' ')}`);
    assertValidTree(project);
    const [[, file, load]] = moduleFormats({ '@genxai/tracing': ['setupTracing'] });
    assertOtlpTree(runIn(project, `otlp-${file}`, otlpTreeProgram(load)).stdout, { sdkMajor: NODE_SDK_LINE });
  });
});

describe('@genxai/logging installed alone from its tarball, without OpenTelemetry', () => {
  let project;
  before(async () => {
    project = await installProject('logging', ['@genxai/logging']);
  });

  const program = (load) => `${load}
const logger = createLogger({ level: 'info' });
logger.child({ agent_id: 'a' }).info({ api_key: 'sk-proj-abcdefghijklmnopqrstuvwxyz0123' }, 'hello');`;

  for (const [format, file, load] of moduleFormats({ '@genxai/logging': ['createLogger'] })) {
    it(`writes seed-shaped, redacted JSON from ${format}`, () => {
      const line = JSON.parse(runIn(project, file, program(load)).stdout.trim());
      assert.equal(line.level, 'INFO');
      assert.equal(line.message, 'hello');
      assert.equal(line.agent_id, 'a');
      assert.equal(line.api_key, '***REDACTED***');
      assert.match(line.timestamp, /^\d{4}-\d{2}-\d{2}T.*Z$/);
    });
  }

  it('pulls in no OpenTelemetry or metrics library', () => {
    for (const name of ['@opentelemetry/api', '@opentelemetry/sdk-logs', 'prom-client']) {
      assert.equal(isInstalled(project, name), false, `${name} should not be installed`);
    }
  });
});

describe('@genxai/observability from its tarball with the NodeSDK (on Node 20, its SDK 2 line)', () => {
  let project;
  before(async () => {
    // The umbrella's own API, plus @genxai/metrics for its registry and renderer, as a user would add it.
    project = await installProject('umbrella', ['@genxai/observability', '@genxai/metrics'], NODE_SDK);
  });

  it(`has the SDK ${NODE_SDK_LINE} line, the one npm picks for Node.js ${process.version}`, () => {
    assertSdkLine(project, NODE_SDK_LINE);
  });

  // (Not `yaml`: the NodeSDK's own @opentelemetry/configuration depends on it.)
  it('installs no dashboard or alert-rule generator: they are a separate install', () => {
    for (const name of ['@genxai/obs-grafana', '@grafana/grafana-foundation-sdk']) {
      assert.equal(isInstalled(project, name), false, `${name} should not be installed`);
    }
  });

  const program = (load) => `${load}
const names = [];
const exporter = { export(spans, done) { names.push(...spans.map((s) => s.name)); done({ code: 0 }); }, shutdown: async () => {} };
(async () => {
  const registry = createMetricsRegistry();
  const obs = await setupObservability({ serviceName: 'smoke', metrics: { registry }, tracing: { exporter }, logging: { level: 'info' } });
  await obs.observeAgent({ agentId: 'a' }, () =>
    obs.observeLLM({ provider: 'openai', model: 'gpt-4o-mini' }, async () => ({ content: 'x', usage: { prompt_tokens: 1000, completion_tokens: 100 } })),
  );
  await obs.shutdown();
  const { body } = await renderMetrics(registry);
  process.stdout.write(JSON.stringify({ names, metrics: body }) + '\\n');
})();`;

  for (const [format, file, load] of moduleFormats({
    '@genxai/metrics': ['createMetricsRegistry', 'renderMetrics'],
    '@genxai/observability': ['setupObservability'],
  })) {
    it(`gets every signal from ${format}`, () => {
      const lines = runIn(project, file, program(load))
        .stdout.trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const result = lines.pop();
      assert.deepEqual(result.names, ['llm.generate', 'agent.execute']);
      assert.match(result.metrics, /^genxai_agent_executions_total\{agent_id="a",status="success"\} 1$/m);
      assert.match(
        result.metrics,
        /^genxai_llm_cost_total\{provider="openai",model="gpt-4o-mini",agent_id="a"\} 0\.00021$/m,
      );
      const finished = lines.find((line) => line.message === 'Agent execution completed');
      assert.equal(finished.agent_id, 'a');
      assert.match(finished.trace_id, /^[0-9a-f]{32}$/);
    });
  }

  for (const [format, file, load] of moduleFormats({
    '@opentelemetry/api': ['trace'],
    '@opentelemetry/sdk-node': ['NodeSDK'],
    '@genxai/observability': ['setupObservability'],
  })) {
    it(`records into a started NodeSDK's tracer provider from ${format}`, () => {
      const output = runIn(project, `node-sdk-${file}`, nodeSdkProgram(load), {
        // Hermetic: the NodeSDK would otherwise start OTLP log and metric exporters to localhost.
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
      });
      assertNodeSdkSpans(output.stdout, { sdkMajor: NODE_SDK_LINE });
    });
  }

  for (const [format, file, load] of moduleFormats({
    '@genxai/metrics': ['renderMetrics'],
    '@genxai/observability': ['setupObservability'],
  })) {
    it(`setupObservability() with its defaults records metrics and logs from ${format}`, () => {
      assertDefaults(runIn(project, `defaults-${file}`, defaultsProgram(load)));
    });
  }
});

describeLlmSdkSmokes(LLM_SDKS_ON_NODE20, {
  lane: 'what npm picks on Node 20',
  spec: (sdk, major) => `${sdk}@${major}`,
  install: (label, names, specs) => installProject(label, names, [...specs, ...SDK2_TRACER]),
  sdkLine: 2,
});
