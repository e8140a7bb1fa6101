// Races the recorders against raw prom-client doing the same work, in one process, and prints ratios.
// Run with `pnpm bench` (builds first). Absolute numbers vary with the machine; read the ratios.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createMetrics, GEN_AI_METRICS, METRICS } from '../dist/index.js';

const ITERATIONS = 200_000;
const ROUNDS = 7;

function measure(fn) {
  for (let i = 0; i < 20_000; i++) fn(i); // warm up
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(ROUNDS / 2)];
}

function raw(registry) {
  const def = (d) => ({ name: d.name, help: d.help, labelNames: [...d.labelNames], registers: [registry] });
  return {
    total: new Counter(def(METRICS.agentExecutionsTotal)),
    duration: new Histogram({
      ...def(METRICS.agentExecutionDurationSeconds),
      buckets: [...METRICS.agentExecutionDurationSeconds.buckets],
    }),
    active: new Gauge(def(METRICS.agentActiveExecutions)),
    tokens: new Counter(def(METRICS.llmTokensTotal)),
    cost: new Counter(def(METRICS.llmCostTotal)),
    tokenUsage: new Histogram({
      ...def(GEN_AI_METRICS.clientTokenUsage),
      buckets: [...GEN_AI_METRICS.clientTokenUsage.buckets],
    }),
  };
}

const agents = Array.from({ length: 50 }, (_, i) => `agent-${i}`);
const results = [];

{
  const r = raw(new Registry());
  const ours = createMetrics({ registry: new Registry() });
  const rawNs = measure((i) => {
    const agent_id = agents[i % 50];
    const start = performance.now();
    r.active.inc({ agent_id });
    r.active.dec({ agent_id });
    r.duration.observe({ agent_id }, (performance.now() - start) / 1000);
    r.total.inc({ agent_id, status: 'success' });
  });
  const oursNs = measure((i) => ours.agent.start({ agentId: agents[i % 50] }).succeed());
  results.push(['agent execution (gauge, histogram, counter)', rawNs, oursNs]);
}

{
  const r = raw(new Registry());
  const ours = createMetrics({ registry: new Registry() });
  const usage = { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 200 };
  const rawNs = measure(() => {
    const labels = { provider: 'openai', model: 'gpt-4o-mini' };
    r.tokens.inc({ ...labels, token_type: 'prompt' }, 1200);
    r.tokens.inc({ ...labels, token_type: 'completion' }, 300);
    r.tokens.inc({ ...labels, token_type: 'total' }, 1500);
    r.cost.inc(labels, (1000 * 0.15 + 200 * 0.075 + 300 * 0.6) / 1e6);
    const genAi = {
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai',
      gen_ai_request_model: 'gpt-4o-mini',
      gen_ai_response_model: '',
    };
    r.tokenUsage.observe({ ...genAi, gen_ai_token_type: 'input' }, 1200);
    r.tokenUsage.observe({ ...genAi, gen_ai_token_type: 'output' }, 300);
  });
  const oursNs = measure(() => ours.llm.recordUsage({ provider: 'openai', model: 'gpt-4o-mini' }, usage));
  results.push(['LLM usage (3 counters, cost, 2 semconv observations)', rawNs, oursNs]);
}

console.log(`@genxai/metrics vs raw prom-client, median of ${ROUNDS} rounds of ${ITERATIONS} calls`);
console.log('case'.padEnd(54), 'raw ns/op'.padStart(10), 'ours ns/op'.padStart(11), 'ratio'.padStart(7));
for (const [name, rawNs, oursNs] of results) {
  console.log(
    name.padEnd(54),
    rawNs.toFixed(0).padStart(10),
    oursNs.toFixed(0).padStart(11),
    `${(oursNs / rawNs).toFixed(2)}x`.padStart(7),
  );
}
