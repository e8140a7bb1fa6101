import { describe, expect, it } from 'vitest';
import { GenxaiObservabilityError } from './errors';
import { createLlmStreamReader, type LlmStreamReaderOptions } from './llm-stream';

// The sequences below follow the providers' documented streaming examples (OpenAI's streaming
// and function-calling guides, the Responses streaming reference, Anthropic's "Streaming
// Messages" page) and the SDK types they were checked against (see llm-stream.ts).

/** Reads every chunk with one reader: which chunks counted as content, and the result. */
function readAll(
  chunks: readonly unknown[],
  options: LlmStreamReaderOptions = { maxCompletionLength: 1000 },
) {
  const reader = createLlmStreamReader(options);
  const content = chunks.map((chunk) => reader.read(chunk));
  return { reader, content, result: reader.result() };
}

const chatChunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini-2024-07-18',
  system_fingerprint: 'fp_44709d6fcb',
  choices,
  ...extra,
});
const chatDelta = (delta: Record<string, unknown>, finishReason: string | null = null) =>
  chatChunk([{ index: 0, delta, logprobs: null, finish_reason: finishReason }]);

const chatText = [
  chatDelta({ role: 'assistant', content: '', refusal: null }),
  chatDelta({ content: 'Hello' }),
  chatDelta({ content: '!' }),
  chatDelta({ content: ' How can I help?' }),
  chatDelta({}, 'stop'),
];

