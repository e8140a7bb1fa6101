import { describe, expect, it } from 'vitest';
import {
  INPUT_MESSAGES_SCHEMA,
  type JsonSchema,
  OUTPUT_MESSAGES_SCHEMA,
  SYSTEM_INSTRUCTIONS_SCHEMA,
  TOOL_DEFINITIONS_SCHEMA,
} from './__fixtures__/genai-semconv-schemas';
import { schemaErrors } from './__fixtures__/schema-check';
import {
  MAX_ENCODED_BYTES,
  MAX_MESSAGES,
  MAX_PARSED_ARGUMENTS,
  MAX_PARTS,
  MAX_TOOL_DEFINITIONS,
  toFinishReason,
  toInputMessages,
  toOutputMessages,
  toSystemInstructions,
  toToolDefinitions,
} from './genai-messages';

describe('the schema checker', () => {
  it.each([
    ['a text part without content', INPUT_MESSAGES_SCHEMA, [{ role: 'user', parts: [{ type: 'text' }] }]],
    ['a message without parts', INPUT_MESSAGES_SCHEMA, [{ role: 'user' }]],
    ['a numeric role', INPUT_MESSAGES_SCHEMA, [{ role: 1, parts: [] }]],
    [
      'a blob without modality',
      INPUT_MESSAGES_SCHEMA,
      [{ role: 'user', parts: [{ type: 'blob', content: 'x' }] }],
    ],
    [
      'a tool call without name',
      INPUT_MESSAGES_SCHEMA,
      [{ role: 'assistant', parts: [{ type: 'tool_call' }] }],
    ],
    ['an output without finish reason', OUTPUT_MESSAGES_SCHEMA, [{ role: 'assistant', parts: [] }]],
    ['a function tool without name', TOOL_DEFINITIONS_SCHEMA, [{ type: 'function' }]],
    ['instructions that are not parts', SYSTEM_INSTRUCTIONS_SCHEMA, ['You are…']],
  ])('rejects %s', (_name, schema, value) => {
    expect(schemaErrors(schema, value)).not.toEqual([]);
  });

  it("accepts the conventions' own examples", () => {
    const input = [
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { location: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'rainy, 57°F' }] },
    ];
    expect(schemaErrors(INPUT_MESSAGES_SCHEMA, input)).toEqual([]);
    const output = [
      { role: 'assistant', parts: [{ type: 'text', content: 'Rainy.' }], finish_reason: 'stop' },
    ];
    expect(schemaErrors(OUTPUT_MESSAGES_SCHEMA, output)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Real-shaped requests and results, as the SDKs' types and docs write them.

const WEATHER_PARAMETERS = {
  type: 'object',
  properties: { location: { type: 'string', description: 'The city' } },
  required: ['location'],
  additionalProperties: false,
};

/** OpenAI Chat Completions: `client.chat.completions.create(…)`, a tool-calling conversation. */
const openAiChatRequest = {
  model: 'gpt-4o',
  messages: [
    { role: 'developer', content: 'You are a travel agent.' },
    { role: 'system', content: [{ type: 'text', text: 'Answer briefly.' }] },
    {
      role: 'user',
      name: 'ana',
      content: [
        { type: 'text', text: 'Weather in Paris? Here is a photo and the brief.' },
        { type: 'image_url', image_url: { url: 'https://example.com/paris.png', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
        { type: 'input_audio', input_audio: { data: 'UklGRiQAAABXQVZF', format: 'wav' } },
        { type: 'file', file: { file_id: 'file-6F2ksmvXxt4VdoqmHRw6kL' } },
        {
          type: 'file',
          file: { filename: 'brief.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQ=' },
        },
      ],
    },
    {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: 'call_VSPygqKTWdrhaFErNvMV18Yl',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
        },
        { id: 'call_2', type: 'custom', custom: { name: 'sql', input: 'SELECT 1' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_VSPygqKTWdrhaFErNvMV18Yl', content: 'rainy, 57°F' },
    { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '1' }] },
    { role: 'assistant', content: 'It is rainy, 57°F.' },
    { role: 'user', content: 'And tomorrow?' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Get the weather',
        parameters: WEATHER_PARAMETERS,
        strict: true,
      },
    },
    { type: 'custom', custom: { name: 'sql', description: 'Run SQL', format: { type: 'text' } } },
  ],
  max_completion_tokens: 200,
};

const openAiChatInput = [
  { role: 'developer', parts: [{ type: 'text', content: 'You are a travel agent.' }] },
  { role: 'system', parts: [{ type: 'text', content: 'Answer briefly.' }] },
  {
    role: 'user',
    name: 'ana',
    parts: [
      { type: 'text', content: 'Weather in Paris? Here is a photo and the brief.' },
      { type: 'uri', modality: 'image', uri: 'https://example.com/paris.png' },
      { type: 'blob', modality: 'image', mime_type: 'image/jpeg', content: '/9j/4AAQSkZJRg==' },
      { type: 'blob', modality: 'audio', mime_type: 'audio/wav', content: 'UklGRiQAAABXQVZF' },
      { type: 'file', modality: 'document', file_id: 'file-6F2ksmvXxt4VdoqmHRw6kL' },
      { type: 'blob', modality: 'document', mime_type: 'application/pdf', content: 'JVBERi0xLjQ=' },
    ],
  },
  {
    role: 'assistant',
    parts: [
      {
        type: 'tool_call',
        id: 'call_VSPygqKTWdrhaFErNvMV18Yl',
        name: 'get_weather',
        arguments: { location: 'Paris' },
      },
      { type: 'tool_call', id: 'call_2', name: 'sql', arguments: 'SELECT 1' },
    ],
  },
  {
    role: 'tool',
    parts: [{ type: 'tool_call_response', id: 'call_VSPygqKTWdrhaFErNvMV18Yl', response: 'rainy, 57°F' }],
  },
  { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_2', response: '1' }] },
  { role: 'assistant', parts: [{ type: 'text', content: 'It is rainy, 57°F.' }] },
  { role: 'user', parts: [{ type: 'text', content: 'And tomorrow?' }] },
];

const chatCompletion = (choices: unknown[]) => ({
  id: 'chatcmpl-9J3uIL87gldCFtiIbyaOvTeYBRA3l',
  object: 'chat.completion',
  created: 1_714_000_000,
  model: 'gpt-4o-2024-08-06',
  choices,
  usage: { prompt_tokens: 47, completion_tokens: 17, total_tokens: 64 },
});

const openAiToolCallResponse = chatCompletion([
  {
    index: 0,
    message: {
      role: 'assistant',
      content: null,
      refusal: null,
      annotations: [],
      tool_calls: [
        {
          id: 'call_mszuSIzqtI65i1wAUOE8w5H4',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"location":"Paris","date":"2025-10-01"}' },
        },
      ],
    },
    logprobs: null,
    finish_reason: 'tool_calls',
  },
]);

const openAiTwoChoices = chatCompletion([
  {
    index: 0,
    message: { role: 'assistant', content: 'Rain tomorrow.', refusal: null },
    logprobs: null,
    finish_reason: 'stop',
  },
  {
    index: 1,
    message: { role: 'assistant', content: 'Tomorrow it will', refusal: null },
    logprobs: null,
    finish_reason: 'length',
  },
  {
    index: 2,
    message: { role: 'assistant', content: null, refusal: "I can't help with that." },
    logprobs: null,
    finish_reason: 'stop',
  },
]);

const openAiAudioResponse = chatCompletion([
  {
    index: 0,
    message: {
      role: 'assistant',
      content: null,
      refusal: null,
      audio: { id: 'audio_1', data: 'UklGRg==', expires_at: 1_714_003_600, transcript: 'Hello' },
    },
    logprobs: null,
    finish_reason: 'stop',
  },
]);

/** OpenAI Responses: `client.responses.create(…)` replaying a tool call. */
const openAiResponsesRequest = {
  model: 'gpt-4.1',
  instructions: 'You must never tell jokes',
  input: [
    {
      role: 'user',
      content: [
        { type: 'input_text', text: 'Weather in Paris?' },
        { type: 'input_image', image_url: 'https://example.com/paris.png', detail: 'auto' },
        { type: 'input_file', file_id: 'file-xyz' },
      ],
    },
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Need the weather tool.' }] },
    {
      type: 'function_call',
      id: 'fc_1',
      call_id: 'call_1',
      name: 'get_weather',
      arguments: '{"location":"Paris"}',
      status: 'completed',
    },
    { type: 'function_call_output', call_id: 'call_1', output: 'rainy, 57°F' },
    { role: 'user', content: 'Thanks!' },
  ],
  tools: [
    {
      type: 'function',
      name: 'get_weather',
      description: 'Get the weather',
      parameters: WEATHER_PARAMETERS,
      strict: true,
    },
    { type: 'web_search' },
  ],
};

const openAiResponsesInput = [
  {
    role: 'user',
    parts: [
      { type: 'text', content: 'Weather in Paris?' },
      { type: 'uri', modality: 'image', uri: 'https://example.com/paris.png' },
      { type: 'file', modality: 'document', file_id: 'file-xyz' },
    ],
  },
  {
    role: 'assistant',
    parts: [
      { type: 'reasoning', content: 'Need the weather tool.' },
      { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { location: 'Paris' } },
    ],
  },
  { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'rainy, 57°F' }] },
  { role: 'user', parts: [{ type: 'text', content: 'Thanks!' }] },
];

const responsesResult = (status: string, output: unknown[], extra: object = {}) => ({
  id: 'resp_67ccd2bed1ec8190b14f964abc054267',
  object: 'response',
  created_at: 1_741_476_542,
  status,
  model: 'gpt-4.1-2025-04-14',
  output,
  ...extra,
});

const openAiResponsesResult = responsesResult('completed', [
  { type: 'reasoning', id: 'rs_2', summary: [{ type: 'summary_text', text: 'The user said thanks.' }] },
  {
    type: 'message',
    id: 'msg_1',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: 'You are welcome!', annotations: [] }],
  },
]);

