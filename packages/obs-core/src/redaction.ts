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
   * At most 1000 (`Infinity` is rejected): the walk is recursive, and a deeper one could overflow
   * the stack.
   * @default 10
   */
  maxDepth?: number;
  /**
   * Objects (and errors) with more own enumerable keys than this keep their first keys and end
   * with a `'…': '[N more keys]'` entry in `redactValue`, so the copy has at most `maxKeys + 1` keys.
   * @default 1000
   */
  maxKeys?: number;
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
  /**
   * Secrets inside free text: sensitive `key=value` / `"key": "value"` pairs, `Authorization`
   * schemes, credentials in URLs, PEM private keys, JWTs and provider tokens (see the README for
   * the list). Never throws.
   */
  redactString(text: string): string;
  /**
   * A redacted deep copy: sensitive keys' values replaced at any depth, every string passed through
   * `redactString`, and a key that itself holds a secret renamed to the replacement. Cycles, BigInt
   * and undefined are safe; depth, keys, items and string length are bounded. Never throws.
   */
  redactValue(value: unknown): unknown;
}

/** The size of each bounded cache of per-key results: log lines repeat the same few keys. */
const CACHE_LIMIT = 5000;

// A key is sensitive when its LAST word is one of these: `access_token` and `db-password` are
// secrets, while `token_count`, `max_tokens`, `tokens_used` and `tokenizer` are not.
const SENSITIVE_LAST_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
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
// Also single-word spellings (`PGPASSWORD`, `CLIENTSECRET`) that keyWords cannot split.
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
  // Azure storage, Service Bus and API Management; Datadog application keys.
  'accountkey',
  'accesskey',
  'sharedaccesssignature',
  'subscriptionkey',
  'functionkey',
  'functionskey',
  'appkey',
  'applicationkey',
  'connectionstring',
  'password',
  'passwd',
  'secret',
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
  const cached = KEY_WORDS.get(key);
  if (cached !== undefined) return cached;
  const words = splitKey(key);
  if (KEY_WORDS.size < CACHE_LIMIT) KEY_WORDS.set(key, words);
  return words;
}
// Key names repeat (`password: …` on every failed login), so remember their words (bounded).
// Only key names go here, never values.
const KEY_WORDS = new Map<string, string[]>();

function splitKey(key: string): string[] {
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

/**
 * `password`, `PGPASSWORD`, `pwd`: a plain word after `key: ` may be the password itself. Not
 * `…_pass`, which is as often a stage (`render_pass: shadow`) as a password.
 */
function isPasswordKey(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1] ?? '';
  return (
    last === 'passwd' ||
    last === 'passphrase' ||
    last === 'pwd' ||
    last.endsWith('password') ||
    last.endsWith('passwd')
  );
}

