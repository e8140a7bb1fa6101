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

/** Index just past the label set `{…}` starting at `open`, honouring quoted values. */
function endOfLabels(line: string, open: number): number {
  let inQuotes = false;
  for (let i = open + 1; i < line.length; i++) {
    const char = line[i];
    if (inQuotes) {
      if (char === '\\') i++;
      else if (char === '"') inQuotes = false;
    } else if (char === '"') inQuotes = true;
    else if (char === '}') return i + 1;
  }
  return line.length;
}

/**
 * Converts prom-client's OpenMetrics output to the Prometheus text format
 * 0.0.4: counter families get their `_total` name back in `# HELP`/`# TYPE`,
 * exemplars and `# EOF` are dropped. The result passes `promtool check metrics`,
 * and a Prometheus scraping either format stores the same series.
 */
export function openMetricsToPrometheus(text: string): string {
  const lines = text.split('\n');
  const counters = new Set<string>();
  for (const line of lines) {
    if (line.startsWith('# TYPE ') && line.endsWith(' counter')) {
      counters.add(line.slice(7, -8));
    }
  }
  const out: string[] = [];
  for (const line of lines) {
    if (line === '# EOF' || line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      const rest = line.slice(7);
      const space = rest.indexOf(' ');
      const name = space === -1 ? rest : rest.slice(0, space);
      out.push(counters.has(name) ? `${line.slice(0, 7)}${name}_total${rest.slice(name.length)}` : line);
      continue;
    }
    if (line.startsWith('#')) {
      out.push(line);
      continue;
    }
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    const afterName = brace !== -1 && (space === -1 || brace < space) ? endOfLabels(line, brace) : 0;
    const exemplar = line.indexOf(' # ', afterName);
    out.push(exemplar === -1 ? line : line.slice(0, exemplar));
  }
  return `${out.join('\n')}\n`;
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
  const render = async () => {
    const metrics = registry.getMetricsAsArray() as unknown as { name: string }[];
    for (const metric of metrics) if (!trueNames.has(metric)) trueNames.set(metric, metric.name);
    try {
      return await registry.metrics();
    } finally {
      for (const metric of metrics) metric.name = trueNames.get(metric) ?? metric.name;
    }
  };
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
  const body = await renderOpenMetrics(registry);
  return format === 'openmetrics'
    ? { contentType: OPENMETRICS_CONTENT_TYPE, body }
    : { contentType: PROMETHEUS_CONTENT_TYPE, body: openMetricsToPrometheus(body) };
}
