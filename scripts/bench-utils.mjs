// Shared by the packages' benchmarks (plain ESM, run with node on the built packages).

/**
 * A span exporter that counts spans and calls back synchronously. The SDK's InMemorySpanExporter
 * reports through setTimeout, which makes a batch processor drop most spans in a tight loop and the
 * figures look better than they are; comparing `exported` with the spans ended shows any drop.
 */
export function countingExporter() {
  const exporter = {
    exported: 0,
    export(spans, done) {
      exporter.exported += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => undefined,
    forceFlush: async () => undefined,
  };
  return exporter;
}

/** A batch processor configuration big enough that a benchmark never fills the queue. */
export const BENCH_BATCH = {
  maxQueueSize: 16_384,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
};
