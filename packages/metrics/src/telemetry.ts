import { Counter } from 'prom-client';
import { LABEL, SELF_METRICS, SPAN_OUTCOME } from './names';
import type { MetricsRegistry } from './registry';

/** Live counts of a tracing pipeline, such as `tracing.stats` of `@genxai/tracing`. */
export interface SpanCounts {
  readonly exported: number;
  readonly failed: number;
  readonly dropped: number;
}

const OUTCOMES = Object.values(SPAN_OUTCOME);

interface SpanSources {
  readonly live: Set<() => SpanCounts>;
  /** What removed sources had counted, so the counter never goes down. */
  readonly removed: Record<keyof SpanCounts, number>;
}

const sourcesByRegistry = new WeakMap<MetricsRegistry, SpanSources>();

/**
 * Reports a tracing pipeline's span counts on `registry` as
 * `genxai_telemetry_spans_total{outcome="exported"|"failed"|"dropped"}`, read at each scrape (no
 * work on the hot path). Returns a function that stops reading `counts`, keeping what it counted.
 */
export function reportSpanCounts(registry: MetricsRegistry, counts: () => SpanCounts): () => void {
  let sources = sourcesByRegistry.get(registry);
  if (!sources) {
    const created: SpanSources = { live: new Set(), removed: { exported: 0, failed: 0, dropped: 0 } };
    sources = created;
    sourcesByRegistry.set(registry, created);
    const definition = SELF_METRICS.telemetrySpansTotal;
    if (!registry.getSingleMetric(definition.name)) {
      new Counter({
        name: definition.name,
        help: definition.help,
        labelNames: [...definition.labelNames],
        registers: [registry],
        collect() {
          const totals = { ...created.removed };
          for (const read of created.live) {
            try {
              const current = read();
              for (const outcome of OUTCOMES) totals[outcome] += current[outcome];
            } catch {
              // A source that cannot be read adds nothing this scrape.
            }
          }
          this.reset();
          for (const outcome of OUTCOMES) this.inc({ [LABEL.outcome]: outcome }, totals[outcome]);
        },
      });
    }
  }
  const { live, removed } = sources;
  live.add(counts);
  return () => {
    if (!live.delete(counts)) return;
    try {
      const last = counts();
      for (const outcome of OUTCOMES) removed[outcome] += last[outcome];
    } catch {
      // Nothing more can be read from it.
    }
  };
}
