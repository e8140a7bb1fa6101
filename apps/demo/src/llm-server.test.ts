// The embedded server, read through the real openai SDK (which parses what it sends) and as raw bytes.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type LlmServer, startLlmServer } from './llm-server';

const messages = [
  { role: 'system' as const, content: 'You are the planner.' },
  { role: 'user' as const, content: 'Task: plan a trip to Lisbon' },
];

const servers: LlmServer[] = [];
async function start(seed = 1, errorRate = 0) {
  const server = await startLlmServer({ seed, errorRate, recordRequests: true });
  servers.push(server);
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0 });
  return { server, client };
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function post(server: LlmServer, body: unknown) {
  return fetch(`${server.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the embedded OpenAI-compatible server', () => {
  it('answers a plain chat completion in the API shape, with usage and the dated model', async () => {
    const { server, client } = await start();
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-[0-9A-Za-z]{29}$/),
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: expect.stringMatching(/^Answer to "Task: plan a trip to Lis…":/),
          },
          finish_reason: 'stop',
        },
      ],
    });
    const usage = completion.usage!;
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.prompt_tokens).toBe(Math.ceil((20 + 1 + 27) / 4) + 8);
    expect(usage.prompt_tokens_details?.cached_tokens).toBeTypeOf('number');
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        authorization: 'Bearer sk-test',
        model: 'gpt-4o-mini',
        stream: false,
        includeUsage: false,
      },
    ]);
  });

  it('streams server-sent events: a role chunk, content chunks, the finish, the usage chunk, [DONE]', async () => {
    const { server } = await start();
    const response = await post(server, {
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const events = text.split('\n\n');
    expect(events.pop()).toBe('');
    expect(events.pop()).toBe('data: [DONE]');
    for (const event of events) expect(event).toMatch(/^data: \{.*\}$/);
    const chunks = events.map((event) => JSON.parse(event.slice('data: '.length)));
    for (const chunk of chunks)
      expect(chunk).toMatchObject({
        object: 'chat.completion.chunk',
        id: chunks[0].id,
        model: 'gpt-4o-mini-2024-07-18',
      });
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.prompt_tokens_details).toHaveProperty('cached_tokens');
    expect(chunks.at(-2).choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    // Every chunk but the last says `usage: null`.
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    const content = chunks.slice(1, -2).map((chunk) => chunk.choices[0].delta.content as string);
    expect(content.length).toBeGreaterThan(1);
    const prefix = 'Answer to "Task: plan a trip to Lis…": ';
    expect(content[0]!.startsWith(prefix)).toBe(true);
    expect(content.join('').slice(prefix.length).split(' ')).toHaveLength(last.usage.completion_tokens);
  });

  it('sends no usage chunk and no usage field without include_usage', async () => {
    const { server } = await start();
    const text = await (await post(server, { model: 'gpt-4o-mini', messages, stream: true })).text();
    const chunks = text
      .split('\n\n')
      .filter((event) => event.startsWith('data: {'))
      .map((event) => JSON.parse(event.slice(6)));
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
  });

  it('is read by the SDK as a Stream, and agrees with the plain answer of a server with the same seed', async () => {
    const streamed = await start(5);
    const plain = await start(5);
    for (let i = 0; i < 6; i++) {
      const stream = await streamed.client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      let content = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        content += chunk.choices[0]?.delta?.content ?? '';
        usage ??= chunk.usage;
      }
      const completion = await plain.client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect(content).toBe(completion.choices[0]!.message.content);
      expect(usage).toEqual(completion.usage);
    }
  });

  it('draws latency and usage from the seed, with cached prompt tokens on some calls', async () => {
    const run = async (seed: number) => {
      const { client } = await start(seed);
      const calls: { cached: number; completion: number; firstTokenMs: number }[] = [];
      for (let i = 0; i < 12; i++) {
        const started = performance.now();
        const stream = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages,
          stream: true,
          stream_options: { include_usage: true },
        });
        let firstTokenMs: number | undefined;
        let usage: OpenAI.CompletionUsage | null | undefined;
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta?.content) firstTokenMs ??= performance.now() - started;
          usage ??= chunk.usage;
        }
        calls.push({
          cached: usage!.prompt_tokens_details!.cached_tokens!,
          completion: usage!.completion_tokens,
          firstTokenMs: firstTokenMs!,
        });
      }
      return calls;
    };
    const first = await run(3);
    const again = await run(3);
    expect(again.map(({ cached, completion }) => [cached, completion])).toEqual(
      first.map(({ cached, completion }) => [cached, completion]),
    );
    expect((await run(4)).map((c) => c.completion)).not.toEqual(first.map((c) => c.completion));
    const cached = first.filter((c) => c.cached > 0);
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.length).toBeLessThan(first.length);
    // The seeded delay is a floor: 10 ms for a cached prompt, 25 ms otherwise.
    for (const call of first) expect(call.firstTokenMs).toBeGreaterThanOrEqual(call.cached > 0 ? 9 : 24);
  });

  it.each([
    { status: 429, errorClass: OpenAI.RateLimitError, code: 'rate_limit_exceeded', type: 'requests' },
    { status: 500, errorClass: OpenAI.InternalServerError, code: null, type: 'server_error' },
  ])(
    'fails at its error rate with a $status in the API error shape, for plain and streamed calls',
    async (c) => {
      const { client } = await start(9, 1);
      const errors: unknown[] = [];
      for (let i = 0; i < 12; i++) {
        const call =
          i % 2 === 0
            ? client.chat.completions.create({ model: 'gpt-4o-mini', messages })
            : client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
        errors.push(
          await call.then(
            () => 'no error',
            (error: unknown) => error,
          ),
        );
      }
      expect(errors.every((error) => error instanceof OpenAI.APIError)).toBe(true);
      const matching = errors.filter((error) => error instanceof c.errorClass) as InstanceType<
        typeof OpenAI.APIError
      >[];
      expect(matching.length).toBeGreaterThan(0);
      for (const error of matching) {
        expect(error.status).toBe(c.status);
        expect(error.code).toBe(c.code);
        expect(error.type).toBe(c.type);
        expect(error.requestID).toMatch(/^req_/);
      }
    },
  );

  it('stops at max_tokens with finish_reason "length"', async () => {
    const { client } = await start();
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 5,
    });
    expect(completion.usage!.completion_tokens).toBe(5);
    expect(completion.choices[0]!.finish_reason).toBe('length');
  });

  it('lists models, and answers bad requests and unknown paths with API errors', async () => {
    const { server, client } = await start();
    expect((await client.models.list()).data.map((model) => model.id)).toEqual([
      'gpt-4o-mini',
      'gpt-4.1-mini',
    ]);
    const missing = await post(server, { model: 'gpt-4o-mini' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: {
        message: "Missing required parameter: 'messages'.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'missing_required_parameter',
      },
    });
    const unknown = await fetch(`${server.baseURL}/responses`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      'Invalid URL (POST /v1/responses)',
    );
  });
});
