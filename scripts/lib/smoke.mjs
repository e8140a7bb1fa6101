// Shared by the packed-tarball smoke tests: scripts/pack-smoke.test.mjs (any Node.js, the SDK 2 line on
// Node 20) and scripts/node24/ (Node 24, the SDK 3 line). Packs the libraries as `pnpm publish` would,
// installs them with plain `npm install` into empty projects outside the workspace, and runs programs there.

import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
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
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How long one `npm install` may take before it counts as hung (the ERESOLVE loop never ends). */
export const NPM_INSTALL_TIMEOUT_MS = 5 * 60_000;

/** How long one program in a smoke project may run. */
const PROGRAM_TIMEOUT_MS = 2 * 60_000;

// npm prints this once per override; in the known failure mode it prints it forever.
const OVERRIDE_WARNING = /overriding peer dependency/i;
const LOOPING_OVERRIDES = 500;

/** What npm prints when a peer dependency does not fit: a smoke install must print none of it. */
export const PEER_TROUBLE = /ERESOLVE|peer dep|Conflicting peer dependency|overriding peer dependency/i;

/** True when this Node.js runs the OpenTelemetry SDK 3 line (it needs 22.15 or later). */
export function nodeRunsSdk3(version = process.versions.node) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 15);
}

/**
 * The reason to skip a Node 24 lane test on this Node.js, or undefined when it runs here. Under
 * GENXAI_NODE24_LANE=1 (set by `pnpm test:node24`) an older Node.js is an error, not a skip, so the
 * lane can never pass by skipping.
 */
