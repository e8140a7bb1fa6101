import { invalidOption } from './errors';

/** What a redacted secret is replaced with, as in the plan's `SensitiveDataFilter`. */
export const REDACTED = '***REDACTED***';

/** Options for {@link createRedactor}. Every option adds to the defaults; none removes one. */
export interface RedactionOptions {
  /** Extra sensitive key names (exact, case-insensitive) or patterns, added to the defaults. */
  keys?: ReadonlyArray<string | RegExp>;
  /** Extra patterns for secrets inside strings; the whole match is replaced. */
  patterns?: ReadonlyArray<RegExp>;
  /** @default REDACTED */
  replacement?: string;
  /**
   * Strings longer than this are cut by {@link Redactor.redactValue} (after redaction), with a
   * `…[truncated N chars]` marker. `redactString` never truncates.
   * @default Infinity
   */
  maxStringLength?: number;
  /**
   * Objects nested deeper than this are replaced by `'[Object]'` / `'[Array]'` in `redactValue`.
   * @default 10
   */
  maxDepth?: number;
  /**
   * Arrays (and Sets, Maps) longer than this keep their first items and end with a
   * `'…[N more items]'` marker in `redactValue`.
   * @default 1000
   */
  maxArrayLength?: number;
}

/** Redaction rules, built once by {@link createRedactor} and reused on every call. */
export interface Redactor {
  /** True when a value stored under this key name is a secret (`api_key`, `accessToken`, …). */
  isSensitiveKey(key: string): boolean;
  /** Secrets inside free text (key=value, "key": "value", Bearer, sk-..., AKIA..., JWT eyJ..., user:pass@ URLs, PEM private keys). */
  redactString(text: string): string;
  /** A redacted deep copy: sensitive keys' values replaced at any depth, every string passed through redactString; cycles, BigInt, undefined safe; never throws. */
  redactValue(value: unknown): unknown;
}

// A key is sensitive when its LAST word is one of these: `access_token` and `db-password` are
// secrets, while `token_count`, `max_tokens`, `tokens_used` and `tokenizer` are not.
const SENSITIVE_LAST_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'secrets',
  'token',
  'cookie',
  'cookies',
  'authorization',
  'credential',
  'credentials',
]);
// Multi-word secrets whose last word alone (`key`, `auth`, `id`) is harmless: `cache_key` is not one.
const SENSITIVE_ENDINGS = [
  'apikey',
  'privatekey',
  'secretkey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'xauth',
  'sessionkey',
  'secretaccesskey',
];
const SENSITIVE_EXACT = new Set(['auth', 'pass', 'apikeys', 'setcookie', 'dsn']);
// `max_token=512`, `total_token: 9`: a count, whatever its last word.
const COUNT_PREFIXES = new Set([
  'max',
  'min',
  'num',
  'total',
  'prompt',
  'completion',
  'input',
  'output',
  'reasoning',
  'cached',
  'remaining',
  'used',
]);

