import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractTraceContext, injectTraceHeaders } from './propagation';
import { setupTracing, type Tracing } from './setup';

let tracing: Tracing;
let exporter: InMemorySpanExporter;

beforeEach(() => {
  exporter = new InMemorySpanExporter();
});

afterEach(async () => {
  await tracing.shutdown();
});

describe('trace context propagation between agents', () => {
  it('injects W3C traceparent from the active span and continues the trace on the other side', async () => {
    tracing = setupTracing({ exporter, env: {} });
    const headers = tracing.withAgentSpan({ agentId: 'caller' }, (span) => {
      const injected = injectTraceHeaders({} as Record<string, string>);
      const { traceId, spanId } = span.spanContext();
      expect(injected).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
      return injected;
    });
    // The callee receives Node-style lower-case headers, possibly in another case.
    const incoming = { TraceParent: headers.traceparent, host: 'agent-b' };
    await context.with(extractTraceContext(incoming), () =>
      tracing.withAgentSpan({ agentId: 'callee' }, async () => 1),
    );
    await tracing.forceFlush();
    const [caller, callee] = exporter.getFinishedSpans();
    expect(callee?.spanContext().traceId).toBe(caller?.spanContext().traceId);
    expect(callee?.parentSpanContext?.spanId).toBe(caller?.spanContext().spanId);
    expect(callee?.parentSpanContext?.isRemote).toBe(true);
  });

  it('carries tracestate, reads fetch Headers, and ignores malformed traceparent', () => {
    tracing = setupTracing({ exporter, env: {} });
    const parent = extractTraceContext({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=abc',
    });
    const out = injectTraceHeaders({}, { context: parent });
    expect(out).toEqual({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=abc',
    });
    const fromFetch = extractTraceContext(
      new Headers({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' }),
    );
    expect(trace.getSpanContext(fromFetch)?.traceFlags).toBe(0);
    const bad = extractTraceContext({ traceparent: 'garbage' });
    expect(trace.getSpanContext(bad)).toBeUndefined();
  });

  it('optionally writes and reads Jaeger uber-trace-id; W3C wins when both are present', () => {
    tracing = setupTracing({ exporter, env: {} });
    const headers = tracing.withToolSpan({ toolName: 't' }, (span) => {
      const out = injectTraceHeaders({} as Record<string, string>, { jaeger: true });
      const { traceId, spanId } = span.spanContext();
      expect(out['uber-trace-id']).toBe(`${traceId}:${spanId}:0:01`);
      expect(out.traceparent).toBe(`00-${traceId}-${spanId}-01`);
      return out;
    });
    const onlyJaeger = extractTraceContext({ 'uber-trace-id': headers['uber-trace-id'] }, { jaeger: true });
    expect(trace.getSpanContext(onlyJaeger)?.spanId).toBe(headers.traceparent?.split('-')[2]);
    expect(
      trace.getSpanContext(extractTraceContext({ 'uber-trace-id': headers['uber-trace-id'] })),
    ).toBeUndefined();
    const both = extractTraceContext(
      {
        'uber-trace-id': '11111111111111111111111111111111:2222222222222222:0:1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      { jaeger: true },
    );
    expect(trace.getSpanContext(both)?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });
});