const openAiResponsesToolCall = responsesResult('completed', [
  {
    type: 'function_call',
    id: 'fc_2',
    call_id: 'call_2',
    name: 'get_weather',
    arguments: '{"location":"Lisbon"}',
    status: 'completed',
  },
  { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'Lisbon' } },
]);

/** Anthropic Messages: `client.messages.create(…)`, a tool-use conversation. */
const anthropicRequest = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [
    { type: 'text', text: 'You are a travel agent.' },
    { type: 'text', text: 'Answer briefly.', cache_control: { type: 'ephemeral' } },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'document', source: { type: 'url', url: 'https://example.com/brief.pdf' }, title: 'Brief' },
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Trip: 3 days.' } },
        { type: 'image', source: { type: 'file', file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        {
          type: 'thinking',
          thinking: 'I should call the weather tool.',
          signature: 'EqQBCgIYAhIM1gbcDa9GJwZA',
        },
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT' },
        { type: 'text', text: "I'll check the weather." },
        {
          type: 'tool_use',
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'get_weather',
          input: { location: 'Paris' },
        },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: 'rainy, 57°F' },
      ],
    },
    { role: 'assistant', content: 'It is rainy, 57°F.' },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_02',
          content: [
            { type: 'text', text: 'Forecast chart:' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/chart.png' } },
          ],
          is_error: false,
        },
        { type: 'tool_result', tool_use_id: 'toolu_03' },
        { type: 'text', text: 'What does the chart say?' },
      ],
    },
  ],
  tools: [
    { name: 'get_weather', description: 'Get the weather', input_schema: WEATHER_PARAMETERS },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
  ],
};

