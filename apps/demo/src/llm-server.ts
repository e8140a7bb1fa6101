import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { Model } from 'openai/resources/models';
import { createRandom } from './random';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Options of {@link startLlmServer}. */
export interface LlmServerOptions {
  /** Seed of the simulated latencies, usage and failures. */
  seed: number;
  /**
   * Probability in [0, 1] that a chat completion is answered with an error instead: 429
   * `rate_limit_exceeded` (two thirds of them) or 500 `server_error`.
   * @default 0
   */
  errorRate?: number;
  /**
   * Keep every request in `requests` (for tests); off, a long run keeps nothing.
   * @default false
   */
  recordRequests?: boolean;
}

/** What the server was asked, one entry per request, in arrival order. */
export interface ReceivedLlmRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The request body's `model`, `stream` and `stream_options.include_usage`, for chat completions. */
  model?: string;
  stream?: boolean;
  includeUsage?: boolean;
}

/** A running embedded server. */
export interface LlmServer {
  /** The base URL to give an OpenAI client: `http://127.0.0.1:PORT/v1`. */
  readonly baseURL: string;
  /** The requests received, with `recordRequests`; else empty. */
  readonly requests: readonly ReceivedLlmRequest[];
  close(): Promise<void>;
}

/** What the real API answers for an alias: the dated snapshot that served the request. */
const SNAPSHOTS: Record<string, string> = {
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
};

/** The models listed by `GET /v1/models`; any model name is served. */
const LISTED_MODELS = ['gpt-4o-mini', 'gpt-4.1-mini'];

/** How much later than the others a model answers its first token: a larger one thinks longer. */
const FIRST_TOKEN_FACTOR: Record<string, number> = { 'gpt-4.1-mini': 2 };

const WORDS =
  'the sources agree that findings point to a steady trend in recent data with some caveats about sampling'.split(
    ' ',
  );

// Output tokens per streamed chunk: a real API sends about one; a few keep the demo quick.
const TOKENS_PER_CHUNK = 16;
const MAX_BODY_BYTES = 1_000_000;

/** One request's simulated outcome, drawn before anything is sent, so streamed and plain calls agree. */
interface Plan {
  error?: 429 | 500;
  /** Before the first token, or before an error. */
  firstTokenMs: number;
  cached: boolean;
  completionTokens: number;
  /** Between one streamed chunk and the next. */
  gapsMs: number[];
  id: string;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function drawPlan(random: () => number, errorRate: number): Plan {
  const failed = random() < errorRate;
  const tooManyRequests = random() < 2 / 3;
  const cached = random() < 0.3;
  // A prompt read from the cache gets its first token sooner.
  const firstTokenMs = failed
    ? 5 + Math.floor(random() * 15)
    : cached
      ? 10 + Math.floor(random() * 30)
      : 25 + Math.floor(random() * 70);
  const completionTokens = 20 + Math.floor(random() * 200);
  const chunks = Math.ceil(completionTokens / TOKENS_PER_CHUNK);
  const gapsMs = Array.from({ length: chunks }, () => 1 + Math.floor(random() * 4));
  const id = Array.from({ length: 29 }, () => BASE62[Math.floor(random() * BASE62.length)]).join('');
  return {
    ...(failed ? { error: tooManyRequests ? 429 : 500 } : {}),
    firstTokenMs,
    cached,
    completionTokens,
    gapsMs,
    id,
  };
}

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const apiError = (
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): ErrorBody => ({
  error: { message, type, param, code },
});

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  // Content parts: `[{ type: 'text', text }]`.
  if (Array.isArray(content))
    return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}

/** The completion's text: `completionTokens` words of about four characters each. */
function completionText(prompt: string, completionTokens: number, random: () => number): string[] {
  const pieces: string[] = [];
  let piece = `Answer to "${prompt.slice(0, 24)}…":`;
  for (let token = 1; token <= completionTokens; token++) {
    piece += ` ${WORDS[Math.floor(random() * WORDS.length)]}`;
    if (token % TOKENS_PER_CHUNK === 0 || token === completionTokens) {
      pieces.push(piece);
      piece = '';
    }
  }
  return pieces;
}

/**
 * Starts an in-process server speaking OpenAI's Chat Completions wire format on 127.0.0.1 (a free
 * port): `POST /v1/chat/completions`, as JSON or, with `stream: true`, as server-sent events
 * (`data: {chunk}` … `data: [DONE]`, with a last usage chunk when `stream_options.include_usage`
 * is set), and `GET /v1/models`. Latency (time to first token, then a gap per chunk), usage
 * (about 30% of calls read part of the prompt from the cache) and failures (429 and 500 in the
 * API's error shape) are drawn from `seed`, one draw per request in arrival order: a caller that
 * sends its requests one after the other gets the same answers on every run.
 */
