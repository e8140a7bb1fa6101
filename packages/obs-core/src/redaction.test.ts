import { describe, expect, it } from 'vitest';
import { BENIGN_LINES } from './__fixtures__/benign-corpus';
import { SECRET_LINES } from './__fixtures__/secret-corpus';
import { GenxaiObservabilityError } from './errors';
import { createRedactor, REDACTED, truncate } from './redaction';

const redactor = createRedactor();

describe('redactString: secret corpus', () => {
  it.each(SECRET_LINES.map((line) => [line.text.slice(0, 60), line] as const))('%s', (_, line) => {
    const redacted = redactor.redactString(line.text);
    for (const secret of line.secrets) expect(redacted).not.toContain(secret);
    expect(redacted).toContain(REDACTED);
  });
});

describe('redactString: benign corpus', () => {
  it.each(BENIGN_LINES.map((line) => [line]))('%s', (line) => {
    expect(redactor.redactString(line)).toBe(line);
  });
});

describe('redactString: what is kept', () => {
  it.each([
    ['password=hunter2 user=ada', 'password=***REDACTED*** user=ada'],
    ['{"password": "x y", "user": "ada"}', '{"password": "***REDACTED***", "user": "ada"}'],
    ['Authorization: Bearer abc123def456', 'Authorization: ***REDACTED***'],
    ['got Bearer abc123def456 back', 'got Bearer ***REDACTED*** back'],
    ['postgres://agent:pw123@db:5432/x', 'postgres://agent:***REDACTED***@db:5432/x'],
    ['token=512 token=abc123', 'token=512 token=***REDACTED***'],
    ['Error: password=hunter2', 'Error: password=***REDACTED***'],
    ['redis://:hunterpass@cache:6379', 'redis://:***REDACTED***@cache:6379'],
    ['amqp://:p@rabbit:5672', 'amqp://:***REDACTED***@rabbit:5672'],
    // `key: word` is an explanation; `key=word` and quoted values are still values.
    ['Invalid token: expired', 'Invalid token: expired'],
    ['password: hunter2 rejected', 'password: ***REDACTED*** rejected'],
    ['password=expired', 'password=***REDACTED***'],
    ['{"password": "expired"}', '{"password": "***REDACTED***"}'],
    ["password: 'expired'", "password: '***REDACTED***'"],
    ['secret: HunterTwo', 'secret: ***REDACTED***'],
    ['pwd=/home/user password=/etc/x', 'pwd=/home/user password=***REDACTED***'],
    [
      'callback url=https://x.test/cb?token=abc123&x=1',
      'callback url=https://x.test/cb?token=***REDACTED***&x=1',
    ],
  ])('%s', (input, expected) => {
    expect(redactor.redactString(input)).toBe(expected);
  });
});

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'PASSWORD',
    'db_password',
    'userPassword',
    'passwd',
    'secret',
    'client_secret',
    'clientSecret',
    'token',
    'access_token',
    'accessToken',
    'refresh_token',
    'id_token',
    'x-auth-token',
    'api_key',
    'apiKey',
    'api-key',
    'API_KEY',
    'x-api-key',
    'openai_api_key',
    'authorization',
    'Proxy-Authorization',
    'cookie',
    'set-cookie',
    'private_key',
    'privateKey',
    'secret_key',
    'aws_secret_access_key',
    'credentials',
    'auth',
  ])('%s is sensitive', (key) => {
    expect(redactor.isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'tokens_used',
    'max_tokens',
    'maxTokens',
    'prompt_tokens',
    'completion_tokens',
    'total_tokens',
    'token_count',
    'tokenCount',
    'tokenizer',
    'max_token',
    'secret_name',
    'key',
    'cache_key',
    'keyboard',
    'author',
    'session_id',
    'message',
    'task',
  ])('%s is not sensitive', (key) => {
    expect(redactor.isSensitiveKey(key)).toBe(false);
  });
});

