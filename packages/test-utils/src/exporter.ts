/**
 * A span exporter for tests that keeps every span it gets, across shutdown, and reports
 * synchronously. (The SDK's InMemorySpanExporter reports through setTimeout, which makes a batch
 * processor drop spans in a tight loop, and forgets its spans on shutdown.)
 */
export class KeepingExporter<Span = unknown> {
  readonly spans: Span[] = [];
  export(spans: Span[], done: (result: { code: number }) => void): void {
    this.spans.push(...spans);
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}