/** Splits `apiKey`, `API_KEY`, `x-api-key` and `XMLHttpToken` into lower-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

function isDefaultSensitiveKey(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  const compact = words.join('');
  if (SENSITIVE_EXACT.has(compact)) return true;
  if (SENSITIVE_LAST_WORDS.has(last)) {
    const previous = words[words.length - 2];
    return !(last === 'token' && previous !== undefined && COUNT_PREFIXES.has(previous));
  }
  return SENSITIVE_ENDINGS.some((ending) => compact.endsWith(ending));
}

/** A key whose numbers are counts (`token=512`), not secrets. */
function isCountKey(key: string): boolean {
  const words = keyWords(key);
  return words[words.length - 1] === 'token';
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * A plain word, as in `Invalid token: expired` or `password: must be at least 8 characters`:
 * letters only (inner `-` or `'` allowed, a trailing `.`/`!`/`?`/`:` ignored), all lower case,
 * all upper case or capitalised. A digit, a symbol or mixed case (`HunterTwo`) makes it a secret.
 */
const PLAIN_WORD = /^(?:[a-z]+(?:['-][a-z]+)*|[A-Z][a-z]*(?:['-][a-z]+)*|[A-Z]+(?:['-][A-Z]+)*)[.!?:]*$/;
/** An absolute path: `pwd=/home/user` is the working directory, not a password. */
const ABSOLUTE_PATH = /^(?:\/|~\/|[A-Za-z]:\\)/;

/** `PWD`, `pwd`, `app_pwd`: keys that often hold a directory rather than a password. */
function isPwdKey(key: string): boolean {
  const words = keyWords(key);
  return words[words.length - 1] === 'pwd';
}
// Values that say whether there is a secret, not what it is (`has_token=true`, `password: null`).
const NOT_A_SECRET = new Set(['true', 'false', 'null', 'none', 'undefined']);

// One pass over the text: the first alternative that matches at a position wins.
// Every alternative is linear (no nested quantifiers over the same characters).
const SECRET_SOURCES = [
  // PEM private keys; an unterminated block (a cut log line) is redacted to the end.
  String.raw`(?<pem>-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$))`,
  // user:password@ in a URL: only the password goes. The user may be empty (`redis://:pw@host`).
  String.raw`(?<urlHead>\b[a-zA-Z][a-zA-Z0-9+.-]{0,30}:\/\/[^\s:/?#@"']*:)(?<urlPassword>[^\s/?#@"']+)(?=@)`,
  // Authorization schemes. A Bearer token must hold a digit or symbol, so "the bearer of news" stays.
  String.raw`(?<bearer>\b[Bb]earer\s+)(?<bearerToken>(?=[A-Za-z]{0,80}[0-9\-._~+/])[A-Za-z0-9\-._~+/]{8,}=*)`,
  String.raw`(?<basic>\b[Bb]asic\s+)(?<basicToken>[A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])`,
  // JSON Web Tokens: header.payload.signature, the header always starts {" = eyJ.
  String.raw`\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`,
  // OpenAI / Anthropic (sk-, sk-proj-, sk-ant-), Stripe (sk_live_, rk_test_) keys.
  String.raw`\bsk-(?=[A-Za-z_-]{0,40}[0-9])[A-Za-z0-9_-]{20,}`,
  String.raw`\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`,
  // AWS access key ids.
  String.raw`\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`,
  // GitHub, Slack, Google and Hugging Face tokens.
  String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`,
  String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`,
  String.raw`\bAIza[0-9A-Za-z_-]{35}`,
  String.raw`\bhf_[A-Za-z0-9]{30,}`,
];

// key=value, key: value, "key": "value", 'key'='value'. The key decides; see isSensitiveKey.
// Runs after the rules above, so a value they already redacted is left alone.
const KEY_VALUE =
  /(?<kvKey>(?<![\w.-])\\?["']?(?<kvName>[A-Za-z_][\w.-]*)\\?["']?[ \t]*[:=][ \t]*)(?:\\"(?<kvEscaped>(?:[^"\\\n]|\\[^"\n])*)\\"|"(?<kvDouble>(?:[^"\\\n]|\\.)*)"|'(?<kvSingle>(?:[^'\\\n]|\\.)*)'|(?<kvBare>(?:(?:Bearer|Basic|Token|Digest|bearer|basic|token)\s+)?[^\s"'&,;)}\]]+))/g;

/** Every default sensitive key contains one of these. */
const KEY_HINT = /pass|pwd|secret|token|key|auth|cookie|credential|dsn/;

/** Cheap pre-check: text that holds none of these cannot hold a secret we recognise. */
const MAYBE_SECRET =
  /:\/\/|PRIVATE KEY|earer|asic|eyJ|sk-|k_|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat|xox|AIza|hf_/;

type Groups = Record<string, string | undefined>;

function isBasicCredential(token: string): boolean {
  try {
    return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(Buffer.from(token, 'base64').toString('latin1'));
  } catch {
    return false;
  }
}

/** Copies a RegExp without the stateful `g`/`y` flags, so `test` is repeatable. */
function stateless(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

function global(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
}

function checkLimit(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1)) return value;
  return invalidOption(option, value, 'an integer of 1 or more, or Infinity');
}

/**
 * Builds the shared redaction rules used by `@genxai/logging` (log lines) and
 * `@genxai/tracing` (captured content). Bad options throw here, once; the returned
 * functions never throw.
 *
 * Keys: a key is sensitive when its last word is `password`, `secret`, `token`,
 * `cookie`, `authorization`, `credentials`, … or it ends in `api key`, `private key`,
 * `secret key`, … (`api_key`, `apiKey`, `x-api-key`, `client_secret`, `refresh_token`).
 * Counts are not secrets: `tokens_used`, `max_tokens`, `token_count`, `tokenizer`.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const replacement = options.replacement ?? REDACTED;
  if (typeof replacement !== 'string') invalidOption('replacement', replacement, 'a string');
  const exactKeys = new Set<string>();
  const keyPatterns: RegExp[] = [];
  for (const key of options.keys ?? []) {
    if (typeof key === 'string') exactKeys.add(key.toLowerCase());
    else if (key instanceof RegExp) keyPatterns.push(stateless(key));
    else invalidOption('keys', key, 'key names (strings) or RegExps');
  }
  const extraPatterns = (options.patterns ?? []).map((pattern) =>
    pattern instanceof RegExp ? global(pattern) : invalidOption('patterns', pattern, 'RegExps'),
  );
  const maxStringLength = checkLimit('maxStringLength', options.maxStringLength, Number.POSITIVE_INFINITY);
  const maxDepth = checkLimit('maxDepth', options.maxDepth, 10);
  const maxArrayLength = checkLimit('maxArrayLength', options.maxArrayLength, 1000);

  // Log lines repeat the same few keys, so remember each verdict (bounded).
  const verdicts = new Map<string, boolean>();
  function isSensitiveKey(key: string): boolean {
    const cached = verdicts.get(key);
    if (cached !== undefined) return cached;
    const verdict =
      exactKeys.has(key.toLowerCase()) ||
      keyPatterns.some((pattern) => pattern.test(key)) ||
      isDefaultSensitiveKey(key);
    if (verdicts.size < 5000) verdicts.set(key, verdict);
    return verdict;
  }

  const secrets = new RegExp(SECRET_SOURCES.join('|'), 'g');
  // Text that names no sensitive-looking key skips the key=value pass (most log lines).
  const keyHint =
    keyPatterns.length > 0
      ? undefined
      : new RegExp(
          [KEY_HINT.source, ...[...exactKeys].map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))].join(
            '|',
          ),
          'i',
        );
  const replaceSecret = (match: string, ...rest: unknown[]): string => {
    const groups = rest[rest.length - 1] as Groups;
    if (groups.urlHead !== undefined) return groups.urlHead + replacement;
    if (groups.bearer !== undefined) return groups.bearer + replacement;
    if (groups.basic !== undefined) {
      return isBasicCredential(groups.basicToken ?? '') ? groups.basic + replacement : match;
    }
    return replacement;
  };
  // The replacement for one key=value match, or undefined to keep it.
  const redactKeyValue = (groups: Groups): string | undefined => {
    const key = groups.kvName ?? '';
    const prefix = groups.kvKey ?? '';
    const value = groups.kvEscaped ?? groups.kvDouble ?? groups.kvSingle ?? groups.kvBare ?? '';
    if (value === replacement || value === '' || NOT_A_SECRET.has(value.toLowerCase())) return undefined;
    if (NUMBER.test(value) && isCountKey(key)) return undefined;
    if (isPwdKey(key) && ABSOLUTE_PATH.test(value)) return undefined;
    // `key: word` (unquoted key and value, colon and space) is prose: `Invalid token: expired`.
    if (
      groups.kvBare !== undefined &&
      /^[A-Za-z_][\w.-]*[ \t]*:[ \t]+$/.test(prefix) &&
      PLAIN_WORD.test(value)
    ) {
      return undefined;
    }
    if (groups.kvEscaped !== undefined) return `${prefix}\\"${replacement}\\"`;
    if (groups.kvDouble !== undefined) return `${prefix}"${replacement}"`;
    if (groups.kvSingle !== undefined) return `${prefix}'${replacement}'`;
    return prefix + replacement;
  };
  // A loop rather than `replace`: after a harmless key (`Error: password=x`, `url=a?token=b`)
  // the scan resumes right after its separator, so a pair inside its value is still found.
  function redactKeyValues(text: string): string {
    const pairs = KEY_VALUE;
    pairs.lastIndex = 0;
    let result = '';
    let copied = 0;
    for (let match = pairs.exec(text); match !== null; match = pairs.exec(text)) {
      const groups = match.groups as Groups;
      const redacted = isSensitiveKey(groups.kvName ?? '') ? redactKeyValue(groups) : undefined;
      if (redacted === undefined) {
        pairs.lastIndex = match.index + (groups.kvKey ?? '').length;
        continue;
      }
      result += text.slice(copied, match.index) + redacted;
      copied = match.index + match[0].length;
    }
    return copied === 0 ? text : result + text.slice(copied);
  }

  function redactString(text: string): string {
    try {
      let result = MAYBE_SECRET.test(text) ? text.replace(secrets, replaceSecret) : text;
      if ((result.includes('=') || result.includes(':')) && (keyHint === undefined || keyHint.test(result)))
        result = redactKeyValues(result);
      for (const pattern of extraPatterns) {
        pattern.lastIndex = 0;
        result = result.replace(pattern, replacement);
      }
      return result;
    } catch {
      // A pathological user pattern must not break logging; drop the text rather than leak it.
      return replacement;
    }
  }

  function redactLongString(text: string): string {
    if (text.length <= maxStringLength) return redactString(text);
    // Redact a window a little longer than what is kept, so a secret across the cut is still seen.
    const window = redactString(text.slice(0, maxStringLength + 4096));
    return truncate(window, maxStringLength).replace(
      /…\[truncated \d+ chars\]$/,
      `…[truncated ${text.length - Math.min(maxStringLength, window.length)} chars]`,
    );
  }

  function copy(value: unknown, depth: number, seen: Set<object>): unknown {
    switch (typeof value) {
      case 'string':
        return redactLongString(value);
      case 'bigint':
        return value.toString();
      case 'symbol':
        return value.toString();
      case 'function':
        return `[Function: ${value.name || 'anonymous'}]`;
      case 'object':
        break;
      default:
        return value;
    }
    if (value === null) return null;
    if (seen.has(value)) return '[Circular]';
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return value.toString();
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      return `[${value.constructor.name} ${value.byteLength} bytes]`;
    }
    if (depth >= maxDepth) return Array.isArray(value) ? '[Array]' : '[Object]';
    seen.add(value);
    try {
      if (value instanceof Error) return copyError(value, depth, seen);
      if (Array.isArray(value) || value instanceof Set) return copyItems([...value], depth, seen);
      if (value instanceof Map) {
        const result: Record<string, unknown> = {};
        let count = 0;
        for (const [key, item] of value) {
          if (count++ >= maxArrayLength) {
            result['…'] = `[${value.size - maxArrayLength} more entries]`;
            break;
          }
          const name = typeof key === 'string' ? key : String(copy(key, maxDepth, seen));
          result[name] = isSensitiveKey(name) ? redactedFor(name, item) : copy(item, depth + 1, seen);
        }
        return result;
      }
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return copy(toJSON.call(value), depth, seen);
      return copyFields(value as Record<string, unknown>, {}, depth, seen);
    } catch {
      return '[Unserializable]';
    } finally {
      seen.delete(value);
    }
  }

  function copyItems(items: unknown[], depth: number, seen: Set<object>): unknown[] {
    const kept = items.length > maxArrayLength ? items.slice(0, maxArrayLength) : items;
    const result = kept.map((item) => copy(item, depth + 1, seen));
    if (items.length > maxArrayLength) result.push(`…[${items.length - maxArrayLength} more items]`);
    return result;
  }

  function redactedFor(key: string, value: unknown): unknown {
    // Nothing to hide in an absent value or a flag (`has_token: true`), nor in a count (`token: 512`).
    if (value === undefined || value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number' && isCountKey(key)) return value;
    if (typeof value === 'string' && isPwdKey(key) && ABSOLUTE_PATH.test(value))
      return redactLongString(value);
    return replacement;
  }

  function copyFields(
    source: Record<string, unknown>,
    target: Record<string, unknown>,
    depth: number,
    seen: Set<object>,
  ): Record<string, unknown> {
    for (const key of Object.keys(source)) {
      let item: unknown;
      try {
        item = source[key];
      } catch {
        item = '[Unreadable]';
      }
      target[key] = isSensitiveKey(key) ? redactedFor(key, item) : copy(item, depth + 1, seen);
    }
    return target;
  }

  function copyError(error: Error, depth: number, seen: Set<object>): Record<string, unknown> {
    const result: Record<string, unknown> = {
      type:
        error.constructor?.name && error.constructor.name !== 'Object' ? error.constructor.name : error.name,
      message: redactLongString(String(error.message)),
    };
    if (typeof error.stack === 'string') result.stack = redactLongString(error.stack);
    copyFields(error as unknown as Record<string, unknown>, result, depth, seen);
    if (error.cause !== undefined && !('cause' in result)) result.cause = copy(error.cause, depth + 1, seen);
    if (error instanceof AggregateError && !('errors' in result)) {
      result.errors = copyItems(error.errors, depth, seen);
    }
    return result;
  }

  function redactValue(value: unknown): unknown {
    try {
      return copy(value, 0, new Set());
    } catch {
      return '[Unserializable]';
    }
  }

  return { isSensitiveKey, redactString, redactValue };
}

/** Cuts text to maxLength characters, marking the cut, e.g. "…[truncated 1234 chars]". */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = Math.max(0, Math.floor(maxLength));
  // Never split a surrogate pair: half an emoji is invalid UTF-16.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…[truncated ${text.length - end} chars]`;
}
