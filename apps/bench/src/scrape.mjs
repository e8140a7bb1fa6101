// The cost of a scrape: `/metrics` as Prometheus text from our renderer against prom-client's own
// render of the same registry, and how long one scrape blocks the event loop while operations are
// being recorded, with `size` agent ids (each a counter, a histogram and a gauge series).
import { createMetrics, createMetricsRegistry, renderMetrics } from '@genxai/metrics';
import { interleaved } from './harness.mjs';

export async function scrapeCase(size, settings) {
  const registry = createMetricsRegistry();
  const metrics = createMetrics({ registry, maxLabelSetsPerMetric: size });
  const exemplar = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) };
  for (let i = 0; i < size; i++) metrics.agent.start({ agentId: `agent-${i}` }).succeed({ exemplar });
  const lines = (await renderMetrics(registry, 'prometheus')).body.split('\n').length;
  const noop = { check: async () => {}, shutdown: async () => {} };
  const rows = await interleaved(
    [
      { name: "prom-client's own render (registry.metrics())", run: () => registry.metrics(), ...noop },
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
  return { size, lines, rows, maxStallMs: stalls[Math.floor(stalls.length / 2)], stallsMs: stalls };
}
