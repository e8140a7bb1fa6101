import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenxaiObservabilityError, REDACTED } from '@genxai/obs-core';
import pino, { type DestinationStream } from 'pino';
import { describe, expect, it } from 'vitest';
import { BENIGN_LINES } from '../../obs-core/src/__fixtures__/benign-corpus';
import { SECRET_LINES } from '../../obs-core/src/__fixtures__/secret-corpus';
import { createLogger } from './create-logger';
import { setLevel } from './levels';
import { RENAMED_KEY_PREFIX } from './names';
import { captureLogger, memoryStream, repeatedKeys } from './test-helpers';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('line shape', () => {
  it('writes the plan shape: timestamp, level, message, context and fields', () => {
    const { logger, lines } = captureLogger({ name: 'genxai.agent', level: 'debug' });
    const agentLog = logger.child({ agent_id: 'a1', agent_role: 'planner', workflow_id: 'wf-1' });
    agentLog.info(
      { task: 'research', duration: 1.5, tokens_used: 512, status: 'success' },
      'Agent execution completed',
    );
    const [line] = lines();
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'Agent execution completed',
      name: 'genxai.agent',
      agent_id: 'a1',
      agent_role: 'planner',
      workflow_id: 'wf-1',
      task: 'research',
      duration: 1.5,
      tokens_used: 512,
      status: 'success',
    });
    expect(line?.timestamp).toMatch(ISO_UTC);
    expect(Math.abs(Date.parse(line?.timestamp as string) - Date.now())).toBeLessThan(60_000);
    expect(line).not.toHaveProperty('time');
    expect(line).not.toHaveProperty('msg');
  });

  it('names the levels as the plan does', () => {
    const { logger, lines } = captureLogger({ level: 'trace' });
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(lines().map((line) => line.level)).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARNING',
      'ERROR',
      'CRITICAL',
    ]);
  });

  it('keeps child context isolated: nested children add, siblings never see each other', () => {
    const { logger, lines } = captureLogger();
    const workflow = logger.child({ workflow_id: 'wf' });
    const planner = workflow.child({ agent_id: 'planner' });
    const coder = workflow.child({ agent_id: 'coder' });
    const plannerTool = planner.child({ tool: 'search' });
    planner.info('p');
    coder.info('c');
    plannerTool.info('t');
    workflow.info('w');
    const [p, c, t, w] = lines();
    expect(p).toMatchObject({ workflow_id: 'wf', agent_id: 'planner' });
    expect(p).not.toHaveProperty('tool');
    expect(c).toMatchObject({ workflow_id: 'wf', agent_id: 'coder' });
    expect(t).toMatchObject({ workflow_id: 'wf', agent_id: 'planner', tool: 'search' });
    expect(w).not.toHaveProperty('agent_id');
  });
});

describe("fields named like the line's own keys", () => {
  it.each([
    ['on', {}],
    ['off', { redaction: false as const }],
  ])('keeps a field named level, timestamp or message under fields.<key> (redaction %s)', (_, options) => {
    const { logger, raw, lines } = captureLogger(options);
    const fields = { level: 'hacked', timestamp: 'yesterday', message: 'shadow', agent_id: 'a1' };
    logger.info(fields, 'real message');
    const [line] = lines();
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'real message',
      agent_id: 'a1',
      [`${RENAMED_KEY_PREFIX}level`]: 'hacked',
      [`${RENAMED_KEY_PREFIX}timestamp`]: 'yesterday',
      [`${RENAMED_KEY_PREFIX}message`]: 'shadow',
    });
    expect(line?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(repeatedKeys(raw[0] ?? '')).toEqual([]);
    expect(raw[0]).toContain('"fields.level":"hacked"');
    expect(fields).toEqual({ level: 'hacked', timestamp: 'yesterday', message: 'shadow', agent_id: 'a1' });
  });

  it("keeps pino's { message } without a message argument as the message", () => {
    const { logger, raw, lines } = captureLogger();
    logger.info({ message: 'from the object', level: 'x' });
    expect(lines()[0]).toMatchObject({ message: 'from the object', level: 'INFO', 'fields.level': 'x' });
    expect(lines()[0]).not.toHaveProperty(['fields.message']);
    expect(repeatedKeys(raw[0] ?? '')).toEqual([]);
  });

  it('renames them in bound context too, at every depth', () => {
    const { logger, raw, lines } = captureLogger();
    logger.child({ message: 'ctx', timestamp: 't0' }).child({ level: 'senior' }).warn('hello');
    expect(lines()[0]).toMatchObject({
      level: 'WARNING',
      message: 'hello',
      'fields.message': 'ctx',
      'fields.timestamp': 't0',
      'fields.level': 'senior',
    });
    expect(repeatedKeys(raw[0] ?? '')).toEqual([]);
  });

  it('renames them in the root bindings (pino base)', () => {
    const { logger, raw, lines } = captureLogger({ pino: { base: { level: 'root', service: 's' } } });
    logger.info('hello');
    expect(lines()[0]).toMatchObject({ level: 'INFO', 'fields.level': 'root', service: 's' });
    expect(repeatedKeys(raw[0] ?? '')).toEqual([]);
  });
});