const anthropicInput = [
  {
    role: 'user',
    parts: [
      { type: 'text', content: 'Weather in Paris?' },
      { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' },
      { type: 'uri', modality: 'document', uri: 'https://example.com/brief.pdf' },
      { type: 'text', content: 'Trip: 3 days.' },
      { type: 'file', modality: 'image', file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' },
    ],
  },
  {
    role: 'assistant',
    parts: [
      { type: 'reasoning', content: 'I should call the weather tool.' },
      { type: 'text', content: "I'll check the weather." },
      {
        type: 'tool_call',
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'get_weather',
        arguments: { location: 'Paris' },
      },
    ],
  },
  {
    role: 'user',
    parts: [{ type: 'tool_call_response', id: 'toolu_01A09q90qw90lq917835lq9', response: 'rainy, 57°F' }],
  },
  { role: 'assistant', parts: [{ type: 'text', content: 'It is rainy, 57°F.' }] },
  {
    role: 'user',
    parts: [
      {
        type: 'tool_call_response',
        id: 'toolu_02',
        response: [
          { type: 'text', content: 'Forecast chart:' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/chart.png' },
        ],
      },
      { type: 'tool_call_response', id: 'toolu_03', response: null },
      { type: 'text', content: 'What does the chart say?' },
    ],
  },
];

const anthropicMessage = (content: unknown[], stopReason: string | null) => ({
  id: 'msg_01Aq9w938a90dw8q',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content,
  stop_reason: stopReason,
  stop_sequence: null,
  usage: { input_tokens: 472, output_tokens: 89 },
});

const anthropicToolUseResult = anthropicMessage(
  [
    { type: 'text', text: "I'll check the current weather in San Francisco for you." },
    {
      type: 'tool_use',
      id: 'toolu_01A09q90qw90lq917835lq9',
      name: 'get_weather',
      input: { location: 'San Francisco, CA', unit: 'celsius' },
    },
  ],
  'tool_use',
);

const anthropicServerToolResult = anthropicMessage(
  [
    {
      type: 'server_tool_use',
      id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB',
      name: 'web_search',
      input: { query: 'paris weather' },
    },
    {
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB',
      content: [
        {
          type: 'web_search_result',
          url: 'https://example.com/paris',
          title: 'Paris',
          encrypted_content: 'Eq',
        },
      ],
    },
    { type: 'text', text: 'It is raining in Paris.' },
  ],
  'end_turn',
);

/** An AI SDK `jsonSchema()` schema: the JSON Schema behind a lazy getter. */
const jsonSchema = (schema: object) => ({
  _type: undefined,
  get jsonSchema() {
    return schema;
  },
  validate: undefined,
});

/** Vercel AI SDK: `generateText({ system, messages, tools })` with `ModelMessage`s. */
const aiSdkRequest = {
  system: 'You are a travel agent.',
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris? Photo and brief attached.' },
        { type: 'image', image: new URL('https://example.com/paris.png') },
        { type: 'image', image: 'iVBORw0KGgo=', mediaType: 'image/png' },
        {
          type: 'file',
          data: new Uint8Array([37, 80, 68, 70]),
          mediaType: 'application/pdf',
          filename: 'brief.pdf',
        },
        // v7's tagged file data
        {
          type: 'file',
          mediaType: 'image',
          data: { type: 'url', url: new URL('https://example.com/map.png') },
        },
        {
          type: 'file',
          mediaType: 'image/png',
          data: { type: 'reference', reference: { openai: 'file-123' } },
        },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'I need the weather tool.' },
        { type: 'text', text: "I'll check." },
        { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1',
          toolName: 'weather',
          output: { type: 'json', value: { temperature: 14, conditions: 'rain' } },
        },
      ],
    },
    { role: 'assistant', content: 'It is raining, 14 °C.' },
    { role: 'system', content: 'Keep it short.' },
    { role: 'user', content: 'Thanks' },
  ],
  tools: {
    weather: {
      description: 'Get the weather in a city',
      inputSchema: jsonSchema({
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      }),
      execute: async () => ({ temperature: 14 }),
    },
    // A Zod schema: no JSON Schema at hand without calling into Zod.
    lookup: { description: 'Look up a booking', inputSchema: { _def: { typeName: 'ZodObject' } } },
    web_search: { type: 'provider', id: 'openai.web_search', args: {} },
  },
};

