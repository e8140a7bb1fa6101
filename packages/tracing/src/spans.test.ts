import { REDACTED, STATUS } from '@genxai/obs-core';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTR } from './attributes';
import {
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
} from './semconv';
import { setupTracing, type Tracing } from './setup';
import { getActiveTraceIds, type SpanHelpersOptions } from './spans';

const open: Tracing[] = [];

function setup(options: Pick<SpanHelpersOptions, 'contentCapture' | 'spanNames'> = {}) {
  const exporter = new InMemorySpanExporter();
  const warnings: string[] = [];
  const tracing = setupTracing({
    serviceName: 'spans-test',
    exporter,
    onWarning: ({ code }) => warnings.push(code),
    env: {},
    ...options,
  });
  open.push(tracing);
  const spans = async () => {
    await tracing.forceFlush();
    return exporter.getFinishedSpans();
  };
  return { tracing, spans, warnings };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((tracing) => tracing.shutdown()));
});

const byName = (spans: ReadableSpan[], name: string) => {
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(', ')}`);
  return span;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

async function runWorkflow(tracing: Tracing) {
  return tracing.withWorkflowSpan({ workflowId: 'wf-1', name: 'Support' }, () =>
    tracing.withNodeSpan({ workflowId: 'wf-1', nodeId: 'plan', type: 'agent' }, () =>
      tracing.withAgentSpan(
        { agentId: 'agent-7', role: 'planner', name: 'Planner', task: 'plan a trip' },
        async () => {
          const answer = await tracing.withLlmSpan(
            { provider: 'openai', model: 'gpt-4o', prompt: 'Where to?' },
            async () => ({
              content: 'Lisbon.',
              model: 'gpt-4o-2024-08-06',
              usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
            }),
          );
          await tracing.withToolSpan(
            { toolName: 'search', parameters: { q: 'flights' }, callId: 'call_1' },
            async () => 'three results',
          );
          await tracing.withMemorySpan(
            { operationType: 'store', memoryType: 'short_term' },
            async () => undefined,
          );
          return answer.content;
        },
      ),
    ),
  );
}

describe('span helpers', () => {
  it('nests workflow → node → agent → llm/tool/memory through the active context', async () => {
    const { tracing, spans } = setup();
    await expect(runWorkflow(tracing)).resolves.toBe('Lisbon.');
    const finished = await spans();
    expect(finished.map((span) => span.name).sort()).toEqual([
      'agent.execute',
      'llm.generate',
      'memory.store',
      'node.plan',
      'tool.execute',
      'workflow.execute',
    ]);
    const workflow = byName(finished, 'workflow.execute');
    const node = byName(finished, 'node.plan');
    const agent = byName(finished, 'agent.execute');
    expect(parentOf(workflow)).toBeUndefined();
    expect(parentOf(node)).toBe(workflow.spanContext().spanId);
    expect(parentOf(agent)).toBe(node.spanContext().spanId);
    for (const name of ['llm.generate', 'tool.execute', 'memory.store']) {
      expect(parentOf(byName(finished, name))).toBe(agent.spanContext().spanId);
    }
    expect(new Set(finished.map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(finished.every((span) => span.status.code === SpanStatusCode.UNSET)).toBe(true);
    expect(finished.every((span) => span.attributes[ATTR.STATUS] === STATUS.success)).toBe(true);
  });

  it('sets the seed attributes and the gen_ai.* attributes', async () => {
    const { tracing, spans } = setup();
    await runWorkflow(tracing);
    const finished = await spans();
    expect(byName(finished, 'workflow.execute').attributes).toMatchObject({
      'workflow.id': 'wf-1',
      [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_workflow',
      [ATTR_GEN_AI_WORKFLOW_NAME]: 'Support',
    });
    expect(byName(finished, 'node.plan').attributes).toMatchObject({
      'node.id': 'plan',
      'node.type': 'agent',
    });
    expect(byName(finished, 'agent.execute').attributes).toMatchObject({
      'agent.id': 'agent-7',
      'agent.role': 'planner',
      task: 'plan a trip',
      status: 'success',
      [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [ATTR_GEN_AI_AGENT_ID]: 'agent-7',
      'gen_ai.agent.name': 'Planner',
    });
    const llm = byName(finished, 'llm.generate');
    expect(llm.kind).toBe(SpanKind.CLIENT);
    expect(llm.attributes).toEqual({
      'llm.provider': 'openai',
      'llm.model': 'gpt-4o',
      'llm.prompt_length': 9,
      'llm.prompt': 'Where to?',
      'llm.completion_length': 7,
      'llm.completion': 'Lisbon.',
      'llm.tokens.prompt': 12,
      'llm.tokens.completion': 3,
      'llm.tokens.total': 15,
      [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o',
      [ATTR_GEN_AI_RESPONSE_MODEL]: 'gpt-4o-2024-08-06',
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 12,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 3,
      // The provider under its pre-v1.37 name too, and the content in the conventions' JSON.
      'gen_ai.system': 'openai',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Where to?' }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'Lisbon.' }], finish_reason: 'stop' },
      ]),
      status: 'success',
    });
    expect(byName(finished, 'tool.execute').attributes).toEqual({
      'tool.name': 'search',
      'tool.parameters': '{"q":"flights"}',
      'tool.result_size': 13,
      'gen_ai.tool.call.result': 'three results',
      [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
      [ATTR_GEN_AI_TOOL_NAME]: 'search',
      [ATTR_GEN_AI_TOOL_CALL_ID]: 'call_1',
      status: 'success',
    });
    expect(byName(finished, 'memory.store').attributes).toEqual({
      'memory.type': 'short_term',
      'memory.operation': 'store',
      status: 'success',
    });
  });

  it('uses the GenAI semconv span names on request', async () => {
    const { tracing, spans } = setup({ spanNames: 'semconv' });
    await runWorkflow(tracing);
    expect((await spans()).map((span) => span.name).sort()).toEqual([
      'chat gpt-4o',
      'execute_tool search',
      'invoke_agent Planner',
      'invoke_workflow Support',
      'memory.store',
      'node.plan',
    ]);
  });

  it('records an Error: error.type, redacted error.message, status ERROR, exception event; rethrows it untouched', async () => {
    const { tracing, spans } = setup();
    const error = Object.assign(new Error('upstream refused key sk-abcdefghijklmnopqrstuvwxyz123456'), {
      code: 'ECONNREFUSED',
    });
    const caught = await tracing
      .withAgentSpan({ agentId: 'a' }, () =>
        tracing.withToolSpan({ toolName: 'http' }, async () => Promise.reject(error)),
      )
      .catch((thrown: unknown) => thrown);
    expect(caught).toBe(error);
    const finished = await spans();
    for (const span of finished) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes).toMatchObject({ status: 'error', 'error.type': 'ECONNREFUSED' });
      const message = span.attributes['error.message'] as string;
      expect(message).toContain('upstream refused key');
      expect(message).toContain(REDACTED);
      expect(message).not.toContain('sk-abcdefghijklmnopqrstuvwxyz123456');
      expect(span.status.message).toBe(message);
      const exception = span.events.find((event) => event.name === 'exception');
      expect(exception?.attributes).toMatchObject({
        'exception.type': 'Error',
        'exception.message': message,
      });
      expect(String(exception?.attributes?.['exception.stacktrace'])).not.toContain('sk-abcdefghij');
    }
  });

  it.each([
    ['a string', 'x', 'x'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a number', 42, '42'],
    ['a plain object', { message: 'boom' }, 'boom'],
  ])('records a non-Error throw (%s) and rethrows the same value', async (_label, thrown, message) => {
    const { tracing, spans } = setup();
    let caught: unknown = 'not thrown';
    try {
      await tracing.withLlmSpan({ provider: 'p', model: 'm' }, async () => {
        throw thrown;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(thrown);
    const [span] = await spans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toMatchObject({
      status: 'error',
      'error.type': 'Error',
      'error.message': message,
    });
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
    expect(span?.events[0]?.attributes?.['exception.message']).toBe(message);
  });

  it('handles synchronous functions and synchronous throws', async () => {
    const { tracing, spans } = setup();
    expect(tracing.withMemorySpan({ operationType: 'retrieve', memoryType: 'vector' }, () => 3)).toBe(3);
    expect(() =>
      tracing.withNodeSpan({ workflowId: 'wf-1', nodeId: 'n' }, () => {
        throw new TypeError('bad node');
      }),
    ).toThrow('bad node');
    const finished = await spans();
    expect(byName(finished, 'memory.retrieve').attributes.status).toBe('success');
    expect(byName(finished, 'node.n').attributes).toMatchObject({
      status: 'error',
      'error.type': 'TypeError',
    });
  });

  it('redacts and truncates content by default, and records none when capture is off', async () => {
    const secretTask = `deploy with password=hunter2 and token ${'y'.repeat(2000)}`;
    {
      const { tracing, spans } = setup({ contentCapture: { maxLength: 100 } });
      await tracing.withAgentSpan({ agentId: 'a', task: secretTask }, async () =>
        tracing.withToolSpan(
          { toolName: 't', parameters: { api_key: 'abc123', city: 'Porto' } },
          async () => ({ city: 'Porto', session_token: 'tok-abc123', rows: 'z'.repeat(500) }),
        ),
      );
      const finished = await spans();
      // The result, as the conventions' opt-in gen_ai.tool.call.result: redacted and cut too.
      const result = byName(finished, 'tool.execute').attributes['gen_ai.tool.call.result'] as string;
      expect(result).toContain('Porto');
      expect(result).not.toContain('tok-abc123');
      expect(result.length).toBeLessThan(130);
      const task = byName(finished, 'agent.execute').attributes.task as string;
      expect(task).not.toContain('hunter2');
      expect(task).toContain(REDACTED);
      expect(task.length).toBeLessThan(160);
      expect(task).toMatch(/…\[truncated \d+ chars\]$/);
      const parameters = JSON.parse(byName(finished, 'tool.execute').attributes['tool.parameters'] as string);
      expect(parameters).toEqual({ api_key: REDACTED, city: 'Porto' });
    }
    {
      const { tracing, spans } = setup({ contentCapture: { enabled: false } });
      await tracing.withAgentSpan({ agentId: 'a', task: secretTask }, async () => {
        await tracing.withToolSpan({ toolName: 't', parameters: { q: 1 } }, async () => ({ rows: [1, 2] }));
        return tracing.withLlmSpan({ provider: 'p', model: 'm', prompt: 'hello' }, async () => ({
          content: 'hi there',
        }));
      });
      const finished = await spans();
      expect(byName(finished, 'agent.execute').attributes).not.toHaveProperty('task');
      expect(byName(finished, 'tool.execute').attributes).not.toHaveProperty('tool.parameters');
      expect(byName(finished, 'tool.execute').attributes).not.toHaveProperty('gen_ai.tool.call.result');
      // An object result is not serialised just to measure it when capture is off.
      expect(byName(finished, 'tool.execute').attributes).not.toHaveProperty('tool.result_size');
      const llm = byName(finished, 'llm.generate').attributes;
      expect(llm).not.toHaveProperty('llm.prompt');
      expect(llm).not.toHaveProperty('llm.completion');
      expect(llm).toMatchObject({ 'llm.prompt_length': 5, 'llm.completion_length': 8 });
    }
  });

  it('keeps only the error type when capture is off: messages and stacks often quote user input', async () => {
    const { tracing, spans } = setup({ contentCapture: { enabled: false } });
    const error = new RangeError('no flights for john@example.com from LIS');
    expect(() =>
      tracing.withAgentSpan({ agentId: 'a' }, () => {
        throw error;
      }),
    ).toThrow(error);
    const [span] = await spans();
    expect(span!.attributes).toMatchObject({ 'error.type': 'RangeError', status: 'error' });
    expect(span!.attributes).not.toHaveProperty('error.message');
    expect(span!.status).toEqual({ code: 2, message: 'RangeError' });
    expect(JSON.stringify(span!.events)).not.toContain('john@example.com');
    expect(span!.events[0]!.attributes).toEqual({ 'exception.type': 'RangeError' });
  });

  it('captures a huge parameter by redacting only the part it keeps', async () => {
    const { tracing, spans } = setup({ contentCapture: { maxLength: 200 } });
    const huge = `password=hunter2 ${'x'.repeat(5_000_000)}`;
    await tracing.withToolSpan({ toolName: 't', parameters: huge }, async () => 'ok');
    const [span] = await spans();
    const captured = span!.attributes['tool.parameters'] as string;
    expect(captured).not.toContain('hunter2');
    expect(captured.startsWith(`password=${REDACTED}`)).toBe(true);
    expect(captured).toMatch(/…\[truncated \d+ chars\]$/);
    expect(captured.length).toBeLessThan(260);
  });

  it('recordLlmResult wins over reading the result, and writes every field of it', async () => {
    const { tracing, spans } = setup();
    await tracing.withLlmSpan(
      { provider: 'anthropic', model: 'claude', prompt: 'p'.repeat(40) },
      async (span) => {
        tracing.recordLlmResult(span, {
          completion: 'c'.repeat(10),
          responseModel: 'claude-sonnet-4-5-20250929',
          responseId: 'msg_1',
          finishReasons: ['tool_use'],
          usage: { inputTokens: 4, outputTokens: 6, cachedInputTokens: 3, cacheWriteInputTokens: 1 },
        });
        return { usage: { prompt_tokens: 999, completion_tokens: 1 }, model: 'other' };
      },
    );
    const [span] = await spans();
    expect(span?.attributes).toMatchObject({
      'llm.prompt_length': 40,
      'llm.completion_length': 10,
      'llm.tokens.prompt': 4,
      'llm.tokens.completion': 6,
      'llm.tokens.total': 10,
      'gen_ai.usage.input_tokens': 4,
      'gen_ai.usage.output_tokens': 6,
      'gen_ai.usage.cache_read.input_tokens': 3,
      'gen_ai.usage.cache_creation.input_tokens': 1,
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.response.id': 'msg_1',
      'gen_ai.response.finish_reasons': ['tool_use'],
    });
  });

  it('writes the tool calls the model asked for, with their ids only when every call has one', async () => {
    const { tracing, spans } = setup();
    const toolCalls = [
      { id: 'call_1', name: 'search' },
      { id: 'call_2', name: 'fetch' },
    ];
    await tracing.withLlmSpan({ provider: 'openai', model: 'm' }, async (span) =>
      tracing.recordLlmResult(span, { toolCalls }),
    );
    await tracing.withLlmSpan({ provider: 'openai', model: 'm' }, async (span) =>
      tracing.recordLlmResult(span, { toolCalls: [{ id: 'call_3', name: 'search' }, { name: 'local' }] }),
    );
    // Read from a raw result too, streamed or not (readLlmResult).
    await tracing.withLlmSpan({ provider: 'anthropic', model: 'm' }, async () => ({
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }],
    }));
    const [both, partial, raw] = await spans();
    expect(both?.attributes['llm.tool_calls.names']).toEqual(['search', 'fetch']);
    expect(both?.attributes['llm.tool_calls.ids']).toEqual(['call_1', 'call_2']);
    expect(partial?.attributes['llm.tool_calls.names']).toEqual(['search', 'local']);
    expect(partial?.attributes['llm.tool_calls.ids']).toBeUndefined();
    expect(raw?.attributes['llm.tool_calls.ids']).toEqual(['toolu_1']);
  });

  it('leaves the token counts off a span with spanUsage: false, and keeps the rest of the result', async () => {
    const { tracing, spans } = setup();
    const result = { usage: { prompt_tokens: 10, completion_tokens: 5 }, model: 'gpt-4o-2024-08-06' };
    await tracing.withLlmSpan({ provider: 'openai', model: 'gpt-4o', spanUsage: false }, async () => result);
    await tracing.withLlmSpan({ provider: 'openai', model: 'gpt-4o' }, async () => result);
    const [without, withUsage] = await spans();
    for (const key of ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'llm.tokens.total'])
      expect(without?.attributes[key]).toBeUndefined();
    expect(without?.attributes['gen_ai.response.model']).toBe('gpt-4o-2024-08-06');
    expect(withUsage?.attributes['gen_ai.usage.input_tokens']).toBe(10);
  });

  it('getActiveTraceIds returns the active sampled span ids', async () => {
    const { tracing, spans } = setup();
    expect(getActiveTraceIds()).toBeUndefined();
    const ids = await tracing.withAgentSpan({ agentId: 'a' }, async () => getActiveTraceIds());
    const [span] = await spans();
    expect(ids).toEqual({ traceId: span?.spanContext().traceId, spanId: span?.spanContext().spanId });
    expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('does not register anything global by default', async () => {
    const { tracing } = setup();
    await tracing.withAgentSpan({ agentId: 'a' }, async () => {
      // The global API tracer is still the no-op one: our provider was not registered.
      const span = trace.getTracer('other').startSpan('x');
      expect(span.isRecording()).toBe(false);
      span.end();
    });
  });

  it('a span-recording failure is reported once and never reaches the caller', async () => {
    const { tracing, warnings } = setup();
    const result = await tracing.withLlmSpan({ provider: 'p', model: 'm' }, async (span) => {
      // A broken span (as a buggy processor or wrapper could give) must not break the operation.
      span.setAttributes = () => {
        throw new Error('broken span');
      };
      return { content: 'fine' };
    });
    expect(result).toEqual({ content: 'fine' });
    expect(warnings).toEqual(['GENXAI_SPAN_FAILED']);
  });
});

describe('withLlmSpan with a streamed response', () => {
  // Anthropic Messages events, as `@anthropic-ai/sdk`'s Stream yields them for `stream: true`.
  async function* anthropicStream(gapMs: number) {
    const sleep = () => new Promise((resolve) => setTimeout(resolve, gapMs));
    yield {
      type: 'message_start',
      message: {
        id: 'msg_1',
        model: 'claude-sonnet-4-5-20250929',
        usage: { input_tokens: 20, output_tokens: 1, cache_read_input_tokens: 8 },
      },
    };
    for (const text of ['Hello', ', ', 'world']) {
      await sleep();
      yield { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } };
    }
    yield { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 6 } };
    yield { type: 'message_stop' };
  }

  it('ends the span with the stream, with its usage, finish reason, completion and time to first chunk', async () => {
    const { tracing, spans } = setup();
    const stream = await tracing.withLlmSpan(
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      async () => anthropicStream(30),
    );
    expect(await spans()).toHaveLength(0); // still streaming
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta') text += event.delta?.text ?? '';
    }
    expect(text).toBe('Hello, world');
    const llm = byName(await spans(), 'llm.generate');
    const durationMs = llm.duration[0] * 1000 + llm.duration[1] / 1e6;
    expect(durationMs).toBeGreaterThanOrEqual(85);
    expect(llm.attributes).toMatchObject({
      status: STATUS.success,
      'gen_ai.usage.input_tokens': 28, // Anthropic's input_tokens leave the cache reads out; ours include them
      'gen_ai.usage.output_tokens': 6,
      'gen_ai.usage.cache_read.input_tokens': 8,
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.response.id': 'msg_1',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'llm.completion': 'Hello, world',
    });
    expect(llm.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThanOrEqual(0.025);
  });

  it('keeps no completion with content capture off, and marks an abandoned stream cancelled', async () => {
    const { tracing, spans } = setup({ contentCapture: { enabled: false } });
    const stream = await tracing.withLlmSpan(
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      async () => anthropicStream(1),
    );
    for await (const event of stream) if (event.type === 'content_block_delta') break;
    const llm = byName(await spans(), 'llm.generate');
    expect(llm.attributes.status).toBe(STATUS.cancelled);
    expect(llm.attributes['llm.completion']).toBeUndefined();
    expect(llm.status.code).not.toBe(SpanStatusCode.ERROR);
  });
});
