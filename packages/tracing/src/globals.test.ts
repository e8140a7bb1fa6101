import { context, propagation, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { setupTracing, type Tracing } from './setup';

// Keeps what it got, and calls back synchronously (InMemorySpanExporter clears on shutdown).
class KeepingExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  shutdowns = 0;
  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void) {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown() {
    this.shutdowns++;
  }
  names() {
    return this.spans.map((span) => span.name);
  }
}

const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');
const registered = (name: string) =>
  (globalThis as Record<symbol, Record<string, unknown> | undefined>)[API_GLOBALS]?.[name];
const globalDelegate = () =>
  (trace.getTracerProvider() as unknown as { getDelegate(): unknown }).getDelegate();
const NOOP = new (
  trace.getTracerProvider().constructor as new () => { getDelegate(): unknown }
)().getDelegate();

let sdks: NodeSDK[] = [];
let tracings: Tracing[] = [];

function startHostSdk(exporter: KeepingExporter) {
  const sdk = new NodeSDK({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    logRecordProcessors: [],
    autoDetectResources: false,
    instrumentations: [],
  });
  sdk.start();
  sdks.push(sdk);
  return sdk;
}

function ours(exporter: KeepingExporter, warnings: string[]) {
  const tracing = setupTracing({
    exporter,
    registerGlobal: true,
    batch: { scheduledDelayMillis: 5 },
    onWarning: ({ code }) => warnings.push(code),
    env: {},
  });
  tracings.push(tracing);
  return tracing;
}

/** What third-party instrumentation does: a parent and a child through the global API. */
function hostSpans(prefix: string) {
  const tracer = trace.getTracer('host-instrumentation');
  tracer.startActiveSpan(`${prefix}-parent`, (parent) => {
    tracer.startSpan(`${prefix}-child`).end();
    parent.end();
  });
}

function parentOf(exporter: KeepingExporter, name: string) {
  const span = exporter.spans.find((candidate) => candidate.name === name);
  return span?.parentSpanContext?.spanId;
}

afterEach(async () => {
  for (const tracing of tracings) await tracing.shutdown();
  for (const sdk of sdks) await sdk.shutdown();
  tracings = [];
  sdks = [];
  trace.disable();
  context.disable();
  propagation.disable();
});

describe('registerGlobal never breaks the host', () => {
  it('leaves a NodeSDK started before it alone: warns once, records on its own provider', async () => {
    const host = new KeepingExporter();
    startHostSdk(host);
    const hostProvider = globalDelegate();
    const hostPropagator = registered('propagation');
    const hostContextManager = registered('context');

    const warnings: string[] = [];
    const mine = new KeepingExporter();
    const tracing = ours(mine, warnings);
    expect(warnings).toEqual(['GENXAI_GLOBAL_TAKEN']);
    expect(globalDelegate()).toBe(hostProvider);
    expect(registered('propagation')).toBe(hostPropagator);

    tracing.withToolSpan({ toolName: 'search' }, () => 1);
    hostSpans('before');
    await tracing.forceFlush();
    expect(mine.names()).toHaveLength(1);
    expect(host.names()).toEqual(['before-child', 'before-parent']);

    await tracing.shutdown();
    // Nothing of the host's was unregistered: its later spans still export and still nest.
    expect(globalDelegate()).toBe(hostProvider);
    expect(registered('propagation')).toBe(hostPropagator);
    expect(registered('context')).toBe(hostContextManager);
    hostSpans('after');
    expect(host.names()).toContain('after-child');
    expect(parentOf(host, 'after-child')).toBe(
      host.spans.find((span) => span.name === 'after-parent')?.spanContext().spanId,
    );
    expect(mine.shutdowns).toBe(1);
    expect(warnings).toEqual(['GENXAI_GLOBAL_TAKEN']);
  });

  it('registered before a NodeSDK: first registration wins, and shutdown frees only what is ours', async () => {
    const warnings: string[] = [];
    const mine = new KeepingExporter();
    const tracing = ours(mine, warnings);
    expect(warnings).toEqual([]);
    expect(globalDelegate()).toBe(tracing.provider);

    const host = new KeepingExporter();
    startHostSdk(host); // its registration fails (the API keeps the first), as with any two SDKs
    hostSpans('host');
    await tracing.forceFlush();
    expect(mine.names()).toEqual(['host-child', 'host-parent']);

    await tracing.shutdown();
    // The global was still ours, so it is unregistered: a later registration succeeds.
    expect(globalDelegate()).toBe(NOOP);
    expect(registered('propagation')).toBeUndefined();
  });

  it('without registerGlobal, a NodeSDK started later keeps the context manager after our shutdown', async () => {
    const mine = new KeepingExporter();
    const tracing = setupTracing({ exporter: mine, onWarning: () => undefined, env: {} });
    tracings.push(tracing);
    const ourContextManager = registered('context');
    expect(ourContextManager).toBeDefined();

    const host = new KeepingExporter();
    startHostSdk(host); // its context manager is refused: it runs on ours
    await tracing.shutdown();
    expect(registered('context')).toBe(ourContextManager);
    hostSpans('later');
    const parent = host.spans.find((span) => span.name === 'later-parent');
    expect(parent).toBeDefined();
    expect(parentOf(host, 'later-child')).toBe(parent?.spanContext().spanId);
  });

  it('two of our setups: the second warns, and takes the global over when the first shuts down', async () => {
    const warnings: string[] = [];
    const first = new KeepingExporter();
    const second = new KeepingExporter();
    const one = ours(first, warnings);
    const two = ours(second, warnings);
    expect(warnings).toEqual(['GENXAI_GLOBAL_TAKEN']);
    expect(globalDelegate()).toBe(one.provider);

    two.withToolSpan({ toolName: 'own-provider' }, () => 1);
    await two.forceFlush();
    expect(second.names()).toHaveLength(1);

    await one.shutdown();
    expect(globalDelegate()).toBe(two.provider);
    hostSpans('third-party');
    await two.forceFlush();
    expect(second.names()).toContain('third-party-parent');
    expect(parentOf(second, 'third-party-child')).toBe(
      second.spans.find((span) => span.name === 'third-party-parent')?.spanContext().spanId,
    );
    expect(registered('propagation')).toBeDefined();

    await two.shutdown();
    expect(globalDelegate()).toBe(NOOP);
    expect(registered('propagation')).toBeUndefined();
    expect(registered('context')).toBeUndefined();
    expect(warnings).toEqual(['GENXAI_GLOBAL_TAKEN']);
  });
});