describe('levels', () => {
  it.each([
    [{ NODE_ENV: 'development' }, 'debug'],
    [{ NODE_ENV: 'production' }, 'info'],
    [{}, 'info'],
    [{ NODE_ENV: 'production', LOG_LEVEL: 'debug' }, 'debug'],
    [{ NODE_ENV: 'development', LOG_LEVEL: 'WARNING' }, 'warn'],
    [{ LOG_LEVEL: 'critical' }, 'fatal'],
    [{ LOG_LEVEL: ' ' }, 'info'],
  ])('env %o starts at %s', (env, expected) => {
    const { logger, lines } = captureLogger({ env });
    expect(logger.level).toBe(expected);
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    const written = lines().map((line) => line.message);
    expect(written.includes('d')).toBe(expected === 'debug');
  });

  it('throws a clear error for an unknown level, naming the valid ones', () => {
    expect(() => createLogger({ env: { LOG_LEVEL: 'verbose' } })).toThrowError(
      'Invalid LOG_LEVEL: "verbose". Expected one of trace, debug, info, warning (or warn), error, critical (or fatal), silent.',
    );
    expect(() => createLogger({ level: 'loud' })).toThrowError(
      /^Invalid level: "loud"\. Expected one of trace/,
    );
    try {
      createLogger({ level: 'loud' });
    } catch (error) {
      expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
    }
  });

  it('changes level at runtime, with the plan names too', () => {
    const { logger, lines } = captureLogger({ level: 'info' });
    logger.debug('hidden');
    setLevel(logger, 'debug');
    logger.debug('shown');
    setLevel(logger, 'warning');
    logger.info('hidden too');
    logger.warn('warned');
    expect(lines().map((line) => line.message)).toEqual(['shown', 'warned']);
    expect(() => setLevel(logger, 'nope')).toThrowError(/Invalid level: "nope"/);
  });

  it('does no work for a disabled level', () => {
    const { logger, lines } = captureLogger({ level: 'info' });
    let reads = 0;
    const payload = {
      get expensive() {
        reads++;
        return 'x';
      },
    };
    for (let i = 0; i < 100; i++) logger.debug(payload, 'debug line');
    expect(reads).toBe(0);
    expect(lines()).toEqual([]);
  });
});

describe('redaction', () => {
  it.each(SECRET_LINES.map((line) => [line.text.slice(0, 50), line] as const))(
    'removes %s',
    (_, secretLine) => {
      const { logger, raw } = captureLogger();
      logger
        .child({ context: secretLine.text })
        .info({ field: secretLine.text, nested: { deep: [secretLine.text] } }, secretLine.text);
      logger.error(new Error(secretLine.text));
      for (const secret of secretLine.secrets) {
        for (const line of raw) expect(line).not.toContain(JSON.stringify(secret).slice(1, -1));
      }
      expect(raw.join('')).toContain(REDACTED);
    },
  );

  it('leaves every benign line as it is, in the message and in fields', () => {
    const { logger, lines } = captureLogger();
    for (const text of BENIGN_LINES) logger.info({ text }, text);
    expect(lines().map((line) => [line.message, line.text])).toEqual(
      BENIGN_LINES.map((text) => [text, text]),
    );
  });

  it('redacts sensitive keys at any depth in fields and bindings, and keeps counts', () => {
    const { logger, lines } = captureLogger();
    const child = logger.child({ api_key: 'k1', agent: { credentials: { user: 'u' } } });
    child.info(
      {
        tokens_used: 512,
        max_tokens: 1024,
        request: { headers: { Authorization: 'Bearer x', cookie: 'sid=1' }, body: { password: 'p' } },
        tools: [{ 'api-key': 'k2', name: 'search' }],
      },
      'call',
    );
    child.setBindings({ client_secret: 'cs' });
    child.info('after setBindings');
    const [first, second] = lines();
    expect(first).toMatchObject({
      api_key: REDACTED,
      agent: { credentials: REDACTED },
      tokens_used: 512,
      max_tokens: 1024,
      request: { headers: { Authorization: REDACTED, cookie: REDACTED }, body: { password: REDACTED } },
      tools: [{ 'api-key': REDACTED, name: 'search' }],
    });
    expect(second).toMatchObject({ client_secret: REDACTED });
  });

  it('takes extra keys, patterns and pino redact paths', () => {
    const { logger, lines } = captureLogger({
      redaction: { keys: ['ssn'], patterns: [/\bacct-\d+\b/] },
      redactPaths: ['user.email'],
    });
    logger.info({ ssn: '123', user: { email: 'a@b.c', id: 7 } }, 'paid from acct-991');
    expect(lines()[0]).toMatchObject({
      ssn: REDACTED,
      user: { email: REDACTED, id: 7 },
      message: `paid from ${REDACTED}`,
    });
  });

  it('can be turned off', () => {
    const { logger, lines } = captureLogger({ redaction: false });
    logger.info({ password: 'p' }, 'password=p');
    expect(lines()[0]).toMatchObject({ password: 'p', message: 'password=p' });
  });
});

