import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { WaterfallSpan } from './waterfall';

/** A finished span as the waterfall draws it, with its trace. */
export interface CapturedSpan extends WaterfallSpan {
  traceId: string;
}

// The attribute that tells two spans of the same name apart in the waterfall.
const DETAIL_KEYS = ['agent.id', 'tool.name', 'llm.model'];
const detailed = (span: ReadableSpan) => {
  if (span.name.includes(' ')) return span.name;
  const key = DETAIL_KEYS.find((k) => span.attributes[k] !== undefined);
  return key ? `${span.name} ${String(span.attributes[key])}` : span.name;
};

const hrToMs = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

/** The waterfall's view of a finished span. */
export function capturedSpan(span: ReadableSpan): CapturedSpan {
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: detailed(span),
    // Wall-clock times: the spans of the demo's MCP tool server, another process, share the axis.
    startMs: hrToMs(span.startTime),
    endMs: hrToMs(span.endTime),
    error: span.status.code === 2,
  };
}

/** The prefix of a span line on the MCP tool server's stderr. */
export const SPAN_LINE = 'GENXAI_DEMO_SPAN ';

/**
 * The MCP tool server's exporter when the demo keeps its traces in process: each span as one
 * line on stderr, read back by the demo (`TraceCapture.readSpanLines`) for the waterfall.
 */
export class SpanLineExporter implements SpanExporter {
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    let text = '';
    for (const span of spans) text += `${SPAN_LINE}${JSON.stringify(capturedSpan(span))}\n`;
    process.stderr.write(text, () => done({ code: 0 }));
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}