describe('OpenAI Chat Completions', () => {
  it('reads a text stream without usage (no include_usage): usage stays unset', () => {
    const { content, result, reader } = readAll(chatText);
    expect(content).toEqual([false, true, true, true, false]);
    expect(reader.contentChunks).toBe(3);
    expect(result).toEqual({
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-123',
      completion: 'Hello! How can I help?',
      finishReasons: ['stop'],
    });
  });

  it('reads the usage of the last chunk with include_usage, which has no choices', () => {
    const chunks = [
      ...chatText.map((chunk) => ({ ...chunk, usage: null })),
      chatChunk([], {
        model: 'o4-mini-2025-04-16',
        usage: {
          prompt_tokens: 1500,
          completion_tokens: 300,
          total_tokens: 1800,
          prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 192,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
      }),
    ];
    const { content, result } = readAll(chunks);
    expect(content).toEqual([false, true, true, true, false, false]);
    expect(result).toEqual({
      responseModel: 'o4-mini-2025-04-16',
      responseId: 'chatcmpl-123',
      completion: 'Hello! How can I help?',
      finishReasons: ['stop'],
      usage: { inputTokens: 1500, outputTokens: 300, cachedInputTokens: 1024, reasoningTokens: 192 },
    });
  });

  it('keeps reported usage when a later chunk has usage: null', () => {
    const usage = { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 };
    const { result } = readAll([chatChunk([], { usage }), { ...chatDelta({}, 'stop'), usage: null }]);
    expect(result.usage).toEqual({ inputTokens: 19, outputTokens: 10 });
  });

  it('counts every tool-call delta as content, keeps none of its arguments as completion', () => {
    const toolDelta = (call: Record<string, unknown>) => chatDelta({ tool_calls: [{ index: 0, ...call }] });
    const chunks = [
      chatDelta({
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            index: 0,
            id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
        refusal: null,
      }),
      ...['{"', 'location', '":"', 'Paris', ',', ' France', '"}'].map((args) =>
        toolDelta({ function: { arguments: args } }),
      ),
      chatDelta({}, 'tool_calls'),
    ];
    const { content, result, reader } = readAll(chunks);
    expect(content).toEqual([true, true, true, true, true, true, true, true, false]);
    expect(reader.contentChunks).toBe(8);
    expect(result).toEqual({
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-123',
      finishReasons: ['tool_calls'],
      // The id and name arrive on the call's first delta only.
      toolCalls: [{ id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather' }],
    });
  });

  it('gives one finish reason per choice, in index order, and the completion of choice 0', () => {
    const choice = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
      index,
      delta,
      logprobs: null,
      finish_reason: finish,
    });
    const chunks = [
      chatChunk([
        choice(0, { role: 'assistant', content: '' }),
        choice(1, { role: 'assistant', content: '' }),
      ]),
      chatChunk([choice(1, { content: 'Second' })]),
      chatChunk([choice(0, { content: 'First' })]),
      chatChunk([choice(1, {}, 'length')]),
      chatChunk([choice(0, { content: ' answer' })]),
      chatChunk([choice(0, {}, 'stop')]),
    ];
    const { content, result } = readAll(chunks);
    expect(content).toEqual([false, true, true, false, true, false]);
    expect(result.completion).toBe('First answer');
    expect(result.finishReasons).toEqual(['stop', 'length']);
  });

  it('counts reasoning and refusal deltas as content without adding them to the completion', () => {
    const chunks = [
      chatDelta({ role: 'assistant', content: null, reasoning_content: 'Let me think' }),
      chatDelta({ content: null, reasoning: ' step by step.' }),
      chatDelta({ refusal: "I'm sorry, I can't help with that." }),
      chatDelta({ function_call: { name: 'get_weather', arguments: '' } }),
      chatDelta({}, 'stop'),
    ];
    const { content, result } = readAll(chunks);
    expect(content).toEqual([true, true, true, true, false]);
    expect(result.completion).toBeUndefined();
  });

  it("keeps the model and id when Azure's first chunk has empty ones", () => {
    const azureFirst = {
      choices: [],
      created: 0,
      id: '',
      model: '',
      object: '',
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
    };
    expect(readAll([azureFirst]).result).toEqual({});
    const { content, result } = readAll([azureFirst, chatDelta({ content: 'Hi' }), azureFirst]);
    expect(content).toEqual([false, true, false]);
    expect(result).toMatchObject({ responseModel: 'gpt-4o-mini-2024-07-18', responseId: 'chatcmpl-123' });
  });
});

const RESPONSE_ID = 'resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654';
const MESSAGE_ID = 'msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654';
const response = (status: string, extra: Record<string, unknown> = {}) => ({
  id: RESPONSE_ID,
  object: 'response',
  created_at: 1741290958,
  status,
  error: null,
  incomplete_details: null,
  model: 'gpt-4.1-2025-04-14',
  output: [],
  usage: null,
  ...extra,
});

describe('OpenAI Responses', () => {
  it('reads a text stream: output_text deltas are the completion, response.completed has usage', () => {
    const events = [
      { type: 'response.created', sequence_number: 0, response: response('in_progress') },
      { type: 'response.in_progress', sequence_number: 1, response: response('in_progress') },
      {
        type: 'response.output_item.added',
        sequence_number: 2,
        output_index: 0,
        item: { id: MESSAGE_ID, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
      },
      {
        type: 'response.content_part.added',
        sequence_number: 3,
        item_id: MESSAGE_ID,
        output_index: 0,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      },
      ...['Hi', ' there', '!'].map((delta, i) => ({
        type: 'response.output_text.delta',
        sequence_number: 4 + i,
        item_id: MESSAGE_ID,
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      })),
      {
        type: 'response.output_text.done',
        sequence_number: 7,
        item_id: MESSAGE_ID,
        output_index: 0,
        content_index: 0,
        text: 'Hi there!',
        logprobs: [],
      },
      {
        type: 'response.completed',
        sequence_number: 8,
        response: response('completed', {
          usage: {
            input_tokens: 37,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: 11,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: 48,
          },
        }),
      },
    ];
    const midStream = readAll(events.slice(0, -1));
    // Until response.completed: no usage, and in_progress is no finish reason.
    expect(midStream.result).toEqual({
      responseModel: 'gpt-4.1-2025-04-14',
      responseId: RESPONSE_ID,
      completion: 'Hi there!',
    });
    const { content, result, reader } = readAll(events);
    expect(content).toEqual([false, false, false, false, true, true, true, false, false]);
    expect(reader.contentChunks).toBe(3);
    expect(result).toEqual({
      responseModel: 'gpt-4.1-2025-04-14',
      responseId: RESPONSE_ID,
      completion: 'Hi there!',
      finishReasons: ['completed'],
      usage: { inputTokens: 37, outputTokens: 11, cachedInputTokens: 0, reasoningTokens: 0 },
    });
  });

  it('counts reasoning summary and function-call argument deltas; response.incomplete ends it', () => {
    const events = [
      {
        type: 'response.created',
        sequence_number: 0,
        response: response('in_progress', { model: 'o4-mini' }),
      },
      { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', delta: '**Checking the weather**' },
      { type: 'response.reasoning_text.delta', item_id: 'rs_1', delta: '' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '{"location":' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '"Paris"}' },
      { type: 'response.function_call_arguments.done', item_id: 'fc_1', arguments: '{"location":"Paris"}' },
      { type: 'response.shell_call_output_content.delta', item_id: 'sh_1', delta: 'ls output' },
      {
        type: 'response.incomplete',
        response: response('incomplete', {
          model: 'o4-mini-2025-04-16',
          incomplete_details: { reason: 'max_output_tokens' },
          usage: {
            input_tokens: 2000,
            input_tokens_details: { cached_tokens: 1920 },
            output_tokens: 64,
            output_tokens_details: { reasoning_tokens: 48 },
            total_tokens: 2064,
          },
        }),
      },
    ];
    const { content, result } = readAll(events);
    expect(content).toEqual([false, true, false, true, true, false, false, false]);
    expect(result).toEqual({
      responseModel: 'o4-mini-2025-04-16',
      responseId: RESPONSE_ID,
      finishReasons: ['incomplete'],
      usage: { inputTokens: 2000, outputTokens: 64, cachedInputTokens: 1920, reasoningTokens: 48 },
    });
  });

  it('has no usage when response.failed reports none', () => {
    const { result } = readAll([
      { type: 'response.created', response: response('in_progress') },
      {
        type: 'response.failed',
        response: response('failed', { error: { code: 'server_error', message: 'x' } }),
      },
    ]);
    expect(result).toEqual({
      responseModel: 'gpt-4.1-2025-04-14',
      responseId: RESPONSE_ID,
      finishReasons: ['failed'],
    });
  });
});

const anthropicStart = (usage: Record<string, unknown>, model = 'claude-sonnet-4-5-20250929') => ({
  type: 'message_start',
  message: {
    id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
    type: 'message',
    role: 'assistant',
    content: [],
    model,
    stop_reason: null,
    stop_sequence: null,
    usage,
  },
});
const textDelta = (index: number, text: string) => ({
  type: 'content_block_delta',
  index,
  delta: { type: 'text_delta', text },
});
const messageDelta = (stopReason: string, usage: Record<string, unknown>) => ({
  type: 'message_delta',
  delta: { stop_reason: stopReason, stop_sequence: null },
  usage,
});

describe('Anthropic Messages', () => {
  it('adds message_start cache reads and writes to the input, and takes message_delta output', () => {
    const reader = createLlmStreamReader({ maxCompletionLength: 1000 });
    const events = [
      anthropicStart({
        input_tokens: 25,
        cache_creation_input_tokens: 200,
        cache_read_input_tokens: 1800,
        output_tokens: 1,
        service_tier: 'standard',
      }),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      textDelta(0, 'Hello'),
      textDelta(0, '!'),
      { type: 'content_block_stop', index: 0 },
    ];
    expect(events.map((event) => reader.read(event))).toEqual([false, false, false, true, true, false]);
    // message_start's output count is a placeholder: no usage before message_delta.
    expect(reader.result().usage).toBeUndefined();
    expect(reader.read(messageDelta('end_turn', { output_tokens: 15 }))).toBe(false);
    expect(reader.read({ type: 'message_stop' })).toBe(false);
    expect(reader.contentChunks).toBe(2);
    expect(reader.result()).toEqual({
      responseModel: 'claude-sonnet-4-5-20250929',
      responseId: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      completion: 'Hello!',
      finishReasons: ['end_turn'],
      usage: { inputTokens: 2025, outputTokens: 15, cachedInputTokens: 1800, cacheWriteInputTokens: 200 },
    });
  });

  it('counts a tool_use block and its JSON deltas as content, not as completion', () => {
    const events = [
      anthropicStart({ input_tokens: 472, output_tokens: 2 }),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      textDelta(0, 'Okay'),
      textDelta(0, ", let's check the weather for San Francisco, CA:"),
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: {
          type: 'tool_use',
          id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
          name: 'get_weather',
          input: {},
        },
      },
      ...['', '{"location":', ' "San Fra', 'ncisco, CA"', ', "unit": "fahrenheit"}'].map((json) => ({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: json },
      })),
      { type: 'content_block_stop', index: 1 },
      messageDelta('tool_use', { output_tokens: 89 }),
      { type: 'message_stop' },
    ];
    const { content, result } = readAll(events);
    expect(content).toEqual([
      false,
      false,
      true,
      true,
      false,
      true,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(result).toEqual({
      responseModel: 'claude-sonnet-4-5-20250929',
      responseId: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      completion: "Okay, let's check the weather for San Francisco, CA:",
      finishReasons: ['tool_use'],
      usage: { inputTokens: 472, outputTokens: 89 },
      toolCalls: [{ id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' }],
    });
  });

  it('takes the text a content_block_start already carries', () => {
    const { content, result } = readAll([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'Hi' } },
      textDelta(0, ' there'),
    ]);
    expect(content).toEqual([true, true]);
    expect(result.completion).toBe('Hi there');
  });

  it('counts thinking deltas as content, not signature deltas', () => {
    const events = [
      anthropicStart({ input_tokens: 65, output_tokens: 3 }, 'claude-opus-4-1-20250805'),
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'I need to find the GCD of 1071 and 462.' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: '\n1071 = 2 × 462 + 147' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: {
          type: 'signature_delta',
          signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
        },
      },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      textDelta(1, 'The greatest common divisor of 1071 and 462 is **21**.'),
      { type: 'content_block_stop', index: 1 },
      messageDelta('end_turn', { output_tokens: 210 }),
    ];
    const { content, result } = readAll(events);
    expect(content).toEqual([false, false, true, true, false, false, false, true, false, false]);
    expect(result.completion).toBe('The greatest common divisor of 1071 and 462 is **21**.');
    expect(result.usage).toEqual({ inputTokens: 65, outputTokens: 210 });
  });

  it('takes the cumulative input counts of a later message_delta, and ignores its nulls', () => {
    const start = anthropicStart({
      input_tokens: 10,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 0,
      output_tokens: 1,
    });
    const withServerTools = readAll([
      start,
      messageDelta('end_turn', {
        input_tokens: 2679,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 510,
        server_tool_use: { web_search_requests: 1 },
      }),
    ]);
    expect(withServerTools.result.usage).toEqual({
      inputTokens: 2679,
      outputTokens: 510,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
    });
    const withNulls = readAll([
      start,
      messageDelta('max_tokens', {
        input_tokens: null,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        output_tokens: 42,
      }),
    ]);
    expect(withNulls.result.usage).toEqual({
      inputTokens: 110,
      outputTokens: 42,
      cachedInputTokens: 100,
      cacheWriteInputTokens: 0,
    });
    expect(withNulls.result.finishReasons).toEqual(['max_tokens']);
  });
});

const timestamp = new Date('2025-06-01T12:00:00Z');

describe('Vercel AI SDK fullStream', () => {
  it('reads v4 parts: textDelta, step-finish and finish with promptTokens', () => {
    const stepResponse = { id: 'chatcmpl-AbC123', timestamp, modelId: 'gpt-4o-mini-2024-07-18', headers: {} };
    const usage = { promptTokens: 12, completionTokens: 5, totalTokens: 17 };
    const parts = [
      { type: 'step-start', messageId: 'msg-1', request: { body: '{}' }, warnings: [] },
      { type: 'reasoning', textDelta: 'A greeting.' },
      { type: 'reasoning-signature', signature: 'sig' },
      { type: 'text-delta', textDelta: 'Hello' },
      { type: 'text-delta', textDelta: '' },
      { type: 'text-delta', textDelta: ', world!' },
      {
        type: 'step-finish',
        messageId: 'msg-1',
        request: {},
        warnings: [],
        response: stepResponse,
        usage,
        finishReason: 'stop',
        providerMetadata: undefined,
        isContinued: false,
      },
      { type: 'finish', finishReason: 'stop', usage, providerMetadata: undefined, response: stepResponse },
    ];
    const { content, result } = readAll(parts);
    expect(content).toEqual([false, true, false, true, false, true, false, false]);
    expect(result).toEqual({
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-AbC123',
      completion: 'Hello, world!',
      finishReasons: ['stop'],
      usage: { inputTokens: 12, outputTokens: 5 },
    });
  });

  it('reads the usage of a v4 finish part on its own', () => {
    const finish = {
      type: 'finish',
      finishReason: 'length',
      usage: { promptTokens: 7, completionTokens: 64 },
    };
    expect(readAll([finish]).result).toEqual({
      finishReasons: ['length'],
      usage: { inputTokens: 7, outputTokens: 64 },
    });
  });

  it('reads v4 streamed tool calls: the tool-call after its deltas is not counted again', () => {
    const parts = [
      { type: 'tool-call-streaming-start', toolCallId: 'call_1', toolName: 'weather' },
      {
        type: 'tool-call-delta',
        toolCallId: 'call_1',
        toolName: 'weather',
        argsTextDelta: '{"city":"Paris"}',
      },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', args: { city: 'Paris' } },
      {
        type: 'tool-result',
        toolCallId: 'call_1',
        toolName: 'weather',
        args: {},
        result: { temperature: 18 },
      },
    ];
    expect(readAll(parts).content).toEqual([true, true, false, false]);
  });

  it('reads v5 parts: text, and the flat cachedInputTokens and reasoningTokens', () => {
    const parts = [
      { type: 'start' },
      { type: 'start-step', request: {}, warnings: [] },
      { type: 'reasoning-start', id: 'r0' },
      { type: 'reasoning-delta', id: 'r0', text: 'The user greets me.' },
      { type: 'reasoning-end', id: 'r0' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'Hi' },
      { type: 'text-delta', id: '0', text: ' there.' },
      { type: 'text-end', id: '0' },
      {
        type: 'finish-step',
        response: { id: 'resp_abc', timestamp, modelId: 'o3-mini-2025-01-31' },
        usage: {
          inputTokens: 50,
          outputTokens: 30,
          totalTokens: 80,
          reasoningTokens: 20,
          cachedInputTokens: 32,
        },
        finishReason: 'stop',
        providerMetadata: undefined,
      },
      {
        type: 'finish',
        finishReason: 'stop',
        totalUsage: {
          inputTokens: 50,
          outputTokens: 30,
          totalTokens: 80,
          reasoningTokens: 20,
          cachedInputTokens: 32,
        },
      },
    ];
    const { content, result } = readAll(parts);
    expect(content).toEqual([false, false, false, true, false, false, true, true, false, false, false]);
    expect(result).toEqual({
      responseModel: 'o3-mini-2025-01-31',
      responseId: 'resp_abc',
      completion: 'Hi there.',
      finishReasons: ['stop'],
      usage: { inputTokens: 50, outputTokens: 30, cachedInputTokens: 32, reasoningTokens: 20 },
    });
  });

  // ai 6.x and 7.x: usage with inputTokenDetails / outputTokenDetails, rawFinishReason.
  const usage6 = (input: number, cacheRead: number, output: number, reasoning: number) => ({
    inputTokens: input,
    inputTokenDetails: {
      noCacheTokens: input - cacheRead,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: undefined,
    },
    outputTokens: output,
    outputTokenDetails: { textTokens: output - reasoning, reasoningTokens: reasoning },
    totalTokens: input + output,
  });
  const twoSteps = [
    { type: 'start' },
    { type: 'start-step', request: {}, warnings: [] },
    { type: 'tool-input-start', id: 'call_1', toolName: 'weather' },
    { type: 'tool-input-delta', id: 'call_1', delta: '{"city":' },
    { type: 'tool-input-delta', id: 'call_1', delta: '"Paris"}' },
    { type: 'tool-input-end', id: 'call_1' },
    { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
    {
      type: 'tool-result',
      toolCallId: 'call_1',
      toolName: 'weather',
      input: {},
      output: { temperature: 18 },
    },
    {
      type: 'finish-step',
      response: { id: 'resp_1', timestamp, modelId: 'gpt-4o-2024-08-06' },
      usage: usage6(120, 0, 18, 0),
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      providerMetadata: undefined,
    },
    { type: 'start-step', request: {}, warnings: [] },
    { type: 'reasoning-delta', id: 'r1', text: 'The tool says 18°C.' },
    { type: 'text-start', id: 't1' },
    { type: 'text-delta', id: 't1', text: 'It is 18°C' },
    { type: 'text-delta', id: 't1', text: ' in Paris.' },
    { type: 'text-end', id: 't1' },
    {
      type: 'finish-step',
      response: { id: 'resp_2', timestamp, modelId: 'gpt-4o-2024-08-06' },
      usage: usage6(160, 128, 12, 4),
      finishReason: 'stop',
      rawFinishReason: 'stop',
      providerMetadata: undefined,
    },
  ];
  const twoStepsResult = {
    responseModel: 'gpt-4o-2024-08-06',
    responseId: 'resp_2',
    completion: 'It is 18°C in Paris.',
    finishReasons: ['stop'],
    usage: { inputTokens: 280, outputTokens: 30, cachedInputTokens: 128, reasoningTokens: 4 },
    // Step 1 asked for the weather tool; step 2 answered.
    toolCalls: [{ id: 'call_1', name: 'weather' }],
  };

  it('reads v6/v7 parts across two steps: finish totalUsage is the usage', () => {
    const parts = [
      ...twoSteps,
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', totalUsage: usage6(280, 128, 30, 4) },
    ];
    const { content, result, reader } = readAll(parts);
    expect(content).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      true,
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(reader.contentChunks).toBe(6);
    expect(result).toEqual(twoStepsResult);
  });

  it('sums the finished steps when the stream is aborted before finish', () => {
    const { result } = readAll([...twoSteps, { type: 'abort', reason: 'The user aborted a request.' }]);
    expect(result).toEqual(twoStepsResult);
  });

  it('has no usage when a step reported none, rather than a partial sum', () => {
    const firstStepEnd = twoSteps.findIndex((part) => part.type === 'finish-step');
    const parts = twoSteps.map((part, index) =>
      index === firstStepEnd
        ? { ...part, usage: { ...usage6(120, 0, 18, 0), inputTokens: undefined } }
        : part,
    );
    expect(readAll(parts).result.usage).toBeUndefined();
  });

  it('counts a tool-call as content when the provider did not stream its input', () => {
    const parts = [
      { type: 'start-step', request: {}, warnings: [] },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
    ];
    expect(readAll(parts).content).toEqual([false, true]);
  });

  it('reads the provider-level response-metadata part', () => {
    const { result } = readAll([
      { type: 'response-metadata', id: 'chatcmpl-xyz', modelId: 'gpt-4o-2024-08-06', timestamp },
      { type: 'text-delta', id: '0', delta: 'Hi' },
    ]);
    expect(result).toEqual({
      responseModel: 'gpt-4o-2024-08-06',
      responseId: 'chatcmpl-xyz',
      completion: 'Hi',
    });
  });
});

describe('text streams', () => {
  it('reads textStream strings as content, with no usage', () => {
    const { content, result } = readAll(['Hello', '', ', ', 'world']);
    expect(content).toEqual([true, false, true, true]);
    expect(result).toEqual({ completion: 'Hello, world' });
  });

  it('reads a plain async iterable of strings', async () => {
    async function* words() {
      yield 'To be';
      yield ', or not';
      yield ' to be.';
    }
    const reader = createLlmStreamReader({ maxCompletionLength: 100 });
    let firstContent: number | undefined;
    let index = 0;
    for await (const word of words()) {
      if (reader.read(word) && firstContent === undefined) firstContent = index;
      index++;
    }
    expect(firstContent).toBe(0);
    expect(reader.contentChunks).toBe(3);
    expect(reader.result()).toEqual({ completion: 'To be, or not to be.' });
  });
});

describe('the completion limit', () => {
  it('keeps no completion by default, but still counts content', () => {
    const reader = createLlmStreamReader();
    expect(reader.read('Hello')).toBe(true);
    expect(reader.contentChunks).toBe(1);
    expect(reader.result()).toEqual({});
  });

  it('stops growing at maxCompletionLength while content is still counted', () => {
    const { content, result, reader } = readAll(['Hel', 'lo w', 'orld', '!'], { maxCompletionLength: 5 });
    expect(result.completion).toBe('Hello');
    expect(content).toEqual([true, true, true, true]);
    expect(reader.contentChunks).toBe(4);
  });

  it('keeps exactly the limit when a chunk ends on it', () => {
    expect(readAll(['abc', 'de', 'f'], { maxCompletionLength: 5 }).result.completion).toBe('abcde');
  });

  it('never ends on half a surrogate pair', () => {
    expect(readAll(['ab', '😀c', 'd'], { maxCompletionLength: 3 }).result.completion).toBe('ab');
    // The pair split across two chunks, the high half exactly at the limit.
    expect(readAll(['ab\ud83d', '\ude00c'], { maxCompletionLength: 3 }).result.completion).toBe('ab');
    expect(readAll(['ab', '😀c'], { maxCompletionLength: 4 }).result.completion).toBe('ab😀');
  });

  it('keeps at most the limit of a huge chunk, and nothing of huge tool arguments', () => {
    const huge = 'x'.repeat(5_000_000);
    const { result } = readAll(
      [
        chatDelta({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: huge } }] }),
        chatDelta({ content: huge }),
        chatDelta({ content: huge }),
      ],
      { maxCompletionLength: 10 },
    );
    expect(result.completion).toBe('xxxxxxxxxx');
    expect(JSON.stringify(result).length).toBeLessThan(200);
  });

  it.each([
    [-1, /^Invalid maxCompletionLength: -1\. Expected a non-negative integer\.$/],
    [1.5, /^Invalid maxCompletionLength: 1\.5\./],
    [Number.NaN, /^Invalid maxCompletionLength: NaN\./],
    [Number.POSITIVE_INFINITY, /^Invalid maxCompletionLength: Infinity\./],
    ['100', /^Invalid maxCompletionLength: "100"\./],
  ])('rejects maxCompletionLength %s at creation', (value, message) => {
    const create = () => createLlmStreamReader({ maxCompletionLength: value as number });
    expect(create).toThrow(GenxaiObservabilityError);
    expect(create).toThrow(message);
  });

  it('rejects a misspelt option at creation', () => {
    expect(() => createLlmStreamReader({ maxCompletionLenght: 10 } as LlmStreamReaderOptions)).toThrow(
      /Unknown option "maxCompletionLenght" of createLlmStreamReader\. Did you mean "maxCompletionLength"\?/,
    );
  });
});

