import { createMetricsRegistry } from '@genxai/metrics';
import { KeepingExporter as TestExporter } from '@genxai/test-utils';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupObservability } from './setup';

const SECRET = 'sk-proj-4f9XbQ2mZt7LwR8yKc3VnP6sDh1JgA5e';

let sdk: NodeSDK | undefined;
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
  vi.unstubAllEnvs();
});

class KeepingExporter extends TestExporter<ReadableSpan> {}

describe("an application's NodeSDK", () => {
  it('receives our spans, with the right tree and its own resource; our shutdown leaves it running', async () => {
    // Only traces: no OTLP log or metric exporter aimed at localhost.
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
    const exporter = new KeepingExporter();
    sdk = new NodeSDK({
      serviceName: 'checkout-agent',
      traceExporter: exporter,
      instrumentations: [],
      autoDetectResources: false,
    });
    sdk.start();
    const obs = await setupObservability({
      serviceName: 'ignored-with-an-injected-provider',
      metrics: { registry: createMetricsRegistry() },
      tracing: { tracerProvider: trace.getTracerProvider() },
      logging: false,
    });
    await obs.observeWorkflow({ workflowId: 'wf' }, () =>
      obs.observeNode({ workflowId: 'wf', nodeId: 'plan' }, () =>
        obs.observeAgent({ agentId: 'planner' }, async () => {
          await obs.observeLLM({ provider: 'openai', model: 'gpt-4o' }, async () => ({
            content: 'x',
            usage: { prompt_tokens: 3, completion_tokens: 4 },
          }));
          return obs.observeTool({ toolName: 'search' }, async () => 'ok');
        }),
      ),
    );
    await obs.forceFlush();
    const byName = new Map(exporter.spans.map((span) => [span.name, span]));
    expect([...byName.keys()].sort()).toEqual(
      ['agent.execute', 'llm.generate', 'node.plan', 'tool.execute', 'workflow.execute'].sort(),
    );
    const parentOf = (name: string) => byName.get(name)!.parentSpanContext?.spanId;
    const idOf = (name: string) => byName.get(name)!.spanContext().spanId;
    expect(parentOf('workflow.execute')).toBeUndefined();
    expect(parentOf('node.plan')).toBe(idOf('workflow.execute'));
    expect(parentOf('agent.execute')).toBe(idOf('node.plan'));
    expect(parentOf('llm.generate')).toBe(idOf('agent.execute'));
    expect(parentOf('tool.execute')).toBe(idOf('agent.execute'));
    expect(byName.get('llm.generate')!.resource.attributes['service.name']).toBe('checkout-agent');
    expect(byName.get('llm.generate')!.attributes['gen_ai.usage.input_tokens']).toBe(3);

    await obs.shutdown();
    // The application's own tracing still works after ours shut down.
    trace.getTracer('app').startSpan('after our shutdown').end();
    const global = trace.getTracerProvider() as unknown as { getDelegate(): { forceFlush(): Promise<void> } };
    await global.getDelegate().forceFlush();
    expect(exporter.spans.map((span) => span.name)).toContain('after our shutdown');
  });
});

describe('an existing pino logger', () => {
  it('writes our lines with its own bindings, format and level, plus our context, redaction and trace ids', async () => {
    const lines: string[] = [];
    const appLogger = pino(
      { base: { app: 'research' }, messageKey: 'text', level: 'info' },
      { write: (line: string) => void lines.push(line) },
    );
    const exporter = new InMemorySpanExporter();
    // The application's own provider, registered as applications do (with its context manager).
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    const obs = await setupObservability({
      metrics: { registry: createMetricsRegistry() },
      tracing: { tracerProvider: provider },
      logging: { logger: appLogger },
    });
    await obs.observeAgent({ agentId: 'planner', task: `use ${SECRET}` }, async () =>
      obs.observeTool({ toolName: 'search', parameters: { q: 'x' } }, async () => {
        obs.currentLogger()?.info({ apiKey: SECRET }, 'inside the tool');
        return 'ok';
      }),
    );
    await obs.shutdown();
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const inside = parsed.find((line) => line.text === 'inside the tool')!;
    const tool = exporter.getFinishedSpans().find((span) => span.name === 'tool.execute')!;
    expect(inside).toMatchObject({ app: 'research', agent_id: 'planner', tool_name: 'search' });
    expect(inside.trace_id).toBe(tool.spanContext().traceId);
    expect(inside.span_id).toBe(tool.spanContext().spanId);
    const finished = parsed.find((line) => line.text === 'Agent execution completed')!;
    expect(finished).toMatchObject({ app: 'research', agent_id: 'planner', status: 'success' });
    // The app logger's level (info) holds: our debug start lines are not written.
    expect(parsed.some((line) => line.text === 'Starting agent execution')).toBe(false);
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});
