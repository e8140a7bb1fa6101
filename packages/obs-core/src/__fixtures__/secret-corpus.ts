/**
 * Real-looking secrets in the shapes they reach logs and spans. Each entry lists the exact
 * substrings that must be gone after `redactString`. Provider-format tokens are assembled from
 * parts (SECRET_LINES) or generated at test time from a fixed seed (SECRET_SAMPLES), so that
 * secret scanners do not flag this file; the values are random and invalid.
 */
import { ALPHABETS, base62, base64url, crc32, createSeededRandom } from './seeded-random';

const join = (...parts: string[]) => parts.join('');

const openAiKey = join('sk-', 'proj-', 'Xq3vT9kLm2Pw8ZrB', 'c4NdF7hJs1GtYu6E', 'aW5oRk0Qe');
const legacyOpenAiKey = join('sk-', 'Fz8kQ2mXv7LpR4tW', '9nBc3HdJ6sYgU1eA', '5oKiTqZr0Plm');
const anthropicKey = join('sk-', 'ant-api03-', 'Qw8eRt5yUi2oPa7s', 'Df4gHj1kLz9xCv6b', 'Nm3-AbCdEfGh');
const stripeKey = join('sk_', 'test_', '51HxQz2Lk8Vm4Np7', 'Rt3Ws9Yb6Dc1Fg5H');
const awsKeyId = join('AKIA', 'IOSFODNN7EXAMPLE');
const awsSessionKeyId = join('ASIA', 'QW3ERT7YUI9OPL2K');
const awsSecret = join('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY');
const githubToken = join('ghp_', 'R2d2C3poX7wingL8ke', 'SkywalkerH4nS0l0Ch3');
const slackToken = join('xoxb-', '2048193755-', '4096387511-', 'kP9xLmQ2vZ7rT1wN');
const googleKey = join('AIza', 'SyD3x9Kq7LmP2vR8tW', '4nBc1HdJ6sYgU0eAoKi');
const hfToken = join('hf_', 'QwErTyUiOpAsDfGhJkLzXcVbNm', 'Qa1Ws2');
const jwt = join(
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSIsImlhdCI6MTcxNjIzOTAyMn0',
  '.Sfl9yKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw',
);
const bearerOpaque = join('ya29.', 'a0AfB_byC7x9Kq', '2LmP8vR4tW1nBc3HdJ');
const basicCredential = Buffer.from('svc-agent:Tr0ub4dor&3').toString('base64');
const pemBody = join(
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ\n',
);
const pem = `-----BEGIN PRIVATE KEY-----\n${pemBody}-----END PRIVATE KEY-----`;
const rsaPem = `-----BEGIN RSA PRIVATE KEY-----\n${pemBody}-----END RSA PRIVATE KEY-----`;
const opensshPem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${pemBody}-----END OPENSSH PRIVATE KEY-----`;

/** One line of text and the secrets in it that must not survive redaction. */
export interface SecretLine {
  text: string;
  secrets: string[];
}

export const SECRET_LINES: SecretLine[] = [
  { text: `Calling OpenAI with key ${openAiKey}`, secrets: [openAiKey] },
  { text: `OPENAI_API_KEY=${legacyOpenAiKey}`, secrets: [legacyOpenAiKey] },
  { text: `anthropic client init api_key='${anthropicKey}'`, secrets: [anthropicKey] },
  { text: `charge failed for key ${stripeKey}`, secrets: [stripeKey] },
  { text: `aws creds: ${awsKeyId} / ${awsSecret}`, secrets: [awsKeyId] },
  {
    text: `AWS_ACCESS_KEY_ID=${awsSessionKeyId} AWS_SECRET_ACCESS_KEY=${awsSecret}`,
    secrets: [awsSessionKeyId, awsSecret],
  },
  { text: `aws_secret_access_key = ${awsSecret}`, secrets: [awsSecret] },
  { text: `git clone failed with token ${githubToken}`, secrets: [githubToken] },
  { text: `slack notify using ${slackToken}`, secrets: [slackToken] },
  { text: `geocode?key=${googleKey}&address=Paris`, secrets: [googleKey] },
  { text: `HF_TOKEN=${hfToken}`, secrets: [hfToken] },
  { text: `session jwt ${jwt}`, secrets: [jwt] },
  { text: `Authorization: Bearer ${jwt}`, secrets: [jwt] },
  { text: `authorization: Bearer ${bearerOpaque}`, secrets: [bearerOpaque] },
  {
    text: `curl -H "Authorization: Bearer ${bearerOpaque}" https://api.example.com`,
    secrets: [bearerOpaque],
  },
  { text: `upstream said 401 for bearer ${bearerOpaque}`, secrets: [bearerOpaque] },
  { text: `Authorization: Basic ${basicCredential}`, secrets: [basicCredential] },
  { text: `retrying with Basic ${basicCredential} header`, secrets: [basicCredential] },
  { text: 'connecting to postgres://agent:s3cr3t-Pa55@db.internal:5432/genxai', secrets: ['s3cr3t-Pa55'] },
  { text: 'redis url=redis://default:Hunter2Hunter2@cache:6379/0', secrets: ['Hunter2Hunter2'] },
  { text: 'fetch https://bot:gh-pass-0099@git.example.com/repo.git', secrets: ['gh-pass-0099'] },
  // Password-only URLs (no user name), and the same schemes with a user.
  { text: 'cache at redis://:hunterpass@cache:6379', secrets: ['hunterpass'] },
  { text: 'REDIS_URL=rediss://:Pa55w0rd-x@redis.internal:6380/1', secrets: ['Pa55w0rd-x'] },
  { text: 'db postgres://:pgsecretvalue@db.internal:5432/genxai', secrets: ['pgsecretvalue'] },
  { text: 'db postgresql://agent:pg-S3cret@db.internal/genxai?sslmode=require', secrets: ['pg-S3cret'] },
  { text: 'broker amqp://:rabbitpass@rabbit:5672/vhost', secrets: ['rabbitpass'] },
  { text: 'broker amqps://guest:guestpass@rabbit.internal:5671', secrets: ['guestpass'] },
  { text: 'password=hunter2', secrets: ['hunter2'] },
  { text: 'password: hunter2', secrets: ['hunter2'] },
  { text: 'Invalid password: hunter2', secrets: ['hunter2'] },
  { text: `token: ${githubToken}`, secrets: [githubToken] },
  { text: `api_key=${legacyOpenAiKey}`, secrets: [legacyOpenAiKey] },
  { text: 'secret: CorrectHorseBattery', secrets: ['CorrectHorseBattery'] },
  { text: 'auth: Bearer opaquetokenvalue', secrets: ['opaquetokenvalue'] },
  { text: 'password: p@ss', secrets: ['p@ss'] },
  { text: 'token: xK9f.abc', secrets: ['xK9f.abc'] },
  { text: 'password:swordfish', secrets: ['swordfish'] },
  { text: 'pwd=hunter2', secrets: ['hunter2'] },
  { text: 'password=123456', secrets: ['123456'] },
  { text: 'login user=ada password: Tr0ub4dor&3 ok', secrets: ['Tr0ub4dor&3'] },
  {
    text: '{"username": "ada", "password": "correct horse battery staple"}',
    secrets: ['correct horse battery staple'],
  },
  { text: "{'api_key': 'k-7f3a9c2e1b8d4f6a'}", secrets: ['k-7f3a9c2e1b8d4f6a'] },
  { text: 'request body {\\"client_secret\\":\\"cs-9a8b7c6d5e4f\\"}', secrets: ['cs-9a8b7c6d5e4f'] },
  { text: 'apiKey: "ak_0f9e8d7c6b5a4"', secrets: ['ak_0f9e8d7c6b5a4'] },
  { text: 'X-Api-Key: 5d41402abc4b2a76b9719d911017c592', secrets: ['5d41402abc4b2a76b9719d911017c592'] },
  { text: 'api-key=deadbeefcafebabe1234', secrets: ['deadbeefcafebabe1234'] },
  { text: 'Cookie: sid=s%3A8f7e6d5c4b3a; theme=dark', secrets: ['s%3A8f7e6d5c4b3a'] },
  { text: 'Set-Cookie: session=abc123def456; HttpOnly', secrets: ['abc123def456'] },
  { text: 'refresh_token=rt.8a7b6c5d4e3f2a1b&grant_type=refresh_token', secrets: ['rt.8a7b6c5d4e3f2a1b'] },
  { text: 'oauth response access_token: at-1q2w3e4r5t6y', secrets: ['at-1q2w3e4r5t6y'] },
  { text: 'DB_PASSWORD="p@ss w0rd with spaces"', secrets: ['p@ss w0rd with spaces'] },
  { text: 'secret=swordfish', secrets: ['swordfish'] },
  { text: 'token=abc.def.ghi123', secrets: ['abc.def.ghi123'] },
  {
    text: 'private_key: MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oF',
    secrets: ['MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oF'],
  },
  { text: `loaded key:\n${pem}\nfrom vault`, secrets: [pemBody.slice(0, 40), 'MzEfYyjiWA4R4'] },
  { text: `rsa ${rsaPem}`, secrets: ['MzEfYyjiWA4R4'] },
  { text: `ssh ${opensshPem}`, secrets: ['NMoSfm76oqFvAp8'] },
  { text: `cut log: -----BEGIN PRIVATE KEY-----\n${pemBody}`, secrets: ['MzEfYyjiWA4R4'] },
  { text: `tool call get_weather(api_key=${openAiKey}, city="Paris")`, secrets: [openAiKey] },
  { text: `env: {"GITHUB_TOKEN":"${githubToken}","HOME":"/root"}`, secrets: [githubToken] },
];

