// OTLP log export against OpenTelemetry SDK 3 (sdk-logs 3.x, exporters 0.30x, api 1.10), which
// needs Node >= 22.15, so it cannot run in the Node 20 vitest suite. It installs the built package
// into a throwaway application beside an SDK 3 node_modules, as an application would have it,
// exports to a local sink, decodes what arrives and asserts on it.
//
//   PATH=<node 24 folder>/bin:$PATH node scripts/check-otlp-sdk3.mjs [SDK3_NODE_MODULES]
//
// SDK3_NODE_MODULES (default /tmp/sdk3/node_modules) must hold @opentelemetry/api@1.10,
// sdk-logs@3, resources@3, exporter-logs-otlp-proto and -http@0.30x, sdk-trace@3 and
// context-async-hooks@3. Build the package first. Exits non-zero on the first failed check.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sdk3 = resolve(process.argv[2] ?? '/tmp/sdk3/node_modules');
const requireHere = createRequire(join(packageDir, 'package.json'));

const SDK3_PACKAGES = [
  'api',
  'sdk-logs',
  'resources',
  'exporter-logs-otlp-proto',
  'exporter-logs-otlp-http',
  'sdk-trace',
  'context-async-hooks',
];

function versionOf(name) {
  // Read as a file: SDK 3 packages do not export ./package.json.
  return JSON.parse(readFileSync(join(sdk3, '@opentelemetry', name, 'package.json'), 'utf8')).version;
}

/** An application folder: the built package, pino, obs-core, and the SDK 3 packages. */
function makeApp() {
  const app = mkdtempSync(join(tmpdir(), 'genxai-otlp-sdk3-'));
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, '@genxai', 'logging'), { recursive: true });
  mkdirSync(join(modules, '@opentelemetry'), { recursive: true });
  cpSync(join(packageDir, 'dist'), join(modules, '@genxai', 'logging', 'dist'), { recursive: true });
  cpSync(join(packageDir, 'package.json'), join(modules, '@genxai', 'logging', 'package.json'));
  for (const name of ['pino', 'pino-pretty']) {
    symlinkSync(
      realpathSync(dirname(requireHere.resolve(`${name}/package.json`))),
      join(modules, name),
      'dir',
    );
  }
  symlinkSync(realpathSync(join(packageDir, '..', 'obs-core')), join(modules, '@genxai', 'obs-core'), 'dir');
  for (const name of SDK3_PACKAGES) {
    symlinkSync(
      realpathSync(join(sdk3, '@opentelemetry', name)),
      join(modules, '@opentelemetry', name),
      'dir',
    );
  }
  writeFileSync(join(app, 'package.json'), '{ "private": true, "type": "module" }');
  return app;
}

// The official opentelemetry-proto definitions, as the Node 20 tests decode them.
const protoRoot = createRequire(join(packageDir, '..', 'test-utils', 'package.json'))(
  '@opentelemetry/otlp-transformer/build/src/generated/root',
);
const ExportLogsServiceRequest = protoRoot.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

function decodeProtobuf(body) {
  return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), {
    longs: Number,
    arrays: true,
    defaults: false,
  });
}

function anyValue(value) {
  if (value === undefined) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in value) return keyValues(value.kvlistValue.values);
  return null;
}

function keyValues(list) {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, anyValue(value)]));
}

/** Every record of decoded requests, ids as hex (protobuf gives bytes, OTLP/JSON hex strings). */
function records(requests) {
  const id = (value) => (typeof value === 'string' ? value : Buffer.from(value ?? []).toString('hex'));
  return requests.flatMap((request) =>
    request.resourceLogs.flatMap((resourceLogs) =>
      resourceLogs.scopeLogs.flatMap((scopeLogs) =>
        scopeLogs.logRecords.map((record) => ({
          resource: keyValues(resourceLogs.resource?.attributes),
          scope: scopeLogs.scope?.name,
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          body: anyValue(record.body),
          attributes: keyValues(record.attributes),
          traceId: id(record.traceId),
          spanId: id(record.spanId),
          flags: record.flags,
        })),
      ),
    ),
  );
}

