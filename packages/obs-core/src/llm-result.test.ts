import { describe, expect, it } from 'vitest';
import { llmResultFields } from './llm-result';

describe('llmResultFields', () => {
  it('reads the plan shape', () => {
    expect(
      llmResultFields({
        content: 'hi',
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
    ).toEqual({ completion: 'hi', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } });
  });

  it('reads OpenAI cached and reasoning details', () => {
    expect(
      llmResultFields({
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
        totalTokens: 150,
        cachedInputTokens: 64,
        reasoningTokens: 30,
      },
    });
  });

  it('adds Anthropic cache reads and writes to the input, which Anthropic counts apart', () => {
    expect(
      llmResultFields({
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
      totalTokens: 157,
      cachedInputTokens: 100,
      cacheWriteInputTokens: 30,
    });
  });

  it('reads camelCase usage and text', () => {
    expect(llmResultFields({ text: 'x', usage: { inputTokens: 3, outputTokens: 4 } })).toEqual({
      completion: 'x',
      usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
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
    expect(llmResultFields(openai)).toEqual({
      completion: 'The image shows a wooden boardwalk.',
      responseModel: 'gpt-4o-2024-08-06',
      usage: {
        inputTokens: 1117,
        outputTokens: 46,
        totalTokens: 1163,
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
    expect(llmResultFields(anthropic)).toEqual({
      completion: 'Hi! My name is Claude.',
      responseModel: 'claude-sonnet-4-5-20250929',
      usage: {
        inputTokens: 3095,
        outputTokens: 503,
        totalTokens: 3598,
        cachedInputTokens: 1000,
        cacheWriteInputTokens: 0,
      },
    });
  });

  it('leaves out counts that are not non-negative integers', () => {
    expect(
      llmResultFields({ usage: { prompt_tokens: -1, completion_tokens: Number.NaN, total_tokens: 2.5 } }),
    ).toBeUndefined();
    expect(llmResultFields({ content: 'x', usage: { prompt_tokens: 5, completion_tokens: -3 } })).toEqual({
      completion: 'x',
      usage: { inputTokens: 5 },
    });
  });

  it.each([null, undefined, 'text', 42, {}, { usage: 'none' }, { usage: { prompt_tokens: 'ten' } }])(
    'finds nothing in %j',
    (result) => {
      expect(llmResultFields(result)).toBeUndefined();
    },
  );
});
