import { Writable } from 'node:stream';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { createConsoleExporter } from './exporters';

describe('the console exporter', () => {
  it('prints each span to the given stream (stderr by default), never to stdout', async () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const stdout = vi.spyOn(process.stdout, 'write');
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(createConsoleExporter(stream))],
    });
    const span = provider.getTracer('t').startSpan('tool.execute', { attributes: { 'tool.name': 'search' } });
    span.end();
    await provider.shutdown();
    expect(stdout).not.toHaveBeenCalled();
    stdout.mockRestore();
    expect(text).toContain(`traceId: '${span.spanContext().traceId}'`);
    expect(text).toContain("name: 'tool.execute'");
    expect(text).toContain("'tool.name': 'search'");
  });
});
