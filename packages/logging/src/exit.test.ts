import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHttpSink } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
// A new test-utils file, not yet exported from its index.
import { decodeOtlpLogsProtobuf, otlpLogRecords, otlpValue } from '../../test-utils/src/otlp-logs';

// These run the built package in a real child process, as an application would.
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(packageDir, 'dist', 'index.js');
const LINES = 5000;

function runScript(body: string) {
  return spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `import * as logging from ${JSON.stringify(dist)};\n${body}`],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: '' },
    },
  );
}

/** runScript, without blocking this process: the OTLP sink in it must keep answering. */
function runScriptAsync(body: string) {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `import * as logging from ${JSON.stringify(dist)};\n${body}`],
    { env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: '' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function protobufSink() {
  return startHttpSink((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
}

function parseLines(text: string) {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('no line is lost on exit', () => {
  it(`keeps all ${LINES} stdout lines when the process calls process.exit`, () => {
    const result = runScript(`
      const logger = logging.createLogger();
      for (let i = 0; i < ${LINES}; i++) logger.info({ i, payload: 'x'.repeat(200) }, 'line');
      process.exit(0);
    `);
    expect(result.status).toBe(0);
    const lines = parseLines(result.stdout);
    expect(lines).toHaveLength(LINES);
    expect(lines.map((line) => line.i)).toEqual(Array.from({ length: LINES }, (_, i) => i));
  });

  it('keeps all lines of a buffered (sync: false) file destination on process.exit', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'genxai-exit-')), 'app.log');
    const result = runScript(`
      const logger = logging.createLogger({ destination: ${JSON.stringify(file)}, sync: false });
      for (let i = 0; i < ${LINES}; i++) logger.info({ i }, 'line');
      process.exit(3);
    `);
    expect(result.status).toBe(3);
    expect(parseLines(readFileSync(file, 'utf8'))).toHaveLength(LINES);
  });

  it.each([true, false])('keeps all pretty lines written to a file on process.exit (sync: %s)', (sync) => {
    const file = join(mkdtempSync(join(tmpdir(), 'genxai-exit-pretty-')), 'logs', 'app.log');
    const result = runScript(`
      const logger = logging.createLogger({ pretty: true, destination: ${JSON.stringify(file)}, sync: ${sync} });
      for (let i = 0; i < ${LINES}; i++) logger.info('pretty line ' + i);
      process.exit(4);
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(4);
    const numbers = [...readFileSync(file, 'utf8').matchAll(/INFO.*: pretty line (\d+)$/gm)].map((match) =>
      Number(match[1]),
    );
    expect(numbers).toEqual(Array.from({ length: LINES }, (_, i) => i));
  });

  it('logs an uncaught exception at CRITICAL after every earlier line, then exits 1', () => {
    const result = runScript(`
      const logger = logging.createLogger();
      logging.logFatalErrors(logger);
      for (let i = 0; i < ${LINES}; i++) logger.info({ i }, 'line');
      setTimeout(() => { throw Object.assign(new Error('db password=hunter2 refused'), { code: 'E_DB' }); }, 1);
    `);
    expect(result.status).toBe(1);
    const lines = parseLines(result.stdout);
    expect(lines).toHaveLength(LINES + 1);
    expect(lines.at(-1)).toMatchObject({
      level: 'CRITICAL',
      message: 'uncaught exception',
      err: { type: 'Error', code: 'E_DB', message: 'db password=***REDACTED*** refused' },
    });
  });
});

describe('no OTLP record is lost at exit', () => {
  const RECORDS = 2000;

  it(`exports all ${RECORDS} records of a process that ends on its own, with no flush call`, async () => {
    const sink = await protobufSink();
    try {
      const result = await runScriptAsync(`
        const logger = logging.createLogger({ otlp: { url: '${sink.url}/v1/logs' } });
        for (let i = 0; i < ${RECORDS}; i++) logger.info({ i }, 'line');
      `);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(parseLines(result.stdout)).toHaveLength(RECORDS);
      const records = otlpLogRecords(sink.requests.map((request) => decodeOtlpLogsProtobuf(request.body)));
      expect(records.map(({ record }) => otlpValue(record.body))).toEqual(Array(RECORDS).fill('line'));
    } finally {
      await sink.close();
    }
  });

  it('logFatalErrors exports the CRITICAL record before it exits', async () => {
    const sink = await protobufSink();
    try {
      const result = await runScriptAsync(`
        const logger = logging.createLogger({ otlp: { url: '${sink.url}/v1/logs' } });
        logging.logFatalErrors(logger);
        logger.info('before');
        setTimeout(() => { throw new Error('db password=hunter2 refused'); }, 1);
      `);
      expect(result.status).toBe(1);
      const records = otlpLogRecords(sink.requests.map((request) => decodeOtlpLogsProtobuf(request.body)));
      expect(records.map(({ record }) => [record.severityText, otlpValue(record.body)])).toEqual([
        ['INFO', 'before'],
        ['CRITICAL', 'uncaught exception'],
      ]);
      expect(Buffer.concat(sink.requests.map((request) => request.body)).toString('latin1')).not.toContain(
        'hunter2',
      );
    } finally {
      await sink.close();
    }
  });

  it('shutdownLogger before process.exit sends everything', async () => {
    const sink = await protobufSink();
    try {
      const result = await runScriptAsync(`
        const logger = logging.createLogger({ otlp: { url: '${sink.url}/v1/logs' } });
        for (let i = 0; i < 10; i++) logger.info({ i }, 'line');
        await logging.shutdownLogger(logger);
        process.exit(0);
      `);
      expect(result.status).toBe(0);
      expect(
        otlpLogRecords(sink.requests.map((request) => decodeOtlpLogsProtobuf(request.body))),
      ).toHaveLength(10);
    } finally {
      await sink.close();
    }
  });
});

describe('without @opentelemetry/api installed', () => {
  it('loads and logs, with no trace fields', () => {
    // An application folder that has pino and obs-core but no OTel package anywhere above it.
    const app = mkdtempSync(join(tmpdir(), 'genxai-no-otel-'));
    const modules = join(app, 'node_modules');
    const requireHere = createRequire(join(packageDir, 'package.json'));
    mkdirSync(join(modules, '@genxai', 'logging'), { recursive: true });
    cpSync(join(packageDir, 'dist'), join(modules, '@genxai', 'logging', 'dist'), { recursive: true });
    cpSync(join(packageDir, 'package.json'), join(modules, '@genxai', 'logging', 'package.json'));
    const link = (name: string) =>
      symlinkSync(
        realpathSync(dirname(requireHere.resolve(`${name}/package.json`))),
        join(modules, name),
        'dir',
      );
    link('pino');
    link('pino-pretty');
    symlinkSync(
      realpathSync(join(packageDir, '..', 'obs-core')),
      join(modules, '@genxai', 'obs-core'),
      'dir',
    );
    const script = join(app, 'main.mjs');
    const body = `import { createLogger } from '@genxai/logging';
      import { createRequire } from 'node:module';
      try { createRequire(import.meta.url)('@opentelemetry/api'); console.error('otel present'); } catch {}
      createLogger().info({ agent_id: 'a' }, 'no otel');
      try { createLogger({ otlp: true }); } catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }`;
    writeFileSync(join(app, 'package.json'), '{ "private": true, "type": "module" }');
    writeFileSync(script, body);
    // pnpm's bin shims set NODE_PATH to the store, where OTel is; an application has no such path.
    const { NODE_PATH: _, ...env } = process.env;
    const result = spawnSync(process.execPath, [script], { cwd: app, encoding: 'utf8', env });
    expect(result.stderr).toBe('');
    const [line, missing] = parseLines(result.stdout);
    expect(line).toMatchObject({ message: 'no otel', agent_id: 'a', level: 'INFO' });
    expect(line).not.toHaveProperty('trace_id');
    // OTLP export asked for without its peers: a setup error that says what to install.
    expect(missing?.code).toBe('GENXAI_MISSING_PEER');
    expect(missing?.message).toMatch(
      /needs the optional peer dependency @opentelemetry\/api\..*npm install @opentelemetry\/sdk-logs@0\.222\.0/,
    );
  });
});
