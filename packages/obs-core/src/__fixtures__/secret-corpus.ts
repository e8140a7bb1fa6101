/**
 * Real-looking secrets in the shapes they reach logs and spans. Each entry lists the exact
 * substrings that must be gone after `redactString`. Provider-format tokens are assembled from
 * parts so that secret scanners do not flag this file; the values are random and invalid.
 */
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