const aiSdkInput = [
  {
    role: 'user',
    parts: [
      { type: 'text', content: 'Weather in Paris? Photo and brief attached.' },
      { type: 'uri', modality: 'image', uri: 'https://example.com/paris.png' },
      { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' },
      { type: 'blob', modality: 'document', mime_type: 'application/pdf', content: 'JVBERg==' },
      { type: 'uri', modality: 'image', uri: 'https://example.com/map.png' },
      { type: 'file', modality: 'image', mime_type: 'image/png', file_id: 'file-123' },
    ],
  },
  {
    role: 'assistant',
    parts: [
      { type: 'reasoning', content: 'I need the weather tool.' },
      { type: 'text', content: "I'll check." },
      { type: 'tool_call', id: 'call_1', name: 'weather', arguments: { city: 'Paris' } },
    ],
  },
  {
    role: 'tool',
    parts: [{ type: 'tool_call_response', id: 'call_1', response: { temperature: 14, conditions: 'rain' } }],
  },
  { role: 'assistant', parts: [{ type: 'text', content: 'It is raining, 14 °C.' }] },
  { role: 'system', parts: [{ type: 'text', content: 'Keep it short.' }] },
  { role: 'user', parts: [{ type: 'text', content: 'Thanks' }] },
];

/** A `generateText` result whose last step called a tool (v6 shape: `response.messages`). */
const aiSdkResult = {
  content: [
    { type: 'reasoning', text: 'I need the weather tool.' },
    { type: 'text', text: "I'll check." },
    { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
    // Run by the SDK itself: an input of the next step, not the model's output.
    {
      type: 'tool-result',
      toolCallId: 'call_1',
      toolName: 'weather',
      input: { city: 'Paris' },
      output: { temperature: 14 },
    },
    { type: 'source', sourceType: 'url', id: 'src_1', url: 'https://example.com/weather' },
  ],
  text: "I'll check.",
  reasoningText: 'I need the weather tool.',
  toolCalls: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } }],
  finishReason: 'tool-calls',
  rawFinishReason: 'tool_calls',
  usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 },
  response: {
    id: 'resp-1',
    modelId: 'gpt-4o',
    timestamp: new Date(0),
    messages: [
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'I need the weather tool.' },
          { type: 'text', text: "I'll check." },
          { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_1',
            toolName: 'weather',
            output: { type: 'text', value: '14 °C' },
          },
        ],
      },
    ],
  },
  steps: [],
};

/** A result with a provider-executed tool and a generated image. */
const aiSdkProviderToolResult = {
  content: [
    {
      type: 'tool-call',
      toolCallId: 'ws_1',
      toolName: 'web_search',
      input: { query: 'paris' },
      providerExecuted: true,
    },
    {
      type: 'tool-result',
      toolCallId: 'ws_1',
      toolName: 'web_search',
      input: { query: 'paris' },
      output: [{ url: 'https://example.com' }],
      providerExecuted: true,
    },
    { type: 'file', file: { base64: 'iVBORw0KGgo=', mediaType: 'image/png', uint8Array: new Uint8Array(8) } },
    { type: 'text', text: 'Here is a map.' },
  ],
  text: 'Here is a map.',
  finishReason: 'stop',
};

/** A `generateText` result from before v5: no `content`, `args` on tool calls. */
const aiSdkV4Result = {
  text: '',
  reasoning: 'Think first.',
  toolCalls: [{ type: 'tool-call', toolCallId: 'call_9', toolName: 'weather', args: { city: 'Oslo' } }],
  finishReason: 'tool-calls',
};

interface Case {
  name: string;
  actual: unknown;
  expected: unknown;
  schema: JsonSchema;
}

