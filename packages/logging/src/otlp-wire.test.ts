import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { createWarnOnce, GenxaiObservabilityError, REDACTED } from '@genxai/obs-core';
import { hex, type ReceivedRequest, startHttpSink } from '@genxai/test-utils';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_LINES } from '../../obs-core/src/__fixtures__/secret-corpus';
// A new test-utils file, not yet exported from its index.
import {
  decodeOtlpLogsProtobuf,
  otlpLogRecords,
  otlpValue,
  otlpValues,
} from '../../test-utils/src/otlp-logs';
import { createLogger, type LoggerOptions } from './create-logger';
import { LOG_KEYS, OTLP_SCOPE_NAME, SEVERITY_NUMBERS } from './names';
import { shutdownLogger } from './otlp-destination';
import { createOtlpPipeline } from './otlp-export';
import { type OtlpLogOptions, resolveOtlpLogOptions } from './otlp-options';
import { memoryStream } from './test-helpers';

const contextManager = new AsyncLocalStorageContextManager();
const tracer = new BasicTracerProvider().getTracer('otlp-wire');

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});

afterAll(() => {
  context.disable();
});

const protobufOk = (_request: ReceivedRequest, response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
};

/** A local OTLP/HTTP sink, a logger exporting to it, and the decoded records once the logger is shut down. */
async function exportingLogger(
  options: LoggerOptions = {},
  setup: { respond?: typeof protobufOk; otlp?: OtlpLogOptions } = {},
) {
  const sink = await startHttpSink(setup.respond ?? protobufOk);
  const { stream, raw, lines } = memoryStream();
  const warnings: { code: string; message: string }[] = [];
  const logger = createLogger({
    env: {},
    destination: stream,
    onWarning: (warning) => warnings.push(warning),
    otlp: { url: `${sink.url}/v1/logs`, serviceName: 'wire-logs', ...setup.otlp },
    ...options,
  });
  const received = async () => {
    await shutdownLogger(logger);
    await sink.close();
    return {
      requests: sink.requests,
      records: otlpLogRecords(sink.requests.map((request) => decodeOtlpLogsProtobuf(request.body))),
    };
  };
  return { logger, raw, lines, warnings, requests: sink.requests, received };
}

