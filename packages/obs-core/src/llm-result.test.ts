import { describe, expect, it } from 'vitest';
import { checkUsage, MAX_TOOL_CALLS, readLlmResult, resolveLlmResult, usageProblem } from './llm-result';

describe('readLlmResult', () => {
  it('reads the plan shape', () => {
    expect(
      readLlmResult({
        content: 'hi',
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
    ).toEqual({ completion: 'hi', usage: { inputTokens: 10, outputTokens: 5 } });
  });

  it('reads OpenAI cached and reasoning details', () => {
    expect(
      readLlmResult({
        model: 'o4-mini-2025-04-16',
        usage: {
          prompt_tokens: 100,
          completion_tokens: 50,
          total_tokens: 150,
          prompt_tokens_details: { cached_tokens: 64 },
          completion_tokens_details: { reasoning_tokens: 30 },
        },
      }),
    ).toEqual({
      responseModel: 'o4-mini-2025-04-16',
      usage: {
        inputTokens: 100,
        outputTokens: 50,
        cachedInputTokens: 64,
        reasoningTokens: 30,
      },
    });
  });

  it('adds Anthropic cache reads and writes to the input, which Anthropic counts apart', () => {
    expect(
      readLlmResult({
        usage: {
          input_tokens: 20,
          output_tokens: 7,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 30,
        },
      })?.usage,
    ).toEqual({
      inputTokens: 150,
      outputTokens: 7,
      cachedInputTokens: 100,
      cacheWriteInputTokens: 30,
    });
  });

  it('reads camelCase usage and text', () => {
    expect(readLlmResult({ text: 'x', usage: { inputTokens: 3, outputTokens: 4 } })).toEqual({
      completion: 'x',
      usage: { inputTokens: 3, outputTokens: 4 },
    });
  });

  it('reads a real OpenAI chat completion', () => {
    const openai = {
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      object: 'chat.completion',
      created: 1741570283,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'The image shows a wooden boardwalk.', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 1117,
        completion_tokens: 46,
        total_tokens: 1163,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
    };
    expect(readLlmResult(openai)).toEqual({
      completion: 'The image shows a wooden boardwalk.',
      finishReasons: ['stop'],
      responseId: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      responseModel: 'gpt-4o-2024-08-06',
      usage: {
        inputTokens: 1117,
        outputTokens: 46,
        cachedInputTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('reads a real Anthropic message', () => {
    const anthropic = {
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'thinking', thinking: 'Let me think.', signature: 'abc' },
        { type: 'text', text: 'Hi! ' },
        { type: 'text', text: 'My name is Claude.' },
      ],
      stop_reason: 'end_turn',
      usage: {
        input_tokens: 2095,
        output_tokens: 503,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 0,
      },
    };
    expect(readLlmResult(anthropic)).toEqual({
      completion: 'Hi! My name is Claude.',
      finishReasons: ['end_turn'],
      responseId: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      responseModel: 'claude-sonnet-4-5-20250929',
      usage: {
        inputTokens: 3095,
        outputTokens: 503,
        cachedInputTokens: 1000,
        cacheWriteInputTokens: 0,
      },
    });
  });

  it('reads a real OpenAI Responses API response', () => {
    const response = {
      id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      object: 'response',
      status: 'completed',
      model: 'gpt-4.1-2025-04-14',
      output: [
        {
          type: 'message',
          id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'In a peaceful grove…', annotations: [] }],
        },
      ],
      output_text: 'In a peaceful grove…',
      usage: {
        input_tokens: 36,
        input_tokens_details: { cached_tokens: 12 },
        output_tokens: 87,
        output_tokens_details: { reasoning_tokens: 20 },
        total_tokens: 123,
      },
    };
    expect(readLlmResult(response)).toEqual({
      completion: 'In a peaceful grove…',
      responseModel: 'gpt-4.1-2025-04-14',
      responseId: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      // The Responses API has a `status`, not a finish reason: the stream reader records it too.
      finishReasons: ['completed'],
      usage: { inputTokens: 36, outputTokens: 87, cachedInputTokens: 12, reasoningTokens: 20 },
    });
  });

  it("reads a Responses API `status` as the finish reason, and no other result's", () => {
    expect(readLlmResult({ object: 'response', status: 'incomplete', output: [] }).finishReasons).toEqual([
      'incomplete',
    ]);
    expect(readLlmResult({ status: 'ok', content: 'hi' }).finishReasons).toBeUndefined();
  });

  it('reads a Vercel AI SDK generateText result, whose text and usage are getters', () => {
    const result = {
      get text() {
        return 'Paris.';
      },
      finishReason: 'stop',
      usage: {
        inputTokens: 40,
        outputTokens: 9,
        totalTokens: 49,
        inputTokenDetails: { noCacheTokens: 10, cacheReadTokens: 30, cacheWriteTokens: 0 },
        outputTokenDetails: { textTokens: 5, reasoningTokens: 4 },
      },
      response: { id: 'aitxt-1', modelId: 'gpt-4o-mini-2024-07-18', timestamp: new Date(0) },
    };
    expect(readLlmResult(result)).toEqual({
      completion: 'Paris.',
      finishReasons: ['stop'],
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'aitxt-1',
      usage: {
        inputTokens: 40,
        outputTokens: 9,
        cachedInputTokens: 30,
        cacheWriteInputTokens: 0,
        reasoningTokens: 4,
      },
    });
  });

  it("reads the AI SDK model specification's result: nested usage, { unified } finish reason, tool-call parts", () => {
    // What an @ai-sdk/* model's doGenerate resolves to (LanguageModelV3GenerateResult).
    const result = {
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool-call', toolCallId: 'call_9', toolName: 'weather', input: '{"city":"Paris"}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage: {
        inputTokens: { total: 300, noCache: 172, cacheRead: 128, cacheWrite: undefined },
        outputTokens: { total: 40, text: 36, reasoning: 4 },
      },
      response: { id: 'chatcmpl-9', modelId: 'gpt-4o-2024-08-06', timestamp: new Date(0) },
      warnings: [],
    };
    expect(readLlmResult(result)).toEqual({
      completion: 'Let me look.',
      finishReasons: ['tool-calls'],
      usage: { inputTokens: 300, outputTokens: 40, cachedInputTokens: 128, reasoningTokens: 4 },
      responseModel: 'gpt-4o-2024-08-06',
      responseId: 'chatcmpl-9',
      toolCalls: [{ id: 'call_9', name: 'weather' }],
    });
  });

  it('reads the tool calls of OpenAI Chat, the Responses API, Anthropic and the AI SDK, bounded', () => {
    const chat = {
      choices: [
        {
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'search', arguments: '{}' } },
              { id: 'call_b', type: 'function', function: { name: 'fetch', arguments: '{}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
    };
    expect(readLlmResult(chat).toolCalls).toEqual([
      { id: 'call_a', name: 'search' },
      { id: 'call_b', name: 'fetch' },
    ]);
    const responses = {
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_r', name: 'lookup', arguments: '{}' },
      ],
    };
    expect(readLlmResult(responses).toolCalls).toEqual([{ id: 'call_r', name: 'lookup' }]);
    const anthropic = {
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
      ],
    };
    expect(readLlmResult(anthropic).toolCalls).toEqual([{ id: 'toolu_1', name: 'get_weather' }]);
    const sdk = { toolCalls: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: {} }] };
    expect(readLlmResult(sdk).toolCalls).toEqual([{ id: 'c1', name: 'weather' }]);
    const many = {
      toolCalls: Array.from({ length: 500 }, (_, i) => ({ toolCallId: `c${i}`, toolName: 't' })),
    };
    expect(readLlmResult(many).toolCalls).toHaveLength(MAX_TOOL_CALLS);
    // A call without a name is not a tool call; one without an id keeps its name.
    expect(readLlmResult({ toolCalls: [{ toolCallId: 'x' }, { toolName: 'y' }] }).toolCalls).toEqual([
      { name: 'y' },
    ]);
  });

  it('loses only the part whose getter throws', () => {
    const result = {
      model: 'm',
      get usage(): never {
        throw new Error('no usage here');
      },
      content: 'kept',
    };
    expect(readLlmResult(result)).toEqual({ responseModel: 'm', completion: 'kept' });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile');
        },
      },
    );
    expect(readLlmResult(proxy)).toEqual({});
  });

  it('leaves out usage whose parts exceed its totals', () => {
    expect(
      readLlmResult({
        usage: { prompt_tokens: 5, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 9 } },
      }),
    ).toEqual({});
  });

  it('leaves out counts that are not non-negative integers', () => {
    expect(
      readLlmResult({ usage: { prompt_tokens: -1, completion_tokens: Number.NaN, total_tokens: 2.5 } }),
    ).toEqual({});
    // Usage needs both counts: half of it is not recorded anywhere.
    expect(readLlmResult({ content: 'x', usage: { prompt_tokens: 5, completion_tokens: -3 } })).toEqual({
      completion: 'x',
    });
  });

  it.each([null, undefined, 'text', 42, {}, { usage: 'none' }, { usage: { prompt_tokens: 'ten' } }])(
    'finds nothing in %j',
    (result) => {
      expect(readLlmResult(result)).toEqual({});
    },
  );
});