const cases: Case[] = [
  // OpenAI Chat Completions
  {
    name: 'OpenAI Chat request → input',
    actual: toInputMessages(openAiChatRequest),
    expected: openAiChatInput,
    schema: INPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'OpenAI Chat bare messages → input',
    actual: toInputMessages(openAiChatRequest.messages),
    expected: openAiChatInput,
    schema: INPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'OpenAI Chat tool call → output',
    actual: toOutputMessages(openAiToolCallResponse),
    expected: [
      {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            id: 'call_mszuSIzqtI65i1wAUOE8w5H4',
            name: 'get_weather',
            arguments: { location: 'Paris', date: '2025-10-01' },
          },
        ],
        finish_reason: 'tool_call',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'OpenAI Chat choices (stop, length, refusal) → output',
    actual: toOutputMessages(openAiTwoChoices),
    expected: [
      { role: 'assistant', parts: [{ type: 'text', content: 'Rain tomorrow.' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'Tomorrow it will' }], finish_reason: 'length' },
      {
        role: 'assistant',
        parts: [{ type: 'refusal', content: "I can't help with that." }],
        finish_reason: 'stop',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'OpenAI Chat audio → output',
    actual: toOutputMessages(openAiAudioResponse),
    expected: [
      {
        role: 'assistant',
        parts: [{ type: 'blob', modality: 'audio', content: 'UklGRg==' }],
        finish_reason: 'stop',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'OpenAI Chat tools → definitions',
    actual: toToolDefinitions(openAiChatRequest),
    expected: [
      { type: 'function', name: 'get_weather' },
      { type: 'custom', name: 'sql' },
    ],
    schema: TOOL_DEFINITIONS_SCHEMA,
  },
  {
    name: 'OpenAI Chat tools → definitions with details',
    actual: toToolDefinitions(openAiChatRequest, { details: true }),
    expected: [
      {
        type: 'function',
        name: 'get_weather',
        description: 'Get the weather',
        parameters: WEATHER_PARAMETERS,
      },
      { type: 'custom', name: 'sql', description: 'Run SQL' },
    ],
    schema: TOOL_DEFINITIONS_SCHEMA,
  },
  // OpenAI Responses
  {
    name: 'Responses request → input',
    actual: toInputMessages(openAiResponsesRequest),
    expected: openAiResponsesInput,
    schema: INPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'Responses string input → input',
    actual: toInputMessages({ model: 'gpt-4.1', input: 'Tell me a joke' }),
    expected: [{ role: 'user', parts: [{ type: 'text', content: 'Tell me a joke' }] }],
    schema: INPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'Responses instructions → system instructions',
    actual: toSystemInstructions(openAiResponsesRequest),
    expected: [{ type: 'text', content: 'You must never tell jokes' }],
    schema: SYSTEM_INSTRUCTIONS_SCHEMA,
  },
  {
    name: 'Responses result → output',
    actual: toOutputMessages(openAiResponsesResult),
    expected: [
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'The user said thanks.' },
          { type: 'text', content: 'You are welcome!' },
        ],
        finish_reason: 'stop',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'Responses function call → output',
    actual: toOutputMessages(openAiResponsesToolCall),
    expected: [
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_2', name: 'get_weather', arguments: { location: 'Lisbon' } },
          { type: 'web_search_call' },
        ],
        finish_reason: 'tool_call',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'Responses tools → definitions',
    actual: toToolDefinitions(openAiResponsesRequest),
    expected: [
      { type: 'function', name: 'get_weather' },
      { type: 'web_search', name: 'web_search' },
    ],
    schema: TOOL_DEFINITIONS_SCHEMA,
  },
  // Anthropic Messages
  {
    name: 'Anthropic request → input',
    actual: toInputMessages(anthropicRequest),
    expected: anthropicInput,
    schema: INPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'Anthropic system blocks → system instructions',
    actual: toSystemInstructions(anthropicRequest),
    expected: [
      { type: 'text', content: 'You are a travel agent.' },
      { type: 'text', content: 'Answer briefly.' },
    ],
    schema: SYSTEM_INSTRUCTIONS_SCHEMA,
  },
  {
    name: 'Anthropic system string → system instructions',
    actual: toSystemInstructions({ ...anthropicRequest, system: 'Be brief.' }),
    expected: [{ type: 'text', content: 'Be brief.' }],
    schema: SYSTEM_INSTRUCTIONS_SCHEMA,
  },
  {
    name: 'Anthropic tool use → output',
    actual: toOutputMessages(anthropicToolUseResult),
    expected: [
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: "I'll check the current weather in San Francisco for you." },
          {
            type: 'tool_call',
            id: 'toolu_01A09q90qw90lq917835lq9',
            name: 'get_weather',
            arguments: { location: 'San Francisco, CA', unit: 'celsius' },
          },
        ],
        finish_reason: 'tool_call',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'Anthropic server tool → output',
    actual: toOutputMessages(anthropicServerToolResult),
    expected: [
      {
        role: 'assistant',
        parts: [
          {
            type: 'server_tool_call',
            id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB',
            name: 'web_search',
            server_tool_call: { type: 'web_search', arguments: { query: 'paris weather' } },
          },
          {
            type: 'server_tool_call_response',
            id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB',
            server_tool_call_response: {
              type: 'web_search',
              response: [
                {
                  type: 'web_search_result',
                  url: 'https://example.com/paris',
                  title: 'Paris',
                  encrypted_content: 'Eq',
                },
              ],
            },
          },
          { type: 'text', content: 'It is raining in Paris.' },
        ],
        finish_reason: 'stop',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'Anthropic tools → definitions with details',
    actual: toToolDefinitions(anthropicRequest, { details: true }),
    expected: [
      {
        type: 'function',
        name: 'get_weather',
        description: 'Get the weather',
        parameters: WEATHER_PARAMETERS,
      },
      { type: 'web_search_20250305', name: 'web_search' },
    ],
    schema: TOOL_DEFINITIONS_SCHEMA,
  },
  // Vercel AI SDK
  {
    name: 'AI SDK request → input',
    actual: toInputMessages(aiSdkRequest),
    expected: aiSdkInput,
    schema: INPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'AI SDK prompt string → input',
    actual: toInputMessages({ system: 'Be brief.', prompt: 'Hello' }),
    expected: [{ role: 'user', parts: [{ type: 'text', content: 'Hello' }] }],
    schema: INPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'AI SDK system → system instructions',
    actual: toSystemInstructions(aiSdkRequest),
    expected: [{ type: 'text', content: 'You are a travel agent.' }],
    schema: SYSTEM_INSTRUCTIONS_SCHEMA,
  },
  {
    name: 'AI SDK v7 instructions as system messages → system instructions',
    actual: toSystemInstructions({
      instructions: [
        { role: 'system', content: 'You are a travel agent.' },
        {
          role: 'system',
          content: 'Answer briefly.',
          providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
        },
      ],
      prompt: 'Hi',
    }),
    expected: [
      { type: 'text', content: 'You are a travel agent.' },
      { type: 'text', content: 'Answer briefly.' },
    ],
    schema: SYSTEM_INSTRUCTIONS_SCHEMA,
  },
  {
    name: 'AI SDK result → output',
    actual: toOutputMessages(aiSdkResult),
    expected: [
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'I need the weather tool.' },
          { type: 'text', content: "I'll check." },
          { type: 'tool_call', id: 'call_1', name: 'weather', arguments: { city: 'Paris' } },
        ],
        finish_reason: 'tool_call',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'AI SDK response.messages → input of the next step',
    actual: toInputMessages(aiSdkResult.response.messages),
    expected: [
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'I need the weather tool.' },
          { type: 'text', content: "I'll check." },
          { type: 'tool_call', id: 'call_1', name: 'weather', arguments: { city: 'Paris' } },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '14 °C' }] },
    ],
    schema: INPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'AI SDK provider-executed tool and file → output',
    actual: toOutputMessages(aiSdkProviderToolResult),
    expected: [
      {
        role: 'assistant',
        parts: [
          {
            type: 'server_tool_call',
            id: 'ws_1',
            name: 'web_search',
            server_tool_call: { type: 'web_search', arguments: { query: 'paris' } },
          },
          {
            type: 'server_tool_call_response',
            id: 'ws_1',
            server_tool_call_response: { type: 'web_search', response: [{ url: 'https://example.com' }] },
          },
          { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' },
          { type: 'text', content: 'Here is a map.' },
        ],
        finish_reason: 'stop',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'AI SDK v4 result → output',
    actual: toOutputMessages(aiSdkV4Result),
    expected: [
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'Think first.' },
          { type: 'tool_call', id: 'call_9', name: 'weather', arguments: { city: 'Oslo' } },
        ],
        finish_reason: 'tool_call',
      },
    ],
    schema: OUTPUT_MESSAGES_SCHEMA,
  },
  {
    name: 'AI SDK tools → definitions',
    actual: toToolDefinitions(aiSdkRequest),
    expected: [
      { type: 'function', name: 'weather' },
      { type: 'function', name: 'lookup' },
      { type: 'openai.web_search', name: 'web_search' },
    ],
    schema: TOOL_DEFINITIONS_SCHEMA,
  },
  {
    name: 'AI SDK tools → definitions with details',
    actual: toToolDefinitions(aiSdkRequest, { details: true }),
    expected: [
      {
        type: 'function',
        name: 'weather',
        description: 'Get the weather in a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      { type: 'function', name: 'lookup', description: 'Look up a booking' },
      { type: 'openai.web_search', name: 'web_search' },
    ],
    schema: TOOL_DEFINITIONS_SCHEMA,
  },
];

