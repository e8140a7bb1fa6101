// The contenders of the four-operation case: the umbrella with each set of signals, our span helpers,
// and the floor. Each counts its executions, and `check()` compares the spans its exporter got
// with them, so a contender that drops spans fails the benchmark instead of looking fast.
import { createMetricsRegistry } from '@genxai/metrics';
import { setupObservability } from '@genxai/observability';
import { setupTracing } from '@genxai/tracing';
import {
  BATCH,
  countingExporter,
  discard,
  floorExecution,
  LLM_RESULT,
  TASK,
  umbrellaExecution,
} from './workload.mjs';

const SPANS_PER_EXECUTION = 4;

/** A contender that counts its executions and checks its exporter got all their spans. */
export function counted(name, execute, exporter, flush, shutdown) {
  const contender = {
    name,
    executions: 0,
    run: async () => {
      contender.executions++;
      await execute();
    },
    async check() {
      if (!exporter) return;
      await flush();
      const expected = contender.executions * SPANS_PER_EXECUTION;
      if (exporter.exported !== expected)
        throw new Error(`${name}: its exporter got ${exporter.exported} spans, expected ${expected}`);
    },
    shutdown: shutdown ?? (async () => {}),
  };
  return contender;
}

/** The umbrella with the given signals on, recording into a fresh registry, exporter and discarding logger. */
export async function umbrella(name, { metrics = false, tracing = false, logging = false }, workMs = 0) {
  const exporter = tracing ? countingExporter() : undefined;
  const obs = await setupObservability({
    serviceName: 'bench',
    metrics: metrics ? { registry: createMetricsRegistry() } : false,
    tracing: tracing ? { exporter, batch: BATCH, env: {} } : false,
    logging: logging ? { level: 'info', destination: discard() } : false,
  });
  const contender = counted(
    name,
    umbrellaExecution(obs, workMs),
    exporter,
    () => obs.tracing.forceFlush(),
    () => obs.shutdown(),
  );
  return Object.assign(contender, { obs, exporter });
}

/** The floor with the given signals. */
export function floor(name, signals) {
  const f = floorExecution(signals);
  return counted(name, f.run, signals.tracing === false ? undefined : f.exporter, f.flush, () =>
    f.provider.shutdown(),
  );
}

/** `@genxai/tracing`'s span helpers alone, the same four spans. */
export function spanHelpers(name) {
  const exporter = countingExporter();
  const tracing = setupTracing({ serviceName: 'bench', exporter, batch: BATCH, env: {} });
  const agent = { agentId: 'planner', role: 'planner', task: TASK };
  const llm = { provider: 'openai', model: 'gpt-4o-mini', prompt: TASK };
  const search = { toolName: 'search', parameters: { q: 'report' } };
  const fetch = { toolName: 'fetch', parameters: { url: 'doc' } };
  const execute = () =>
    tracing.withAgentSpan(agent, async () => {
      await tracing.withLlmSpan(llm, async () => LLM_RESULT);
      await tracing.withToolSpan(search, async () => 'found');
      await tracing.withToolSpan(fetch, async () => 'doc');
      return 'done';
    });
  return counted(
    name,
    execute,
    exporter,
    () => tracing.forceFlush(),
    () => tracing.shutdown(),
  );
}