async function startSink() {
  const bodies = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push({ contentType: request.headers['content-type'], body: Buffer.concat(chunks) });
      response.writeHead(200).end();
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/logs`,
    bodies,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(done);
      }),
  };
}

function run(app, script) {
  const file = join(app, `check-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  // No NODE_PATH: only what the application folder holds resolves.
  const { NODE_PATH: _, ...env } = process.env;
  const child = spawn(process.execPath, [file], { cwd: app, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

const PLANTED = 'sk-planted-0123456789abcdefghij';

function loggingScript(url, protocol) {
  return `
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { createLogger, shutdownLogger } from '@genxai/logging';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = new TracerProvider().getTracer('sdk3-check');
const logger = createLogger({
  env: {},
  redactPaths: ['user.email'],
  otlp: { url: ${JSON.stringify(url)}, protocol: ${JSON.stringify(protocol)}, serviceName: 'sdk3-check' },
});
const ids = await tracer.startActiveSpan('agent.execute', async (span) => {
  await new Promise((done) => setTimeout(done, 1));
  logger.child({ agent_id: 'agent-7' }).info(
    { apiKey: '${PLANTED}', user: { email: 'ada@example.com', id: 'u1' }, tokens_used: 512 },
    'inside key ${PLANTED}',
  );
  span.end();
  return span.spanContext();
});
logger.error({ err: new Error('db password=hunter2 refused') }, 'failed');
await shutdownLogger(logger);
console.error(JSON.stringify({ ids }));
`;
}

async function checkProtocol(app, protocol) {
  const sink = await startSink();
  try {
    const result = await run(app, loggingScript(sink.url, protocol));
    assert.equal(result.status, 0, result.stderr);
    const { ids } = JSON.parse(result.stderr.trim().split('\n').at(-1));
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    assert.equal(lines[0].trace_id, ids.traceId, 'the JSON line has the trace id (api 1.10 mixin)');
    const raw = Buffer.concat(sink.bodies.map(({ body }) => body)).toString('latin1');
    for (const secret of [PLANTED, 'ada@example.com', 'hunter2']) {
      assert.ok(!raw.includes(secret), `${secret} reached the collector`);
      assert.ok(!result.stdout.includes(secret), `${secret} reached the JSON line`);
    }
    const decoded =
      protocol === 'http/json'
        ? sink.bodies.map(({ contentType, body }) => {
            assert.equal(contentType, 'application/json');
            return JSON.parse(body.toString('utf8'));
          })
        : sink.bodies.map(({ contentType, body }) => {
            assert.equal(contentType, 'application/x-protobuf');
            return decodeProtobuf(body);
          });
    const [inside, failed] = records(decoded);
    assert.equal(inside.resource['service.name'], 'sdk3-check');
    assert.equal(inside.scope, '@genxai/logging');
    assert.equal(inside.severityNumber, 9);
    assert.equal(inside.severityText, 'INFO');
    assert.equal(inside.body, 'inside key ***REDACTED***');
    assert.equal(inside.traceId, ids.traceId);
    assert.equal(inside.spanId, ids.spanId);
    assert.equal(inside.flags, 1);
    assert.deepEqual(
      { ...inside.attributes, pid: 0, hostname: '' },
      {
        pid: 0,
        hostname: '',
        agent_id: 'agent-7',
        apiKey: '***REDACTED***',
        user: { email: '***REDACTED***', id: 'u1' },
        tokens_used: 512,
      },
    );
    assert.equal(failed.severityNumber, 17);
    assert.equal(failed.severityText, 'ERROR');
    assert.equal(failed.attributes['exception.type'], 'Error');
    assert.equal(failed.attributes['exception.message'], 'db password=***REDACTED*** refused');
    assert.equal(failed.traceId, '', 'no span: no trace id');
    console.log(`ok ${protocol}: body, severity, attributes, resource, traceId/spanId/flags, redaction`);
  } finally {
    await sink.close();
  }
}

async function checkExitFlush(app) {
  const sink = await startSink();
  try {
    const result = await run(
      app,
      `import { createLogger } from '@genxai/logging';
const logger = createLogger({ env: {}, destination: '/dev/null', otlp: { url: ${JSON.stringify(sink.url)} } });
for (let i = 0; i < 500; i++) logger.info({ i }, 'line');`,
    );
    assert.equal(result.status, 0, result.stderr);
    const count = records(sink.bodies.map(({ body }) => decodeProtobuf(body))).length;
    assert.equal(count, 500, 'every record of a process that ends on its own');
    console.log('ok exit: 500 records exported by a process that ended on its own, no flush call');
  } finally {
    await sink.close();
  }
}

const [major, minor] = process.versions.node.split('.').map(Number);
assert.ok(
  major > 22 || (major === 22 && minor >= 15),
  `SDK 3 needs Node >= 22.15, this is ${process.version}`,
);
console.log(
  `Node ${process.version}; ${SDK3_PACKAGES.map((name) => `@opentelemetry/${name}@${versionOf(name)}`).join(', ')}`,
);
const app = makeApp();
await checkProtocol(app, 'http/protobuf');
await checkProtocol(app, 'http/json');
await checkExitFlush(app);
console.log('all SDK 3 checks passed');