export async function startLlmServer(options: LlmServerOptions): Promise<LlmServer> {
  const errorRate = options.errorRate ?? 0;
  const random = createRandom(options.seed ^ 0x5eed11a);
  const requests: ReceivedLlmRequest[] = [];

  async function chatCompletion(
    request: IncomingMessage,
    response: ServerResponse,
    received: ReceivedLlmRequest,
  ) {
    let raw = '';
    for await (const part of request) {
      raw += part;
      if (raw.length > MAX_BODY_BYTES)
        return sendJson(response, 413, apiError('The request body is too large.', 'invalid_request_error'));
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
      if (typeof body !== 'object' || body === null) throw new TypeError('not an object');
    } catch {
      return sendJson(
        response,
        400,
        apiError('We could not parse the JSON body of your request.', 'invalid_request_error'),
      );
    }
    if (typeof body.model !== 'string' || body.model === '')
      return sendJson(
        response,
        400,
        apiError('you must provide a model parameter', 'invalid_request_error', null, 'model'),
      );
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return sendJson(
        response,
        400,
        apiError(
          "Missing required parameter: 'messages'.",
          'invalid_request_error',
          'missing_required_parameter',
          'messages',
        ),
      );
    const stream = body.stream === true;
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    Object.assign(received, { model: body.model, stream, includeUsage });

    const plan = drawPlan(random, errorRate);
    const textRandom = createRandom(Math.floor(random() * 2 ** 32));
    const requestId = `req_${plan.id.slice(0, 16).toLowerCase()}`;
    await sleep(plan.firstTokenMs * (FIRST_TOKEN_FACTOR[String(body.model)] ?? 1));
    if (plan.error === 429)
      return sendJson(
        response,
        429,
        apiError(
          `Rate limit reached for ${body.model} in organization org-demo on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.`,
          'requests',
          'rate_limit_exceeded',
        ),
        { 'x-request-id': requestId, 'retry-after-ms': '120' },
      );
    if (plan.error === 500)
      return sendJson(
        response,
        500,
        apiError('The server had an error while processing your request. Sorry about that!', 'server_error'),
        { 'x-request-id': requestId },
      );

    const messages = body.messages as { role?: unknown; content?: unknown }[];
    const promptText = messages.map((message) => textOf(message?.content)).join('\n');
    // About four characters a token, plus the few tokens of each message's framing.
    const promptTokens = Math.ceil(promptText.length / 4) + 4 * messages.length;
    const lastUser = [...messages].reverse().find((message) => message?.role === 'user');
    const maxTokens = [body.max_completion_tokens, body.max_tokens].find(
      (value): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0,
    );
    const completionTokens = Math.min(plan.completionTokens, maxTokens ?? Number.POSITIVE_INFINITY);
    const finishReason = completionTokens < plan.completionTokens ? 'length' : 'stop';
    const pieces = completionText(textOf(lastUser?.content), completionTokens, textRandom);
    const usage: CompletionUsage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      // The API caches a prompt's prefix; here, half of it.
      prompt_tokens_details: {
        cached_tokens: plan.cached ? Math.floor(promptTokens / 2) : 0,
        audio_tokens: 0,
      },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    const common = {
      id: `chatcmpl-${plan.id}`,
      created: Math.floor(Date.now() / 1000),
      model: SNAPSHOTS[body.model] ?? body.model,
      service_tier: 'default' as const,
      system_fingerprint: 'fp_genxai_demo',
    };

    if (!stream) {
      for (const gap of plan.gapsMs) await sleep(gap);
      const completion: ChatCompletion = {
        ...common,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: pieces.join(''), refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
      };
      return sendJson(response, 200, completion, { 'x-request-id': requestId });
    }

    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': requestId,
    });
    const send = (choices: ChatCompletionChunk.Choice[], extra: Partial<ChatCompletionChunk> = {}) => {
      const chunk: ChatCompletionChunk = {
        ...common,
        object: 'chat.completion.chunk',
        choices,
        // With include_usage every chunk carries `usage: null`, but the last one.
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      };
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    };
    const choice = (
      delta: ChatCompletionChunk.Choice.Delta,
      finish: ChatCompletionChunk.Choice['finish_reason'] = null,
    ) => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finish,
    });
    send([choice({ role: 'assistant', content: '', refusal: null })]);
    for (const [index, piece] of pieces.entries()) {
      if (index > 0) await sleep(plan.gapsMs[index] ?? 1);
      if (response.destroyed) return;
      send([choice({ content: piece })]);
    }
    send([choice({}, finishReason)]);
    if (includeUsage) send([], { usage });
    response.end('data: [DONE]\n\n');
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const method = request.method ?? 'GET';
    const received: ReceivedLlmRequest = { method, path, authorization: request.headers.authorization };
    if (options.recordRequests) requests.push(received);
    if (method === 'POST' && path === '/v1/chat/completions')
      return chatCompletion(request, response, received);
    if (method === 'GET' && path === '/v1/models') {
      const data: Model[] = LISTED_MODELS.map((id) => ({
        id,
        object: 'model',
        created: 1721172741,
        owned_by: 'system',
      }));
      return sendJson(response, 200, { object: 'list', data });
    }
    request.resume();
    sendJson(response, 404, apiError(`Invalid URL (${method} ${path})`, 'invalid_request_error'));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets of the client would hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
