// Memory over many executions with all three signals on, each with its own agent id (the label cap
// folds them past 2,000 series): the heap after a full GC at each checkpoint. Run with --expose-gc;
// prints one JSON line. argv[2]: the number of executions.
import { createMetricsRegistry } from '@genxai/metrics';
import { setupObservability } from '@genxai/observability';
import { BATCH, countingExporter, discard, LLM_RESULT } from './workload.mjs';

const total = Number(process.argv[2] ?? 1_000_000);
const exporter = countingExporter();
const obs = await setupObservability({
  serviceName: 'bench',
  metrics: { registry: createMetricsRegistry() },
  tracing: { exporter, batch: BATCH, env: {} },
  logging: { level: 'info', destination: discard() },
  onWarning: () => {},
});
const execute = (i) =>
  obs.observeAgent({ agentId: `agent-${i}`, role: 'planner' }, async () => {
    await obs.observeLLM({ provider: 'openai', model: 'gpt-4o-mini' }, async () => LLM_RESULT);
    await obs.observeTool({ toolName: 'search' }, async () => 'found');
    return 'done';
  });
const heapMiB = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const checkpoints = [];
const step = total / 4;
for (let i = 0; i < 20_000; i++) await execute(i);
checkpoints.push({ executions: 20_000, heapMiB: heapMiB() });
for (let i = 20_000; i < total; i++) {
  await execute(i);
  if ((i + 1) % step === 0) checkpoints.push({ executions: i + 1, heapMiB: heapMiB() });
}
await obs.tracing.forceFlush();
const spans = exporter.exported;
await obs.shutdown();
process.stdout.write(`${JSON.stringify({ total, spans, expectedSpans: total * 3, checkpoints })}\n`);