describe('resolveLlmResult', () => {
  const openai = {
    id: 'chatcmpl-1',
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
  };

  it("keeps every field of the default reading that the caller's reader does not set", () => {
    const problems: string[] = [];
    const resolved = resolveLlmResult(
      openai,
      (r) => ({ usage: { inputTokens: r.usage.prompt_tokens + 1, outputTokens: r.usage.completion_tokens } }),
      (problem) => problems.push(problem),
    );
    expect(resolved).toEqual({
      completion: 'Hello.',
      responseModel: 'gpt-4o-2024-08-06',
      finishReasons: ['stop'],
      responseId: 'chatcmpl-1',
      usage: { inputTokens: 11, outputTokens: 2 },
    });
    expect(problems).toEqual([]);
  });

  it('reports a reader that throws or returns invalid usage, and keeps the default reading', () => {
    const problems: string[] = [];
    const thrown = resolveLlmResult(
      openai,
      () => {
        throw new TypeError('r.usage is undefined');
      },
      (problem) => problems.push(problem),
    );
    expect(thrown.usage).toEqual({ inputTokens: 10, outputTokens: 2 });
    const invalid = resolveLlmResult(
      openai,
      () => ({ usage: { inputTokens: -1, outputTokens: 2 } }),
      (problem) => problems.push(problem),
    );
    expect(invalid.usage).toEqual({ inputTokens: 10, outputTokens: 2 });
    expect(problems).toEqual([
      'the LLM result reader threw (r.usage is undefined)',
      'usage.inputTokens must be an integer ≥ 0, got -1',
    ]);
  });
});

