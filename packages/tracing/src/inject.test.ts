import { GenxaiObservabilityError } from '@genxai/obs-core';
import { KeepingExporter as TestExporter } from '@genxai/test-utils';
import { context, createContextKey, propagation, type TracerProvider, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SPAN_NAME } from './attributes';
import { setupTracing, type Tracing, type TracingOptions } from './setup';
import { TRACER_NAME } from './spans';

type Warning = { code: string; message: string };

class KeepingExporter extends TestExporter<ReadableSpan> {}

const getContextManager = () =>
  (context as unknown as { _getContextManager(): unknown })._getContextManager();

function byName(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  expect(found, `exactly one span named ${name}`).toHaveLength(1);
  return found[0]!;
}

const open: Tracing[] = [];
let sdk: NodeSDK | undefined;

afterEach(async () => {
  await Promise.all(open.splice(0).map((tracing) => tracing.shutdown()));
  await sdk?.shutdown();
  sdk = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
  vi.unstubAllEnvs();
});

describe('setupTracing({ tracerProvider }) with a real NodeSDK', () => {
  let exporter: KeepingExporter;

  beforeEach(() => {
    // Only traces: no OTLP log or metric exporter aimed at localhost.
    vi.stubEnv('OTEL_LOGS_EXPORTER', 'none');
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
    exporter = new KeepingExporter();
    // `traceExporter` gets NodeSDK's default BatchSpanProcessor (5 s delay), so spans only
    // arrive early when our forceFlush reaches the NodeSDK's provider.
    sdk = new NodeSDK({
      serviceName: 'checkout-agent',
      traceExporter: exporter,
      instrumentations: [],
      autoDetectResources: false,
    });
    sdk.start();
  });

  function inject(options: Omit<TracingOptions, 'tracerProvider'> = {}) {
    const warnings: Warning[] = [];
    const tracing = setupTracing({
      tracerProvider: trace.getTracerProvider(),
      onWarning: (warning) => warnings.push(warning),
      ...options,
    });
    open.push(tracing);
    return { tracing, warnings };
  }

  it("records the whole workflow tree into the NodeSDK's exporter, with its resource", async () => {
    const managerBefore = getContextManager();
    const { tracing, warnings } = inject();
    expect(getContextManager()).toBe(managerBefore);
    expect(tracing.provider).toBe(trace.getTracerProvider());
    expect(tracing.stats).toBeUndefined();
    expect(tracing.exporters).toEqual([]);

    const appTracer = trace.getTracer('checkout-app');
    const answer = await appTracer.startActiveSpan('POST /checkout', async (request) => {
      try {
        return await tracing.withWorkflowSpan({ workflowId: 'wf-1' }, () =>
          tracing.withNodeSpan({ workflowId: 'wf-1', nodeId: 'answer', type: 'agent' }, () =>
            tracing.withAgentSpan({ agentId: 'agent-7', role: 'researcher' }, async () => {
              await new Promise((resolve) => setTimeout(resolve, 5)); // nesting survives an await
              const reply = await tracing.withLlmSpan({ provider: 'openai', model: 'gpt-4o' }, async () => ({
                content: 'Hello!',
                usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
              }));
              await tracing.withToolSpan({ toolName: 'search', parameters: { q: 'LIS' } }, async () => 'ok');
              return reply.content;
            }),
          ),
        );
      } finally {
        request.end();
      }
    });
    expect(answer).toBe('Hello!');

    expect(exporter.spans).toHaveLength(0); // still in the NodeSDK's batch queue
    await tracing.forceFlush();
    const spans = exporter.spans;
    expect(spans).toHaveLength(6);

    const request = byName(spans, 'POST /checkout');
    const workflow = byName(spans, SPAN_NAME.WORKFLOW);
    const node = byName(spans, `${SPAN_NAME.NODE_PREFIX}answer`);
    const agent = byName(spans, SPAN_NAME.AGENT);
    const llm = byName(spans, SPAN_NAME.LLM);
    const tool = byName(spans, SPAN_NAME.TOOL);
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    expect(parentOf(request)).toBeUndefined();
    expect(parentOf(workflow)).toBe(request.spanContext().spanId);
    expect(parentOf(node)).toBe(workflow.spanContext().spanId);
    expect(parentOf(agent)).toBe(node.spanContext().spanId);
    expect(parentOf(llm)).toBe(agent.spanContext().spanId);
    expect(parentOf(tool)).toBe(agent.spanContext().spanId);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);

    for (const span of [workflow, node, agent, llm, tool]) {
      expect(span.instrumentationScope.name).toBe(TRACER_NAME);
      expect(span.resource.attributes['service.name']).toBe('checkout-agent');
    }
    expect(agent.attributes['agent.id']).toBe('agent-7');
    expect(llm.attributes['llm.tokens.total']).toBe(15);
    expect(tool.attributes['tool.name']).toBe('search');
    expect(getContextManager()).toBe(managerBefore);
    expect(warnings).toEqual([]);
  });

  it("shutdown() leaves the NodeSDK's provider and context manager running, and stops only our spans", async () => {
    const managerBefore = getContextManager();
    const { tracing } = inject();
    const delegate = (
      trace.getTracerProvider() as unknown as { getDelegate(): TracerProvider }
    ).getDelegate();
    const providerShutdown = vi.spyOn(delegate as BasicTracerProvider, 'shutdown');

    tracing.withAgentSpan({ agentId: 'before' }, () => undefined);
    await tracing.shutdown();
    await tracing.shutdown(); // idempotent
    expect(providerShutdown).not.toHaveBeenCalled();
    expect(getContextManager()).toBe(managerBefore);
    // Our shutdown flushed what we had recorded.
    expect(exporter.spans.map((span) => span.attributes['agent.id'])).toEqual(['before']);

    // The application's provider still records, nests and exports.
    const appTracer = trace.getTracer('checkout-app');
    appTracer.startActiveSpan('after-our-shutdown', (outer) => {
      appTracer.startSpan('child').end();
      outer.end();
    });
    // Our helpers no longer record, but still run the function.
    expect(tracing.withToolSpan({ toolName: 'late' }, () => 42)).toBe(42);

    await sdk!.shutdown();
    sdk = undefined;
    const names = exporter.spans.map((span) => span.name);
    expect(names).toEqual([SPAN_NAME.AGENT, 'child', 'after-our-shutdown']);
    const outer = byName(exporter.spans, 'after-our-shutdown');
    expect(byName(exporter.spans, 'child').parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  });

  it('reads no OTEL_* variable of its own: the NodeSDK owns sampling and export', async () => {
    vi.stubEnv('OTEL_TRACES_SAMPLER', 'always_off');
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'console');
    const { tracing } = inject();
    tracing.withMemorySpan({ operationType: 'store', memoryType: 'vector' }, () => undefined);
    await tracing.forceFlush();
    expect(exporter.spans.map((span) => span.name)).toEqual([`${SPAN_NAME.MEMORY_PREFIX}store`]);
    expect(tracing.exporters).toEqual([]);
  });
});

