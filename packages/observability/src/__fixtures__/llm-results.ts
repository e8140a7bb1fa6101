// Response bodies in the providers' published shapes (OpenAI Chat Completions, Anthropic Messages)
// and the Vercel AI SDK's generateText result, whose text is a getter.

export const openaiCompletion = () => ({
  id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
  object: 'chat.completion',
  created: 1741570283,
  model: 'gpt-4o-2024-08-06',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'The answer is 42.', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 19,
    completion_tokens: 6,
    total_tokens: 25,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  },
});

export const anthropicMessage = () => ({
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'The answer is 42.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 19, output_tokens: 6, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
});

export const aiSdkResult = () => ({
  get text() {
    return 'The answer is 42.';
  },
  finishReason: 'stop',
  usage: { inputTokens: 19, outputTokens: 6, totalTokens: 25 },
  response: { id: 'aitxt-Qm3VxF0i', modelId: 'gpt-4o-mini-2024-07-18', timestamp: new Date(0) },
});
