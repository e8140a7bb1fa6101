import { describe, expect, it } from 'vitest';
import { BENIGN_LINES } from './__fixtures__/benign-corpus';
import { BENIGN_SAMPLES } from './__fixtures__/benign-look-alikes';
import { SECRET_LINES, SECRET_SAMPLES } from './__fixtures__/secret-corpus';
import { GenxaiObservabilityError } from './errors';
import { createRedactor, mayHoldSecret, REDACTED, SECRET_SOURCES, truncate } from './redaction';

const redactor = createRedactor();

/** Every place a value flows through on its way to a log line or a span. */
const PLACEMENTS: Array<[name: string, plant: (text: string) => unknown]> = [
  ['plain string', (text) => text],
  ['prose', (text) => `Tool call failed after 3 retries (${text}); falling back to the cache.`],
  ['nested object value', (text) => ({ run: { steps: [{ tool: 'http', output: text }] } })],
  ['object key', (text) => ({ [text]: 'value', status: 'ok' })],
  ['map key', (text) => new Map([[text, 1]])],
  ['error message', (text) => new Error(`upstream rejected the request: ${text}`)],
  ['error field', (text) => Object.assign(new Error('request failed'), { detail: { body: text } })],
  [
    'stack-like string',
    (text) =>
      `Error: request failed ${text}\n    at callTool (/app/src/agent.ts:42:13)\n    at async run (/app/src/index.ts:7:3)`,
  ],
  ['url', (text) => `GET https://api.example.com/v1/run?debug=1&note=${text}&page=2 401`],
  ['json log line', (text) => JSON.stringify({ level: 'error', msg: text, attempt: 2 })],
];

/** Every string in a redacted copy, keys included. */
function stringsIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      found.push(key);
      stringsIn(item, found);
    }
  }
  return found;
}

/** The secrets of which any 12-character piece is still in the output: a partial leak is a leak. */
function leaked(output: unknown, secrets: string[]): string[] {
  const strings = stringsIn(output);
  return secrets.filter((secret) => {
    const width = Math.min(secret.length, 12);
    for (let start = 0; start + width <= secret.length; start++) {
      const piece = secret.slice(start, start + width);
      if (strings.some((text) => text.includes(piece))) return true;
    }
    return false;
  });
}

/** Where a benign item can be changed: as text, as a value, as a key, inside a JSON line. */
function benignChanges(text: string): string[] {
  const changed: string[] = [];
  if (redactor.redactString(text) !== text) changed.push('string');
  const asValue = redactor.redactValue({ note: text }) as Record<string, unknown>;
  if (asValue.note !== text) changed.push('object value');
  const asKey = redactor.redactValue({ [text]: 1 }) as Record<string, unknown>;
  if (Object.keys(asKey)[0] !== text) changed.push('object key');
  const line = JSON.stringify({ msg: text });
  if (redactor.redactString(line) !== line) changed.push('json log line');
  return changed;
}

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

describe('secret formats: a generated secret never survives, wherever it flows', () => {
  it('covers at least 150 secrets in at least 30 formats', () => {
    expect(SECRET_SAMPLES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(SECRET_SAMPLES.map((sample) => sample.format)).size).toBeGreaterThanOrEqual(30);
    expect(new Set(SECRET_SAMPLES.map((sample) => sample.text)).size).toBe(SECRET_SAMPLES.length);
  });

  it.each(SECRET_SAMPLES.map((sample) => [`${sample.format}: ${sample.text.slice(0, 48)}`, sample] as const))(
    '%s',
    (_, sample) => {
      for (const [placement, plant] of PLACEMENTS) {
        const output = redactor.redactValue(plant(sample.text));
        expect(leaked(output, sample.secrets), `${placement}: ${JSON.stringify(output)}`).toEqual([]);
        expect(JSON.stringify(output)).toContain(REDACTED);
      }
      expect(leaked(redactor.redactString(sample.text), sample.secrets)).toEqual([]);
    },
  );
});

