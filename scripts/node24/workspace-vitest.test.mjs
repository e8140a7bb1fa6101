// The Node 24 lane, part two: the vitest suites that drive an OpenTelemetry SDK, run under this Node.js from
// the workspace. They use the workspace's SDK 2 devDependencies (SDK 2 runs on Node 24 too); the SDK 3 line is
// covered from the packed tarballs by sdk3.test.mjs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, sdk3LaneSkipReason } from '../lib/smoke.mjs';

const skip = sdk3LaneSkipReason();

// Generous: this is a shared, noisy 2-core machine; each suite takes well under a minute on it.
const SUITE_TIMEOUT_MS = 10 * 60_000;

const SUITES = ['tracing', 'observability'];

// node --test marks its children with NODE_TEST_CONTEXT; vitest's workers are not node:test children.
function withoutTestRunnerContext(env) {
  const { NODE_TEST_CONTEXT: _context, ...rest } = env;
  return rest;
}

describe(`vitest suites under Node.js ${process.version}`, { skip }, () => {
  for (const name of SUITES) {
    it(`packages/${name}`, (t) => {
      const result = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run'],
        {
          cwd: join(ROOT, 'packages', name),
          env: { ...withoutTestRunnerContext(process.env), NO_COLOR: '1', FORCE_COLOR: '0' },
          encoding: 'utf8',
          timeout: SUITE_TIMEOUT_MS,
          killSignal: 'SIGKILL',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const output = `${result.stdout}\n${result.stderr}`;
      const summary = output
        .split('\n')
        .filter((line) => /^\s*(Test Files|Tests|Duration)\s/.test(line))
        .map((line) => line.trim());
      for (const line of summary) t.diagnostic(line);
      assert.equal(
        result.status,
        0,
        `vitest in packages/${name} failed under Node.js ${process.version} ` +
          `(${result.error?.message ?? `exit ${result.status ?? result.signal}`}):\n${output.slice(-20_000)}`,
      );
      assert.ok(
        summary.some((line) => /^Tests\s+\d+ passed/.test(line)),
        `vitest ran tests:\n${output}`,
      );
    });
  }
});
