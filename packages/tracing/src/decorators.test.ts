import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { setupTracing, type Tracing } from './setup';

// Standard (TC39) decorators: vitest's default transform only lowers legacy
// ones, so vitest.config.ts compiles this file with esbuild.
let tracing: Tracing;
const exporter = new InMemorySpanExporter();

afterEach(async () => {
  await tracing.shutdown();
  exporter.reset();
});

const byName = (spans: ReadableSpan[], name: string) => {
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span ${name}`);
  return span;
};

describe('decorators', () => {
  it('wraps class methods in spans, with info from this and the arguments', async () => {
    tracing = setupTracing({ exporter, env: {} });
    const spans = async () => {
      await tracing.forceFlush();
      return exporter.getFinishedSpans();
    };

    class Runtime {
      constructor(readonly id: string) {}

      @tracing.traceAgent((self: Runtime, task: string) => ({ agentId: self.id, role: 'worker', task }))
      async execute(task: string) {
        return this.generate(`Do: ${task}`);
      }

      @tracing.traceLlm((_self: Runtime, prompt: string) => ({ provider: 'openai', model: 'gpt-4o', prompt }))
      async generate(prompt: string) {
        return { content: prompt.toUpperCase(), usage: { prompt_tokens: 2, completion_tokens: 2 } };
      }

      @tracing.traceTool({ toolName: 'fail' })
      async fail(): Promise<never> {
        throw 'nope';
      }
    }

    const runtime = new Runtime('r1');
    await expect(runtime.execute('x')).resolves.toEqual({
      content: 'DO: X',
      usage: { prompt_tokens: 2, completion_tokens: 2 },
    });
    await expect(runtime.fail()).rejects.toBe('nope');
    const finished = await spans();
    const agent = byName(finished, 'agent.execute');
    const llm = byName(finished, 'llm.generate');
    expect(agent.attributes).toMatchObject({ 'agent.id': 'r1', 'agent.role': 'worker', task: 'x' });
    expect(llm.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(llm.attributes).toMatchObject({ 'llm.prompt': 'Do: x', 'llm.tokens.total': 4 });
    expect(byName(finished, 'tool.execute').attributes).toMatchObject({
      status: 'error',
      'error.message': 'nope',
    });
  });
});
