// The Node 24 lane: the packed tarballs installed with plain `npm install` beside the OpenTelemetry SDK 3 line
// (`@opentelemetry/sdk-node@latest @opentelemetry/api@latest`, which npm resolves to sdk-node 0.30x, sdk-trace
// 3.x and api 1.10 on Node >= 22.15), and used from ESM and CJS as a user on Node 24 would.
//
//   PATH=/path/to/node24/bin:$PATH npx -y pnpm@12.4.2 test:node24
//
// On an older Node.js every test here is skipped with the reason printed, except under GENXAI_NODE24_LANE=1
// (set by `test:node24`), where an older Node.js fails the run.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeLlmSdkSmokes } from '../lib/llm-programs.mjs';
import {
  assertDefaults,
  assertNodeSdkSpans,
  assertNoSdk,
  assertOtlpTree,
  defaultsProgram,
  installSpecsIn,
  nodeSdkProgram,
  noSdkProgram,
  otlpTreeProgram,
} from '../lib/programs.mjs';
import {
  assertNoPeerTrouble,
  assertSdkLine,
  assertValidTree,
  createProject,
  installedVersion,
  libraries,
  moduleFormats,
  npmInstall,
  packAll,
  runIn,
  sdk3LaneSkipReason,
  tarballsFor,
} from '../lib/smoke.mjs';

const skip = sdk3LaneSkipReason();

/** What a user on Node 24 installs beside our packages. */
const SDK3 = ['@opentelemetry/sdk-node@latest', '@opentelemetry/api@latest'];

let work;
let tarballs;

before(() => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), 'genxai-node24-'));
  tarballs = packAll(join(work, 'tarballs'));
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Installs `names` (and their @genxai dependencies) from their tarballs beside SDK 3 and `specs`, and checks the
 * install.
 */
async function installBesideSdk3(label, names, specs = []) {
  const project = createProject(work, label);
  const install = await npmInstall(project, [...SDK3, ...specs, ...tarballsFor(tarballs, names)]);
  assertNoPeerTrouble(install, `${[...names, ...specs].join(' + ')} with ${SDK3.join(' ')}`);
  assertValidTree(project);
  return project;
}

const assertSdk3 = (project) => assertSdkLine(project, 3);

// The tracing package and the umbrella get the same install in their own sections below.
const TESTED_BELOW = new Set(['@genxai/tracing', '@genxai/observability']);

describe('each package installs alone beside @opentelemetry/sdk-node@latest on Node 24', { skip }, () => {
  const names = skip ? [] : libraries().map(({ pkg }) => pkg.name);
  for (const name of names.filter((name) => !TESTED_BELOW.has(name))) {
    it(`${name}: no peer-dependency warning, and it loads from ESM and CJS`, async () => {
      const project = await installBesideSdk3(name.replace('@genxai/', ''), [name]);
      assertSdk3(project);
      for (const [file, load] of [
        ['esm.mjs', `import * as library from '${name}';`],
        ['cjs.cjs', `const library = require('${name}');`],
      ]) {
        const { stdout } = runIn(
          project,
          file,
          `${load}\nprocess.stdout.write(JSON.stringify(Object.keys(library).length) + '\\n');`,
        );
        assert.ok(Number(stdout.trim()) > 0, `${name} exports something from ${file}`);
      }
    });
  }
});

describe('@genxai/tracing alone beside SDK 3 on Node 24: OTLP over the wire', { skip }, () => {
  let project;
  before(async () => {
    project = await installBesideSdk3('tracing', ['@genxai/tracing']);
  });

  it('has SDK 3 where @genxai/tracing looks for it', () => {
    assertSdk3(project);
    // setupTracing looks its SDK up from its own folder first: that must be the SDK 3 copy.
    const fromTracing = createRequire(join(project, 'node_modules', '@genxai', 'tracing', 'package.json'));
    assert.equal(
      fromTracing.resolve('@opentelemetry/sdk-trace'),
      createRequire(join(project, 'package.json')).resolve('@opentelemetry/sdk-trace'),
    );
  });

  for (const [format, file, load] of moduleFormats({ '@genxai/tracing': ['setupTracing'] })) {
    it(`sends a workflow → agent → llm trace to an OTLP sink from ${format}`, () => {
      assertOtlpTree(runIn(project, file, otlpTreeProgram(load)).stdout, { sdkMajor: 3 });
    });
  }
});

