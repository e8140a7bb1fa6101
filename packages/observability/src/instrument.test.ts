import { METRICS, renderMetrics } from '@genxai/metrics';
import { parseExposition, sampleValue } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { setupForTest } from './test-signals';

class LlmProvider {
  calls = 0;
  constructor(readonly model: string) {}
  async generate(prompt: string) {
    this.calls++;
    return { content: `echo ${prompt}`, usage: { input_tokens: prompt.length, output_tokens: 3 } };
  }
}

class AgentRuntime {
  constructor(
    readonly id: string,
    private readonly llm: LlmProvider,
  ) {}
  async execute(task: string) {
    if (task === 'fail') throw new RangeError('cannot');
    return (await this.llm.generate(task)).content;
  }
}

describe('instrument', () => {
  it('observes existing methods in place, with this, arguments and results untouched', async () => {
    const t = await setupForTest();
    const llm = new LlmProvider('gpt-4.1-mini');
    const runtime = new AgentRuntime('researcher', llm);
    expect(
      t.obs.instrument(llm, {
        generate: {
          kind: 'llm',
          info: (self, prompt) => ({ provider: 'openai', model: self.model, prompt }),
        },
      }),
    ).toBe(llm);
    t.obs.instrument(runtime, {
      execute: { kind: 'agent', info: (self, task) => ({ agentId: self.id, task }) },
    });
    // Instrumenting again must not observe each call twice.
    t.obs.instrument(runtime, { execute: { kind: 'agent', info: (self) => ({ agentId: self.id }) } });

    expect(await runtime.execute('hello')).toBe('echo hello');
    await expect(runtime.execute('fail')).rejects.toBeInstanceOf(RangeError);
    expect(llm.calls).toBe(1);

    const spans = await t.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(['agent.execute', 'agent.execute', 'llm.generate']);
    const llmSpan = spans.find((s) => s.name === 'llm.generate')!;
    const parent = spans.find((s) => s.spanContext().spanId === llmSpan.parentSpanContext?.spanId);
    expect(parent?.name).toBe('agent.execute');

    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    expect(
      sampleValue(exposition, METRICS.agentExecutionsTotal.name, {
        agent_id: 'researcher',
        status: 'success',
      }),
    ).toBe(1);
    expect(
      sampleValue(exposition, METRICS.agentErrorsTotal.name, {
        agent_id: 'researcher',
        error_type: 'RangeError',
      }),
    ).toBe(1);
    expect(
      sampleValue(exposition, METRICS.llmTokensTotal.name, { model: 'gpt-4.1-mini', token_type: 'prompt' }),
    ).toBe(5);
    await t.obs.shutdown();
  });

  it('rejects what cannot be instrumented, at once', async () => {
    const t = await setupForTest({ tracing: false, logging: false });
    const target = { notAMethod: 1, run: async () => 1 };
    expect(() =>
      t.obs.instrument(target, { notAMethod: { kind: 'agent', info: () => ({ agentId: 'x' }) } } as never),
    ).toThrow(/Cannot instrument "notAMethod": it is not a method/);
    expect(() => t.obs.instrument(target, { run: { kind: 'robot', info: () => ({}) } } as never)).toThrow(
      /Invalid instrument spec of "run"/,
    );
    expect(() => t.obs.instrument(null as never, {})).toThrow(/Invalid instrument target/);
    await t.obs.shutdown();
  });

  it('still runs the method when its info function throws', async () => {
    const t = await setupForTest({ tracing: false, logging: false });
    const target = { run: async (x: number) => x * 2 };
    t.obs.instrument(target, {
      run: {
        kind: 'tool',
        info: () => {
          throw new Error('info bug');
        },
      },
    });
    expect(await target.run(21)).toBe(42);
    expect(await target.run(1)).toBe(2);
    expect(t.warnings).toEqual(['GENXAI_OBSERVE_FAILED', 'GENXAI_METRICS_BAD_LABEL']);
    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    expect(
      sampleValue(exposition, METRICS.toolCallsTotal.name, { tool_name: 'unknown', status: 'success' }),
    ).toBe(2);
    await t.obs.shutdown();
  });

  it('returns what the method returned: an SDK APIPromise keeps its methods, a sync method stays sync', async () => {
    // Like openai's and Anthropic's APIPromise: a Promise subclass with methods of its own.
    class APIPromise<T> extends Promise<T> {
      withResponse() {
        return this.then((data) => ({ data, response: { status: 200 } }));
      }
    }
    const client = {
      model: 'gpt-4o-mini',
      create(prompt: string) {
        return new APIPromise<{
          content: string;
          usage: { prompt_tokens: number; completion_tokens: number };
        }>((resolve) => resolve({ content: prompt, usage: { prompt_tokens: 3, completion_tokens: 1 } }));
      },
      count(text: string) {
        return text.length;
      },
    };
    const t = await setupForTest();
    t.obs.instrument(client, {
      create: { kind: 'llm', info: (self) => ({ provider: 'openai', model: self.model }) },
      count: { kind: 'tool', info: () => ({ toolName: 'count' }) },
    });
    const call = client.create('hi');
    expect(call).toBeInstanceOf(APIPromise);
    expect(await call.withResponse()).toEqual({
      data: { content: 'hi', usage: { prompt_tokens: 3, completion_tokens: 1 } },
      response: { status: 200 },
    });
    expect(client.count('four')).toBe(4); // not a promise
    // The observation follows the returned promise: its span ends a few microtasks after the caller's await.
    await new Promise((resolve) => setImmediate(resolve));
    const spans = await t.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(['llm.generate', 'tool.execute']);
    expect(spans.find((s) => s.name === 'llm.generate')!.attributes['gen_ai.usage.input_tokens']).toBe(3);
    await t.obs.shutdown();
  });

  it('observes a streamed result to its end even when the caller iterates it inside then()', async () => {
    async function* chunks() {
      for (const content of ['a', 'b']) yield { choices: [{ index: 0, delta: { content } }] };
      yield { choices: [], usage: { prompt_tokens: 2, completion_tokens: 2 } };
    }
    const client = {
      create: () => Promise.resolve(chunks()),
    };
    const t = await setupForTest();
    t.obs.instrument(client, {
      create: { kind: 'llm', info: () => ({ provider: 'openai', model: 'gpt-4o-mini' }) },
    });
    let text = '';
    await client.create().then(async (stream) => {
      for await (const part of stream) text += part.choices[0]?.delta?.content ?? '';
    });
    expect(text).toBe('ab');
    const [llm] = (await t.spans()).filter((span) => span.name === 'llm.generate');
    expect(llm?.attributes).toMatchObject({ status: 'success', 'gen_ai.usage.input_tokens': 2 });
    await t.obs.shutdown();
  });
});