describe('hostile and invalid input', () => {
  const throwing = () => {
    throw new Error('boom');
  };

  it('reads nothing from values that are not chunks', () => {
    const reader = createLlmStreamReader({ maxCompletionLength: 100 });
    const values: unknown[] = [
      undefined,
      null,
      42,
      true,
      10n,
      Symbol('s'),
      () => 'text',
      [],
      ['text'],
      {},
      { type: 42 },
      { choices: 'Hello' },
      { choices: [null, 5, { delta: 'Hello' }, { delta: { content: 7 } }] },
      { type: 'content_block_delta', delta: { type: 'text_delta', text: 5 } },
      { type: 'content_block_delta', delta: 'text' },
      { type: 'message_start', message: 'msg' },
      { type: 'message_delta', usage: 'many', delta: null },
      { type: 'response.output_text.delta', delta: { text: 'Hello' } },
      { type: 'text-delta', text: ['Hello'] },
      { type: 'finish', totalUsage: 'all' },
      new String('text'),
    ];
    for (const value of values) expect(reader.read(value)).toBe(false);
    expect(reader.contentChunks).toBe(0);
    expect(reader.result()).toEqual({});
  });

  it('survives a Proxy whose every trap throws', () => {
    const trap = new Proxy(
      {},
      {
        get: throwing,
        has: throwing,
        ownKeys: throwing,
        getPrototypeOf: throwing,
        getOwnPropertyDescriptor: throwing,
      },
    );
    const reader = createLlmStreamReader({ maxCompletionLength: 100 });
    expect(reader.read(trap)).toBe(false);
    expect(reader.read(chatChunk([trap]))).toBe(false);
    expect(reader.read({ type: 'message_start', message: trap })).toBe(false);
    expect(reader.read({ type: 'finish', totalUsage: trap })).toBe(false);
    expect(reader.read(chatChunk([], { usage: trap }))).toBe(false);
    expect(reader.read({ type: 'text-delta', text: 'still reading' })).toBe(true);
    expect(reader.result()).toEqual({
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-123',
      completion: 'still reading',
    });
  });

  it('keeps what a chunk carried before a getter threw', () => {
    const chunk = chatChunk([
      {
        index: 0,
        delta: { content: 'Hi' },
        get finish_reason(): string {
          throw new Error('boom');
        },
      },
    ]);
    const choicesThrow = {
      id: 'chatcmpl-9',
      model: 'gpt-4o',
      get choices(): unknown[] {
        throw new Error('boom');
      },
    };
    const reader = createLlmStreamReader({ maxCompletionLength: 100 });
    expect(reader.read(chunk)).toBe(true);
    expect(reader.read(choicesThrow)).toBe(false);
    expect(reader.contentChunks).toBe(1);
    expect(reader.result()).toEqual({
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-123',
      completion: 'Hi',
    });
  });

  it('survives a choices array whose length getter throws, and one claiming a huge length', () => {
    const lengthThrows = new Proxy([], {
      get: (target, key) => (key === 'length' ? throwing() : Reflect.get(target, key)),
    });
    let itemsRead = 0;
    const huge = new Proxy([], {
      get: (_target, key) => {
        if (key === 'length') return 1_000_000;
        if (typeof key === 'string' && /^\d+$/.test(key)) itemsRead++;
        return undefined;
      },
    });
    const reader = createLlmStreamReader();
    expect(reader.read(chatChunk(lengthThrows as unknown as unknown[]))).toBe(false);
    expect(reader.read(chatChunk(huge as unknown as unknown[]))).toBe(false);
    expect(itemsRead).toBe(128);
    expect(reader.result()).toEqual({ responseModel: 'gpt-4o-mini-2024-07-18', responseId: 'chatcmpl-123' });
  });

  it('keeps at most 128 finish reasons, however many choice indexes a stream claims', () => {
    const reader = createLlmStreamReader();
    for (let index = 0; index < 1000; index++) {
      reader.read(chatChunk([{ index: index * 7, delta: {}, finish_reason: 'stop' }]));
    }
    expect(reader.result().finishReasons).toHaveLength(128);
  });

  it.each([
    ['a negative count', { prompt_tokens: -1, completion_tokens: 5 }],
    ['a fraction', { prompt_tokens: 10.5, completion_tokens: 5 }],
    ['NaN', { prompt_tokens: Number.NaN, completion_tokens: 5 }],
    ['a string', { prompt_tokens: '10', completion_tokens: 5 }],
    ['no output count', { prompt_tokens: 10 }],
    [
      'more cached than input',
      { prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 11 } },
    ],
    [
      'more reasoning than output',
      { prompt_tokens: 10, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 6 } },
    ],
  ])('has no Chat Completions usage for %s', (_, usage) => {
    expect(readAll([...chatText, chatChunk([], { usage })]).result.usage).toBeUndefined();
  });

  it('drops a valid usage that a later, invalid report replaces', () => {
    const valid = { prompt_tokens: 10, completion_tokens: 5 };
    const { result } = readAll([
      chatChunk([], { usage: valid }),
      chatChunk([], { usage: { ...valid, prompt_tokens: -1 } }),
    ]);
    expect(result.usage).toBeUndefined();
  });

  it('has no Anthropic usage for a negative count, whichever event carried it', () => {
    const badStart = readAll([
      anthropicStart({ input_tokens: -5, output_tokens: 1 }),
      messageDelta('end_turn', { output_tokens: 15 }),
    ]);
    expect(badStart.result.usage).toBeUndefined();
    const badDelta = readAll([
      anthropicStart({ input_tokens: 5, output_tokens: 1 }),
      messageDelta('end_turn', { output_tokens: -15 }),
    ]);
    expect(badDelta.result.usage).toBeUndefined();
  });

  it('has no AI SDK or Responses usage for invalid counts', () => {
    expect(
      readAll([{ type: 'finish', finishReason: 'stop', totalUsage: { inputTokens: 1.5, outputTokens: 2 } }])
        .result.usage,
    ).toBeUndefined();
    expect(
      readAll([
        {
          type: 'response.completed',
          response: response('completed', { usage: { input_tokens: 3, output_tokens: -2 } }),
        },
      ]).result.usage,
    ).toBeUndefined();
  });

  it('returns a new result each time, which the caller may change', () => {
    const reader = createLlmStreamReader({ maxCompletionLength: 100 });
    reader.read(chatDelta({ content: 'Hi' }, 'stop'));
    const first = reader.result();
    first.completion = 'changed';
    (first.finishReasons as string[]).push('x');
    expect(reader.result()).toMatchObject({ completion: 'Hi', finishReasons: ['stop'] });
  });
});