describe('conversion of real-shaped requests and results', () => {
  it.each(cases)('$name', ({ actual, expected }) => {
    expect(actual).toEqual(expected);
  });

  it.each(cases)('$name follows the released JSON schema', ({ actual, schema }) => {
    expect(actual).toBeDefined();
    expect(schemaErrors(schema, actual)).toEqual([]);
  });

  it('has no system instructions for OpenAI Chat, whose system messages are in the history', () => {
    expect(toSystemInstructions(openAiChatRequest)).toBeUndefined();
    expect(toInputMessages(openAiChatRequest)?.map((message) => message.role)).toContain('system');
  });
});

// ---------------------------------------------------------------------------------------------

describe('finish reasons', () => {
  it.each([
    // OpenAI Chat Completions
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_call'],
    ['function_call', 'tool_call'],
    ['content_filter', 'content_filter'],
  ])('OpenAI %s → %s', (raw, mapped) => {
    const result = chatCompletion([
      { index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: raw },
    ]);
    expect(toOutputMessages(result)?.[0]?.finish_reason).toBe(mapped);
    expect(toFinishReason(raw)).toBe(mapped);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_call'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'pause_turn'], // no name in the conventions: kept as the provider's
  ])('Anthropic %s → %s', (raw, mapped) => {
    expect(toOutputMessages(anthropicMessage([{ type: 'text', text: 'x' }], raw))?.[0]?.finish_reason).toBe(
      mapped,
    );
    expect(toFinishReason(raw)).toBe(mapped);
  });

  it.each([
    [{ finishReason: 'stop' }, 'stop'],
    [{ finishReason: 'length' }, 'length'],
    [{ finishReason: 'content-filter' }, 'content_filter'],
    [{ finishReason: 'tool-calls' }, 'tool_call'],
    [{ finishReason: 'error' }, 'error'],
    [{ finishReason: 'other' }, 'other'],
    [{ finishReason: 'unknown' }, 'unknown'], // v5
    [{ finishReason: 'other', rawFinishReason: 'pause_turn' }, 'pause_turn'], // v6: the provider's own
    [{ finishReason: 'other', rawFinishReason: 'end_turn' }, 'stop'],
  ])('AI SDK %o → %s', (fields, mapped) => {
    expect(toOutputMessages({ text: 'x', content: [], ...fields })?.[0]?.finish_reason).toBe(mapped);
  });

  it.each([
    [{ status: 'completed' }, 'stop'],
    [{ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }, 'length'],
    [{ status: 'incomplete', incomplete_details: { reason: 'content_filter' } }, 'content_filter'],
    [{ status: 'failed', error: { code: 'server_error', message: 'boom' } }, 'error'],
    [{ status: 'cancelled' }, 'cancelled'],
  ])('Responses %o → %s', (fields, mapped) => {
    const result = responsesResult('completed', [], fields);
    expect(toOutputMessages(result)?.[0]?.finish_reason).toBe(mapped);
  });

  it('is `unknown` when the result has none, as a partial stream', () => {
    const partial = chatCompletion([
      { index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: null },
    ]);
    expect(toOutputMessages(partial)?.[0]?.finish_reason).toBe('unknown');
    expect(toOutputMessages(anthropicMessage([], null))?.[0]?.finish_reason).toBe('unknown');
  });
});

// ---------------------------------------------------------------------------------------------