describe('OTLP log export on the wire (SDK 2: sdk-logs 0.222, exporter-logs-otlp-proto 0.222)', () => {
  it('sends body, severity, attributes, resource and the active span ids as the record fields', async () => {
    const { logger, lines, received } = await exportingLogger();
    const agentLog = logger.child({ agent_id: 'agent-7', agent_role: 'researcher' });
    const ids = await tracer.startActiveSpan('agent.execute', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      agentLog.info(
        { task: 'summarise', tokens_used: 512, duration: 2.5, ok: true },
        'Agent execution completed',
      );
      span.end();
      return span.spanContext();
    });
    agentLog.warn({ tool: 'search' }, 'outside any span');

    const { requests, records } = await received();
    expect(requests.every((request) => request.url === '/v1/logs')).toBe(true);
    expect(requests.every((request) => request.headers['content-type'] === 'application/x-protobuf')).toBe(
      true,
    );
    expect(records).toHaveLength(2);
    const [inside, outside] = records;
    expect(inside?.resource['service.name']).toBe('wire-logs');
    expect(inside?.resource['telemetry.sdk.language']).toBe('nodejs');
    expect(inside?.scope).toBe(OTLP_SCOPE_NAME);
    expect(inside?.record.severityNumber).toBe(SEVERITY_NUMBERS.info);
    expect(inside?.record.severityText).toBe('INFO');
    expect(otlpValue(inside?.record.body)).toBe('Agent execution completed');
    expect(hex(inside!.record.traceId!)).toBe(ids.traceId);
    expect(hex(inside!.record.spanId!)).toBe(ids.spanId);
    expect(inside?.record.flags).toBe(1);
    const attributes = otlpValues(inside?.record.attributes);
    expect(attributes).toMatchObject({
      agent_id: 'agent-7',
      agent_role: 'researcher',
      task: 'summarise',
      tokens_used: 512,
      duration: 2.5,
      ok: true,
    });
    // The record fields carry these; they are not repeated as attributes.
    for (const key of [
      LOG_KEYS.timestamp,
      LOG_KEYS.level,
      LOG_KEYS.message,
      LOG_KEYS.traceId,
      LOG_KEYS.spanId,
    ]) {
      expect(attributes).not.toHaveProperty(key);
    }
    // The record's time is the line's timestamp.
    const [line] = lines();
    expect(inside?.record.timeUnixNano).toBe(Date.parse(line?.timestamp as string) * 1_000_000);
    expect(line).toMatchObject({
      trace_id: ids.traceId,
      span_id: ids.spanId,
      message: 'Agent execution completed',
    });

    expect(outside?.record.severityNumber).toBe(SEVERITY_NUMBERS.warn);
    expect(outside?.record.severityText).toBe('WARNING');
    expect(outside?.record.traceId ?? new Uint8Array()).toHaveLength(0);
    expect(outside?.record.spanId ?? new Uint8Array()).toHaveLength(0);
  });

  it('maps every pino level to its severity number and our level label', async () => {
    const { logger, received } = await exportingLogger({ level: 'trace' });
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    logger.info({ only: 'fields' });
    const { records } = await received();
    expect(records.map(({ record }) => [record.severityNumber, record.severityText])).toEqual([
      [1, 'TRACE'],
      [5, 'DEBUG'],
      [9, 'INFO'],
      [13, 'WARNING'],
      [17, 'ERROR'],
      [21, 'CRITICAL'],
      [9, 'INFO'],
    ]);
    // A line without a message: a record without a body.
    expect(records[6]?.record.body).toBeUndefined();
    expect(otlpValues(records[6]?.record.attributes)).toMatchObject({ only: 'fields' });
  });

  it('never exports a planted secret: fields, nested keys, messages, errors and redactPaths are redacted as on the line', async () => {
    const { logger, raw, received } = await exportingLogger({ redactPaths: ['user.email'] });
    const planted = ['sk-planted-0123456789abcdefghij', 'hunter2-planted', 'ada@example.com'];
    logger.info(
      {
        apiKey: planted[0],
        nested: { deeper: { password: planted[1] } },
        user: { email: planted[2], id: 'u1' },
        tokens_used: 512,
      },
      `calling with key ${planted[0]}`,
    );
    logger.error({ err: new Error(`db password=${planted[1]} refused`) }, 'query failed');
    for (const secretLine of SECRET_LINES) logger.warn({ detail: secretLine.text }, secretLine.text);

    const { requests, records } = await received();
    const body = Buffer.concat(requests.map((request) => request.body)).toString('latin1');
    const written = raw.join('');
    expect(body.length).toBeGreaterThan(0);
    for (const secret of planted) {
      expect(body).not.toContain(secret);
      expect(written).not.toContain(secret);
    }
    // Each corpus line's own secrets are gone from its record (some lines keep another line's
    // secret by design); and nothing is exported that the JSON lines do not show.
    SECRET_LINES.forEach((secretLine, index) => {
      const { record } = records[2 + index]!;
      const exported = JSON.stringify([otlpValue(record.body), otlpValues(record.attributes)]);
      for (const secret of secretLine.secrets) expect(exported).not.toContain(secret);
    });
    for (const secret of SECRET_LINES.flatMap((secretLine) => secretLine.secrets)) {
      if (!written.includes(secret)) expect(body).not.toContain(secret);
    }
    expect(records).toHaveLength(2 + SECRET_LINES.length);
    const [first, failure] = records;
    expect(otlpValues(first?.record.attributes)).toMatchObject({
      apiKey: REDACTED,
      nested: { deeper: { password: REDACTED } },
      user: { email: REDACTED, id: 'u1' },
      tokens_used: 512,
    });
    expect(otlpValue(first?.record.body)).toBe(`calling with key ${REDACTED}`);
    // The error goes under the semantic-convention keys.
    const errorAttributes = otlpValues(failure?.record.attributes);
    expect(errorAttributes['exception.type']).toBe('Error');
    expect(errorAttributes['exception.message']).toBe(`db password=${REDACTED} refused`);
    expect(errorAttributes['exception.stacktrace']).toMatch(
      /^Error: db password=\*\*\*REDACTED\*\*\* refused\n/,
    );
    expect(errorAttributes).not.toHaveProperty('err');
  });

  it('writes the JSON lines exactly as without OTLP', async () => {
    const plain = memoryStream();
    const withoutOtlp = createLogger({
      env: {},
      destination: plain.stream,
      name: 'same',
      pino: { base: {} },
    });
    const { logger, raw, received } = await exportingLogger({ name: 'same', pino: { base: {} } });
    for (const target of [withoutOtlp, logger]) {
      target.child({ agent_id: 'a1' }).info({ apiKey: 'sk-x', n: 1, list: [1, 'two'] }, 'same line');
    }
    await received();
    const withoutTime = (line: string) => line.replace(/"timestamp":"[^"]+"/, '');
    expect(raw.map(withoutTime)).toEqual(plain.raw.map(withoutTime));
  });

  it('uses no active context: with traceCorrelation off, neither the line nor the record has span ids', async () => {
    const { logger, lines, received } = await exportingLogger({ traceCorrelation: false });
    tracer.startActiveSpan('agent.execute', (span) => {
      logger.info('inside');
      span.end();
    });
    const { records } = await received();
    expect(lines()[0]).not.toHaveProperty('trace_id');
    expect(records[0]?.record.traceId ?? new Uint8Array()).toHaveLength(0);
  });

  it('reads OTEL_LOGS_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME from env', async () => {
    const sink = await startHttpSink(protobufOk);
    try {
      const logger = createLogger({
        destination: memoryStream().stream,
        env: {
          OTEL_LOGS_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_ENDPOINT: `${sink.url}/otlp/`,
          OTEL_SERVICE_NAME: 'from-env',
        },
      });
      logger.info('via env');
      await shutdownLogger(logger);
      expect(sink.requests.map((request) => request.url)).toEqual(['/otlp/v1/logs']);
      const [received] = otlpLogRecords(sink.requests.map((request) => decodeOtlpLogsProtobuf(request.body)));
      expect(received?.resource['service.name']).toBe('from-env');
      expect(otlpValue(received?.record.body)).toBe('via env');
    } finally {
      await sink.close();
    }
  });

  it('sends the headers and the resource attributes it is given', async () => {
    const { logger, requests, received } = await exportingLogger(
      {},
      {
        otlp: {
          headers: { 'x-tenant': 'acme' },
          serviceName: 'agent-svc',
          resource: { 'deployment.environment.name': 'test', 'service.version': '1.2.3' },
        },
      },
    );
    logger.info('hello');
    const { records } = await received();
    expect(requests[0]?.headers['x-tenant']).toBe('acme');
    expect(records[0]?.resource).toMatchObject({
      'service.name': 'agent-svc',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
    });
  });

  it('keeps pretty output and a pino.multistream destination as they are', async () => {
    const pretty = memoryStream();
    const { logger, received } = await exportingLogger({ pretty: true, destination: pretty.stream });
    logger.warn({ tool: 'search' }, 'pretty and exported');
    const high = memoryStream();
    const all = memoryStream();
    const multi = await exportingLogger({
      level: 'debug',
      destination: pino.multistream([
        { stream: all.stream, level: 'debug' },
        { stream: high.stream, level: 'error' },
      ]),
    });
    multi.logger.debug('low');
    multi.logger.error('high');

    const { records } = await received();
    expect(pretty.raw.join('')).toMatch(/WARN.*: pretty and exported/);
    expect(otlpValue(records[0]?.record.body)).toBe('pretty and exported');
    expect(records[0]?.record.severityNumber).toBe(SEVERITY_NUMBERS.warn);
    const multiRecords = (await multi.received()).records;
    expect(all.lines().map((line) => line.message)).toEqual(['low', 'high']);
    expect(high.lines().map((line) => line.message)).toEqual(['high']);
    expect(multiRecords.map(({ record }) => otlpValue(record.body))).toEqual(['low', 'high']);
  });
});

