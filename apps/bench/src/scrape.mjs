// The cost of a scrape: `/metrics` from our renderer against prom-client's own render of the same
// registry, and how long one scrape blocks the event loop while operations are being recorded, with
// `size` agent ids (each a counter, a histogram and a gauge series).
import { createMetrics, createMetricsRegistry, renderMetrics } from '@genxai/metrics';
import { Registry } from 'prom-client';
import { interleaved, median, pairedRatio } from './harness.mjs';

const EXEMPLAR = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) };

function agents(size) {
  const registry = createMetricsRegistry();
  const metrics = createMetrics({ registry, maxLabelSetsPerMetric: size });
  for (let i = 0; i < size; i++)
    metrics.agent.start({ agentId: `agent-${i}` }).succeed({ exemplar: EXEMPLAR });
  return { registry, metrics };
}

/** Sample lines: the series a Prometheus stores from this text. */
const samplesOf = (text) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;

/** How many agent ids give about `series` sample lines of Prometheus text. */
export async function agentIdsForSeries(series) {
  const one = samplesOf((await renderMetrics(agents(1).registry, 'prometheus')).body);
  const two = samplesOf((await renderMetrics(agents(2).registry, 'prometheus')).body);
  const perAgent = two - one;
  return Math.round((series - (one - perAgent)) / perAgent);
}

/**
 * The longest synchronous part of one metric's `get()` (what prom-client's render calls: its
 * `getForPromString()` when it has one), the median of `tries`: no render can slice inside it.
 */
async function biggestGet(registry, tries) {
  const times = new Map();
  for (let attempt = 0; attempt < tries; attempt++) {
    for (const metric of registry.getMetricsAsArray()) {
      const started = performance.now();
      const pending =
        typeof metric.getForPromString === 'function' ? metric.getForPromString() : metric.get();
      const ms = performance.now() - started;
      const { values = [] } = await pending;
      const entry = times.get(metric.name) ?? { metric: metric.name, values: values.length, all: [] };
      entry.all.push(ms);
      times.set(metric.name, entry);
    }
  }
  const rows = [...times.values()].map(({ all, ...row }) => ({
    ...row,
    ms: median(all),
    lowMs: Math.min(...all),
    highMs: Math.max(...all),
  }));
  return rows.sort((a, b) => b.ms - a.ms)[0];
}

export async function scrapeCase(size, settings) {
  const { registry, metrics } = agents(size);
  const prometheusText = (await renderMetrics(registry, 'prometheus')).body;
  const lines = prometheusText.split('\n').length;
  const series = samplesOf(prometheusText);

  // prom-client renames counters in place when it renders an OpenMetrics registry (it strips
  // `_total`); give the names back after each of its renders, as a registry served by us keeps them.
  const names = registry.getMetricsAsArray().map((metric) => [metric, metric.name]);
  const promClientOpenMetrics = async () => {
    const text = await registry.metrics();
    for (const [metric, name] of names) metric.name = name;
    return text;
  };
  // The same metric objects in a Prometheus-typed registry: prom-client's render of the same text.
  const twin = new Registry();
  for (const metric of registry.getMetricsAsArray()) twin.registerMetric(metric);
  if (prometheusText !== (await twin.metrics()))
    throw new Error('renderMetrics(registry, "prometheus") differs from prom-client\'s Prometheus render');
  if ((await renderMetrics(registry, 'openmetrics')).body !== (await promClientOpenMetrics()))
    throw new Error('renderMetrics(registry, "openmetrics") differs from prom-client\'s OpenMetrics render');

  const noop = { check: async () => {}, shutdown: async () => {} };
  const rows = await interleaved(
    [
      { name: "prom-client's own render (registry.metrics())", run: promClientOpenMetrics, ...noop },
      { name: "prom-client's Prometheus render (same metrics)", run: () => twin.metrics(), ...noop },
      {
        name: 'renderMetrics(registry, "prometheus")',
        run: () => renderMetrics(registry, 'prometheus'),
        ...noop,
      },
      {
        name: 'renderMetrics(registry, "openmetrics")',
        run: () => renderMetrics(registry, 'openmetrics'),
        ...noop,
      },
    ],
    { ...settings, time: Math.max(settings.time, 200), iterations: 3 },
  );
  const [openMetricsBase, prometheusBase, ourPrometheus, ourOpenMetrics] = rows;
  // Paired by round, each against prom-client's render of the same text.
  const ratios = {
    prometheus: pairedRatio(ourPrometheus, prometheusBase),
    openMetrics: pairedRatio(ourOpenMetrics, openMetricsBase),
    prometheusToRegistryMetrics: pairedRatio(ourPrometheus, openMetricsBase),
  };

  // One scrape while operations keep being recorded: the longest gap between the ticks of a 1 ms
  // interval. (monitorEventLoopDelay reported a 250 ms block as 27 ms here: it is not used.)
  const stalls = [];
  for (let scrape = 0; scrape < (settings.rounds > 2 ? 7 : 2); scrape++) {
    let recording = true;
    let recorded = 0;
    const record = () => {
      if (!recording) return;
      metrics.agent.start({ agentId: `agent-${recorded++ % size}` }).succeed();
      setImmediate(record);
    };
    record();
    let last = performance.now();
    let worst = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    worst = 0;
    await renderMetrics(registry, 'prometheus');
    await new Promise((resolve) => setTimeout(resolve, 30));
    clearInterval(tick);
    recording = false;
    stalls.push(worst);
  }
  stalls.sort((a, b) => a - b);
  return {
    size,
    lines,
    series,
    rows,
    ratios,
    biggestGet: await biggestGet(registry, settings.rounds > 2 ? 9 : 3),
    maxStallMs: stalls[Math.floor(stalls.length / 2)],
    stallsMs: stalls,
  };
}
