import { GenxaiObservabilityError, REDACTED } from '@genxai/obs-core';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from './create-logger';
import { StructuredLogger } from './structured-logger';
import { memoryStream, repeatedKeys } from './test-helpers';
import { traceMixin } from './trace-context';

const API_KEY = 'sk-proj-Abc123def456ghi789jkl012mno345pqr';
const BEARER = 'Bearer abc123def456ghi789jkl012';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});

afterAll(() => {
  context.disable();
});

/** A fresh tracer per test, from a real SDK provider. */
function newTracer() {
  return new BasicTracerProvider().getTracer('test');
}

/** An application's own pino logger: its bindings, mixin, level labels and message key. */
function appLogger(options: pino.LoggerOptions = {}) {
  const output = memoryStream();
  const logger = pino(
    {
      base: { app: 'x' },
      messageKey: 'text',
      mixin: () => ({ request_id: 'req-1' }),
      formatters: { level: (label) => ({ severity: label.toUpperCase() }) },
      ...options,
    },
    output.stream,
  );
  return { logger, ...output };
}

describe('createLogger({ logger }): a child of the application logger', () => {
  it("writes the app's bindings, mixin and format with ours, trace ids in a span, and redacts our fields", async () => {
    const app = appLogger();
    const logger = createLogger({ logger: app.logger, name: 'genxai.agent' });
    const tracer = newTracer();
    const ids = await tracer.startActiveSpan('agent.execute', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger
        .child({ agent_id: 'a1' })
        .info(
          { apiKey: API_KEY, request: { headers: { authorization: BEARER } }, tokens_used: 512 },
          `calling the model with ${API_KEY}`,
        );
      span.end();
      return span.spanContext();
    });
    logger.info('outside');

    const [inside, outside] = app.lines();
    expect(inside).toEqual({
      severity: 'INFO',
      time: expect.any(Number),
      app: 'x',
      name: 'genxai.agent',
      agent_id: 'a1',
      request_id: 'req-1',
      trace_id: ids.traceId,
      span_id: ids.spanId,
      trace_flags: '01',
      apiKey: REDACTED,
      request: { headers: { authorization: REDACTED } },
      tokens_used: 512,
      text: `calling the model with ${REDACTED}`,
    });
    expect(inside?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(app.raw.join('')).not.toContain('Abc123def456');
    expect(app.raw.join('')).not.toContain('abc123def456');
    expect(outside).toEqual({
      severity: 'INFO',
      time: expect.any(Number),
      app: 'x',
      name: 'genxai.agent',
      request_id: 'req-1',
      text: 'outside',
    });
    for (const line of app.raw) expect(repeatedKeys(line)).toEqual([]);
  });

  it("leaves the application's own logger as it was", () => {
    const app = appLogger();
    createLogger({ logger: app.logger });
    newTracer().startActiveSpan('x', (span) => {
      app.logger.info({ apiKey: 'app-own-value' }, 'app line');
      span.end();
    });
    expect(app.lines()[0]).toEqual({
      severity: 'INFO',
      time: expect.any(Number),
      app: 'x',
      request_id: 'req-1',
      apiKey: 'app-own-value',
      text: 'app line',
    });
  });

  it("chains the app's formatters.log and serializers, and redacts what they return", () => {
    const app = appLogger({
      formatters: {
        level: (label) => ({ severity: label.toUpperCase() }),
        log: (object) => ({ ...object, service: 'billing' }),
      },
      serializers: {
        user: (user: { id: number; session: string }) => ({ id: user.id, token: user.session }),
      },
    });
    const logger = createLogger({ logger: app.logger });
    logger.info({ user: { id: 7, session: 's3cr3t-session', email: 'a@b.c' } }, 'login');
    logger.error(new Error(`upstream refused ${API_KEY}`));
    const [login, failure] = app.lines();
    expect(login).toMatchObject({
      service: 'billing',
      request_id: 'req-1',
      user: { id: 7, token: REDACTED },
    });
    expect(login?.user).not.toHaveProperty('email');
    // pino's own err serializer ran (type, message, stack), then our redaction of its output.
    expect(failure).toMatchObject({
      severity: 'ERROR',
      service: 'billing',
      text: `upstream refused ${REDACTED}`,
      err: { type: 'Error', message: `upstream refused ${REDACTED}` },
    });
    expect((failure?.err as { stack?: string } | undefined)?.stack).toMatch(
      /^Error: upstream refused \*\*\*REDACTED\*\*\*\n\s+at /,
    );
  });

  it("keeps a field named like the app's level or time key under fields.<key>, and the message shorthand", () => {
    const app = appLogger();
    const logger = createLogger({ logger: app.logger });
    logger.info({ severity: 'hacked', time: 'yesterday' }, 'real');
    logger.info({ text: 'from the field' });
    logger.child({ severity: 'bound', text: 'bound text' }).warn('child');
    const [fields, shorthand, bound] = app.lines();
    expect(fields).toMatchObject({
      severity: 'INFO',
      text: 'real',
      'fields.severity': 'hacked',
      'fields.time': 'yesterday',
    });
    expect(fields?.time).toEqual(expect.any(Number));
    expect(shorthand).toMatchObject({ severity: 'INFO', text: 'from the field' });
    expect(bound).toMatchObject({
      severity: 'WARN',
      text: 'child',
      'fields.severity': 'bound',
      'fields.text': 'bound text',
    });
    for (const line of app.raw) expect(repeatedKeys(line)).toEqual([]);
  });

  it('redacts bindings of its children and setBindings at every depth, not the parent app', () => {
    const app = appLogger();
    const logger = createLogger({ logger: app.logger });
    const child = logger.child({ authorization: BEARER }).child({ tool: { api_key: 'k-123' } });
    child.info('deep');
    child.setBindings({ client_secret: 'cs-1' });
    child.info('after setBindings');
    app.logger.child({ password: 'app-bound' }).info('app child');
    const [deep, after, appChild] = app.lines();
    expect(deep).toMatchObject({ authorization: REDACTED, tool: { api_key: REDACTED } });
    expect(after).toMatchObject({ client_secret: REDACTED });
    expect(appChild).toMatchObject({ password: 'app-bound' });
  });

  it("keeps the app's level, or takes ours when given", () => {
    const app = appLogger({ level: 'warn' });
    const inherited = createLogger({ logger: app.logger });
    const own = createLogger({ logger: app.logger, level: 'debug' });
    inherited.info('dropped');
    inherited.warn('kept');
    own.debug('debug through ours');
    expect(inherited.level).toBe('warn');
    expect(app.lines().map((line) => [line.severity, line.text])).toEqual([
      ['WARN', 'kept'],
      ['DEBUG', 'debug through ours'],
    ]);
  });

  it('writes our name as logger when the app logger already writes a name', () => {
    const app = appLogger({ name: 'app' });
    createLogger({ logger: app.logger, name: 'genxai.agent' }).info('named');
    expect(app.lines()[0]).toMatchObject({ name: 'app', logger: 'genxai.agent' });
    expect(repeatedKeys(app.raw[0] ?? '')).toEqual([]);
  });

  it('writes no trace ids with traceCorrelation: false, and no repeated key when the app mixin has them', () => {
    const off = appLogger();
    const withAppMixin = appLogger({ mixin: traceMixin });
    const tracer = newTracer();
    const ids = tracer.startActiveSpan('x', (span) => {
      createLogger({ logger: off.logger, traceCorrelation: false }).info('no ids');
      createLogger({ logger: withAppMixin.logger }).info('ids once');
      span.end();
      return span.spanContext();
    });
    expect(off.lines()[0]).not.toHaveProperty('trace_id');
    expect(withAppMixin.lines()[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
    expect(repeatedKeys(withAppMixin.raw[0] ?? '')).toEqual([]);
  });

  it('redacts with a custom redaction and writes raw with redaction: false', () => {
    const app = appLogger();
    createLogger({ logger: app.logger, redaction: { keys: ['ssn'] } }).info({ ssn: '123-45-6789' }, 'custom');
    createLogger({ logger: app.logger, redaction: false }).info({ password: 'p' }, 'raw');
    expect(app.lines().map((line) => [line.ssn ?? line.password, line.text])).toEqual([
      [REDACTED, 'custom'],
      ['p', 'raw'],
    ]);
  });

  it('is what a StructuredLogger wraps to log through the app logger', () => {
    const app = appLogger();
    const log = new StructuredLogger('genxai.agent', { logger: createLogger({ logger: app.logger }) });
    log.addContext({ agent_id: 'a1' }).warning('Slow tool', { apiKey: API_KEY });
    expect(app.lines()[0]).toMatchObject({
      severity: 'WARN',
      app: 'x',
      name: 'genxai.agent',
      agent_id: 'a1',
      apiKey: REDACTED,
      text: 'Slow tool',
    });
  });
});

describe('createLogger({ logger }) setup errors', () => {
  const app = () => pino(memoryStream().stream);

  it.each([
    ['destination', 1],
    ['destination', './agent.log'],
    ['transport', { target: 'pino/file' }],
    ['pretty', true],
    ['pretty', false],
    ['sync', false],
    ['pino', { base: undefined }],
    ['env', {}],
    ['redactPaths', ['user.email']],
  ] as const)('rejects %s together with logger', (option, value) => {
    const options = { logger: app(), [option]: value } as LoggerOptions;
    expect(() => createLogger(options)).toThrowError(
      new RegExp(`^Invalid ${option}: .*\\. Expected no ${option} together with logger \\(`),
    );
    try {
      createLogger(options);
    } catch (error) {
      expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
    }
  });

  it.each([
    ['an empty object', {}],
    ['console', console],
    ['a string', 'pino'],
    ['null', null],
    ['a pino look-alike without pino internals', { child() {}, info() {}, level: 'info' }],
  ])('rejects %s as logger', (_, value) => {
    expect(() => createLogger({ logger: value as unknown as pino.Logger })).toThrowError(
      /^Invalid logger: .*\. Expected a pino logger \(an object with child, info and level, from pino\(\)\)\.$/,
    );
  });

  it('rejects a bad level for the child, naming the valid ones', () => {
    expect(() => createLogger({ logger: app(), level: 'loud' })).toThrowError(
      /^Invalid level: "loud"\. Expected one of trace/,
    );
  });
});

describe('traceMixin in an application pino logger', () => {
  it('adds the ids of the active span inside one and nothing outside', () => {
    const output = memoryStream();
    const logger = pino({ mixin: traceMixin }, output.stream);
    const tracer = newTracer();
    logger.info('before');
    const ids = tracer.startActiveSpan('agent.execute', (span) => {
      logger.info({ step: 1 }, 'inside');
      span.end();
      return span.spanContext();
    });
    logger.info('after');
    const [before, inside, after] = output.lines();
    expect(inside).toMatchObject({
      msg: 'inside',
      step: 1,
      trace_id: ids.traceId,
      span_id: ids.spanId,
      trace_flags: '01',
    });
    for (const line of [before, after]) {
      expect(line).not.toHaveProperty('trace_id');
      expect(line).not.toHaveProperty('span_id');
      expect(line).not.toHaveProperty('trace_flags');
    }
  });

  it('returns the span fields, a new object each call, and {} for an invalid span context', () => {
    const tracer = newTracer();
    tracer.startActiveSpan('x', (span) => {
      const fields = traceMixin();
      expect(fields).toEqual({
        trace_id: span.spanContext().traceId,
        span_id: span.spanContext().spanId,
        trace_flags: '01',
      });
      expect(traceMixin()).not.toBe(fields);
      span.end();
    });
    const invalid = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 });
    expect(context.with(trace.setSpan(context.active(), invalid), traceMixin)).toEqual({});
    expect(traceMixin()).toEqual({});
  });
});
