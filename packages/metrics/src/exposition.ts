import { Registry as RegistryClass } from 'prom-client';
import { isOpenMetricsRegistry, type MetricsRegistry } from './registry';

/** The two exposition formats. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Content type of the Prometheus text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = RegistryClass.PROMETHEUS_CONTENT_TYPE;
/** Content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = RegistryClass.OPENMETRICS_CONTENT_TYPE;

/**
 * Picks the format for an HTTP `Accept` header: OpenMetrics when the client
 * prefers `application/openmetrics-text` (by q-value) to `text/plain`,
 * Prometheus text otherwise, and when there is no header.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus';
  let openMetrics = 0;
  let text = 0;
  for (const part of accept.split(',')) {
    const [mediaType = '', ...parameters] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParameter = parameters.find((p) => p.startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (mediaType === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (mediaType === 'text/plain') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'prometheus';
}

// Renders of one registry run one at a time: prom-client renames counters in place during an
// OpenMetrics render, so a render that overlapped another would save, and then restore, the
// stripped names for good.
const renderQueues = new WeakMap<MetricsRegistry, Promise<unknown>>();
// The name each metric had when first seen here, outside any render of ours.
const trueNames = new WeakMap<object, string>();

/**
 * Renders a prom-client OpenMetrics render, then gives counters back their
 * `_total` name: prom-client strips it in place during an OpenMetrics render,
 * which would rename the series for every later reader of the registry
 * (`getMetricsAsJSON`, the cluster path, the next Prometheus-text render).
 */
function renderOpenMetrics(registry: MetricsRegistry): Promise<string> {
  return inTurn(registry, async () => {
    const metrics = registry.getMetricsAsArray() as unknown as { name: string }[];
    for (const metric of metrics) if (!trueNames.has(metric)) trueNames.set(metric, metric.name);
    try {
      return await registry.metrics();
    } finally {
      for (const metric of metrics) metric.name = trueNames.get(metric) ?? metric.name;
    }
  });
}

/** Runs the renders of one registry one after another (see renderQueues). */
function inTurn(registry: MetricsRegistry, render: () => Promise<string>): Promise<string> {
  const previous = renderQueues.get(registry) ?? Promise.resolve();
  const next = previous.then(render, render);
  renderQueues.set(
    registry,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * Renders `registry` in `format`, with its content type. A registry that is
 * not OpenMetrics-typed is always rendered as Prometheus text.
 */
export async function renderMetrics(
  registry: MetricsRegistry,
  format: ExpositionFormat = 'prometheus',
): Promise<{ contentType: string; body: string }> {
  if (!isOpenMetricsRegistry(registry)) {
    return { contentType: PROMETHEUS_CONTENT_TYPE, body: await registry.metrics() };
  }
  if (format === 'openmetrics')
    return { contentType: OPENMETRICS_CONTENT_TYPE, body: await renderOpenMetrics(registry) };
  return { contentType: PROMETHEUS_CONTENT_TYPE, body: await renderPrometheusText(registry) };
}

/**
 * Renders an OpenMetrics-typed registry as Prometheus text with prom-client's own Prometheus
 * renderer, through a view of the registry that says it is Prometheus-typed: counters keep their
 * `_total` name (nothing is renamed, so nothing waits for another render), exemplars are left out,
 * and it costs what prom-client's render of a Prometheus registry costs, with no text conversion.
 */
function renderPrometheusText(registry: MetricsRegistry): Promise<string> {
  const view = Object.create(registry, {
    contentType: { value: PROMETHEUS_CONTENT_TYPE },
  }) as MetricsRegistry;
  return RegistryClass.prototype.metrics.call(view);
}
