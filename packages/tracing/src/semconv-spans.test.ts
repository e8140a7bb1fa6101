// The GenAI conventions on the wire: span kinds, request parameters, content in the conventions' JSON,
// and the two instrumentation variables, decoded from what the OTLP exporter really sends.
import {
  decodeOtlpProtobuf,
  type OtlpSpan,
  otlpAttributes,
  otlpSpans,
  startHttpSink,
} from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import {
  INPUT_MESSAGES_SCHEMA,
  OUTPUT_MESSAGES_SCHEMA,
  TOOL_DEFINITIONS_SCHEMA,
} from './__fixtures__/genai-semconv-schemas';
import { schemaErrors } from './__fixtures__/schema-check';
import { setupTracing, type TracingOptions } from './setup';

// OTLP SpanKind: INTERNAL = 1, CLIENT = 3.
const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;

// A real-shaped OpenAI Chat Completions request and response (openai 6.x types).
const request = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a travel agent.' },
    { role: 'user', content: 'Find a flight to Lisbon, my api_key=sk-live-0123456789abcdefghij' },
  ],
  tools: [
    {
      type: 'function',
      function: { name: 'search_flights', description: 'Search flights', parameters: { type: 'object' } },
    },
  ],
  temperature: 0.2,
  max_completion_tokens: 256,
  top_p: 0.9,
  stop: ['END'],
  seed: 7,
  n: 2,
  stream: false,
};
const response = {
  id: 'chatcmpl-123',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'search_flights', arguments: '{"to":"LIS"}' } },
        ],
      },
    },
  ],
  usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
};