describe('the pre-check that lets most text skip the secret rules', () => {
  // A necessary condition: any text in which a secret rule matches must pass it, or it would be skipped.
  const rules = new RegExp(SECRET_SOURCES.join('|'));
  it('passes every text of the corpora that a secret rule matches, and every secret alone', () => {
    let matched = 0;
    const texts = [...SECRET_SAMPLES, ...SECRET_LINES].flatMap((sample) => [sample.text, ...sample.secrets]);
    for (const text of [...texts, ...BENIGN_SAMPLES.map((sample) => sample.text), ...BENIGN_LINES]) {
      if (!rules.test(text)) continue;
      matched++;
      expect(mayHoldSecret(text), text).toBe(true);
    }
    expect(matched).toBeGreaterThan(250);
  });

  it('passes the shortest shapes of each rule, and fails plain prose', () => {
    for (const text of [
      `xoxb-${'1'.repeat(10)}`, // Slack: the shortest token, exactly the run length
      'eyJhbGciO.e30.', // a JWT skeleton, shorter than the run
      'redis://:pw@host',
      'a://:b@', // the shortest URL password a rule matches (7 characters)
      '-u a:b', // the shortest curl credentials (6)
      'Bearer abc12345',
      'basic dXNlcjpwdw==',
      'curl -u=a:b',
      '-----BEGIN PRIVATE KEY-----',
    ]) {
      expect(mayHoldSecret(text), text).toBe(true);
    }
    // The shortest shapes really are what the rules match: the gates above are bounds, not guesses.
    expect(rules.test('a://:b@')).toBe(true);
    expect(rules.test('-u a:b')).toBe(true);
    for (const text of [
      'Summarise the quarterly report for the finance team',
      'Agent execution completed',
      '',
      '4bf92f3577b34da6a3ce929d0e0e4736', // a trace id
      '550e8400-e29b-41d4-a716-446655440000', // a UUID
    ]) {
      expect(mayHoldSecret(text), text).toBe(false);
    }
  });
});

describe('benign look-alikes: left exactly as they are', () => {
  it('has at least 150 items', () => {
    expect(BENIGN_SAMPLES.length).toBeGreaterThanOrEqual(150);
  });

  it.each(BENIGN_SAMPLES.map((sample) => [`${sample.kind}: ${sample.text.slice(0, 60)}`, sample.text]))(
    '%s',
    (_, text) => {
      expect(benignChanges(text)).toEqual([]);
    },
  );
});

