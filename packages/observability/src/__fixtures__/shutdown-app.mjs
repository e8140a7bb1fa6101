// Records N agent executions (a span and a finish line each), then ends as MODE says:
// end (shutdown, then a natural exit), signal (handleSignals, waits for SIGTERM), exit (process.exit
// without shutdown) or flush-exit (forceFlush, then process.exit).
import { createMetricsRegistry } from '@genxai/metrics';
import { setupObservability } from '../../dist/index.js';

const [mode, count] = [process.argv[2], Number(process.argv[3])];
let exported = 0;
const exporter = {
  export(spans, done) {
    exported += spans.length;
    done({ code: 0 });
  },
  shutdown: async () => {},
};
process.on('exit', () => process.stderr.write(`exported ${exported}\n`));
const obs = await setupObservability({
  metrics: { registry: createMetricsRegistry() },
  tracing: { exporter, batch: { maxQueueSize: 16_384 } },
  logging: { level: 'info' },
  handleSignals: mode === 'signal',
});
for (let i = 0; i < count; i++) await obs.observeAgent({ agentId: `a${i % 10}` }, async () => i);
if (mode === 'end') await obs.shutdown();
else if (mode === 'exit') process.exit(0);
else if (mode === 'flush-exit') {
  await obs.forceFlush();
  process.exit(0);
} else {
  process.stderr.write('ready\n');
  setInterval(() => {}, 1000);
}
