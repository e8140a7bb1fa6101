// An app that opts in to signal handling, finishes one operation and then idles until a signal.
import { createMetricsRegistry } from '@genxai/metrics';
import { setupObservability } from '../../dist/index.js';

const exporter = {
  export(spans, done) {
    for (const span of spans) process.stderr.write(`exported ${span.name}\n`);
    done({ code: 0 });
  },
  shutdown: async () => {},
};
const obs = await setupObservability({
  metrics: { registry: createMetricsRegistry() },
  tracing: { exporter },
  logging: { level: 'info' },
  handleSignals: true,
});
await obs.observeAgent({ agentId: 'a' }, async () => 'done');
process.stderr.write('ready\n');
setInterval(() => {}, 1000);
