// Our span helpers against raw OpenTelemetry startActiveSpan with the same
// attributes, in one process. Prints ns per span and the ratio to raw.
//
// The exporter calls back synchronously: InMemorySpanExporter reports through
// setTimeout, which makes the batch processor drop most spans in a tight loop
// and the figures look better than they are. Exported spans are counted
// against ended spans so a drop would show.
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BENCH_BATCH, countingExporter } from '../../../scripts/bench-utils.mjs';
import { setupTracing } from '../dist/index.js';

const SPANS = Number(process.env.SPANS ?? 20_000) - (Number(process.env.SPANS ?? 20_000) % 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const batch = BENCH_BATCH;

const ours = countingExporter();
const tracing = setupTracing({ serviceName: 'bench', exporter: ours, batch, env: {} });
const quiet = countingExporter();
const noCapture = setupTracing({
  serviceName: 'bench',
  exporter: quiet,
  batch,
  contentCapture: { enabled: false },
  env: {},
});
const raw = countingExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(raw, batch)] });
const rawTracer = provider.getTracer('raw');

const task = 'Summarise the quarterly report for the finance team';
const agentInfo = { agentId: 'agent-7', role: 'analyst', task };
const work = () => 1;

const cases = {
  'raw startActiveSpan (agent, 6 attributes)': () =>
    rawTracer.startActiveSpan(
      'agent.execute',
      {
        attributes: {
          'agent.id': 'agent-7',
          'agent.role': 'analyst',
          task,
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.id': 'agent-7',
          'gen_ai.agent.name': 'agent-7',
        },
      },
      (span) => {
        const result = work();
        span.setAttribute('status', 'success');
        span.end();
        return result;
      },
    ),
  'withAgentSpan (content capture on: redacted task)': () => tracing.withAgentSpan(agentInfo, work),
  'withAgentSpan (content capture off)': () => noCapture.withAgentSpan(agentInfo, work),
  'raw startActiveSpan (llm, same 16 attributes)': () =>
    rawTracer.startActiveSpan(
      'llm.generate',
      {
        kind: 2,
        attributes: {
          'llm.provider': 'openai',
          'llm.model': 'gpt-4o',
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'llm.prompt_length': task.length,
          'llm.prompt': task,
        },
      },
      (span) => {
        const response = {
          content: 'ok',
          usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
        };
        span.setAttributes({
          'llm.completion_length': response.content.length,
          'llm.completion': response.content,
          'llm.tokens.prompt': response.usage.prompt_tokens,
          'gen_ai.usage.input_tokens': response.usage.prompt_tokens,
          'llm.tokens.completion': response.usage.completion_tokens,
          'gen_ai.usage.output_tokens': response.usage.completion_tokens,
          'llm.tokens.total': response.usage.total_tokens,
        });
        span.setAttribute('status', 'success');
        span.end();
        return response;
      },
    ),
  'withLlmSpan + response read from result': () =>
    tracing.withLlmSpan({ provider: 'openai', model: 'gpt-4o', prompt: task }, () => ({
      content: 'ok',
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
    })),
};

// The batch processor only starts the next export after a microtask, so a
// loop that never yields fills the queue whatever the exporter does. Yield
// every 1,000 spans (well under maxQueueSize), the same for every case.
const CHUNK = 1000;
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function measure(fn) {
  let elapsed = 0n;
  for (let done = 0; done < SPANS; done += CHUNK) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CHUNK; i++) fn();
    elapsed += process.hrtime.bigint() - start;
    await tick();
  }
  return Number(elapsed) / SPANS;
}

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const fn of Object.values(cases)) await measure(fn); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(cases)) samples[name].push(await measure(fn));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rawAgent = median(samples[Object.keys(cases)[0]]);
const rawLlm = median(samples['raw startActiveSpan (llm, same 16 attributes)']);
console.log(`${SPANS} spans x ${ROUNDS} rounds, median ns per span (lower is better)\n`);
for (const [name, values] of Object.entries(samples)) {
  const ns = median(values);
  const rawNs = name.includes('llm') || name.includes('Llm') ? rawLlm : rawAgent;
  console.log(`${name.padEnd(52)} ${ns.toFixed(0).padStart(7)} ns   ${(ns / rawNs).toFixed(2)}x raw`);
}

await Promise.all([tracing.shutdown(), noCapture.shutdown(), provider.shutdown()]);
const ended = SPANS * (ROUNDS + 1);
console.log(
  `\nexported/ended: raw ${raw.exported}/${ended * 2}, ours ${ours.exported}/${ended * 2}, ` +
    `capture off ${quiet.exported}/${ended}; dropped: ${tracing.stats.dropped + noCapture.stats.dropped}`,
);
if (raw.exported !== ended * 2 || ours.exported !== ended * 2 || quiet.exported !== ended) {
  console.error('Spans were dropped: the figures above are not comparable.');
  process.exitCode = 1;
}
