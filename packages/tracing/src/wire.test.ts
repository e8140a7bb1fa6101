import {
  decodeAgentDatagram,
  decodeCollectorBody,
  decodeOtlpProtobuf,
  hex,
  otlpAttributes,
  otlpSpans,
  startHttpSink,
  startUdpSink,
  type ThriftBatch,
  tagsOf,
  waitFor,
} from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { runSampleWorkflow } from './__fixtures__/sinks';
import { setupTracing } from './setup';

function assertJaegerTree(batches: ThriftBatch[]) {
  expect(new Set(batches.map((batch) => batch.process.serviceName))).toEqual(new Set(['wire-jaeger']));
  const spans = batches.flatMap((batch) => batch.spans);
  expect(spans.map((span) => span.operationName).sort()).toEqual([
    'agent.execute',
    'llm.generate',
    'node.answer',
    'tool.execute',
    'workflow.execute',
  ]);
  const byName = (name: string) => spans.find((span) => span.operationName === name)!;
  const id = (name: string) => byName(name).spanId.toString('hex');
  // The exporter puts the parent in parentSpanId only (no references).
  expect(byName('workflow.execute').parentSpanId.toString('hex')).toBe('0000000000000000');
  expect(byName('node.answer').parentSpanId.toString('hex')).toBe(id('workflow.execute'));
  expect(byName('agent.execute').parentSpanId.toString('hex')).toBe(id('node.answer'));
  expect(byName('llm.generate').parentSpanId.toString('hex')).toBe(id('agent.execute'));
  expect(byName('tool.execute').parentSpanId.toString('hex')).toBe(id('agent.execute'));
  expect(
    new Set(spans.map((span) => span.traceIdLow.toString('hex') + span.traceIdHigh.toString('hex'))).size,
  ).toBe(1);

  const agent = tagsOf(byName('agent.execute'));
  expect(agent).toMatchObject({
    'agent.id': 'agent-7',
    'agent.role': 'researcher',
    status: 'success',
    'gen_ai.operation.name': 'invoke_agent',
    'service.name': 'wire-jaeger',
  });
  expect(agent.task).toBe('find flights, api_key=***REDACTED***');
  // Every number travels as a DOUBLE tag.
  expect(tagsOf(byName('llm.generate'))).toMatchObject({
    'llm.provider': 'openai',
    'llm.model': 'gpt-4o',
    'llm.tokens.total': 15,
    'llm.tokens.prompt': 12,
    'gen_ai.usage.input_tokens': 12,
    'gen_ai.usage.output_tokens': 3,
    'gen_ai.request.model': 'gpt-4o',
    'span.kind': 'client',
  });
  expect(tagsOf(byName('tool.execute'))).toMatchObject({ 'tool.name': 'search', 'tool.result_size': 2 });
}

describe('jaeger exporter on the wire', () => {
  it('UDP agent mode: binary Thrift Agent.emitBatch datagrams decode to the span tree', async () => {
    const sink = await startUdpSink();
    try {
      const tracing = setupTracing({
        serviceName: 'wire-jaeger',
        exporter: 'jaeger',
        jaeger: { host: '127.0.0.1', port: sink.port },
        env: {},
      });
      expect(tracing.exporters).toEqual([{ name: 'jaeger', target: `udp://127.0.0.1:${sink.port}` }]);
      await expect(runSampleWorkflow(tracing)).resolves.toBe('Hello!');
      await tracing.shutdown();
      const batches = await waitFor('5 spans over UDP', async () => {
        const decoded = sink.datagrams.map(decodeAgentDatagram);
        return decoded.flatMap((batch) => batch.spans).length >= 5 ? decoded : undefined;
      });
      assertJaegerTree(batches);
      expect(tracing.stats).toEqual({ ended: 5, exported: 5, failed: 0, dropped: 0 });
    } finally {
      await sink.close();
    }
  });

  it('HTTP collector mode (OTEL_EXPORTER_JAEGER_ENDPOINT): a Thrift binary Batch per POST', async () => {
    const sink = await startHttpSink();
    try {
      const tracing = setupTracing({
        serviceName: 'wire-jaeger',
        env: {
          OTEL_TRACES_EXPORTER: 'jaeger',
          OTEL_EXPORTER_JAEGER_ENDPOINT: `${sink.url}/api/traces`,
        },
      });
      await runSampleWorkflow(tracing);
      await tracing.shutdown();
      expect(sink.requests.length).toBeGreaterThan(0);
      for (const request of sink.requests) {
        expect(request.method).toBe('POST');
        expect(request.url).toBe('/api/traces');
        expect(request.headers['content-type']).toBe('application/x-thrift');
      }
      assertJaegerTree(sink.requests.map((request) => decodeCollectorBody(request.body)));
    } finally {
      await sink.close();
    }
  });
});

