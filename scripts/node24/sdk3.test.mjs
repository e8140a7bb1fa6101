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
  lastJsonLine,
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

/** Installs `names` (and their @genxai dependencies) from their tarballs beside SDK 3, and checks the install. */
async function installBesideSdk3(label, names) {
  const project = createProject(work, label);
  const install = await npmInstall(project, [...SDK3, ...tarballsFor(tarballs, names)]);
  assertNoPeerTrouble(install, `${names.join(' + ')} with ${SDK3.join(' ')}`);
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

// The current `openai` major (7.x needs Node >= 22) through @genxai/openai, beside SDK 3: a local server speaks the
// OpenAI wire format (JSON, and SSE for a stream), and the real SDK talks to it.
const openAiProgram = (load) => `${load}
const chunk = (delta, extra = {}) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta, finish_reason: null }], ...extra });
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (part) => (body += part));
  request.on('end', () => {
    const params = JSON.parse(body);
    if (params.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = [chunk({ role: 'assistant', content: 'Lis' }), chunk({ content: 'bon' }),
        { ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        { ...chunk({}), choices: [], usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } }];
      for (const event of events) response.write('data: ' + JSON.stringify(event) + '\\n\\n');
      response.end('data: [DONE]\\n\\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'chatcmpl-2', object: 'chat.completion', created: 1, model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Lisbon' } }],
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } }));
  });
});
server.listen(0, '127.0.0.1', async () => {
  const spans = [];
  const exporter = { export(batch, done) { spans.push(...batch); done({ code: 0 }); }, shutdown: async () => {} };
  const registry = createMetricsRegistry();
  const obs = await setupObservability({ serviceName: 'openai7', metrics: { registry }, tracing: { exporter }, logging: false });
  const client = instrumentOpenAI(new OpenAI({ apiKey: 'test', baseURL: 'http://127.0.0.1:' + server.address().port + '/v1', maxRetries: 0 }), obs);
  const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where?' }] }).withResponse();
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where?' }], stream: true, stream_options: { include_usage: true } });
  let text = '';
  for await (const part of stream) text += part.choices[0]?.delta?.content ?? '';
  await obs.shutdown();
  server.close();
  const { body } = await renderMetrics(registry);
  process.stdout.write(JSON.stringify({ plain: data.choices[0].message.content, status: response.status, text,
    spans: spans.map((span) => ({ name: span.name, attributes: span.attributes })), metrics: body }) + '\\n');
});
`;

describe('@genxai/openai with the current openai major beside SDK 3 on Node 24', { skip }, () => {
  let project;
  before(async () => {
    project = createProject(work, 'openai-latest');
    const install = await npmInstall(project, [
      ...SDK3,
      'openai@latest',
      ...tarballsFor(tarballs, ['@genxai/openai', '@genxai/metrics']),
    ]);
    assertNoPeerTrouble(install, '@genxai/openai with openai@latest and SDK 3');
    assertValidTree(project);
  });

  it('has openai 7 and SDK 3', () => {
    assertSdk3(project);
    assert.equal(Number(installedVersion(project, 'openai')?.split('.')[0]), 7);
  });

  for (const [format, file, load] of moduleFormats({
    'node:http': ['createServer'],
    openai: ['OpenAI'],
    '@genxai/openai': ['instrumentOpenAI'],
    '@genxai/metrics': ['createMetricsRegistry', 'renderMetrics'],
    '@genxai/observability': ['setupObservability'],
  })) {
    it(`records a plain call (withResponse intact) and a streamed one from ${format}`, () => {
      const result = lastJsonLine(runIn(project, `openai-${file}`, openAiProgram(load)).stdout);
      assert.equal(result.plain, 'Lisbon');
      assert.equal(result.status, 200);
      assert.equal(result.text, 'Lisbon');
      const llm = result.spans.filter((span) => span.name === 'llm.generate');
      assert.equal(llm.length, 2);
      const streamed = llm.find((span) => span.attributes['gen_ai.request.stream'] === true);
      assert.equal(streamed.attributes['gen_ai.usage.input_tokens'], 12);
      assert.equal(streamed.attributes['gen_ai.usage.output_tokens'], 4);
      assert.equal(streamed.attributes.status, 'success');
      assert.equal(typeof streamed.attributes['gen_ai.response.time_to_first_chunk'], 'number');
      assert.match(
        result.metrics,
        /^genxai_llm_tokens_total\{provider="openai",model="gpt-4o-mini",token_type="prompt"\} 22$/m,
      );
      assert.match(
        result.metrics,
        /^genxai_llm_time_to_first_token_seconds_count\{provider="openai",model="gpt-4o-mini"\} 1$/m,
      );
    });
  }
});