export function sdk3LaneSkipReason() {
  if (nodeRunsSdk3()) return undefined;
  const reason =
    `needs Node.js >= 22.15 for the OpenTelemetry SDK 3 line, and this is ${process.version}: ` +
    'run it with Node 24 first on PATH as `npx -y pnpm@12.4.2 test:node24` (CI runs it in its Node 24 lane)';
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the test:node24 script for node --test, not a turbo task
  if (process.env.GENXAI_NODE24_LANE === '1') throw new Error(`The Node 24 lane ${reason}`);
  return reason; // node --test prints it on each skipped suite
}

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
export function libraries() {
  return readdirSync(join(ROOT, 'packages'))
    .map((dir) => ({
      dir: join(ROOT, 'packages', dir),
      manifest: join(ROOT, 'packages', dir, 'package.json'),
    }))
    .filter(({ manifest }) => existsSync(manifest))
    .map(({ dir, manifest }) => ({ dir, pkg: JSON.parse(readFileSync(manifest, 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

/**
 * Packs every publishable package into `destination`, or only `names` and their @genxai dependencies when
 * given; returns a Map of package name to tarball path.
 */
export function packAll(destination, names) {
  mkdirSync(destination, { recursive: true });
  const tarballs = new Map();
  const wanted = names === undefined ? undefined : new Set(withGenxaiDependencies(names));
  for (const { dir, pkg } of libraries()) {
    if (wanted !== undefined && !wanted.has(pkg.name)) continue;
    const before = new Set(readdirSync(destination));
    pnpm(['pack', '--pack-destination', destination], dir);
    const created = readdirSync(destination).find((file) => !before.has(file));
    assert.ok(created, `pnpm pack made no tarball for ${pkg.name}`);
    tarballs.set(pkg.name, join(destination, created));
  }
  return tarballs;
}

/** `names` and their @genxai dependencies, transitively (those are not published, so come from tarballs too). */
function withGenxaiDependencies(names) {
  const all = libraries();
  const wanted = new Set();
  const visit = (name) => {
    if (wanted.has(name)) return;
    const library = all.find(({ pkg }) => pkg.name === name);
    assert.ok(library, `${name} is not a publishable package of the workspace`);
    wanted.add(name);
    for (const dep of Object.keys(library.pkg.dependencies ?? {})) if (dep.startsWith('@genxai/')) visit(dep);
  };
  for (const name of names) visit(name);
  return [...wanted];
}

/** The tarballs of `names` and of their @genxai dependencies (not published, so installed from tarballs too). */
export function tarballsFor(tarballs, names) {
  return withGenxaiDependencies(names).map((name) => {
    assert.ok(tarballs.has(name), `${name} was not packed`);
    return tarballs.get(name);
  });
}

// The environment of npm: the caller's, less what the workspace's pnpm or the caller's shell set for
// npm, so that the install is the plain one a user gets. `legacy-peer-deps` and `force` are pinned
// off, because either would hide exactly the peer conflicts these installs are here to find.
function npmEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^npm_(config|package|lifecycle)_/i.test(key) &&
      !/^npm_config_(cache|registry|userconfig)$/i.test(key)
    ) {
      continue;
    }
    env[key] = value;
  }
  return {
    ...env,
    npm_config_legacy_peer_deps: 'false',
    npm_config_force: 'false',
    npm_config_strict_peer_deps: 'false',
    npm_config_loglevel: 'warn',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** Makes an empty npm project `label` under `work`. */
export function createProject(work, label) {
  const project = join(work, label);
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: `smoke-${label}`, private: true })}\n`,
  );
  return project;
}

/**
 * Runs a plain `npm install SPECS` (no --legacy-peer-deps, no --force) in `project`, at npm's
 * default `warn` log level, and resolves with its output and every line of it that speaks of a
 * peer dependency. Rejects when npm fails, and kills npm (its whole process group) when it runs
 * past `timeoutMs` or loops printing `ERESOLVE overriding peer dependency`.
 */
export function npmInstall(project, specs, { timeoutMs = NPM_INSTALL_TIMEOUT_MS } = {}) {
  const command = `npm install ${specs.join(' ')}`;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('npm', ['install', ...specs], {
      cwd: project,
      env: npmEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a hung npm is killed with its children
    });
    let stdout = '';
    const lastLines = [];
    const peerTrouble = [];
    let overrides = 0;
    let partial = '';
    let stopped;
    const stop = (reason) => {
      if (stopped !== undefined) return;
      stopped = reason;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => stop(`did not finish within ${timeoutMs / 1000} s`), timeoutMs);
    const onLine = (line) => {
      lastLines.push(line);
      if (lastLines.length > 60) lastLines.shift();
      if (PEER_TROUBLE.test(line) && peerTrouble.length < 100) peerTrouble.push(line);
      if (OVERRIDE_WARNING.test(line) && ++overrides >= LOOPING_OVERRIDES) {
        stop(`printed "overriding peer dependency" ${overrides} times`);
      }
    };
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (stdout.length < 1_000_000) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) onLine(line);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (partial !== '') onLine(partial);
      const stderr = lastLines.join('\n');
      if (stopped !== undefined) {
        reject(
          new Error(
            `${command} (in ${project}) ${stopped} and was killed. npm's known failure mode on a peer ` +
              'conflict is to loop printing "ERESOLVE overriding peer dependency" forever; it printed that ' +
              `${overrides} times. Last lines of its output:\n${stderr}`,
          ),
        );
        return;
      }
      if (code !== 0) {
        reject(
          new Error(`${command} (in ${project}) failed with ${signal ?? `exit code ${code}`}:\n${stderr}`),
        );
        return;
      }
      resolve({ stdout, stderr, peerTrouble, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

/** Fails when npm said anything about a peer dependency (ERESOLVE, conflicting or overridden peers). */
export function assertNoPeerTrouble(install, what) {
  assert.deepEqual(
    install.peerTrouble,
    [],
    `npm install of ${what} must report no peer-dependency problem, but printed:\n${install.peerTrouble.join('\n')}`,
  );
}

/** Fails when `npm ls --all` finds an invalid, missing or extraneous package in the tree. */
export function assertValidTree(project) {
  const result = spawnSync('npm', ['ls', '--all'], { cwd: project, env: npmEnvironment(), encoding: 'utf8' });
  assert.equal(
    result.status,
    0,
    `npm ls --all must find a valid tree in ${project}:\n${result.stderr}\n${result.stdout
      .split('\n')
      .filter((line) => /invalid|missing|extraneous|UNMET/i.test(line))
      .join('\n')}`,
  );
}

/**
 * The npm projects of one smoke-test file, in a temporary folder of its own. Declares node:test hooks at the
 * level it is called from: `before` packs `names` and their @genxai dependencies (unless `skip`), `after` removes
 * the folder. `install(label, names, specs)` makes a project with `specs` and the tarballs of `names`, and fails
 * on any peer-dependency warning or invalid tree.
 */
export function packedProjects(prefix, { names, skip } = {}) {
  let work;
  let tarballs;
  before(() => {
    if (skip) return;
    work = mkdtempSync(join(tmpdir(), prefix));
    tarballs = packAll(join(work, 'tarballs'), names);
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });
  const install = async (label, installed, specs = []) => {
    const project = createProject(work, label);
    const result = await npmInstall(project, [...specs, ...tarballsFor(tarballs, installed)]);
    assertNoPeerTrouble(result, [...installed, ...specs].join(' + '));
    assertValidTree(project);
    return project;
  };
  return { install };
}

/** The folders holding a copy of `name` in the project's tree (a user must never get two API copies). */
export function copiesOf(project, name) {
  const result = spawnSync('npm', ['ls', name, '--all', '--parseable'], {
    cwd: project,
    env: npmEnvironment(),
    encoding: 'utf8',
  });
  return [...new Set(result.stdout.split('\n').filter((line) => line.endsWith(`/node_modules/${name}`)))];
}

/** The version of `name` installed at the top of the project's node_modules, or undefined. */
export function installedVersion(project, name) {
  // Read as a file: SDK 3 packages do not export ./package.json.
  const manifest = join(project, 'node_modules', name, 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

/** Fails unless each package is installed at the top of the project's node_modules with its major: `{ ai: 7 }`. */
export function assertMajors(project, majors) {
  for (const [name, major] of Object.entries(majors)) {
    const version = installedVersion(project, name);
    assert.equal(Number(version?.split('.')[0]), major, `${name} ${major}.x is installed, got ${version}`);
  }
}

/**
 * Fails unless the project has one OpenTelemetry line: SDK 2 (`@opentelemetry/api` 1.9.x, sdk-trace 2.x,
 * sdk-node 0.2xx when there) or SDK 3 (api 1.10.x, sdk-trace 3.x, sdk-node 0.3xx), with one copy of the API.
 */
export function assertSdkLine(project, major) {
  const api = installedVersion(project, '@opentelemetry/api');
  const sdkTrace = installedVersion(project, '@opentelemetry/sdk-trace');
  const sdkNode = installedVersion(project, '@opentelemetry/sdk-node');
  assert.match(
    api ?? 'none',
    major === 3 ? /^1\.10\./ : /^1\.9\./,
    `SDK ${major} line: @opentelemetry/api is ${api}`,
  );
  assert.match(
    sdkTrace ?? 'none',
    new RegExp(`^${major}\\.`),
    `SDK ${major} line: @opentelemetry/sdk-trace is ${sdkTrace}`,
  );
  if (sdkNode !== undefined) {
    assert.match(sdkNode, new RegExp(`^0\\.${major}\\d\\d\\.`), `SDK ${major} line: sdk-node is ${sdkNode}`);
  }
  assert.deepEqual(
    copiesOf(project, '@opentelemetry/api'),
    [join(project, 'node_modules', '@opentelemetry', 'api')],
    'one copy of @opentelemetry/api',
  );
}

/** True when `name` is installed anywhere in the project's node_modules (hoisted or nested). */
export function isInstalled(project, name) {
  return existsSync(join(project, 'node_modules', name)) || copiesOf(project, name).length > 0;
}

/**
 * Writes `source` to `file` in the project and runs it with this Node.js, with no OTEL_* variable
 * from the caller's environment (plus `env`). Resolves with stdout and stderr; throws with both when
 * the program fails.
 */
export function runIn(project, file, source, env = {}) {
  writeFileSync(join(project, file), source);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_') && key !== 'NODE_TEST_CONTEXT'),
  );
  const result = spawnSync(process.execPath, [file], {
    cwd: project,
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: PROGRAM_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `${file} in ${project} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}):\n` +
        `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The last stdout line of a program, parsed as JSON (the programs print their result last). */
export function lastJsonLine(stdout) {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines.at(-1));
}

/** The same program's module loading from ESM and from CJS: [[file, loading source], ...]. */
export function moduleFormats(imports) {
  const esm = Object.entries(imports)
    .map(([from, names]) => `import { ${names.join(', ')} } from '${from}';`)
    .join('\n');
  const cjs = Object.entries(imports)
    .map(([from, names]) => `const { ${names.join(', ')} } = require('${from}');`)
    .join('\n');
  return [
    ['ESM', 'esm.mjs', esm],
    ['CJS', 'cjs.cjs', cjs],
  ];
}