/** An object each of whose traps throws. */
const hostile = () =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('get');
      },
      has: () => {
        throw new Error('has');
      },
      ownKeys: () => {
        throw new Error('ownKeys');
      },
      getPrototypeOf: () => {
        throw new Error('getPrototypeOf');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('getOwnPropertyDescriptor');
      },
    },
  );

const revoked = () => {
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  return proxy;
};

const throwingGetter = (key: string) =>
  Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw new Error(key);
    },
  });

const CONVERTERS = [
  ['toInputMessages', toInputMessages],
  ['toOutputMessages', toOutputMessages],
  ['toSystemInstructions', toSystemInstructions],
  ['toToolDefinitions', toToolDefinitions],
] as const;

const HOSTILE_VALUES: [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 42],
  ['a string', () => 'hello'],
  ['a symbol', () => Symbol('s')],
  ['a function', () => () => 1],
  ['an empty object', () => ({})],
  ['a Proxy whose traps throw', hostile],
  ['a revoked Proxy', revoked],
  ['throwing getters', () => Object.assign(throwingGetter('messages'), { choices: hostile() })],
  ['a throwing `tools` getter', () => throwingGetter('tools')],
  [
    'messages that are a Proxy',
    () => ({ messages: hostile(), choices: hostile(), system: hostile(), tools: hostile() }),
  ],
  [
    'messages that are a revoked Proxy',
    () => ({ messages: revoked(), choices: revoked(), tools: revoked() }),
  ],
  [
    'numbers where strings are expected',
    () => ({ messages: 1, system: 2, tools: 3, choices: 4, finishReason: 5 }),
  ],
];

