// Packed-tarball smoke test: packs the libraries as `pnpm publish` would, installs the tarballs with npm
// into empty projects outside the workspace, and uses them from ESM and from CJS, as a user would.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'genxai-pack-smoke-'));
const tarballs = new Map();

function pnpm(args, cwd) {
  const execPath = process.env.npm_execpath ?? '';
  if (/pnpm/.test(execPath)) {
    // pnpm 12 ships a native binary; older releases a JavaScript entry point.
    return /\.[cm]?js$/.test(execPath)
      ? execFileSync(process.execPath, [execPath, ...args], { cwd, encoding: 'utf8' })
      : execFileSync(execPath, args, { cwd, encoding: 'utf8' });
  }
  return execFileSync('npx', ['-y', 'pnpm@12.4.2', ...args], { cwd, encoding: 'utf8' });
}

/** Every publishable package under packages/. */
function libraries() {
  return readdirSync(join(root, 'packages'))
    .map((dir) => ({
      dir: join(root, 'packages', dir),
      manifest: join(root, 'packages', dir, 'package.json'),
    }))
    .filter(({ manifest }) => existsSync(manifest))
    .map(({ dir, manifest }) => ({ dir, pkg: JSON.parse(readFileSync(manifest, 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

/** Installs the tarballs of `names` (and their @genxai dependencies) into a new project and returns its path. */
function installProject(label, names) {
  const project = join(work, label);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `smoke-${label}`, private: true }));
  const wanted = new Set();
  const visit = (name) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    const { pkg } = libraries().find(({ pkg }) => pkg.name === name);
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (dep.startsWith('@genxai/')) visit(dep);
  };
  for (const name of names) visit(name);
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...[...wanted].map((n) => tarballs.get(n))],
    {
      cwd: project,
      encoding: 'utf8',
    },
  );
  return project;
}

function runIn(project, file, source) {
  writeFileSync(join(project, file), source);
  return execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' });
}

