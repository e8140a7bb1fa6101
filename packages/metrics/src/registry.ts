import { type OpenMetricsContentType, Registry, type RegistryContentType } from 'prom-client';

/** A prom-client registry of either content type. */
export type MetricsRegistry = Registry<RegistryContentType>;

const DEFAULT_REGISTRY_KEY = Symbol.for('genxai.metrics.defaultRegistry');

/**
 * Creates a registry that can hold exemplars: an OpenMetrics-typed
 * prom-client `Registry`. The metrics server and `renderMetrics` still serve
 * it as Prometheus text to scrapers that ask for that.
 */
export function createMetricsRegistry(): Registry<OpenMetricsContentType> {
  const registry = new Registry<OpenMetricsContentType>();
  // Set once, before any metric exists; never switched per request.
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}

/**
 * The registry `createMetrics()` uses when none is given: one OpenMetrics
 * registry per process, kept on `globalThis`, so two copies of this package
 * share it. It is **not** prom-client's global `register` (a Prometheus-typed
 * registry cannot hold exemplars); pass `registry: register` to use that.
 */
export function getDefaultRegistry(): MetricsRegistry {
  const holder = globalThis as { [DEFAULT_REGISTRY_KEY]?: MetricsRegistry };
  holder[DEFAULT_REGISTRY_KEY] ??= createMetricsRegistry();
  return holder[DEFAULT_REGISTRY_KEY];
}

/** True when metrics in `registry` can carry exemplars. */
export function isOpenMetricsRegistry(registry: Pick<MetricsRegistry, 'contentType'>): boolean {
  return (registry.contentType as string) === Registry.OPENMETRICS_CONTENT_TYPE;
}
