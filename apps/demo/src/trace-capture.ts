import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type CapturedSpan, capturedSpan, SPAN_LINE } from './span-lines';
import type { WaterfallSpan } from './waterfall';

/**
 * The demo's embedded trace sink, used when no exporter is configured: keeps
 * the spans of the first few traces (bounded, whatever the run's length) so
 * one workflow's trace can be drawn as a waterfall at the end, with the spans
 * its MCP tool server (another process) sent back as lines.
 */
export class TraceCapture implements SpanExporter {
  private readonly traces = new Map<string, CapturedSpan[]>();
  private spanCount = 0;

  constructor(private readonly maxTraces = 5) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) this.add(capturedSpan(span));
    done({ code: 0 });
  }

  /** Keeps the spans in `text` (lines from the MCP tool server's stderr); other lines are ignored. */
  readSpanLines(text: string): void {
    for (const line of text.split('\n')) {
      if (!line.startsWith(SPAN_LINE)) continue;
      try {
        this.add(JSON.parse(line.slice(SPAN_LINE.length)) as CapturedSpan);
      } catch {
        // A torn line loses one span of the waterfall, nothing else.
      }
    }
  }

  private add(span: CapturedSpan): void {
    this.spanCount++;
    let list = this.traces.get(span.traceId);
    if (!list) {
      if (this.traces.size >= this.maxTraces) return;
      list = [];
      this.traces.set(span.traceId, list);
    }
    list.push(span);
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
    const chosen = traces.find(([, spans]) => spans.some((s) => s.error)) ?? traces[0];
    if (!chosen) return undefined;
    const [traceId, spans] = chosen;
    return { traceId, spans: spans.map(({ traceId: _trace, ...span }) => span) };
  }
}
