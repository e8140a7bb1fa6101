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

/** How long a render runs, in milliseconds, before it lets the event loop run. */
const SLICE_BUDGET_MILLIS = 5;
/** Series formatted between two looks at the clock. */
const SERIES_PER_STEP = 512;

/** What a prom-client metric's `get()` (or `getForPromString()`) resolves to. */
interface MetricData {
  name: string;
  type: string;
  values?: unknown[];
}

/** A metric as a registry holds it. */
interface RegisteredMetric {
  type?: string;
  get(): Promise<MetricData> | MetricData;
  getForPromString?(): Promise<MetricData> | MetricData;
}

/**
 * prom-client's per-metric formatter, the one behind `registry.metrics()` and
 * `getSingleMetricAsString()`: the HELP and TYPE lines, then one line per value, with the
 * registry's default labels, label escaping, `+Inf`/`Nan`, and exemplars when the registry
 * is OpenMetrics-typed. prom-client's typings leave it out; the byte-for-byte tests against
 * prom-client's own render catch a change.
 */
interface MetricFormatter {
  getMetricsAsString(metric: { get(): Promise<MetricData> }): Promise<string>;
}

// Renders in flight, per registry and format: a scrape that arrives during one shares it.
const inFlight = new WeakMap<MetricsRegistry, Map<ExpositionFormat, Promise<string>>>();

/**
 * Renders `registry` in `format`, with its content type. A registry that is
 * not OpenMetrics-typed is always rendered as Prometheus text.
 *
 * The text is byte for byte prom-client's, but it is made in slices of about
 * 5 ms, metric by metric and within a large metric series by series, with the
 * event loop let run between two slices; a small registry renders in one go.
 * Calls made while a render of the same registry and format is in flight
 * share its result.
 */
export async function renderMetrics(
  registry: MetricsRegistry,
  format: ExpositionFormat = 'prometheus',
): Promise<{ contentType: string; body: string }> {
  const openMetrics = format === 'openmetrics' && isOpenMetricsRegistry(registry);
  const served: ExpositionFormat = openMetrics ? 'openmetrics' : 'prometheus';
  let renders = inFlight.get(registry);
  if (!renders) {
    renders = new Map();
    inFlight.set(registry, renders);
  }
  let body = renders.get(served);
  if (!body) {
    body = renderInSlices(registry, openMetrics);
    const inProgress = renders;
    const settled = () => inProgress.delete(served);
    body.then(settled, settled);
    inProgress.set(served, body);
  }
  return { contentType: openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE, body: await body };
}

/**
 * What `registry.metrics()` renders, without its in-place renaming of counters. Each metric's
 * values come from its own `get()`, as prom-client reads them, and are formatted by prom-client's
 * formatter a step of series at a time; past the time budget, the render waits for `setImmediate`.
 */
async function renderInSlices(registry: MetricsRegistry, openMetrics: boolean): Promise<string> {
  // For Prometheus text the formatter reads the content type off a view of the registry that says
  // it is Prometheus-typed, so an OpenMetrics registry's exemplars are left out.
  const formatter = (
    openMetrics ? registry : Object.create(registry, { contentType: { value: PROMETHEUS_CONTENT_TYPE } })
  ) as MetricFormatter;
  let sliceStart = performance.now();
  const yieldWhenDue = async () => {
    if (performance.now() - sliceStart < SLICE_BUDGET_MILLIS) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  const families: string[] = [];
  for (const metric of registry.getMetricsAsArray() as unknown as RegisteredMetric[]) {
    await yieldWhenDue();
    const data =
      typeof metric.getForPromString === 'function' ? await metric.getForPromString() : await metric.get();
    // An OpenMetrics counter family is named without `_total` (prom-client's render renames the
    // metric in place for that, for every later reader too): pass the name instead.
    const name = openMetrics && metric.type === 'counter' ? data.name.replace(/_total$/, '') : data.name;
    const values = data.values ?? [];
    let family = '';
    let start = 0;
    do {
      const step = values.slice(start, start + SERIES_PER_STEP);
      const text = await formatter.getMetricsAsString({ get: async () => ({ ...data, name, values: step }) });
      // After the first step, keep the lines only (and the newline before them), not HELP and TYPE.
      family += start === 0 ? text : text.slice(text.indexOf('\n', text.indexOf('\n') + 1));
      start += SERIES_PER_STEP;
      if (start < values.length) await yieldWhenDue();
    } while (start < values.length);
    families.push(family);
  }
  return openMetrics ? `${families.join('\n')}\n# EOF\n` : `${families.join('\n\n')}\n`;
}