describe('corpus rates', () => {
  it('detects 100% of the secret corpus and changes at most 2% of the benign corpus', () => {
    let planted = 0;
    const missed: string[] = [];
    for (const sample of SECRET_SAMPLES) {
      for (const [placement, plant] of PLACEMENTS) {
        planted++;
        if (leaked(redactor.redactValue(plant(sample.text)), sample.secrets).length > 0) {
          missed.push(`${sample.format} in ${placement}`);
        }
      }
    }
    const falsePositives = BENIGN_SAMPLES.filter((sample) => benignChanges(sample.text).length > 0);
    const detectionRate = (planted - missed.length) / planted;
    const falsePositiveRate = falsePositives.length / BENIGN_SAMPLES.length;
    const formats = new Set(SECRET_SAMPLES.map((sample) => sample.format)).size;
    console.log(
      `redaction corpus: detection ${(detectionRate * 100).toFixed(2)}% ` +
        `(${planted - missed.length}/${planted}: ${SECRET_SAMPLES.length} secrets in ${formats} formats × ` +
        `${PLACEMENTS.length} placements); false positives ${(falsePositiveRate * 100).toFixed(2)}% ` +
        `(${falsePositives.length}/${BENIGN_SAMPLES.length} benign items)`,
    );
    expect(missed).toEqual([]);
    expect(detectionRate).toBe(1);
    expect(falsePositiveRate).toBeLessThanOrEqual(0.02);
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
    // After a password key, a plain word is the password unless it explains.
    ['password: swordfish', 'password: ***REDACTED***'],
    ['pwd: letmein', 'pwd: ***REDACTED***'],
    ['password: required', 'password: required'],
    ['{"msg":"password: swordfish"}', '{"msg":"password: ***REDACTED***"}'],
    ['{"msg":"token: expired"}', '{"msg":"token: expired"}'],
    ['mysql --password=hunter2 db', 'mysql --password=***REDACTED*** db'],
    ['curl -u admin:S3cret! https://x.test', 'curl -u admin:***REDACTED*** https://x.test'],
    ['docker run -u 1000:1000 img', 'docker run -u 1000:1000 img'],
    // Schemes in any case; a Bearer followed by `=` is a key, not a token.
    ['AUTHORIZATION: BEARER abc123def456', 'AUTHORIZATION: ***REDACTED***'],
    ['got bEaReR abc123def456 back', 'got bEaReR ***REDACTED*** back'],
    ['token_type=Bearer expires_in=3599', 'token_type=Bearer expires_in=3599'],
    // The user part of a URL stays, unless it is a token too; a password may hold `@`.
    ['https://p@ss:w@rd@host/x', 'https://p@ss:***REDACTED***@host/x'],
    [
      `https://AC${'0a'.repeat(16)}:${'f'.repeat(32)}@api.twilio.com`,
      'https://***REDACTED***:***REDACTED***@api.twilio.com',
    ],
    // The fixed part of a webhook URL or SAS URL stays, the secret part goes.
    [
      `https://hooks.slack.com/services/T0ABCDEF12/B0ABCDEF12/${'x1Y2'.repeat(6)}`,
      'https://hooks.slack.com/services/***REDACTED***',
    ],
    [
      `https://a.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=${'Ab1%2B'.repeat(8)}`,
      'https://a.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=***REDACTED***',
    ],
    // Colon-separated paths, references and markup are not values.
    [
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/openai-AbCdEf',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/openai-AbCdEf',
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} reference is the point of this item
    ['password=${DB_PASSWORD} token=$TOKEN', 'password=${DB_PASSWORD} token=$TOKEN'],
    ['eos_token: <|endoftext|>', 'eos_token: <|endoftext|>'],
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

  it('renames a key that is itself a secret, and never lets two renamed keys collide', () => {
    const first = `sk-proj-${'a1B2'.repeat(10)}`;
    const second = `ghp_${'Z9y8'.repeat(9)}`;
    expect(redactor.redactValue({ [first]: 1 })).toEqual({ [REDACTED]: 1 });
    const copy = redactor.redactValue({
      [first]: { note: 'kept' },
      [second]: 2,
      [REDACTED]: 3,
      'password=hunter2': 4,
      'https://ci:pw9999@git.example.com': 5,
      plain: 6,
    });
    expect(copy).toEqual({
      [REDACTED]: { note: 'kept' },
      [`${REDACTED} (2)`]: 2,
      [`${REDACTED} (3)`]: 3,
      [`password=${REDACTED}`]: 4,
      [`https://ci:${REDACTED}@git.example.com`]: 5,
      plain: 6,
    });
    expect(JSON.stringify(copy)).not.toMatch(/a1B2|Z9y8|hunter2|pw9999/);
    expect(redactor.redactValue(new Map([[first, 1]]))).toEqual({ [REDACTED]: 1 });
    expect(redactor.redactValue(Object.assign(new Error('x'), { [second]: 1 }))).toMatchObject({
      [REDACTED]: 1,
    });
  });

  it('walks at most maxKeys keys of a 1,000,000-key object and says how many it left', () => {
    const huge: Record<string, number> = {};
    for (let index = 0; index < 1_000_000; index++) huge[`k${index}`] = index;
    const copy = redactor.redactValue({ huge }) as { huge: Record<string, unknown> };
    expect(Object.keys(copy.huge).length).toBeLessThanOrEqual(1000 + 1);
    expect(copy.huge['…']).toBe('[999000 more keys]');
    expect(copy.huge.k0).toBe(0);
    expect(copy.huge.k999).toBe(999);
    expect(copy.huge).not.toHaveProperty('k1000');
  });

  it('honours a smaller maxKeys on objects and errors', () => {
    const small = createRedactor({ maxKeys: 2 });
    expect(small.redactValue({ a: 1, b: 2, c: 3, password: 'x' })).toEqual({
      a: 1,
      b: 2,
      '…': '[2 more keys]',
    });
    const error = Object.assign(new Error('boom'), { a: 1, b: 2, c: 3 });
    expect(small.redactValue(error)).toMatchObject({ a: 1, b: 2, '…': '[1 more keys]' });
  });

  it('cuts a 10,000-deep nesting at maxDepth without overflowing the stack', () => {
    let nested: unknown = { leaf: 'password=hunter2' };
    let list: unknown = ['leaf'];
    let error = new Error('root');
    for (let index = 0; index < 10_000; index++) {
      nested = { child: nested };
      list = [list];
      error = new Error('wrapped', { cause: error });
    }
    const depthOf = (value: unknown, step: (value: unknown) => unknown): [number, unknown] => {
      let depth = 0;
      let current = value;
      while (typeof current === 'object' && current !== null) {
        current = step(current);
        depth++;
      }
      return [depth, current];
    };
    const child = (value: unknown) => (value as { child: unknown }).child;
    const first = (value: unknown) => (value as unknown[])[0];
    const cause = (value: unknown) => (value as { cause: unknown }).cause;
    expect(depthOf(redactor.redactValue(nested), child)).toEqual([10, '[Object]']);
    expect(depthOf(redactor.redactValue(list), first)).toEqual([10, '[Array]']);
    const deepest = createRedactor({ maxDepth: 1000 });
    expect(depthOf(deepest.redactValue(nested), child)).toEqual([1000, '[Object]']);
    expect(depthOf(deepest.redactValue(list), first)).toEqual([1000, '[Array]']);
    expect(depthOf(deepest.redactValue(error), cause)).toEqual([1000, '[Object]']);
  });

  it('calls toJSON once per value, as JSON.stringify does, so a toJSON chain ends', () => {
    const endless = (): unknown => ({ toJSON: endless, level: 1 });
    expect(redactor.redactValue({ value: endless() })).toEqual({
      value: { toJSON: '[Function: endless]', level: 1 },
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

describe('redactValue: a flat line that needs nothing is not copied', () => {
  it('returns the same object once its keys are known, and copies as soon as anything needs redaction', () => {
    const r = createRedactor();
    const line = { status: 'success', duration: 0.25, tokens_used: 160, cached: false, note: null };
    // First sight of the keys: the full walk (which learns them), a copy equal to the line.
    const first = r.redactValue(line);
    expect(first).not.toBe(line);
    expect(first).toEqual(line);
    expect(r.redactValue(line)).toBe(line);
    expect(r.redactValue({ ...line, status: 'error' })).toEqual({ ...line, status: 'error' });
    // A value the rules change, a sensitive or new key, a nested object: copied and redacted.
    const secret = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
    const leaked = { ...line, status: `key ${secret}` };
    expect(r.redactValue(leaked)).not.toBe(leaked);
    expect(JSON.stringify(r.redactValue(leaked))).not.toContain(secret);
    expect(r.redactValue({ ...line, api_key: 'abc' })).toMatchObject({ api_key: REDACTED });
    const nested = { ...line, extra: { password: 'hunter2' } };
    expect(r.redactValue(nested)).toMatchObject({ extra: { password: REDACTED } });
    // A getter that throws, a toJSON, a class instance: the full walk, as before.
    const hostile = Object.defineProperty({ status: 'x' }, 'duration', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(r.redactValue(hostile)).toEqual({ status: 'x', duration: '[Unreadable]' });
    expect(r.redactValue({ status: 'x', toJSON: () => ({ token: 'abc' }) })).toEqual({ token: REDACTED });
    class Line {
      status = 'success';
    }
    expect(r.redactValue(new Line())).not.toBeInstanceOf(Line);
    // A string longer than the limit is cut, so it is copied.
    const small = createRedactor({ maxStringLength: 4 });
    small.redactValue({ status: 'ok' });
    expect(small.redactValue({ status: 'success' })).toEqual({ status: expect.stringMatching(/^succ…/) });
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
    [{ maxDepth: 1001 }, /Invalid maxDepth: 1001\. Expected an integer from 1 to 1000/],
    [
      { maxDepth: Number.POSITIVE_INFINITY },
      /Invalid maxDepth: Infinity\. Expected an integer from 1 to 1000/,
    ],
    [{ maxKeys: 0 }, /Invalid maxKeys: 0\. Expected an integer of 1 or more, or Infinity/],
    [{ maxKeys: '10' }, /Invalid maxKeys: "10"/],
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
