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
  if (/pnpm/.test(execPath))
    return execFileSync(process.execPath, [execPath, ...args], { cwd, encoding: 'utf8' });
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