describe('OTLP export failures never reach the application', () => {
  it('reports a failing collector once through onWarning, and keeps writing lines', async () => {
    const { logger, lines, warnings, received } = await exportingLogger(
      {},
      {
        respond: (_request, response) => {
          response.writeHead(400, { 'content-type': 'text/plain' }).end('bad');
        },
      },
    );
    logger.info('one');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    logger.info('two');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    const { requests } = await received();
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(lines().map((line) => line.message)).toEqual(['one', 'two']);
    const failures = warnings.filter((warning) => warning.code === 'GENXAI_LOG_EXPORT_FAILED');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toContain('/v1/logs');
  });

  it('reports a collector that refuses connections, without the URL credentials', async () => {
    const closed = await startHttpSink();
    await closed.close();
    const { logger, warnings, received } = await exportingLogger(
      {},
      {
        otlp: {
          url: `http://user:pa55word@127.0.0.1:${new URL(closed.url).port}/v1/logs?key=k-123`,
          timeoutMillis: 2000,
        },
      },
    );
    logger.info('lost');
    await received();
    const failure = warnings.find((warning) => warning.code === 'GENXAI_LOG_EXPORT_FAILED');
    expect(failure?.message).toContain(`127.0.0.1:${new URL(closed.url).port}/v1/logs`);
    expect(failure?.message).not.toContain('pa55word');
    expect(failure?.message).not.toContain('k-123');
  });

  it('a collector that never answers: flush and shutdown return within the timeout, and lines still work', async () => {
    const { logger, lines, warnings, requests, received } = await exportingLogger(
      {},
      { respond: () => {}, otlp: { timeoutMillis: 300 } },
    );
    logger.info('stuck');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    await received();
    expect(requests.length).toBeGreaterThan(0);
    expect(warnings.length).toBeGreaterThan(0);
    // After shutdown, lines are still written and nothing throws.
    expect(() => logger.info('after shutdown')).not.toThrow();
    expect(lines().map((line) => line.message)).toEqual(['stuck', 'after shutdown']);
  });

  it('rejects bad options at setup, naming them', () => {
    const make = (options: LoggerOptions) => () =>
      createLogger({ env: {}, destination: memoryStream().stream, ...options });
    expect(make({ otlp: { url: 'ftp://collector/v1/logs' } })).toThrow(
      /Invalid otlp\.url: "ftp:\/\/collector\/v1\/logs"/,
    );
    expect(make({ otlp: { protocol: 'grpc' as never } })).toThrow(
      /Invalid otlp\.protocol: "grpc".*http\/protobuf, http\/json/,
    );
    expect(make({ otlp: { timeoutMillis: 0 } })).toThrow(/Invalid otlp\.timeoutMillis: 0/);
    expect(make({ otlp: { headers: { authorization: 42 as never } } })).toThrow(/Invalid otlp\.headers/);
    expect(make({ otlp: { url: 'http://x', ulr: 'y' } as never })).toThrow(
      /Unknown option "ulr" of otlp\. Did you mean "url"\?/,
    );
    expect(make({ otlp: 'yes' as never })).toThrow(/Invalid otlp: "yes"/);
    expect(make({ otlp: { serviceName: ' ' } })).toThrow(/Invalid otlp\.serviceName/);
    expect(make({ otlp: { resource: { nested: { a: 1 } } as never } })).toThrow(
      /Invalid otlp\.resource\["nested"\]/,
    );
    expect(make({ env: { OTEL_LOGS_EXPORTER: 'loki' } })).toThrow(/Invalid OTEL_LOGS_EXPORTER: "loki"/);
    expect(make({ env: { OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'nope' } })).toThrow(
      /Invalid OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "nope"/,
    );
    expect(make({ env: { OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: '10s' } })).toThrow(
      /Invalid OTEL_EXPORTER_OTLP_TIMEOUT: "10s"/,
    );
    expect(() => createLogger({ env: {}, transport: { target: 'pino/file' }, otlp: true })).toThrow(
      /no OTLP export together with transport/,
    );
    expect(() => createLogger({ logger: pino(), otlp: true })).toThrow(/no otlp together with logger/);
    // A bad option's header value is never shown.
    try {
      make({ otlp: { headers: 'Bearer sk-secret-value' as never } })();
    } catch (error) {
      expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
      expect((error as Error).message).not.toContain('sk-secret-value');
    }
  });

  it('the otlp option beats OTEL_LOGS_EXPORTER, and "none" turns it off', () => {
    for (const [otlp, env] of [
      [false, { OTEL_LOGS_EXPORTER: 'otlp' }],
      [undefined, { OTEL_LOGS_EXPORTER: 'otlp,none' }],
      [undefined, { OTEL_LOGS_EXPORTER: 'console' }],
      [undefined, {}],
    ] as const) {
      const { stream, lines } = memoryStream();
      const logger = createLogger({ env, destination: stream, ...(otlp === undefined ? {} : { otlp }) });
      logger.info('json only');
      expect(lines()).toHaveLength(1);
      expect(Object.getOwnPropertySymbols(logger).map(String)).not.toContain('Symbol(genxai.logging.otlp)');
    }
  });

  it('throws GENXAI_MISSING_PEER with both install lines when a peer is missing', () => {
    const resolved = resolveOtlpLogOptions({ protocol: 'http/json' }, {});
    const requireHere = createRequire(import.meta.url);
    const load = (name: string) => {
      if (name === '@opentelemetry/exporter-logs-otlp-http') throw new Error(`Cannot find module '${name}'`);
      return requireHere(name);
    };
    let thrown: unknown;
    try {
      createOtlpPipeline(
        resolved!,
        createWarnOnce(() => {}),
        load,
      );
    } catch (error) {
      thrown = error;
    }
    expect(GenxaiObservabilityError.isInstance(thrown)).toBe(true);
    expect((thrown as GenxaiObservabilityError).code).toBe('GENXAI_MISSING_PEER');
    const { message } = thrown as Error;
    expect(message).toContain('needs the optional peer dependency @opentelemetry/exporter-logs-otlp-http');
    expect(message).toContain(
      'npm install @opentelemetry/sdk-logs@0.222.0 @opentelemetry/exporter-logs-otlp-http@0.222.0 @opentelemetry/resources@2.11.0',
    );
    expect(message).toContain(
      'npm install @opentelemetry/sdk-logs@3.1.0 @opentelemetry/exporter-logs-otlp-http@0.301.0 @opentelemetry/resources@3.1.0',
    );
  });
});
