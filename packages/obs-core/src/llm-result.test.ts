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

  it.each([null, undefined, 'text', 42, {}, { usage: 'none' }, { usage: { prompt_tokens: 'ten' } }])(
    'finds nothing in %j',
    (result) => {
      expect(llmResultFields(result)).toBeUndefined();
    },
  );
});