describe('errors and bad values', () => {
  it('serializes an Error as err: type, message, stack, code, cause, redacted', () => {
    const { logger, lines } = captureLogger();
    const cause = new TypeError('socket closed');
    const error = Object.assign(
      new Error('LLM call failed with key sk-abcdefghijklmn0123456789', { cause }),
      {
        code: 'E_LLM',
      },
    );
    logger.error(error);
    logger.error({ err: error, tool: 'x' }, 'tool failed');
    const [asArgument, asErr] = lines();
    for (const line of [asArgument, asErr]) {
      expect(line?.err).toMatchObject({
        type: 'Error',
        message: `LLM call failed with key ${REDACTED}`,
        code: 'E_LLM',
        cause: { type: 'TypeError', message: 'socket closed' },
      });
      expect((line?.err as { stack?: string } | undefined)?.stack).toMatch(
        /^Error: LLM call failed with key \*\*\*REDACTED\*\*\*\n\s+at /,
      );
    }
    expect(asArgument?.message).toBe(`LLM call failed with key ${REDACTED}`);
    expect(asErr?.message).toBe('tool failed');
  });

  it('serializes an Error in any field', () => {
    const { logger, lines } = captureLogger();
    logger.warn({ error: new RangeError('too big'), nested: { failure: new Error('inner') } }, 'retrying');
    expect(lines()[0]).toMatchObject({
      error: { type: 'RangeError', message: 'too big' },
      nested: { failure: { type: 'Error', message: 'inner' } },
    });
  });

  it('writes circular objects, BigInt and undefined without throwing', () => {
    const { logger, lines } = captureLogger();
    const loop: Record<string, unknown> = { id: 1 };
    loop.self = loop;
    logger.info({ loop, big: 2n ** 70n, gone: undefined, list: [undefined, 1] }, 'odd values');
    logger.info(undefined as unknown as string);
    const [line] = lines();
    expect(line).toMatchObject({
      loop: { id: 1, self: '[Circular]' },
      big: '1180591620717411303424',
      list: [null, 1],
    });
    expect(line).not.toHaveProperty('gone');
    expect(lines()).toHaveLength(2);
  });

  it('truncates huge strings at maxStringLength, in fields and messages', () => {
    const { logger, lines } = captureLogger({ maxStringLength: 100 });
    const huge = 'y'.repeat(1_000_000);
    logger.info({ prompt: huge }, huge);
    const [line] = lines();
    expect(line?.prompt).toBe(`${'y'.repeat(100)}…[truncated 999900 chars]`);
    expect(line?.message).toBe(`${'y'.repeat(100)}…[truncated 999900 chars]`);
  });

  it('truncates at 10000 characters by default', () => {
    const { logger, lines } = captureLogger();
    logger.info({ prompt: 'z'.repeat(20_000) }, 'big');
    expect(lines()[0]?.prompt).toBe(`${'z'.repeat(10_000)}…[truncated 10000 chars]`);
  });
});