describe('@genxai/observability alone beside SDK 3 on Node 24', { skip }, () => {
  let project;
  before(async () => {
    // The umbrella alone (its tarball and those of its @genxai dependencies, @genxai/metrics among them).
    project = await installBesideSdk3('umbrella', ['@genxai/observability']);
  });

  it('has SDK 3 and no dashboard generator', () => {
    assertSdk3(project);
    assert.equal(installedVersion(project, '@genxai/obs-grafana'), undefined);
  });

  for (const [format, file, load] of moduleFormats({
    '@opentelemetry/api': ['trace'],
    '@opentelemetry/sdk-node': ['NodeSDK'],
    '@genxai/observability': ['setupObservability'],
  })) {
    it(`records into a started NodeSDK's tracer provider from ${format}`, () => {
      const output = runIn(project, file, nodeSdkProgram(load), {
        // Hermetic: the NodeSDK would otherwise start OTLP log and metric exporters to localhost.
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
      });
      assertNodeSdkSpans(output.stdout, { sdkMajor: 3 });
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

describe('@genxai/tracing with no trace SDK installed, on Node 24', { skip }, () => {
  let project;
  let missingPeerMessage;
  before(async () => {
    project = createProject(work, 'tracing-no-sdk');
    const install = await npmInstall(project, [
      '@opentelemetry/api@latest',
      ...tarballsFor(tarballs, ['@genxai/tracing']),
    ]);
    assertNoPeerTrouble(install, '@genxai/tracing with @opentelemetry/api only');
    assertValidTree(project);
  });

  it('has no SDK package', () => {
    assert.match(installedVersion(project, '@opentelemetry/api'), /^1\.10\./);
    for (const name of ['@opentelemetry/sdk-trace', '@opentelemetry/sdk-trace-base', '@opentelemetry/core']) {
      assert.equal(installedVersion(project, name), undefined, `${name} should not be installed`);
    }
  });

  for (const [format, file, load] of moduleFormats({ '@genxai/tracing': ['setupTracing'] })) {
    it(`warns once, still runs the wrapped code, and needs an SDK for an exporter, from ${format}`, () => {
      missingPeerMessage = assertNoSdk(runIn(project, file, noSdkProgram(load)), {
        installLine: /npm install @opentelemetry\/sdk-node/,
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
    assertOtlpTree(runIn(project, `otlp-${file}`, otlpTreeProgram(load)).stdout, { sdkMajor: 3 });
  });
});

describe('@genxai/logging OTLP export beside SDK 3 on Node 24', { skip }, () => {
  it('sends redacted records with their span ids to an OTLP sink, decoded with the official protobuf definitions', async () => {
    // sdk-node brings the SDK 3 logs packages (sdk-logs 3.x, the 0.30x log exporters, api 1.10).
    const project = await installBesideSdk3('logging-otlp', ['@genxai/logging']);
    assertSdk3(project);
    const root = new URL('../..', import.meta.url).pathname;
    const { execFileSync } = await import('node:child_process');
    const output = execFileSync(
      process.execPath,
      [join(root, 'packages/logging/scripts/check-otlp-sdk3.mjs'), join(project, 'node_modules')],
      { encoding: 'utf8', timeout: 180_000 },
    );
    assert.match(output, /all SDK 3 checks passed/, output);
  });
});

// The current major of each LLM SDK through our wrapper of it, beside SDK 3: `openai` 7, `ai` 7 and
// `@ai-sdk/openai` 4 need Node >= 22, so only this lane installs them. A local server speaks the provider's wire
// format (JSON, and SSE for a stream), and the real SDK talks to it (scripts/lib/llm-programs.mjs).
const LLM_SDKS_LATEST = {
  '@genxai/openai': { openai: 7 },
  '@genxai/anthropic': { '@anthropic-ai/sdk': 1 },
  '@genxai/ai-sdk': { ai: 7, '@ai-sdk/openai': 4 },
};

describeLlmSdkSmokes(LLM_SDKS_LATEST, {
  lane: 'beside SDK 3 on Node 24',
  spec: (sdk) => `${sdk}@latest`,
  install: installBesideSdk3,
  sdkLine: 3,
  skip,
});
