import { AggregatorRegistry } from 'prom-client';
import { getDefaultRegistry, type MetricsRegistry } from './registry';

/**
 * Call in every `node:cluster` worker: lets the primary collect this worker's
 * registry. It also constructs the `AggregatorRegistry` that registers the
 * worker's listener; without it the primary's request times out after 5 s.
 */
export function shareMetricsWithPrimary(registry: MetricsRegistry = getDefaultRegistry()): void {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
}

/**
 * Call in the primary: returns a function that renders the metrics of all
 * workers, summed (gauges too, unless the metric sets another `aggregator`),
 * as Prometheus text. Pass it as `render` to `startMetricsServer`. The
 * primary's own registry is not included, and exemplars are dropped.
 */
export function createClusterRenderer(): () => Promise<string> {
  const aggregator = new AggregatorRegistry();
  return () => aggregator.clusterMetrics();
}