describe('redactValue', () => {
  it('replaces sensitive keys at any depth and redacts every string', () => {
    const input = {
      agent_id: 'a1',
      tokens_used: 512,
      token: 512,
      has_token: true,
      config: { llm: { apiKey: 'sk-abc', headers: { Authorization: 'Bearer x', 'x-trace': 't' } } },
      tools: [{ name: 'search', parameters: { query: 'weather', api_key: 'k1' } }],
      note: 'password=hunter2 and the secret of good prompts',
      nested: { password: { a: 1 } },
    };
    expect(redactor.redactValue(input)).toEqual({
      agent_id: 'a1',
      tokens_used: 512,
      token: 512,
      has_token: true,
      config: { llm: { apiKey: REDACTED, headers: { Authorization: REDACTED, 'x-trace': 't' } } },
      tools: [{ name: 'search', parameters: { query: 'weather', api_key: REDACTED } }],
      note: `password=${REDACTED} and the secret of good prompts`,
      nested: { password: REDACTED },
    });
    expect(input.config.llm.apiKey).toBe('sk-abc');
  });

  it('keeps a working directory under a pwd key, and redacts any other pwd value', () => {
    expect(redactor.redactValue({ PWD: '/home/user', HOME: '/root', pwd: 'hunter2', db_pwd: 'p/w' })).toEqual(
      {
        PWD: '/home/user',
        HOME: '/root',
        pwd: REDACTED,
        db_pwd: REDACTED,
      },
    );
  });

  it('survives cycles, BigInt, undefined, symbols, functions, dates, maps, sets and buffers', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    const value = {
      cyclic,
      twice: [shared, shared],
      big: 12345678901234567890n,
      missing: undefined,
      symbol: Symbol('s'),
      fn: function namedFn() {},
      when: new Date('2024-01-02T03:04:05.000Z'),
      invalid: new Date(Number.NaN),
      map: new Map<unknown, unknown>([
        ['secret', 'x'],
        [1, 'one'],
      ]),
      set: new Set(['a']),
      buffer: Buffer.from('abc'),
      url: new URL('https://u:pw9999@example.com/x'),
    };
    expect(redactor.redactValue(value)).toEqual({
      cyclic: { name: 'loop', self: '[Circular]' },
      twice: [{ x: 1 }, { x: 1 }],
      big: '12345678901234567890',
      missing: undefined,
      symbol: 'Symbol(s)',
      fn: '[Function: namedFn]',
      when: '2024-01-02T03:04:05.000Z',
      invalid: 'Invalid Date',
      map: { secret: REDACTED, 1: 'one' },
      set: ['a'],
      buffer: '[Buffer 3 bytes]',
      url: `https://u:${REDACTED}@example.com/x`,
    });
    expect(redactor.redactValue(10n)).toBe('10');
    expect(redactor.redactValue(undefined)).toBeUndefined();
  });

  it('serializes errors with type, message, stack, code and cause, redacted', () => {
    const cause = new TypeError('bad password=hunter2');
    const error = Object.assign(new Error('call failed with key sk-abcdefghij0123456789xyz', { cause }), {
      code: 'E_LLM',
      apiKey: 'k',
    });
    const copy = redactor.redactValue(error) as Record<string, unknown>;
    expect(copy.type).toBe('Error');
    expect(copy.message).toBe(`call failed with key ${REDACTED}`);
    expect(copy.stack).toMatch(/^Error: call failed with key \*\*\*REDACTED\*\*\*\n\s+at /);
    expect(copy.code).toBe('E_LLM');
    expect(copy.apiKey).toBe(REDACTED);
    expect(copy.cause).toMatchObject({ type: 'TypeError', message: `bad password=${REDACTED}` });
  });

  it('never throws on hostile objects', () => {
    const throwingGetter = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const hostileProxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('proxy');
        },
      },
    );
    const badJson = {
      toJSON() {
        throw new Error('toJSON');
      },
    };
    expect(redactor.redactValue({ throwingGetter, hostileProxy, badJson })).toEqual({
      throwingGetter: { boom: '[Unreadable]' },
      hostileProxy: '[Unserializable]',
      badJson: '[Unserializable]',
    });
  });

  it('cuts deep nesting, long arrays and long strings when asked', () => {
    const small = createRedactor({ maxDepth: 2, maxArrayLength: 3, maxStringLength: 10 });
    expect(small.redactValue({ a: { b: { c: 1 } }, list: [1, 2, 3, 4, 5], text: 'x'.repeat(25) })).toEqual({
      a: { b: '[Object]' },
      list: [1, 2, 3, '…[2 more items]'],
      text: `${'x'.repeat(10)}…[truncated 15 chars]`,
    });
  });

  it('redacts a secret that straddles the truncation point', () => {
    const small = createRedactor({ maxStringLength: 20 });
    const text = `${'a '.repeat(8)}password=hunter2hunter2 ${'b'.repeat(100)}`;
    const out = small.redactValue(text) as string;
    expect(out).not.toContain('hunt');
    expect(out.startsWith('a a a a a a a a pass')).toBe(true);
  });
});

describe('options', () => {
  it('adds keys, key patterns, string patterns and a replacement', () => {
    const custom = createRedactor({
      keys: ['SSN', /^x-internal-/i],
      patterns: [/\b\d{3}-\d{2}-\d{4}\b/, /acct#\d+/g],
      replacement: '[hidden]',
    });
    expect(custom.isSensitiveKey('ssn')).toBe(true);
    expect(custom.isSensitiveKey('X-Internal-Route')).toBe(true);
    expect(custom.isSensitiveKey('X-Internal-Route')).toBe(true);
    expect(custom.redactString('ssn 123-45-6789 and 987-65-4321, acct#42 password=x')).toBe(
      'ssn [hidden] and [hidden], [hidden] password=[hidden]',
    );
    expect(custom.redactValue({ ssn: '1', password: 'p' })).toEqual({
      ssn: '[hidden]',
      password: '[hidden]',
    });
  });

  it.each([
    [{ keys: [42] }, /Invalid keys: 42\. Expected key names/],
    [{ patterns: ['x'] }, /Invalid patterns: "x"\. Expected RegExps/],
    [{ replacement: 1 }, /Invalid replacement: 1/],
    [{ maxStringLength: 0 }, /Invalid maxStringLength: 0\. Expected an integer of 1 or more, or Infinity/],
    [{ maxDepth: 1.5 }, /Invalid maxDepth/],
  ])('rejects %o at setup', (options, message) => {
    expect(() => createRedactor(options as never)).toThrowError(message);
    try {
      createRedactor(options as never);
    } catch (error) {
      expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
    }
  });
});

describe('truncate', () => {
  it('keeps short text and marks the cut of long text', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('x'.repeat(1244), 10)).toBe(`${'x'.repeat(10)}…[truncated 1234 chars]`);
  });

  it('never splits a surrogate pair', () => {
    expect(truncate('ab😀cd', 3)).toBe('ab…[truncated 4 chars]');
  });
});