describe('checkUsage', () => {
  it('returns a checked copy that it accepts again without a second validation', () => {
    const usage = checkUsage({ inputTokens: 3, outputTokens: 4, extra: 'x' });
    expect(usage).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(checkUsage(usage)).toBe(usage);
    expect(checkUsage({ inputTokens: 3 })).toBe(usageProblem({ inputTokens: 3 }));
  });
});

describe('usageProblem', () => {
  it.each([
    [{ inputTokens: -1, outputTokens: 1 }, /inputTokens must be an integer/],
    [{ inputTokens: Number.NaN, outputTokens: 1 }, /inputTokens/],
    [{ inputTokens: 1.5, outputTokens: 1 }, /inputTokens/],
    [{ inputTokens: 1, outputTokens: '2' }, /outputTokens/],
    [{ inputTokens: 1, outputTokens: 1, cachedInputTokens: 2 }, /exceed inputTokens/],
    [{ inputTokens: 1, outputTokens: 1, reasoningTokens: 2 }, /exceed outputTokens/],
    [null, /must be an object/],
  ])('%j is invalid', (usage, message) => {
    expect(usageProblem(usage)).toMatch(message);
  });
  it('accepts a valid usage', () => {
    expect(
      usageProblem({ inputTokens: 10, outputTokens: 5, cachedInputTokens: 10, reasoningTokens: 5 }),
    ).toBeUndefined();
  });
});