before(() => {
  const packDir = join(work, 'tarballs');
  mkdirSync(packDir);
  for (const { dir, pkg } of libraries()) {
    const before = new Set(readdirSync(packDir));
    pnpm(['pack', '--pack-destination', packDir], dir);
    const created = readdirSync(packDir).find((f) => !before.has(f));
    assert.ok(created, `pnpm pack made no tarball for ${pkg.name}`);
    tarballs.set(pkg.name, join(packDir, created));
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('@genxai/metrics installed alone from its tarball', () => {
  let project;
  before(() => {
    project = installProject('metrics', ['@genxai/metrics']);
  });

  const program = (load) => `${load}
const registry = createMetricsRegistry();
const metrics = createMetrics({ registry });
metrics.agent.start({ agentId: 'smoke' }).succeed();
metrics.llm.recordUsage({ provider: 'openai', model: 'gpt-4o-mini' }, { inputTokens: 1000, outputTokens: 100 });
renderMetrics(registry).then(({ body }) => console.log(body));`;

  it('works from ESM', () => {
    const out = runIn(
      project,
      'esm.mjs',
      program("import { createMetrics, createMetricsRegistry, renderMetrics } from '@genxai/metrics';"),
    );
    assert.match(out, /^genxai_agent_executions_total\{agent_id="smoke",status="success"\} 1$/m);
    assert.match(out, /^genxai_llm_cost_total\{provider="openai",model="gpt-4o-mini"\} 0\.00021$/m);
  });

  it('works from CJS', () => {
    const out = runIn(
      project,
      'cjs.cjs',
      program("const { createMetrics, createMetricsRegistry, renderMetrics } = require('@genxai/metrics');"),
    );
    assert.match(out, /^genxai_agent_executions_total\{agent_id="smoke",status="success"\} 1$/m);
  });

  it('pulls in no tracing or logging library', () => {
    for (const name of ['pino', '@opentelemetry/sdk-trace-base', '@opentelemetry/sdk-trace-node']) {
      assert.equal(existsSync(join(project, 'node_modules', name)), false, `${name} should not be installed`);
    }
  });
});

describe('@genxai/tracing installed alone from its tarball', () => {
  let project;
  before(() => {
    project = installProject('tracing', ['@genxai/tracing']);
  });

  const program = (load) => `${load}
const names = [];
const exporter = { export(spans, done) { names.push(...spans.map((s) => s.name)); done({ code: 0 }); }, shutdown: async () => {} };
const tracing = setupTracing({ serviceName: 'smoke', exporter });
tracing.withWorkflowSpan({ id: 'w' }, () => tracing.withAgentSpan({ id: 'a' }, async () => 1))
  .then(() => tracing.shutdown())
  .then(() => console.log(names.join(',')));`;

  it('works from ESM and CJS', () => {
    assert.equal(
      runIn(project, 'esm.mjs', program("import { setupTracing } from '@genxai/tracing';")).trim(),
      'agent.execute,workflow.execute',
    );
    assert.equal(
      runIn(project, 'cjs.cjs', program("const { setupTracing } = require('@genxai/tracing');")).trim(),
      'agent.execute,workflow.execute',
    );
  });

  it('pulls in no metrics or logging library, and not the deprecated Jaeger exporter', () => {
    for (const name of ['prom-client', 'pino', '@opentelemetry/exporter-jaeger', 'jaeger-client']) {
      assert.equal(existsSync(join(project, 'node_modules', name)), false, `${name} should not be installed`);
    }
  });
});

describe('@genxai/logging installed alone from its tarball, without OpenTelemetry', () => {
  let project;
  before(() => {
    project = installProject('logging', ['@genxai/logging']);
  });

  const program = (load) => `${load}
const logger = createLogger({ level: 'info' });
logger.child({ agent_id: 'a' }).info({ api_key: 'sk-proj-abcdefghijklmnopqrstuvwxyz0123' }, 'hello');`;

  it('writes seed-shaped, redacted JSON from ESM and CJS', () => {
    for (const [file, load] of [
      ['esm.mjs', "import { createLogger } from '@genxai/logging';"],
      ['cjs.cjs', "const { createLogger } = require('@genxai/logging');"],
    ]) {
      const line = JSON.parse(runIn(project, file, program(load)).trim());
      assert.equal(line.level, 'INFO');
      assert.equal(line.message, 'hello');
      assert.equal(line.agent_id, 'a');
      assert.equal(line.api_key, '***REDACTED***');
      assert.match(line.timestamp, /^\d{4}-\d{2}-\d{2}T.*Z$/);
    }
  });

  it('pulls in no OpenTelemetry or metrics library', () => {
    for (const name of ['@opentelemetry/api', 'prom-client']) {
      assert.equal(existsSync(join(project, 'node_modules', name)), false, `${name} should not be installed`);
    }
  });
});

describe('@genxai/observability installed alone from its tarball', () => {
  let project;
  before(() => {
    // The umbrella's own API, plus @genxai/metrics for its registry and renderer, as a user would add it.
    project = installProject('umbrella', ['@genxai/observability', '@genxai/metrics']);
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

  it('installs no dashboard or alert-rule generator: they are a separate install', () => {
    for (const name of ['@genxai/obs-grafana', '@grafana/grafana-foundation-sdk', 'yaml']) {
      assert.equal(existsSync(join(project, 'node_modules', name)), false, `${name} should not be installed`);
    }
  });

  for (const [file, load] of [
    [
      'esm.mjs',
      "import { createMetricsRegistry, renderMetrics } from '@genxai/metrics';\nimport { setupObservability } from '@genxai/observability';",
    ],
    [
      'cjs.cjs',
      "const { createMetricsRegistry, renderMetrics } = require('@genxai/metrics');\nconst { setupObservability } = require('@genxai/observability');",
    ],
  ]) {
    it(`gets every signal from ${file.endsWith('.mjs') ? 'ESM' : 'CJS'}`, () => {
      const lines = runIn(project, file, program(load))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const result = lines.pop();
      assert.deepEqual(result.names, ['llm.generate', 'agent.execute']);
      assert.match(result.metrics, /^genxai_agent_executions_total\{agent_id="a",status="success"\} 1$/m);
      assert.match(
        result.metrics,
        /^genxai_llm_cost_total\{provider="openai",model="gpt-4o-mini"\} 0\.00021$/m,
      );
      const finished = lines.find((line) => line.message === 'Agent execution completed');
      assert.equal(finished.agent_id, 'a');
      assert.match(finished.trace_id, /^[0-9a-f]{32}$/);
    });
  }
});