describe('hostile inputs', () => {
  for (const [converterName, convert] of CONVERTERS) {
    it.each(HOSTILE_VALUES)(`${converterName} does not throw on %s, and returns nothing`, (_name, make) => {
      let result: unknown = 'not called';
      expect(() => {
        result = convert(make());
      }).not.toThrow();
      expect(result === undefined || (Array.isArray(result) && result.length === 0)).toBe(true);
    });
  }

  it('keeps what it can read around messages and parts that throw', () => {
    const request = {
      messages: [
        hostile(),
        revoked(),
        throwingGetter('role'),
        {
          role: 'user',
          content: [hostile(), revoked(), { type: 'text', text: 'kept' }, throwingGetter('type')],
        },
        { role: 'assistant', content: 'also kept', tool_calls: hostile() },
        { role: 'assistant', content: 'kept too', tool_calls: revoked(), function_call: revoked() },
        {
          role: 'tool',
          tool_call_id: 'call_1',
          get content() {
            throw new Error('content');
          },
        },
      ],
    };
    const messages = toInputMessages(request);
    expect(messages).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'kept' }] },
      { role: 'assistant', parts: [{ type: 'text', content: 'also kept' }] },
      { role: 'assistant', parts: [{ type: 'text', content: 'kept too' }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: null }] },
    ]);
    expect(schemaErrors(INPUT_MESSAGES_SCHEMA, messages)).toEqual([]);
  });

  it('keeps the readable elements of an array whose element reads throw', () => {
    const flaky = (items: unknown[], bad: number) =>
      new Proxy(items, {
        get(target, key, receiver) {
          if (key === String(bad)) throw new Error(`element ${bad}`);
          return Reflect.get(target, key, receiver);
        },
      });
    const parts = flaky([{ type: 'text', text: 'a' }, 'unreadable', { type: 'text', text: 'c' }], 1);
    const messages = flaky(
      [{ role: 'user', content: parts }, 'unreadable', { role: 'user', content: 'z' }],
      1,
    );
    expect(toInputMessages({ messages })).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'a' },
          { type: 'text', content: 'c' },
        ],
      },
      { role: 'user', parts: [{ type: 'text', content: 'z' }] },
    ]);
  });

  it('leaves out what has the wrong type instead of guessing', () => {
    const messages = toInputMessages({
      messages: [
        { role: 7, content: 'no role' },
        { role: 'user', content: 42 },
        {
          role: 'user',
          content: [
            { type: 'text', text: 42 },
            { type: 'image_url', image_url: { url: 3 } },
            { type: 'tool_use', id: 1, name: 2, input: {} },
            { type: 42 },
            'a bare string',
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c', type: 'function', function: { name: 5, arguments: '{}' } }],
        },
      ],
    });
    expect(messages).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'a bare string' }] },
      { role: 'assistant', parts: [] },
    ]);
    expect(
      toOutputMessages({ choices: [{ message: { role: 'assistant', content: 'x' }, finish_reason: 3 }] }),
    ).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'x' }], finish_reason: 'unknown' }]);
  });

  it('returns undefined for shapes it does not know', () => {
    expect(
      toInputMessages({
        messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'a UIMessage' }] }],
      }),
    ).toBeUndefined();
    expect(toInputMessages({ contents: [{ role: 'user', parts: [{ text: 'Gemini' }] }] })).toBeUndefined();
    expect(toOutputMessages({ candidates: [{ content: { parts: [{ text: 'Gemini' }] } }] })).toBeUndefined();
    expect(
      toOutputMessages({ content: [{ type: 'text', text: 'no stop_reason, no type' }] }),
    ).toBeUndefined();
    expect(toToolDefinitions({ tools: 'weather' })).toBeUndefined();
  });

  it('survives cycles', () => {
    const content: unknown[] = [{ type: 'text', text: 'hi' }];
    const message = { role: 'user', content };
    content.push(message, content);
    const toolResult: Record<string, unknown> = { type: 'tool_result', tool_use_id: 't1' };
    toolResult.content = [toolResult, { type: 'text', text: 'inner' }];
    const fileData: Record<string, unknown> = { type: 'data' };
    fileData.data = fileData;
    const document: Record<string, unknown> = { type: 'document' };
    document.source = { type: 'content', content: [document] };
    const messages = toInputMessages({
      messages: [
        message,
        { role: 'user', content: [toolResult, { type: 'file', data: fileData, mediaType: 'x/y' }, document] },
      ],
    });
    expect(messages).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
      {
        role: 'user',
        parts: [
          {
            type: 'tool_call_response',
            id: 't1',
            response: [
              { type: 'tool_call_response', id: 't1', response: [{ type: 'tool_result_content' }] },
              { type: 'text', content: 'inner' },
            ],
          },
        ],
      },
    ]);
    expect(schemaErrors(INPUT_MESSAGES_SCHEMA, messages)).toEqual([]);
  });

  it('follows a tagged file payload one level only', () => {
    let reads = 0;
    const tagged: Record<string, unknown> = new Proxy(
      { type: 'data' },
      {
        get(target, key, receiver) {
          reads++;
          return key === 'data' ? tagged : Reflect.get(target, key, receiver);
        },
      },
    );
    expect(
      toInputMessages([{ role: 'user', content: [{ type: 'file', data: tagged, mediaType: 'image/png' }] }]),
    ).toEqual([{ role: 'user', parts: [] }]);
    expect(reads).toBeLessThan(5);
  });

  it(`reads at most ${MAX_MESSAGES} messages, ${MAX_PARTS} parts each and ${MAX_TOOL_DEFINITIONS} tools`, () => {
    const messages = toInputMessages({
      messages: new Array(MAX_MESSAGES * 10).fill({ role: 'user', content: 'x' }),
    });
    expect(messages).toHaveLength(MAX_MESSAGES);
    const parts = new Array(MAX_PARTS * 10).fill({ type: 'text', text: 'x' });
    expect(toInputMessages([{ role: 'user', content: parts }])?.[0]?.parts).toHaveLength(MAX_PARTS);
    expect(toOutputMessages(anthropicMessage(parts, 'end_turn'))?.[0]?.parts).toHaveLength(MAX_PARTS);
    const choices = new Array(MAX_MESSAGES * 10).fill({
      message: { role: 'assistant', content: 'x' },
      finish_reason: 'stop',
    });
    expect(toOutputMessages({ choices })).toHaveLength(MAX_MESSAGES);
    const tools = new Array(MAX_TOOL_DEFINITIONS * 10).fill({ name: 'a', input_schema: {} });
    expect(toToolDefinitions({ tools })).toHaveLength(MAX_TOOL_DEFINITIONS);
  });

  /** An array `length` long whose elements are counted as they are read. */
  const counted = (length: number, element: unknown) => {
    const reads = { count: 0 };
    const list = new Proxy([], {
      get(_target, key) {
        if (key === 'length') return length;
        reads.count++;
        return element;
      },
    });
    return { list, reads };
  };

  it('reads no element past the limits, however long the array says it is', () => {
    for (const length of [MAX_MESSAGES * 10, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY]) {
      const messages = counted(length, { role: 'user', content: 'x' });
      expect(toInputMessages({ messages: messages.list })).toHaveLength(MAX_MESSAGES);
      expect(messages.reads.count).toBe(MAX_MESSAGES);
      const parts = counted(length, { type: 'text', text: 't' });
      expect(toInputMessages([{ role: 'user', content: parts.list }])?.[0]?.parts).toHaveLength(MAX_PARTS);
      expect(parts.reads.count).toBe(MAX_PARTS);
    }
  });

  it('passes huge strings through without copying or parsing them', () => {
    const huge = 'x'.repeat(10_000_000);
    const hugeArguments = `{"q":"${huge}"}`;
    const messages = toInputMessages({
      messages: [
        { role: 'user', content: huge },
        {
          role: 'assistant',
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: hugeArguments } }],
        },
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${huge}` } }],
        },
      ],
    });
    const [text, call, image] = (messages ?? []).map((message) => message.parts[0]);
    expect(text).toEqual({ type: 'text', content: huge });
    expect(call).toMatchObject({ type: 'tool_call', name: 'f' });
    expect((call as { arguments: unknown }).arguments).toBe(hugeArguments); // longer than MAX_PARSED_ARGUMENTS
    expect(hugeArguments.length).toBeGreaterThan(MAX_PARSED_ARGUMENTS);
    expect(image).toMatchObject({ type: 'blob', mime_type: 'image/png', modality: 'image' });
    expect((image as { content: string }).content.length).toBe(huge.length);
  });

  it(`encodes at most ${MAX_ENCODED_BYTES} bytes of binary data`, () => {
    const bytes = new Uint8Array(10_000_000).fill(0xff);
    const messages = toInputMessages({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', data: bytes, mediaType: 'image/png' },
            { type: 'image', image: bytes.buffer },
          ],
        },
      ],
    });
    const expected = Buffer.alloc(MAX_ENCODED_BYTES, 0xff).toString('base64');
    expect(messages?.[0]?.parts).toEqual([
      { type: 'blob', modality: 'image', mime_type: 'image/png', content: expected },
      { type: 'blob', modality: 'image', content: expected },
    ]);
  });

  it('never throws on the finish-reason mapping, whatever the key', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '']) {
      expect(toFinishReason(key)).toBe(key);
    }
  });
});
