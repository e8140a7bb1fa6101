// One observed agent execution (metrics + span + 2 log lines) against the raw libraries doing the same
// work by hand, in one process; then each signal alone. Prints µs per operation, the ratio to raw, and
// the overhead as a share of a 100 ms LLM-backed agent step (the plan's "< 1% overhead" criterion).
//
// The span exporter calls back synchronously and exported spans are counted against operations, so a
// dropped span would show (InMemorySpanExporter's setTimeout makes a batch processor drop spans here).
import { Writable } from 'node:stream';
import { createMetricsRegistry, METRICS } from '@genxai/metrics';
import { setLangfuseTracerProvider, startActiveObservation } from '@langfuse/tracing';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BENCH_BATCH, countingExporter } from '../../../scripts/bench-utils.mjs';
import { setupObservability } from '../dist/index.js';

const OPERATIONS = 20_000;
const ROUNDS = 5;
const batch = BENCH_BATCH;
const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function measure(run) {
  for (let i = 0; i < 2000; i++) await run(i); // warm up
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < OPERATIONS; i++) await run(i);
    samples.push(Number(process.hrtime.bigint() - start) / OPERATIONS / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(ROUNDS / 2)];
}

const work = async () => 'answer';
const task = 'Summarise the quarterly report for the finance team';

// Raw: prom-client + OTel + pino by hand, the same series, span attributes and log lines.
const rawRegistry = new Registry();
const def = (d) => ({ name: d.name, help: d.help, labelNames: [...d.labelNames], registers: [rawRegistry] });
const total = new Counter(def(METRICS.agentExecutionsTotal));
const duration = new Histogram({
  ...def(METRICS.agentExecutionDurationSeconds),
  buckets: [...METRICS.agentExecutionDurationSeconds.buckets],
});
const active = new Gauge(def(METRICS.agentActiveExecutions));
const rawExporter = countingExporter();
const rawTracer = new NodeTracerProvider({
  spanProcessors: [new BatchSpanProcessor(rawExporter, batch)],
}).getTracer('raw');
const rawLogger = pino({ level: 'info', messageKey: 'message' }, discard());
const raw = () =>
  rawTracer.startActiveSpan(
    'agent.execute',
    {
      attributes: {
        'agent.id': 'planner',
        'agent.role': 'planner',
        task,
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.id': 'planner',
      },
    },
    async (span) => {
      const labels = { agent_id: 'planner' };
      active.inc(labels);
      const started = performance.now();
      const log = rawLogger.child({ agent_id: 'planner', agent_role: 'planner' });
      const result = await work();
      const seconds = (performance.now() - started) / 1000;
      active.dec(labels);
      duration.observe(labels, seconds);
      total.inc({ agent_id: 'planner', status: 'success' });
      log.info({ status: 'success', duration: seconds }, 'Agent execution completed');
      span.setAttribute('status', 'success');
      span.end();
      return result;
    },
  );

async function observed(signals) {
  const exporter = countingExporter();
  const obs = await setupObservability({
    metrics: signals.metrics ? { registry: createMetricsRegistry() } : false,
    tracing: signals.tracing ? { exporter, batch, env: {} } : false,
    logging: signals.logging ? { level: 'info', destination: discard() } : false,
  });
  const info = { agentId: 'planner', role: 'planner', task };
  return { obs, exporter, run: () => obs.observeAgent(info, work) };
}

const rows = [];
const rawUs = await measure(raw);
rows.push(['raw prom-client + OTel + pino by hand', rawUs]);
for (const [name, signals] of [
  ['observeAgent, all three signals', { metrics: true, tracing: true, logging: true }],
  ['observeAgent, metrics only', { metrics: true }],
  ['observeAgent, tracing only', { tracing: true }],
  ['observeAgent, logging only', { logging: true }],
]) {
  const { obs, exporter, run } = await observed(signals);
  rows.push([name, await measure(run)]);
  await obs.tracing?.forceFlush();
  if (signals.tracing && exporter.exported !== OPERATIONS * ROUNDS + 2000) {
    throw new Error(`spans lost: exported ${exporter.exported}, expected ${OPERATIONS * ROUNDS + 2000}`);
  }
  await obs.shutdown();
}

// Tracing alone, against raw OpenTelemetry and a peer (Langfuse's OTel-based SDK) recording the same span
// with the task as input and the result as output.
const tracingRows = [];
{
  const rawSpanExporter = countingExporter();
  const tracer = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(rawSpanExporter, batch)],
  }).getTracer('raw');
  const rawSpan = () =>
    tracer.startActiveSpan(
      'agent.execute',
      { attributes: { 'agent.id': 'planner', 'agent.role': 'planner', task } },
      async (span) => {
        const result = await work();
        span.setAttribute('status', 'success');
        span.end();
        return result;
      },
    );
  const rawSpanUs = await measure(rawSpan);
  tracingRows.push(['raw OTel startActiveSpan', rawSpanUs]);
  const { obs, run } = await observed({ tracing: true });
  tracingRows.push(['observeAgent, tracing only', await measure(run)]);
  await obs.shutdown();
  const peerExporter = countingExporter();
  const peerProvider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(peerExporter, batch)],
  });
  setLangfuseTracerProvider(peerProvider);
  const peer = () =>
    startActiveObservation(
      'agent.execute',
      async (agent) => {
        agent.update({ input: task, metadata: { agentId: 'planner', role: 'planner' } });
        const result = await work();
        agent.update({ output: result });
        return result;
      },
      { asType: 'agent' },
    );
  tracingRows.push(['peer: Langfuse startActiveObservation', await measure(peer)]);
  await peerProvider.forceFlush();
  if (peerExporter.exported !== OPERATIONS * ROUNDS + 2000) {
    throw new Error(
      `peer spans lost: exported ${peerExporter.exported}, expected ${OPERATIONS * ROUNDS + 2000}`,
    );
  }
}

console.log(`@genxai/observability: one agent execution, median of ${ROUNDS} rounds of ${OPERATIONS}`);
console.log('case'.padEnd(42), 'µs/op'.padStart(8), 'vs raw'.padStart(8), 'of a 100 ms step'.padStart(17));
for (const [name, us] of rows) {
  console.log(
    name.padEnd(42),
    us.toFixed(2).padStart(8),
    `${(us / rawUs).toFixed(2)}x`.padStart(8),
    `${((us / 100_000) * 100).toFixed(4)}%`.padStart(17),
  );
}
console.log('');
console.log('tracing alone'.padEnd(42), 'µs/op'.padStart(8), 'vs raw'.padStart(8));
for (const [name, us] of tracingRows) {
  console.log(
    name.padEnd(42),
    us.toFixed(2).padStart(8),
    `${(us / tracingRows[0][1]).toFixed(2)}x`.padStart(8),
  );
}