describe('setupTracing({ tracerProvider }) with other providers', () => {
  // The application's own context manager, as NodeSDK would register it.
  beforeEach(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });

  it('flushes a provider that has forceFlush() itself, and never shuts it down', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const flush = vi.spyOn(provider, 'forceFlush');
    const shutdown = vi.spyOn(provider, 'shutdown');
    const tracing = setupTracing({ tracerProvider: provider });
    tracing.withWorkflowSpan({ workflowId: 'wf-2' }, () => undefined);
    await tracing.forceFlush();
    expect(flush).toHaveBeenCalledTimes(1);
    await tracing.shutdown();
    expect(shutdown).not.toHaveBeenCalled();
    expect(exporter.getFinishedSpans().map((span) => span.attributes['workflow.id'])).toEqual(['wf-2']);
    await provider.shutdown();
  });

  it('resolves forceFlush() for a provider with neither forceFlush() nor a delegate', async () => {
    const tracing = setupTracing({ tracerProvider: { getTracer: () => trace.getTracer('noop') } });
    await expect(tracing.forceFlush()).resolves.toBeUndefined();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('reports a failing forceFlush() once and never rejects', async () => {
    const warnings: Warning[] = [];
    const tracing = setupTracing({
      tracerProvider: {
        getTracer: () => trace.getTracer('noop'),
        forceFlush: () => Promise.reject(new Error('down')),
      },
      onWarning: (warning) => warnings.push(warning),
    } as TracingOptions);
    await expect(tracing.forceFlush()).resolves.toBeUndefined();
    await expect(tracing.forceFlush()).resolves.toBeUndefined();
    expect(warnings.map((warning) => warning.code)).toEqual(['GENXAI_SPAN_EXPORT_FAILED']);
  });

  it('warns once when no context manager is registered, and installs none', () => {
    context.disable();
    const warnings: Warning[] = [];
    setupTracing({
      tracerProvider: new BasicTracerProvider(),
      onWarning: (warning) => warnings.push(warning),
    });
    expect(warnings.map((warning) => warning.code)).toEqual(['GENXAI_NO_CONTEXT_MANAGER']);
    const key = createContextKey('k');
    const probe = context.active().setValue(key, 1);
    expect(context.with(probe, () => context.active().getValue(key))).toBeUndefined();
  });
});

describe('setupTracing({ tracerProvider }) option checks', () => {
  // The application's own context manager, as NodeSDK would register it.
  beforeEach(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });

  function expectInvalid(options: TracingOptions, option: string) {
    try {
      setupTracing(options);
    } catch (error) {
      expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
      expect((error as GenxaiObservabilityError).code).toBe('GENXAI_INVALID_OPTION');
      expect((error as Error).message).toMatch(new RegExp(`^Invalid ${option}: `));
      return (error as Error).message;
    }
    throw new Error('setupTracing did not throw');
  }

  const provider = new BasicTracerProvider();
  it.each<[keyof TracingOptions, unknown]>([
    ['exporter', 'otlp'],
    ['exporter', new InMemorySpanExporter()],
    ['jaeger', { host: '127.0.0.1' }],
    ['otlp', { url: 'http://127.0.0.1:4318/v1/traces' }],
    ['batch', { maxQueueSize: 10 }],
    ['sampler', 'always_on'],
    ['sampleRatio', 0.5],
    ['resource', { 'deployment.environment': 'prod' }],
    ['serviceName', 'svc'],
    ['serviceVersion', '1.0.0'],
    ['spanLimits', { attributeCountLimit: 10 }],
    ['registerGlobal', true],
    ['onDrop', () => undefined],
    ['env', {}],
  ])('throws for %s together with tracerProvider', (option, value) => {
    const message = expectInvalid({ tracerProvider: provider, [option]: value }, option);
    expect(message).toContain('together with tracerProvider');
  });

  it('allows the options that shape our spans', () => {
    const tracing = setupTracing({
      tracerProvider: provider,
      contentCapture: { enabled: false },
      spanNames: 'semconv',
      onWarning: () => undefined,
      // The umbrella spreads its own options: an undefined one is not "given".
      serviceName: undefined,
    });
    expect(tracing.provider).toBe(provider);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an object without getTracer()', { forceFlush: () => Promise.resolve() }],
    ['a string', 'global'],
  ])('throws for a tracerProvider that is %s', (_label, value) => {
    const message = expectInvalid({ tracerProvider: value as TracerProvider }, 'tracerProvider');
    expect(message).toContain('getTracer()');
  });
});