async function recorded(
  options: TracingOptions,
  run: (tracing: ReturnType<typeof setupTracing>) => Promise<unknown>,
) {
  const sink = await startHttpSink((_request, answer) => {
    answer.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  try {
    const tracing = setupTracing({
      serviceName: 'semconv',
      exporter: 'otlp',
      otlp: { url: `${sink.url}/v1/traces` },
      ...options,
    });
    await run(tracing);
    await tracing.shutdown();
    const spans = otlpSpans(sink.requests.map((r) => decodeOtlpProtobuf(r.body)));
    return { spans, raw: sink.requests.map((r) => r.body.toString('latin1')).join('') };
  } finally {
    await sink.close();
  }
}

const attributesOf = (span: OtlpSpan) => {
  const values = otlpAttributes(span.attributes);
  for (const [key, value] of Object.entries(values)) {
    const array = (value as { arrayValue?: { values?: Record<string, unknown>[] } }).arrayValue;
    if (array !== undefined)
      values[key] = (array.values ?? []).map((item) => item.stringValue ?? item.intValue ?? item.doubleValue);
  }
  return values;
};

describe('GenAI conventions on the wire', () => {
  it('gives inference spans kind CLIENT, agent, tool and workflow spans INTERNAL, and usage only on the leaf', async () => {
    const { spans } = await recorded({ env: {} }, (tracing) =>
      tracing.withWorkflowSpan({ workflowId: 'trip' }, () =>
        tracing.withAgentSpan({ agentId: 'planner' }, async () => {
          await tracing.withToolSpan({ toolName: 'search_flights' }, async () => 'ok');
          return tracing.withLlmSpan(
            { provider: 'openai', model: 'gpt-4o-mini', request },
            async () => response,
          );
        }),
      ),
    );
    const kinds = Object.fromEntries(spans.map((span) => [span.name, span.kind]));
    expect(kinds).toEqual({
      'llm.generate': SPAN_KIND_CLIENT,
      'tool.execute': SPAN_KIND_INTERNAL,
      'agent.execute': SPAN_KIND_INTERNAL,
      'workflow.execute': SPAN_KIND_INTERNAL,
    });
    for (const span of spans) {
      const hasUsage = Object.keys(attributesOf(span)).some((key) => key.startsWith('gen_ai.usage.'));
      expect(hasUsage, span.name).toBe(span.name === 'llm.generate');
    }
  });

  it('writes the request parameters, stream flag, response fields and content in the conventions JSON, redacted', async () => {
    const { spans, raw } = await recorded({ env: {} }, (tracing) =>
      tracing.withLlmSpan({ provider: 'openai', model: 'gpt-4o-mini', request }, async () => response),
    );
    const llm = attributesOf(spans[0]!);
    expect(llm).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.seed': 7,
      'gen_ai.request.choice.count': 2,
      'gen_ai.request.stream': false,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-123',
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 12,
    });
    const input = JSON.parse(llm['gen_ai.input.messages'] as string);
    expect(input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a travel agent.' }] },
      {
        role: 'user',
        parts: [{ type: 'text', content: 'Find a flight to Lisbon, my api_key=***REDACTED***' }],
      },
    ]);
    expect(JSON.parse(llm['gen_ai.output.messages'] as string)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'search_flights', arguments: { to: 'LIS' } }],
        finish_reason: 'tool_call',
      },
    ]);
    expect(JSON.parse(llm['gen_ai.tool.definitions'] as string)).toEqual([
      { type: 'function', name: 'search_flights' },
    ]);
    // Each structure, as it arrived, is what the conventions' JSON schema describes.
    expect(schemaErrors(INPUT_MESSAGES_SCHEMA, input)).toEqual([]);
    expect(schemaErrors(OUTPUT_MESSAGES_SCHEMA, JSON.parse(llm['gen_ai.output.messages'] as string))).toEqual(
      [],
    );
    expect(
      schemaErrors(TOOL_DEFINITIONS_SCHEMA, JSON.parse(llm['gen_ai.tool.definitions'] as string)),
    ).toEqual([]);
    expect(raw).not.toContain('sk-live-0123456789abcdefghij');
  });

  it('names the operation from operationName, and keeps every message JSON valid when the list is cut', async () => {
    const long = Array.from({ length: 200 }, (_, index) => ({
      role: 'user',
      content: `turn ${index} ${'x'.repeat(100)}`,
    }));
    const { spans } = await recorded(
      { env: {}, spanNames: 'semconv', contentCapture: { maxLength: 64 } },
      (tracing) =>
        tracing.withLlmSpan(
          {
            provider: 'openai',
            model: 'text-embedding-3-small',
            operationName: 'embeddings',
            request: { messages: long },
          },
          async () => ({ data: [] }),
        ),
    );
    expect(spans[0]!.name).toBe('embeddings text-embedding-3-small');
    const llm = attributesOf(spans[0]!);
    expect(llm['gen_ai.operation.name']).toBe('embeddings');
    const kept = JSON.parse(llm['gen_ai.input.messages'] as string) as { parts: { content: string }[] }[];
    // 16 × 64 characters of budget: the newest turns, each string cut by the redactor.
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(200);
    expect(kept.at(-1)!.parts[0]!.content).toMatch(/^turn 199 /);
    expect((llm['gen_ai.input.messages'] as string).length).toBeLessThanOrEqual(16 * 64);
  });

  it('honours OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT unless contentCapture.enabled is given', async () => {
    const run = (tracing: ReturnType<typeof setupTracing>) =>
      tracing.withLlmSpan(
        { provider: 'openai', model: 'gpt-4o-mini', request, prompt: 'hello' },
        async () => response,
      );
    const off = attributesOf(
      (await recorded({ env: { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'false' } }, run))
        .spans[0]!,
    );
    for (const key of [
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'gen_ai.tool.definitions',
      'llm.prompt',
    ]) {
      expect(off[key], key).toBeUndefined();
    }
    expect(off['gen_ai.request.temperature']).toBe(0.2); // parameters are not content
    const on = attributesOf(
      (
        await recorded(
          {
            env: { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'false' },
            contentCapture: { enabled: true },
          },
          run,
        )
      ).spans[0]!,
    );
    expect(typeof on['gen_ai.input.messages']).toBe('string');
    const spanOnly = attributesOf(
      (await recorded({ env: { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY' } }, run))
        .spans[0]!,
    );
    expect(typeof spanOnly['gen_ai.output.messages']).toBe('string');
    expect(() =>
      setupTracing({ env: { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'yes please' } }),
    ).toThrow(/OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT/);
  });

  it('emits only the newest names with OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental', async () => {
    const { spans } = await recorded(
      { env: { OTEL_SEMCONV_STABILITY_OPT_IN: 'http, gen_ai_latest_experimental' } },
      (tracing) =>
        tracing.withAgentSpan({ agentId: 'planner' }, () =>
          tracing.withLlmSpan({ provider: 'anthropic', model: 'claude-sonnet-4-5' }, async () => ({
            content: 'hi',
          })),
        ),
    );
    const names = spans.map((span) => span.name).sort();
    expect(names).toEqual(['chat claude-sonnet-4-5', 'invoke_agent planner']);
    const llm = attributesOf(spans.find((span) => span.name.startsWith('chat'))!);
    expect(llm['gen_ai.provider.name']).toBe('anthropic');
    expect(llm['gen_ai.system']).toBeUndefined();
  });
});