describe('otlp exporter on the wire', () => {
  it('OTLP/HTTP protobuf decodes with the official proto definitions', async () => {
    const sink = await startHttpSink((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
    try {
      const tracing = setupTracing({
        serviceName: 'wire-otlp',
        resource: { 'deployment.environment.name': 'test' },
        env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url },
      });
      expect(tracing.exporters).toEqual([{ name: 'otlp', target: `${sink.url}/v1/traces (http/protobuf)` }]);
      await runSampleWorkflow(tracing);
      await tracing.shutdown();
      expect(sink.requests.map((request) => [request.url, request.headers['content-type']])).toEqual(
        sink.requests.map(() => ['/v1/traces', 'application/x-protobuf']),
      );
      const decoded = sink.requests.map((request) => decodeOtlpProtobuf(request.body));
      const resource = otlpAttributes(decoded[0]!.resourceSpans[0]!.resource.attributes);
      expect(resource).toMatchObject({ 'service.name': 'wire-otlp', 'deployment.environment.name': 'test' });
      expect(decoded[0]!.resourceSpans[0]!.scopeSpans[0]!.scope.name).toBe('@genxai/tracing');

      const spans = otlpSpans(decoded);
      const byName = (name: string) => spans.find((span) => span.name === name)!;
      const id = (name: string) => hex(byName(name).spanId);
      expect(spans).toHaveLength(5);
      expect(byName('workflow.execute').parentSpanId ?? new Uint8Array()).toHaveLength(0);
      expect(hex(byName('node.answer').parentSpanId)).toBe(id('workflow.execute'));
      expect(hex(byName('agent.execute').parentSpanId)).toBe(id('node.answer'));
      expect(hex(byName('llm.generate').parentSpanId)).toBe(id('agent.execute'));
      expect(hex(byName('tool.execute').parentSpanId)).toBe(id('agent.execute'));
      // OTLP keeps integers as integers.
      expect(otlpAttributes(byName('llm.generate').attributes)).toMatchObject({
        'llm.tokens.total': 15,
        'gen_ai.usage.output_tokens': 3,
        'gen_ai.provider.name': 'openai',
        'gen_ai.operation.name': 'chat',
        status: 'success',
      });
      expect(byName('llm.generate').kind).toBe(3); // SPAN_KIND_CLIENT
      expect(otlpAttributes(byName('agent.execute').attributes)).toMatchObject({
        'agent.id': 'agent-7',
        task: 'find flights, api_key=***REDACTED***',
      });
    } finally {
      await sink.close();
    }
  });

  it('OTLP/HTTP JSON on request, with errors carried as status and exception event', async () => {
    const sink = await startHttpSink((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    try {
      const tracing = setupTracing({
        exporter: 'otlp',
        otlp: { url: `${sink.url}/custom/traces`, protocol: 'http/json' },
        env: {},
      });
      await tracing
        .withToolSpan({ toolName: 'fetch' }, async () => {
          throw Object.assign(new Error('rate limited, Bearer abc.def.ghi'), { code: 'RATE_LIMIT' });
        })
        .catch(() => undefined);
      await tracing.shutdown();
      expect(sink.requests[0]?.url).toBe('/custom/traces');
      expect(sink.requests[0]?.headers['content-type']).toBe('application/json');
      const body = JSON.parse(sink.requests[0]!.body.toString('utf8'));
      const span = body.resourceSpans[0].scopeSpans[0].spans[0];
      expect(span.name).toBe('tool.execute');
      expect(span.status).toMatchObject({ code: 2 });
      const attributes = Object.fromEntries(
        span.attributes.map((attribute: { key: string; value: { stringValue?: string } }) => [
          attribute.key,
          attribute.value.stringValue,
        ]),
      );
      expect(attributes['error.type']).toBe('RATE_LIMIT');
      expect(attributes['error.message']).not.toContain('abc.def.ghi');
      expect(span.events.map((event: { name: string }) => event.name)).toEqual(['exception']);
    } finally {
      await sink.close();
    }
  });
});