describe('output', () => {
  it('writes pretty text through pino-pretty when asked', () => {
    const { raw, logger } = captureLogger({ pretty: true });
    logger.child({ agent_id: 'a1' }).warn({ password: 'p', tokens_used: 3 }, 'pretty line');
    const text = raw.join('');
    expect(text).toMatch(/WARN.*: pretty line/);
    expect(text).toContain('agent_id: "a1"');
    expect(text).toContain(`password: "${REDACTED}"`);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('is JSON in development when stdout is not a TTY', () => {
    const { raw, logger } = captureLogger({ env: { NODE_ENV: 'development' } });
    logger.info('json');
    expect(JSON.parse(raw[0] ?? '')).toMatchObject({ message: 'json', level: 'INFO' });
  });

  it('writes to a file destination, creating the directory', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'genxai-logging-')), 'nested', 'agent.log');
    const logger = createLogger({ destination: file, env: {} });
    logger.info({ n: 1 }, 'to file');
    logger.info({ n: 2 }, 'to file');
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.n)).toEqual([1, 2]);
  });

  it('writes through a pino transport: labels with one target, pino numbers with several', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'genxai-transport-'));
    const single = join(dir, 'single.log');
    const multi = join(dir, 'multi.log');
    const one = createLogger({
      env: {},
      transport: { target: 'pino/file', options: { destination: single } },
    });
    const many = createLogger({
      env: {},
      transport: { targets: [{ target: 'pino/file', options: { destination: multi } }] },
    });
    one.info({ password: 'p' }, 'one');
    many.warn('many');
    const read = async (file: string) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
        if (text.endsWith('\n')) return JSON.parse(text.trim());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${file} was never written`);
    };
    expect(await read(single)).toMatchObject({ level: 'INFO', message: 'one', password: REDACTED });
    expect(await read(multi)).toMatchObject({ level: 40, message: 'many' });
  });

  it.each([
    [
      { destination: true },
      /Invalid destination: true\. Expected a file path, a file descriptor or a stream/,
    ],
    [
      { destination: null },
      /Invalid destination: null\. Expected a file path, a file descriptor or a stream/,
    ],
    [
      { destination: {} },
      /^Invalid destination: an object \(Object\)\. Expected .* an object with a write function\.$/,
    ],
    [{ destination: { write: 'not a function' } }, /^Invalid destination: an object \(Object\)\. Expected/],
    [{ destination: -1 }, /^Invalid destination: -1\. Expected .* a non-negative integer/],
    [{ destination: 1.5 }, /^Invalid destination: 1\.5\. Expected/],
    [{ destination: Number.NaN }, /^Invalid destination: NaN\. Expected/],
    [{ pretty: 'yes' }, /Invalid pretty: "yes"\. Expected true, false or 'auto'/],
    [{ transport: { target: 'pino/file' }, destination: 1 }, /Invalid transport/],
    [{ maxStringLength: -1 }, /Invalid maxStringLength: -1/],
  ])('rejects %o at setup', (options, message) => {
    expect(() => createLogger({ env: {}, ...(options as object) })).toThrowError(message);
  });

  it.each([
    ['a pino logger', () => pino(memoryStream().stream)],
    ['a child of one', () => pino(memoryStream().stream).child({ app: 'x' })],
    ['one from createLogger', () => captureLogger().logger],
  ])('rejects %s as destination, saying to pass it as logger, instead of losing every line', (_, make) => {
    const destination = make() as unknown as DestinationStream;
    expect(() => createLogger({ env: {}, destination })).toThrowError(
      /^Invalid destination: an object \(Pino\)\. Expected a file path, a file descriptor or a stream, not a pino logger: pass a pino logger as `logger` instead\.$/,
    );
  });

  it('still takes a stream, a file descriptor and a path', () => {
    const { stream, lines } = memoryStream();
    createLogger({ env: {}, destination: stream }).info('to a stream');
    expect(lines()[0]).toMatchObject({ message: 'to a stream' });
    expect(() => createLogger({ env: {}, destination: 2 })).not.toThrow();
  });
});

describe('hostile fields', () => {
  const proxy = () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error('hostile get');
        },
        ownKeys() {
          throw new Error('hostile ownKeys');
        },
      },
    );

  it.each([true, false])(
    'never throws into the caller (trace correlation %s), and says so once',
    (traceCorrelation) => {
      const warnings: string[] = [];
      const { logger, lines } = captureLogger({
        level: 'info',
        traceCorrelation,
        onWarning: ({ code }) => warnings.push(code),
      });
      const getter = Object.defineProperty({ kept: 1 }, 'broken', {
        enumerable: true,
        get() {
          throw new Error('getter');
        },
      });
      for (let i = 0; i < 3; i++) {
        expect(() => logger.info(getter, 'getter line')).not.toThrow();
        expect(() => logger.info(proxy(), 'proxy line')).not.toThrow();
        expect(() => logger.warn({ nested: proxy() }, 'nested line')).not.toThrow();
      }
      const written = lines();
      expect(written.filter((line) => line.message === 'getter line')[0]).toMatchObject({
        kept: 1,
        broken: '[Unreadable]',
      });
      expect(written.filter((line) => line.message === 'proxy line')).toHaveLength(3);
      expect(written.filter((line) => line.message === 'nested line')).toHaveLength(3);
      expect(warnings.filter((code) => code === 'GENXAI_LOG_FAILED').length).toBeLessThanOrEqual(1);
    },
  );
});