/** `tests: 12 pass: 11 fail: 1`: after `pass: ` (prose form), a number is a count. */
function isPassKey(key: string): boolean {
  const words = keyWords(key);
  return words[words.length - 1] === 'pass';
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * A plain word, as in `Invalid token: expired` or `password: must be at least 8 characters`:
 * letters only (inner `-` or `'` allowed, a trailing `.`/`!`/`?`/`:` ignored), all lower case,
 * all upper case or capitalised. A digit, a symbol or mixed case (`HunterTwo`) makes it a secret.
 */
const PLAIN_WORD = /^(?:[a-z]+(?:['-][a-z]+)*|[A-Z][a-z]*(?:['-][a-z]+)*|[A-Z]+(?:['-][A-Z]+)*)[.!?:]*$/;
/**
 * After `password: `, a plain word is the password (`password: swordfish`) unless it is one of
 * these words that explain rather than reveal (`password: required`, `password: must be …`).
 */
const PASSWORD_PROSE_WORDS = new Set(
  (
    'a an the this that these those it its your my our their his her no not none is are was were be ' +
    'been being has have had here there when if because which what who you we they he she one ' +
    'any some all each every more less than and or but for to of in on with without by from as ' +
    'must should shall can cannot could will would may might does did do needs need needed ' +
    'required missing invalid incorrect wrong expired empty blank unset set changed updated reset ' +
    'saved stored hidden masked redacted filtered omitted encrypted hashed rejected accepted ok okay ' +
    'valid weak strong mismatch mismatched too optional default provided supplied protected ' +
    'disabled enabled prompted prompt unknown locked pending success succeeded successful failed ' +
    'failure error please enter click use choose type see check try contact follow change update ' +
    'provide confirm verify retype forgotten forgot same different new old current temporary ' +
    'generated sent never always only at least minimum maximum length pick create make remember ' +
    'keep share shared characters long short'
  ).split(' '),
);
/** An absolute path: `pwd=/home/user` is the working directory, not a password. */
const ABSOLUTE_PATH = /^(?:\/|~\/|[A-Za-z]:\\)/;
/** Special-token markup under a `…token` key: `eos_token: <|endoftext|>`, `"pad_token": "[PAD]"`. */
const TOKEN_MARKUP = /^(?:<\|?\/?[A-Za-z_][\w.-]{0,30}\|?>|\[[A-Z_]{2,20}\])$/;
/**
 * A reference or a mask, not a value: `${{ secrets.X }}`, `$DB_PASSWORD`, `{{ .Values.pw }}`,
 * `process.env.DB_PASSWORD`, `os.environ["KEY"]`, `<your-api-key>`, `********`.
 */
const PLACEHOLDER =
  /^(?:\$\{|\$\(|\{\{|\$[A-Z_][A-Z0-9_]*$|<[A-Za-z][\w -]{0,40}>$|%[A-Z_][A-Z0-9_]*%$|\*{3,}$|•{3,}$|(?:process\.env|import\.meta\.env)\.[A-Za-z_]\w*[;,]?$|os\.(?:environ|getenv)\b)/;
/** The scheme in front of a header value: `Bearer $TOKEN` is still a placeholder. */
const AUTH_SCHEME =
  /^(?:[Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc]|[Tt][Oo][Kk][Ee][Nn]|[Dd][Ii][Gg][Ee][Ss][Tt])\s+/;

/** `PWD`, `pwd`, `app_pwd`: keys that often hold a directory rather than a password. */
function isPwdKey(key: string): boolean {
  const words = keyWords(key);
  return words[words.length - 1] === 'pwd';
}
// Values that say whether there is a secret, not what it is (`has_token=true`, `password: null`).
const NOT_A_SECRET = new Set(['true', 'false', 'null', 'none', 'undefined']);

/** Groups whose text is kept in front of the replacement (`hooks.slack.com/services/***REDACTED***`). */
const KEEP_GROUPS = ['keepCurlUser', 'keepSlackHook', 'keepDiscordHook', 'keepSas'] as const;

// One pass over the text: the leftmost match wins, then the first alternative that matches there.
// Every alternative starts with a literal or a bounded prefix and has no nested quantifiers over the
// same characters, so a failed attempt costs a bounded number of steps (or, for the few that scan to a
// delimiter, the length of one run): the scan is linear in the text.
export const SECRET_SOURCES = [
  // PEM private keys of any type (PKCS#8, RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK), also with
  // `\n` escapes inside JSON (a GCP service-account file); an unterminated block is redacted to the end.
  // A header with no body after it (`Expected a -----BEGIN PRIVATE KEY----- header`) is prose.
  String.raw`-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?=(?:\s|\\[rn]){0,8}(?:[A-Za-z0-9+/]{16}|Proc-Type:|Version:|Comment:))[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)`,
  // user:password@ in a URL: only the password goes, up to the last @ of the authority, so a password
  // holding @ goes whole (the user may hold one too: `https://ada@example.com:pw@host`). The user may be
  // empty (`redis://:pw@host`); a token as user (`https://AC…:pw@api.twilio.com`) is redacted too.
  String.raw`(?<urlHead>\b[a-zA-Z][a-zA-Z0-9+.-]{0,30}:\/\/[^\s:/?#"']*:)(?<urlPassword>[^\s/?#"']+)(?=@)`,
  // Authorization schemes, in any case. A Bearer token must hold a digit, `+`, `/` or an inner dot (a
  // JWT-like `abc.def.ghi`) and must not be
  // followed by `=`, so "the bearer of news", "Bearer token-based auth" and `token_type=Bearer
  // expires_in=3599` stay; Basic credentials must decode to user:password (checked in replaceSecret).
  String.raw`(?<bearer>\b[Bb][Ee][Aa][Rr][Ee][Rr]\s{1,8})(?<bearerToken>(?=[A-Za-z\-_~]{0,200}(?:[0-9+/]|\.[A-Za-z0-9]))[A-Za-z0-9\-._~+/]{8,}=*)(?![A-Za-z0-9\-._~+/=])`,
  String.raw`(?<basic>\b[Bb][Aa][Ss][Ii][Cc]\s{1,8})(?<basicToken>[A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])`,
  // `curl -u user:password`, `--user=user:password`: the password goes. A digits-only value is a
  // uid:gid (`docker run -u 1000:1000`) and stays.
  String.raw`(?<keepCurlUser>(?<!\S)(?:-u|--user)(?:\s{1,8}|=)\\?["']?[^\s:'"\\]{1,200}:)(?=[^\s'"\\]{0,200}[^\s\d'"\\])[^\s'"\\]+`,
  // JSON Web Tokens (and JWE): the header always starts {" = eyJ; the payload is JSON (eyJ, or e30 = {})
  // or, for JWE, a long encrypted key.
  String.raw`\beyJ[A-Za-z0-9_-]{5,}\.(?:eyJ|e30|[A-Za-z0-9_-]{16})[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`,
  // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-), Anthropic (sk-ant-), DeepSeek, Langfuse secret keys.
  // A digit or capital is required, so `sk-learn-style-words-only` stays.
  String.raw`\bsk-(?=[a-z_-]{0,40}[A-Z0-9])[A-Za-z0-9_-]{20,}`,
  // Stripe secret and restricted keys, webhook signing secrets.
  String.raw`\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`,
  String.raw`\bwhsec_[A-Za-z0-9+/=]{24,}`,
  // AWS access key ids.
  String.raw`\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[0-9A-Z]{16}\b`,
  // GitHub classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained tokens.
  String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`,
  // GitLab tokens (personal, deploy, runner, trigger, feed, OAuth, agent, CI job, SCIM, …) and runner
  // registration tokens.
  String.raw`\bgl(?:pat|dt|rt|rtr|ptt|ft|imt|agent|oas|cbt|soat|ffct|wt|sst)-[A-Za-z0-9_.-]{20,}`,
  String.raw`\bGR1348941[A-Za-z0-9_-]{20,}`,
  // Slack bot, user, app-level and refresh tokens; incoming webhook paths.
  String.raw`\bxox[abposre]-[A-Za-z0-9-]{10,}`,
  String.raw`\bxoxe\.xox[bp]-[A-Za-z0-9-]{10,}`,
  String.raw`\bxapp-\d-[A-Za-z0-9-]{10,}`,
  String.raw`(?<keepSlackHook>\bhooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9_\/-]{10,}`,
  // Google API keys, OAuth client secrets and access tokens.
  String.raw`\bAIza[0-9A-Za-z_-]{35}`,
  String.raw`\bGOCSPX-[A-Za-z0-9_-]{20,}`,
  String.raw`\bya29\.[A-Za-z0-9_-]{20,}`,
  // Hugging Face user and org tokens, Groq, Replicate, xAI, Perplexity, LangSmith.
  String.raw`\b(?:hf|api_org)_[A-Za-z0-9]{30,}`,
  String.raw`\bgsk_[A-Za-z0-9]{48,}`,
  String.raw`\br8_[A-Za-z0-9]{36,}`,
  String.raw`\bxai-[A-Za-z0-9]{60,}`,
  String.raw`\bpplx-[A-Za-z0-9]{40,}`,
  String.raw`\blsv2_(?:pt|sk)_[A-Za-z0-9]{32}_[A-Za-z0-9]{10}`,
  // npm, PyPI (a macaroon: always AgE…), SendGrid, Shopify, Twilio API key and account SIDs.
  String.raw`\bnpm_[A-Za-z0-9]{36}\b`,
  String.raw`\bpypi-AgE[A-Za-z0-9_-]{50,}`,
  String.raw`\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}`,
  String.raw`\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b`,
  String.raw`\b(?:AC|SK)[0-9a-f]{32}\b`,
  // Discord bot tokens (base64 of the numeric user id . timestamp . HMAC) and webhook URLs. Base64 of
  // ASCII digits has few possible letters at each position, which keeps `Controller.invoke.Handler` out.
  String.raw`\b(?:[MNO][DTjz][AEIMQUYcgk][w-z0-5]){5,6}(?:[MNO][DTjz][AEIMQUYcgk]|[MNO][AQgw])?\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])`,
  String.raw`(?<keepDiscordHook>\bdiscord(?:app)?\.com\/api\/(?:v\d{1,2}\/)?webhooks\/\d{5,25}\/)[A-Za-z0-9_-]{20,}`,
  // Telegram bot tokens: bot id, a colon and 35 characters that start with AA (all current ones do)
  // or hold a digit, `_` or `-`.
  String.raw`(?<!\d)\d{8,10}:(?=AA|[A-Za-z]{0,34}[0-9_-])[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`,
  // Azure SAS signatures (`…&sig=…` in a URL or a SharedAccessSignature= connection string).
  '(?<keepSas>[?&;]sig=)[A-Za-z0-9%+/=_-]{16,}',
  // Vault, DigitalOcean, Sentry, Linear, Postman, Doppler, age, Databricks, Supabase, Notion, Mapbox.
  String.raw`\bhv[sbr]\.[A-Za-z0-9_-]{24,}`,
  String.raw`\bdo[opr]_v1_[a-f0-9]{64}\b`,
  String.raw`\bsntry[su]_[A-Za-z0-9_=+/-]{40,}`,
  String.raw`\blin_(?:api|oauth)_[A-Za-z0-9]{40}\b`,
  String.raw`\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b`,
  String.raw`\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}`,
  String.raw`\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b`,
  String.raw`\bdapi[a-f0-9]{32}(?:-\d)?\b`,
  String.raw`\b(?:sbp_[a-f0-9]{40}\b|sb_secret_[A-Za-z0-9_-]{20,})`,
  String.raw`\b(?:ntn_[A-Za-z0-9]{40,}|secret_[A-Za-z0-9]{43}\b)`,
  String.raw`\bsk\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`,
];

// key=value, key: value, "key": "value", 'key'='value', --key=value. The key decides; see
// isSensitiveKey. Runs after the rules above, so a value they already redacted is left alone.
// Keys are found first; a value is read (sticky, at the end of its key) only after a sensitive key.
const KV_KEY = /(?<![\w.]|[\w.]-)\\?["']?(?<kvName>[A-Za-z_][\w.-]*)\\?["']?[ \t]*[:=][ \t]*/g;
const KV_VALUE =
  /\\"(?<kvEscaped>(?:[^"\\\n]|\\[^"\n])*)\\"|"(?<kvDouble>(?:[^"\\\n]|\\.)*)"|'(?<kvSingle>(?:[^'\\\n]|\\.)*)'|(?<kvBare>(?:(?:[Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc]|[Tt][Oo][Kk][Ee][Nn]|[Dd][Ii][Gg][Ee][Ss][Tt])\s+)?(?:[^\s"'&,;)}\]\\]|\\(?!["']))+)/y;

/** Every default sensitive key contains one of these. */
const KEY_HINT = /pass|pwd|secret|token|key|auth|cookie|credential|dsn|signature|connection/;

// Cheap pre-check, a necessary condition for every rule above: a secret is either a run of at least
// MIN_TOKEN_RUN token characters, at least one of them outside [0-9a-f-] (every provider token, key and
// signature is that long and has such a character in its prefix; the shortest, Slack's `xoxb-` and ten
// characters, is exactly that long), or it sits next to one of SECRET_MARKERS (a URL's `://`, an
// Authorization scheme, curl's `-u`, a PEM header, a JWT's `eyJ`). Most log lines and prompts fail it in
// one pass over their characters and skip the big alternation; so do trace ids, span ids and UUIDs.
const MIN_TOKEN_RUN = 15;
/** 1: a token character that may be all a hex id or UUID is made of; 2: any other token character. */
const TOKEN_CHAR = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz_.+/=:') TOKEN_CHAR[char.charCodeAt(0)] = 2;
for (const char of '0123456789abcdef-') TOKEN_CHAR[char.charCodeAt(0)] = 1;
const SECRET_MARKERS = /:\/\/|[Ee][Aa][Rr][Ee][Rr]|[Aa][Ss][Ii][Cc]|eyJ|-u\s|-u=|--user|PRIVATE KEY/;

// The shortest text any rule matches: `a://:b@` (a URL password; the `@` is looked ahead for) and
// `-u a:b` (curl) are the shortest, at 7 and 6 characters.
const MIN_SECRET_TEXT = 6;

/** True when `text` may hold a secret the rules recognise; false means it certainly holds none. */
export function mayHoldSecret(text: string): boolean {
  if (text.length < MIN_SECRET_TEXT) return false;
  // Shorter than a run: only a marker can announce a secret.
  if (text.length < MIN_TOKEN_RUN) return SECRET_MARKERS.test(text);
  let run = 0;
  let lastOther = -1; // where the last character of kind 2 was
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const kind = code < 128 ? TOKEN_CHAR[code] : 0;
    if (kind === 0) {
      run = 0;
      continue;
    }
    if (kind === 2) lastOther = index;
    if (++run >= MIN_TOKEN_RUN && lastOther > index - run) return true;
  }
  return SECRET_MARKERS.test(text);
}

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

function checkLimit(
  option: string,
  value: number | undefined,
  fallback: number,
  ceiling = Number.POSITIVE_INFINITY,
): number {
  if (value === undefined) return fallback;
  if (ceiling === Number.POSITIVE_INFINITY) {
    if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1)) return value;
    return invalidOption(option, value, 'an integer of 1 or more, or Infinity');
  }
  if (Number.isInteger(value) && value >= 1 && value <= ceiling) return value;
  return invalidOption(option, value, `an integer from 1 to ${ceiling}`);
}

/** The deepest `maxDepth` allowed: `redactValue` recurses once or twice per level. */
const MAX_DEPTH_LIMIT = 1000;

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
  const maxDepth = checkLimit('maxDepth', options.maxDepth, 10, MAX_DEPTH_LIMIT);
  const maxArrayLength = checkLimit('maxArrayLength', options.maxArrayLength, 1000);
  const maxKeys = checkLimit('maxKeys', options.maxKeys, 1000);

  // Log lines repeat the same few keys, so remember each verdict (bounded).
  const verdicts = new Map<string, boolean>();
  function isSensitiveKey(key: string): boolean {
    const cached = verdicts.get(key);
    if (cached !== undefined) return cached;
    const verdict =
      exactKeys.has(key.toLowerCase()) ||
      keyPatterns.some((pattern) => pattern.test(key)) ||
      isDefaultSensitiveKey(key);
    if (verdicts.size < CACHE_LIMIT) verdicts.set(key, verdict);
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
    // The user part may itself be a token (`https://AC…:pw@api.twilio.com`, `https://ghs_…:x@…`).
    if (groups.urlHead !== undefined) return redactTokens(groups.urlHead) + replacement;
    if (groups.bearer !== undefined) return groups.bearer + replacement;
    if (groups.basic !== undefined) {
      return isBasicCredential(groups.basicToken ?? '') ? groups.basic + replacement : match;
    }
    for (const name of KEEP_GROUPS) {
      const kept = groups[name];
      if (kept !== undefined) return redactTokens(kept) + replacement;
    }
    return replacement;
  };
  function redactTokens(text: string): string {
    return mayHoldSecret(text) ? text.replace(secrets, replaceSecret) : text;
  }
  // The replacement for one key=value match, or undefined to keep it.
  const redactKeyValue = (groups: Groups): string | undefined => {
    const key = groups.kvName ?? '';
    const prefix = groups.kvKey ?? '';
    const value = groups.kvEscaped ?? groups.kvDouble ?? groups.kvSingle ?? groups.kvBare ?? '';
    if (value === replacement || value === '' || NOT_A_SECRET.has(value.toLowerCase())) return undefined;
    if (NUMBER.test(value) && isCountKey(key)) return undefined;
    if (isPwdKey(key) && ABSOLUTE_PATH.test(value)) return undefined;
    if (PLACEHOLDER.test(value.replace(AUTH_SCHEME, '')) || (isCountKey(key) && TOKEN_MARKUP.test(value))) {
      return undefined;
    }
    // `key: word` (unquoted key and value, colon and space) is prose: `Invalid token: expired`, also
    // at the start of a JSON string (`{"msg":"token: expired"}`: an opening quote and no closing one).
    // After a password key the word is the password (`password: swordfish`), unless it is one of
    // the words that explain (`password: required`, `password: must be at least 8 characters`).
    const prose = groups.kvBare !== undefined && /^\\?["']?[A-Za-z_][\w.-]*[ \t]*:[ \t]+$/.test(prefix);
    if (prose && NUMBER.test(value) && isPassKey(key)) return undefined;
    if (
      prose &&
      PLAIN_WORD.test(value) &&
      (!isPasswordKey(key) || PASSWORD_PROSE_WORDS.has(value.replace(/[.!?:]+$/, '').toLowerCase()))
    ) {
      return undefined;
    }
    if (groups.kvEscaped !== undefined) return `${prefix}\\"${replacement}\\"`;
    if (groups.kvDouble !== undefined) return `${prefix}"${replacement}"`;
    if (groups.kvSingle !== undefined) return `${prefix}'${replacement}'`;
    return prefix + replacement;
  };
  // A loop rather than `replace`. After a harmless key (`Error: password=x`, `url=a?token=b`) the
  // scan goes on right after its separator, so a pair inside its value is still found. The value of
  // a sensitive key is read once, and the scan goes on after it: every character is read a bounded
  // number of times, so the loop is linear even on `a=a=a=…` or `password=${password=${…`.
  function redactKeyValues(text: string): string {
    const keys = KV_KEY;
    keys.lastIndex = 0;
    let result = '';
    let copied = 0;
    for (let match = keys.exec(text); match !== null; match = keys.exec(text)) {
      const prefix = match[0];
      const name = (match.groups as Groups).kvName ?? '';
      // `arn:aws:secretsmanager:…:secret:prod/x`, `session:token:42`: a colon-separated path, not a pair.
      const inPath = text[match.index - 1] === ':' && /^[\w.-]+:$/.test(prefix);
      if (inPath || !isSensitiveKey(name)) continue;
      const valueStart = match.index + prefix.length;
      KV_VALUE.lastIndex = valueStart;
      const value = KV_VALUE.exec(text);
      if (value === null) continue;
      const valueEnd = valueStart + value[0].length;
      keys.lastIndex = valueEnd;
      const redacted = redactKeyValue({ ...value.groups, kvKey: prefix, kvName: name });
      if (redacted === undefined) continue;
      result += text.slice(copied, match.index) + redacted;
      copied = valueEnd;
    }
    return copied === 0 ? text : result + text.slice(copied);
  }

  function redactString(text: string): string {
    try {
      let result = redactTokens(text);
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

  // Keys are redacted too, so `{ 'sk-proj-…': 1 }` cannot leak through its key. Only keys that
  // need no change are remembered, with whether their value is a secret (bounded): one lookup per
  // field on a log line's path, and the cache never holds a secret.
  const PLAIN = 0;
  const PLAIN_SENSITIVE = 1;
  const plainKeys = new Map<string, typeof PLAIN | typeof PLAIN_SENSITIVE>();
  function redactKey(key: string): string {
    if (plainKeys.has(key)) return key;
    const name = redactString(key);
    if (name === key && plainKeys.size < CACHE_LIMIT) {
      plainKeys.set(key, isSensitiveKey(key) ? PLAIN_SENSITIVE : PLAIN);
    }
    return name;
  }

  // A field's value: most fields of a log line are numbers, flags and short strings, copied without
  // a call into copy().
  function copyItem(item: unknown, depth: number, seen: Set<object>): unknown {
    if (typeof item === 'string') return redactLongString(item);
    if (typeof item === 'number' || typeof item === 'boolean' || item === undefined) return item;
    return copy(item, depth + 1, seen);
  }

  // `viaToJSON`: as in JSON.stringify, toJSON is called once per value, never on its result.
  function copy(value: unknown, depth: number, seen: Set<object>, viaToJSON = false): unknown {
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
        let renamed: Set<string> | undefined;
        for (const [key, item] of value) {
          if (count++ >= maxArrayLength) {
            result['…'] = `[${value.size - maxArrayLength} more entries]`;
            break;
          }
          const name = typeof key === 'string' ? key : String(copy(key, maxDepth, seen));
          renamed = copyEntry(result, name, item, depth, seen, renamed);
        }
        return result;
      }
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (!viaToJSON && typeof toJSON === 'function') return copy(toJSON.call(value), depth, seen, true);
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

  /**
   * Copies one entry. A key holding a secret is stored under its redacted form, and a renamed key
   * never overwrites another entry: two secret keys become `***REDACTED***` and `***REDACTED*** (2)`.
   * Returns the set of renamed keys so far (created on the first rename).
   */
  function copyEntry(
    target: Record<string, unknown>,
    key: string,
    item: unknown,
    depth: number,
    seen: Set<object>,
    renamed: Set<string> | undefined,
  ): Set<string> | undefined {
    const name = redactKey(key);
    let slot = key;
    if (name !== key || renamed?.has(key)) {
      slot = name;
      for (let suffix = 2; Object.hasOwn(target, slot); suffix++) slot = `${name} (${suffix})`;
      renamed ??= new Set();
      renamed.add(slot);
    }
    target[slot] = isSensitiveKey(name) ? redactedFor(name, item) : copyItem(item, depth, seen);
    return renamed;
  }

  function copyFields(
    source: Record<string, unknown>,
    target: Record<string, unknown>,
    depth: number,
    seen: Set<object>,
  ): Record<string, unknown> {
    const keys = Object.keys(source);
    const walked = Math.min(keys.length, maxKeys);
    let renamed: Set<string> | undefined;
    for (let index = 0; index < walked; index++) {
      const key = keys[index] as string;
      let item: unknown;
      try {
        item = source[key];
      } catch {
        item = '[Unreadable]';
      }
      // A key seen before that needs no renaming: one lookup, no key redaction.
      const known = renamed === undefined ? plainKeys.get(key) : undefined;
      if (known === PLAIN) target[key] = copyItem(item, depth, seen);
      else if (known === PLAIN_SENSITIVE) target[key] = redactedFor(key, item);
      else renamed = copyEntry(target, key, item, depth, seen, renamed);
    }
    if (keys.length > maxKeys) target['…'] = `[${keys.length - maxKeys} more keys]`;
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

  /**
   * True when `value` is a flat, plain object that redaction would copy unchanged: keys seen before
   * and known to need nothing, values that are numbers, flags or strings the rules leave as they are.
   * Most log lines are such objects (the umbrella's finish lines are); they are then not copied.
   * Anything else (a new key, a nested object, a getter that throws, a Proxy) takes the full copy.
   */
  function unchangedFlat(value: object): boolean {
    try {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      let count = 0;
      for (const key in value) {
        if (++count > maxKeys || plainKeys.get(key) !== PLAIN) return false;
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === 'string') {
          if (item.length > maxStringLength || redactString(item) !== item) return false;
        } else if (
          typeof item !== 'number' &&
          typeof item !== 'boolean' &&
          item !== undefined &&
          item !== null
        )
          return false;
      }
      return true;
    } catch {
      return false;
    }
  }

  function redactValue(value: unknown): unknown {
    try {
      if (typeof value === 'object' && value !== null && unchangedFlat(value)) return value;
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
