// One Collector for all three signals: the umbrella sends spans and log records over OTLP with one
// service.name, and every log record points at the span it was written in.
import { Writable } from 'node:stream';
import {
  decodeOtlpLogsProtobuf,
  decodeOtlpProtobuf,
  hex,
  otlpLogRecords,
  otlpSpans,
  startHttpSink,
} from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { setupObservability } from './setup';

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

describe('spans and logs to one OTLP endpoint', () => {
  it('carries one service.name, and the log records carry the ids of their spans', async () => {
    const sink = await startHttpSink((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
    try {
      const obs = await setupObservability({
        serviceName: 'one-collector',
        metrics: false,
        tracing: { exporter: 'otlp', otlp: { url: `${sink.url}/v1/traces` }, env: {} },
        logging: { level: 'info', destination: discard(), otlp: { url: `${sink.url}/v1/logs` }, env: {} },
      });
      await obs.observeAgent({ agentId: 'planner' }, () =>
        obs.observeLLM({ provider: 'openai', model: 'gpt-4o-mini' }, async () => ({
          model: 'gpt-4o-mini-2024-07-18',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }],
          usage: { prompt_tokens: 5, completion_tokens: 1 },
        })),
      );
      await obs.shutdown();

      const spans = otlpSpans(
        sink.requests.filter((r) => r.url === '/v1/traces').map((r) => decodeOtlpProtobuf(r.body)),
      );
      const records = otlpLogRecords(
        sink.requests.filter((r) => r.url === '/v1/logs').map((r) => decodeOtlpLogsProtobuf(r.body)),
      );
      expect(spans.map((span) => span.name).sort()).toEqual(['agent.execute', 'llm.generate']);
      const bodies = records.map(({ record }) => record.body?.stringValue);
      expect(bodies).toEqual(['LLM request completed', 'Agent execution completed']);
      for (const { record, resource } of records) {
        expect(resource['service.name']).toBe('one-collector');
        const span = spans.find(
          (candidate) => hex(candidate.spanId) === hex(record.spanId ?? new Uint8Array()),
        );
        expect(span, String(record.body?.stringValue)).toBeDefined();
        expect(hex(record.traceId ?? new Uint8Array())).toBe(hex(span!.traceId));
      }
      expect(records[0]!.record.spanId && hex(records[0]!.record.spanId)).toBe(
        hex(spans.find((span) => span.name === 'llm.generate')!.spanId),
      );
    } finally {
      await sink.close();
    }
  });
});
