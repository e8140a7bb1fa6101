import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { WaterfallSpan } from './waterfall';

// The attribute that tells two spans of the same name apart in the waterfall.
const DETAIL_KEYS = ['agent.id', 'tool.name', 'llm.model'];
const detailed = (span: ReadableSpan) => {
  const key = DETAIL_KEYS.find((k) => span.attributes[k] !== undefined);
  return key ? `${span.name} ${String(span.attributes[key])}` : span.name;
};

const hrToMs = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

/**
 * The demo's embedded trace sink, used when no exporter is configured: keeps
 * the spans of the first few traces (bounded, whatever the run's length) so
 * one workflow's trace can be drawn as a waterfall at the end.
 */
export class TraceCapture implements SpanExporter {
  private readonly traces = new Map<string, ReadableSpan[]>();
  private spanCount = 0;

  constructor(private readonly maxTraces = 5) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) {
      this.spanCount++;
      const traceId = span.spanContext().traceId;
      let list = this.traces.get(traceId);
      if (!list) {
        if (this.traces.size >= this.maxTraces) continue;
        list = [];
        this.traces.set(traceId, list);
      }
      list.push(span);
    }
    done({ code: 0 });
  }

  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}

  /** Spans received, kept or not. */
  get received(): number {
    return this.spanCount;
  }

  /**
   * One workflow's trace: the first one with a failure (the more telling one),
   * else the first one.
   */
  pickTrace(): { traceId: string; spans: WaterfallSpan[] } | undefined {
    const traces = [...this.traces.entries()].filter(([, spans]) =>
      spans.some((s) => s.name === 'workflow.execute' || s.name.startsWith('invoke_workflow')),
    );
    const chosen = traces.find(([, spans]) => spans.some((s) => s.status.code === 2)) ?? traces[0];
    if (!chosen) return undefined;
    const [traceId, spans] = chosen;
    return {
      traceId,
      spans: spans.map((span) => ({
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        name: detailed(span),
        startMs: hrToMs(span.startTime),
        endMs: hrToMs(span.endTime),
        error: span.status.code === 2,
      })),
    };
  }
}