/**
 * One generated secret, in the form it is usually written (`text`), and the parts of it that must
 * not survive redaction (`secrets`). `format` names the rule that should catch it.
 */
export interface SecretSample {
  format: string;
  text: string;
  secrets: string[];
}

const random = createSeededRandom(0x5ec4e7);
const { alnum, base32, base64, bech32, digits, hex, lowerDigits, upperDigits } = ALPHABETS;
const b64url = ALPHABETS.base64url;
const chars = random.chars;

/** A GitHub- or npm-style token: prefix, 30 random characters and a base62 CRC-32 of them. */
function checksummed(prefix: string): string {
  const body = chars(alnum, 30);
  return `${prefix}${body}${base62(crc32(body), 6)}`;
}

/** Random base64 in 64-character lines, as in a PEM body. */
function randomPemBody(bytes: number): string[] {
  return random
    .bytes(bytes)
    .toString('base64')
    .match(/.{1,64}/g) as string[];
}

function pemBlock(label: string, bytes: number): { block: string; lines: string[] } {
  const lines = randomPemBody(bytes);
  return { block: `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`, lines };
}

/** A memorable-but-bad password, a strong one, or a plain word: all appear in real logs. */
function password(kind: number): string {
  const words = ['Summer', 'Falcon', 'Orchid', 'Tundra', 'Marble', 'Quartz', 'Velvet', 'Harbor'];
  switch (kind % 4) {
    case 0:
      return `${random.pick(words)}${random.int(1970, 2029)}!`;
    case 1:
      return chars(`${alnum}!#%*+-_.~^`, random.int(14, 24));
    case 2:
      return random.pick(['swordfish', 'letmein', 'dragonfly', 'sunshine', 'changeme', 'hunter', 'trustno']);
    default:
      return `${chars(lowerDigits, 6)}-${chars(lowerDigits, 6)}-${chars(lowerDigits, 6)}`;
  }
}

function randomJwt(): string {
  const header = base64url(
    JSON.stringify(
      random.next() < 0.5 ? { alg: 'HS256', typ: 'JWT' } : { alg: 'RS256', kid: chars(hex, 16) },
    ),
  );
  const now = 1_700_000_000 + random.int(0, 50_000_000);
  const payload = base64url(
    JSON.stringify({ sub: `user_${chars(lowerDigits, 10)}`, iat: now, exp: now + 3600, scope: 'agent:run' }),
  );
  return `${header}.${payload}.${base64url(random.bytes(random.next() < 0.5 ? 32 : 256))}`;
}

/** An opaque bearer token with a digit in it (a Bearer rule needs one, so prose stays). */
function opaqueToken(): string {
  return `${chars(b64url, 12)}${random.int(0, 9)}${chars(b64url, 27)}`;
}

type Maker = (index: number) => { text: string; secrets: string[] };

/** Each format, with how many samples to build; `index` picks the context it is written in. */
const FORMATS: Array<[format: string, count: number, make: Maker]> = [
  [
    'sendgrid',
    3,
    (index) => {
      const key = `SG.${chars(b64url, 22)}.${chars(b64url, 43)}`;
      const text = [key, `SENDGRID_API_KEY=${key}`, `sendgrid: mail send failed for key ${key}`][
        index
      ] as string;
      return { text, secrets: [key] };
    },
  ],
  [
    'gitlab',
    14,
    (index) => {
      const tokens = [
        () => `glpat-${chars(b64url, 20)}`,
        () => `glpat-${chars(b64url, 27)}.01.${chars(lowerDigits, 7)}`,
        () => `gldt-${chars(b64url, 20)}`,
        () => `glrt-${chars(b64url, 20)}`,
        () => `glrt-t1_${chars(b64url, 27)}.01.${chars(lowerDigits, 7)}`,
        () => `glptt-${chars(hex, 40)}`,
        () => `glft-${chars(b64url, 20)}`,
        () => `gloas-${chars(b64url, 64)}`,
        () => `glagent-${chars(b64url, 50)}`,
        () => `glcbt-${chars(alnum, 5)}_${chars(b64url, 20)}`,
        () => `glimt-${chars(b64url, 25)}`,
        () => `glsoat-${chars(b64url, 20)}`,
        () => `glffct-${chars(b64url, 20)}`,
        () => `GR1348941${chars(b64url, 20)}`,
      ];
      const token = (tokens[index] as () => string)();
      const contexts = [
        token,
        `PRIVATE-TOKEN: ${token}`,
        `git clone https://oauth2:${token}@gitlab.com/acme/agent.git`,
        `CI token ${token} expired`,
      ];
      return { text: contexts[index % contexts.length] as string, secrets: [token] };
    },
  ],
  [
    'npm',
    3,
    (index) => {
      const token = checksummed('npm_');
      const text = [token, `//registry.npmjs.org/:_authToken=${token}`, `NPM_TOKEN=${token}`][
        index
      ] as string;
      return { text, secrets: [token] };
    },
  ],
  [
    'pypi',
    3,
    (index) => {
      const token = `pypi-AgEIcHlwaS5vcmc${chars(b64url, random.int(120, 180))}`;
      const text = [token, `TWINE_PASSWORD=${token}`, `uploading with token ${token}`][index] as string;
      return { text, secrets: [token] };
    },
  ],
  [
    'azure-storage',
    6,
    (index) => {
      const account = `acme${chars(lowerDigits, 6)}`;
      const accountKey = `${chars(base64, 86)}==`;
      const signature = encodeURIComponent(random.bytes(32).toString('base64'));
      const sas = `sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2025-06-30T00:00:00Z&spr=https&sig=${signature}`;
      const serviceBusKey = random.bytes(32).toString('base64');
      const samples = [
        {
          text: `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${accountKey};EndpointSuffix=core.windows.net`,
          secrets: [accountKey],
        },
        {
          text: `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${accountKey}"`,
          secrets: [accountKey],
        },
        { text: `https://${account}.blob.core.windows.net/reports/q3.pdf?${sas}`, secrets: [signature] },
        {
          text: `BlobEndpoint=https://${account}.blob.core.windows.net/;SharedAccessSignature=${sas}`,
          secrets: [signature],
        },
        {
          text: `Endpoint=sb://${account}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${serviceBusKey}`,
          secrets: [serviceBusKey],
        },
        { text: `{"accountName": "${account}", "accountKey": "${accountKey}"}`, secrets: [accountKey] },
      ];
      return samples[index] as { text: string; secrets: string[] };
    },
  ],
  [
    'password',
    12,
    (index) => {
      const value = password(index);
      const contexts = [
        `login failed for ada, password: ${value}`,
        `passwd=${value}`,
        `pwd: ${value}`,
        `Password: ${value}`,
        `mysql --user=root --password=${value} agents`,
        `PGPASSWORD=${value} psql -h db.internal -U agent`,
        `SMTP_PASS=${value}`,
        `spring.datasource.password=${value}`,
        `{"username": "ada", "password": "${value}"}`,
        `DB_PASSWORD='${value}'`,
        `password = ${value}`,
        `"passphrase":"${value}"`,
      ];
      return { text: contexts[index] as string, secrets: [value] };
    },
  ],
  [
    'github',
    8,
    (index) => {
      const token =
        index < 5
          ? checksummed(`gh${'pousr'[index]}_`)
          : `github_pat_11${chars(upperDigits, 20)}_${chars(alnum, 59)}`;
      const contexts = [
        `GITHUB_TOKEN=${token}`,
        token,
        `https://x-access-token:${token}@github.com/acme/agent.git`,
        `Authorization: token ${token}`,
      ];
      return { text: contexts[index % contexts.length] as string, secrets: [token] };
    },
  ],
  [
    'slack',
    6,
    (index) => {
      const tokens = [
        () => `xoxb-${chars(digits, 12)}-${chars(digits, 13)}-${chars(alnum, 24)}`,
        () => `xoxp-${chars(digits, 12)}-${chars(digits, 12)}-${chars(digits, 13)}-${chars(hex, 32)}`,
        () => `xoxa-2-${chars(digits, 12)}-${chars(digits, 13)}-${chars(hex, 64)}`,
        () => `xapp-1-A${chars(upperDigits, 10)}-${chars(digits, 13)}-${chars(hex, 64)}`,
        () => `xoxe.xoxp-1-${chars(alnum, 140)}`,
        () => `xoxe-1-${chars(alnum, 140)}`,
      ];
      const token = (tokens[index] as () => string)();
      const text = index % 2 === 0 ? `SLACK_BOT_TOKEN=${token}` : `slack client init with ${token}`;
      return { text, secrets: [token] };
    },
  ],
  [
    'slack-webhook',
    3,
    (index) => {
      const path = `T${chars(upperDigits, 10)}/B${chars(upperDigits, 10)}/${chars(alnum, 24)}`;
      const url = `https://hooks.slack.com/services/${path}`;
      const text = [url, `SLACK_WEBHOOK_URL=${url}`, `posting alert to ${url} failed`][index] as string;
      return { text, secrets: [path.slice(path.lastIndexOf('/') + 1), path] };
    },
  ],
  [
    'stripe',
    5,
    (index) => {
      const keys = [
        `sk_live_${chars(alnum, 24)}`,
        `sk_live_51${chars(alnum, 97)}`,
        `rk_live_51${chars(alnum, 97)}`,
        `sk_test_51${chars(alnum, 97)}`,
        `whsec_${chars(alnum, 32)}`,
      ];
      const key = keys[index] as string;
      const text = index % 2 === 0 ? key : `STRIPE_KEY=${key}`;
      return { text, secrets: [key] };
    },
  ],
  [
    'twilio',
    4,
    (index) => {
      const accountSid = `AC${chars(hex, 32)}`;
      const apiKeySid = `SK${chars(hex, 32)}`;
      const secret = chars(hex, 32);
      const samples = [
        {
          text: `TWILIO_ACCOUNT_SID=${accountSid} TWILIO_AUTH_TOKEN=${secret}`,
          secrets: [accountSid, secret],
        },
        {
          text: `POST https://${accountSid}:${secret}@api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages.json`,
          secrets: [accountSid, secret],
        },
        {
          text: `curl -u ${apiKeySid}:${secret} https://api.twilio.com/v1/Services`,
          secrets: [apiKeySid, secret],
        },
        {
          text: `{"account_sid": "${accountSid}", "auth_token": "${secret}"}`,
          secrets: [accountSid, secret],
        },
      ];
      return samples[index] as { text: string; secrets: string[] };
    },
  ],
  [
    'aws-access-key-id',
    4,
    (index) => {
      const id = `${index % 2 === 0 ? 'AKIA' : 'ASIA'}${chars(base32, 16)}`;
      const contexts = [
        id,
        `AWS_ACCESS_KEY_ID=${id}`,
        `aws_access_key_id = ${id}`,
        `{"AccessKeyId": "${id}"}`,
      ];
      return { text: contexts[index] as string, secrets: [id] };
    },
  ],
  [
    'aws-secret-access-key',
    4,
    (index) => {
      const secret = chars(base64, 40);
      const session = `IQoJb3JpZ2luX2Vj${chars(base64, 300)}`;
      const samples = [
        { text: `aws_secret_access_key = ${secret}`, secrets: [secret] },
        { text: `AWS_SECRET_ACCESS_KEY=${secret}`, secrets: [secret] },
        {
          text: `{"SecretAccessKey": "${secret}", "SessionToken": "${session}"}`,
          secrets: [secret, session],
        },
        { text: `aws_session_token = ${session}`, secrets: [session] },
      ];
      return samples[index] as { text: string; secrets: string[] };
    },
  ],
  [
    'gcp-service-account',
    3,
    (index) => {
      const { block, lines } = pemBlock('PRIVATE KEY', 1190);
      const account = {
        type: 'service_account',
        project_id: `acme-agents-${chars(digits, 6)}`,
        private_key_id: chars(hex, 40),
        private_key: `${block}\n`,
        client_email: `agent@acme-agents.iam.gserviceaccount.com`,
        client_id: chars(digits, 21),
        token_uri: 'https://oauth2.googleapis.com/token',
      };
      const text = [
        JSON.stringify(account),
        JSON.stringify(account, null, 2),
        `credentials loaded: ${JSON.stringify({ private_key: account.private_key })}`,
      ][index] as string;
      return { text, secrets: [lines[1] as string, lines[lines.length - 2] as string] };
    },
  ],
  [
    'pem-private-key',
    7,
    (index) => {
      const labels = [
        'PRIVATE KEY',
        'RSA PRIVATE KEY',
        'EC PRIVATE KEY',
        'OPENSSH PRIVATE KEY',
        'ENCRYPTED PRIVATE KEY',
        'DSA PRIVATE KEY',
        'PGP PRIVATE KEY BLOCK',
      ];
      const { block, lines } = pemBlock(labels[index] as string, random.int(120, 1200));
      const secrets = [lines[0] as string, lines[lines.length - 1] as string];
      if (index === 3) return { text: block.slice(0, block.indexOf('-----END')), secrets }; // a cut log line
      return { text: index % 2 === 0 ? block : `loaded signing key:\n${block}\nfrom vault`, secrets };
    },
  ],
  [
    'google-api-key',
    4,
    (index) => {
      const key = `AIza${chars(b64url, 35)}`;
      const contexts = [
        `GET https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=${key}`,
        key,
        `GOOGLE_API_KEY=${key}`,
        `x-goog-api-key: ${key}`,
      ];
      return { text: contexts[index] as string, secrets: [key] };
    },
  ],
  [
    'google-oauth',
    2,
    (index) => {
      const secret = index === 0 ? `GOCSPX-${chars(b64url, 28)}` : `ya29.a0${chars(b64url, 150)}`;
      return {
        text: index === 0 ? `client_secret_json ${secret}` : `gcloud token ${secret}`,
        secrets: [secret],
      };
    },
  ],
  [
    'openai',
    5,
    (index) => {
      const keys = [
        `sk-proj-${chars(b64url, 74)}T3BlbkFJ${chars(b64url, 74)}`,
        `sk-${chars(alnum, 20)}T3BlbkFJ${chars(alnum, 20)}`,
        `sk-svcacct-${chars(b64url, 74)}T3BlbkFJ${chars(b64url, 74)}`,
        `sk-admin-${chars(b64url, 74)}T3BlbkFJ${chars(b64url, 74)}`,
        `sk-${chars(hex, 32)}`, // DeepSeek and other OpenAI-compatible providers
      ];
      const key = keys[index] as string;
      const contexts = [
        `OPENAI_API_KEY=${key}`,
        `Calling OpenAI with key ${key}`,
        `openai.AuthenticationError: Incorrect API key provided: ${key}`,
        `{"headers": {"Authorization": "Bearer ${key}"}}`,
        `client = OpenAI(api_key="${key}", base_url="https://api.deepseek.com")`,
      ];
      return { text: contexts[index] as string, secrets: [key] };
    },
  ],
  [
    'anthropic',
    3,
    (index) => {
      const kind = ['api03', 'admin01', 'oat01'][index] as string;
      const key = `sk-ant-${kind}-${chars(b64url, 93)}AA`;
      const contexts = [
        `ANTHROPIC_API_KEY=${key}`,
        `x-api-key: ${key}`,
        `anthropic client init api_key='${key}'`,
      ];
      return { text: contexts[index] as string, secrets: [key] };
    },
  ],
  [
    'huggingface',
    2,
    (index) => {
      const token = `${index === 0 ? 'hf_' : 'api_org_'}${chars(alnum, 34)}`;
      return { text: index === 0 ? `HF_TOKEN=${token}` : `hub login with ${token}`, secrets: [token] };
    },
  ],
  [
    'groq',
    2,
    (index) => {
      const key = `gsk_${chars(alnum, 52)}`;
      return { text: index === 0 ? `GROQ_API_KEY=${key}` : `groq request with ${key}`, secrets: [key] };
    },
  ],
  [
    'replicate',
    2,
    (index) => {
      const token = `r8_${chars(alnum, 37)}`;
      return {
        text: index === 0 ? `REPLICATE_API_TOKEN=${token}` : `replicate run with ${token}`,
        secrets: [token],
      };
    },
  ],
  [
    'cohere',
    3,
    (index) => {
      const key = chars(alnum, 40);
      const contexts = [
        `COHERE_API_KEY=${key}`,
        `co = cohere.Client(api_key="${key}")`,
        `CO_API_KEY: ${key}`,
      ];
      return { text: contexts[index] as string, secrets: [key] };
    },
  ],
  [
    'mistral',
    3,
    (index) => {
      const key = chars(alnum, 32);
      const contexts = [
        `MISTRAL_API_KEY=${key}`,
        `{"api_key": "${key}", "model": "mistral-large-latest"}`,
        `mistral client api-key=${key}`,
      ];
      return { text: contexts[index] as string, secrets: [key] };
    },
  ],
  [
    'ai-platforms',
    4,
    (index) => {
      const keys = [
        `xai-${chars(alnum, 80)}`,
        `pplx-${chars(alnum, 48)}`,
        `lsv2_pt_${chars(hex, 32)}_${chars(hex, 10)}`,
        `lsv2_sk_${chars(hex, 32)}_${chars(hex, 10)}`,
      ];
      const key = keys[index] as string;
      return { text: index % 2 === 0 ? key : `LANGCHAIN_API_KEY=${key}`, secrets: [key] };
    },
  ],
  [
    'discord-bot-token',
    3,
    (index) => {
      const userId = `1${chars(digits, 17 + (index % 2))}`;
      const token = `${Buffer.from(userId).toString('base64').replace(/=+$/, '')}.${chars(b64url, 6)}.${chars(b64url, 38)}`;
      const contexts = [
        `DISCORD_BOT_TOKEN=${token}`,
        `Authorization: Bot ${token}`,
        `discord login ${token}`,
      ];
      return { text: contexts[index] as string, secrets: [token] };
    },
  ],
  [
    'discord-webhook',
    3,
    (index) => {
      const secret = chars(b64url, 68);
      const host = ['discord.com', 'discordapp.com', 'canary.discord.com'][index] as string;
      const url = `https://${host}/api/webhooks/${chars(digits, 19)}/${secret}`;
      return { text: index === 1 ? `DISCORD_WEBHOOK=${url}` : url, secrets: [secret] };
    },
  ],
  [
    'telegram-bot-token',
    3,
    (index) => {
      const token = `${random.int(1, 9)}${chars(digits, 9)}:AA${chars(b64url, 33)}`;
      const contexts = [
        `TELEGRAM_BOT_TOKEN=${token}`,
        `POST https://api.telegram.org/bot${token}/sendMessage`,
        `telegram bot ${token} started`,
      ];
      return { text: contexts[index] as string, secrets: [token.slice(token.indexOf(':') + 1)] };
    },
  ],
  [
    'shopify',
    4,
    (index) => {
      const token = `${['shpat_', 'shpss_', 'shpca_', 'shppa_'][index]}${chars(hex, 32)}`;
      return { text: index % 2 === 0 ? `X-Shopify-Access-Token: ${token}` : token, secrets: [token] };
    },
  ],
  [
    'datadog',
    4,
    (index) => {
      const key = chars(hex, index % 2 === 0 ? 32 : 40);
      const contexts = [
        `DD_API_KEY=${key}`,
        `DD_APP_KEY=${key}`,
        `DD-API-KEY: ${key}`,
        `datadog config {"application_key": "${key}"}`,
      ];
      return { text: contexts[index] as string, secrets: [key] };
    },
  ],
  [
    'jwt',
    4,
    (index) => {
      const token = randomJwt();
      const contexts = [
        token,
        `Authorization: Bearer ${token}`,
        `Cookie: session=${token}; theme=dark`,
        `callback?id_token=${token}&state=xyz`,
      ];
      return { text: contexts[index] as string, secrets: [token] };
    },
  ],
  [
    'bearer',
    4,
    (index) => {
      const token = opaqueToken();
      const contexts = [
        `authorization: bearer ${token}`,
        `AUTHORIZATION: BEARER ${token}`,
        `curl -H "Authorization: Bearer ${token}" https://api.example.com`,
        `upstream returned 401 for BeArEr ${token}`,
      ];
      return { text: contexts[index] as string, secrets: [token] };
    },
  ],
  [
    'basic',
    4,
    (index) => {
      const credential = Buffer.from(`svc-${chars(lowerDigits, 6)}:${password(index + 1)}`).toString(
        'base64',
      );
      const contexts = [
        `Authorization: Basic ${credential}`,
        `authorization: basic ${credential}`,
        `PROXY-AUTHORIZATION: BASIC ${credential}`,
        `retrying with Basic ${credential} header`,
      ];
      return { text: contexts[index] as string, secrets: [credential] };
    },
  ],
  [
    'url-credentials',
    5,
    (index) => {
      // Real URLs percent-encode a password; a raw `@` in one is still seen in logs.
      const secret =
        index === 3 ? `${chars(alnum, 6)}@${chars(alnum, 6)}` : encodeURIComponent(password(index + 1));
      const urls = [
        `https://deploy:${secret}@git.example.com/acme/agent.git`,
        `ftp://backup:${secret}@files.example.com/nightly.tar.gz`,
        `amqp://agent:${secret}@rabbit.internal:5672/vhost`,
        `https://ci:${secret}@registry.example.com/v2/`,
        `smtp://mailer:${secret}@smtp.example.com:587`,
      ];
      return { text: `fetching ${urls[index]}`, secrets: [secret] };
    },
  ],
  [
    'database-url',
    7,
    (index) => {
      const secret = encodeURIComponent(password(index + 1));
      const urls = [
        `postgres://agent:${secret}@db.internal:5432/genxai`,
        `postgresql://agent:${secret}@db.internal/genxai?sslmode=require`,
        `mysql://root:${secret}@mysql.internal:3306/agents`,
        `mongodb+srv://agent:${secret}@cluster0.ab1cd.mongodb.net/agents?retryWrites=true`,
        `mongodb://agent:${secret}@mongo-0:27017,mongo-1:27017/agents?replicaSet=rs0`,
        `redis://default:${secret}@cache.internal:6379/0`,
        `rediss://:${secret}@redis.internal:6380/1`,
      ];
      const url = urls[index] as string;
      return { text: index % 2 === 0 ? `DATABASE_URL=${url}` : `connecting to ${url}`, secrets: [secret] };
    },
  ],
  [
    'developer-platforms',
    11,
    (index) => {
      const tokens = [
        `hvs.${chars(b64url, 90)}`,
        `dop_v1_${chars(hex, 64)}`,
        `sntryu_${chars(hex, 64)}`,
        `lin_api_${chars(alnum, 40)}`,
        `PMAK-${chars(hex, 24)}-${chars(hex, 34)}`,
        `dp.pt.${chars(alnum, 43)}`,
        `AGE-SECRET-KEY-1${chars(bech32, 58)}`,
        `dapi${chars(hex, 32)}`,
        `sbp_${chars(hex, 40)}`,
        `ntn_${chars(digits, 11)}${chars(alnum, 35)}`,
        `sk.eyJ1IjoiYWNtZSIsImEiOiJjbH${chars(alnum, 20)}.${chars(b64url, 22)}`,
      ];
      const token = tokens[index] as string;
      return { text: index % 2 === 0 ? token : `using token ${token} for deploy`, secrets: [token] };
    },
  ],
  [
    'curl-user',
    2,
    (index) => {
      const secret = password(index);
      return {
        text:
          index === 0
            ? `curl -u admin:${secret} https://jenkins.internal/api`
            : `curl --user "ci:${secret}" -X POST`,
        secrets: [secret],
      };
    },
  ],
];

/** Every generated secret: deterministic, format-valid and fake. */
export const SECRET_SAMPLES: SecretSample[] = FORMATS.flatMap(([format, count, make]) =>
  Array.from({ length: count }, (_, index) => ({ format, ...make(index) })),
);
