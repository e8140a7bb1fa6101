// The workload every contender records: one agent execution of four operations (the agent, one LLM
// request, two tool calls), and the raw primitives writing the same telemetry by hand (the floor).
import { Writable } from 'node:stream';
import { GEN_AI_METRICS, METRICS } from '@genxai/metrics';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { countingExporter } from '../../../scripts/bench-utils.mjs';

export const TASK = 'Summarise the quarterly report for the finance team';
export const LLM_RESULT = { content: 'answer text', usage: { prompt_tokens: 120, completion_tokens: 40 } };
const SEARCH = { q: 'report' };
const FETCH = { url: 'doc' };

/** A batch processor configuration big enough that a benchmark never fills the queue. */
export const BATCH = { maxQueueSize: 65_536, maxExportBatchSize: 512, scheduledDelayMillis: 5000 };

/** A destination that discards what it is written, as fast as pino can write. */
export const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

// Some real work: arithmetic calibrated once to take `ms` milliseconds (a model call's parsing, a
// tool's computation), so an overhead share is measured against work that itself costs CPU. (A loop
// reading the clock would make millions of clock reads, which a virtual machine may trap.)
let iterationsPerMs = 0;
let sink = 0;
function arithmetic(iterations) {
  let x = 0;
  for (let i = 0; i < iterations; i++) x += Math.sqrt(i);
  sink += x;
}
function calibrate() {
  arithmetic(1e6);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    arithmetic(1e6);
    best = Math.min(best, performance.now() - started);
  }
  iterationsPerMs = 1e6 / best;
}

/** The time spent in `spin`, so far (the end-to-end case subtracts it from each execution). */
export const work = { ms: 0 };

/** Spends about `ms` milliseconds of CPU. */
export function spin(ms) {
  if (ms <= 0) return;
  if (iterationsPerMs === 0) calibrate();
  const started = performance.now();
  arithmetic(Math.round(ms * iterationsPerMs));
  work.ms += performance.now() - started;
}

/** Keeps the result of the work observable, so it is not optimized away. */
export const workDone = () => sink;

/** The execution through the umbrella: the plan's wrappers, nested, with the LLM result read by them. */
export function umbrellaExecution(obs, workMs = 0) {
  const info = { agentId: 'planner', role: 'planner', task: TASK };
  const llm = { provider: 'openai', model: 'gpt-4o-mini', prompt: TASK };
  const search = { toolName: 'search', parameters: SEARCH };
  const fetch = { toolName: 'fetch', parameters: FETCH };
  return () =>
    obs.observeAgent(info, async () => {
      await obs.observeLLM(llm, async () => {
        spin(workMs);
        return LLM_RESULT;
      });
      await obs.observeTool(search, async () => 'found');
      await obs.observeTool(fetch, async () => 'doc');
      return 'done';
    });
}

/** The same execution with no telemetry at all. */
export function bareExecution(workMs = 0) {
  return async () => {
    await (async () => {
      spin(workMs);
      return LLM_RESULT;
    })();
    await (async () => 'found')();
    await (async () => 'doc')();
    return 'done';
  };
}

const exemplarOf = (span) => {
  const { traceId, spanId } = span.spanContext();
  return traceId === '' ? {} : { traceID: traceId, spanID: spanId };
};

/**
 * The floor: prom-client, the OTel SDK and pino written by hand, producing what the umbrella does
 * for this execution: the same four spans with the same attributes, the same metric updates (label
 * sets resolved once, as a hand-written app caches them, with exemplars as the umbrella records
 * them), and the same four log lines with the same fields, to the same kind of destination.
 */
export function floorExecution({ metrics = true, tracing = true, logging = true, workMs = 0 } = {}) {
  const registry = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  const def = (d) => ({ name: d.name, help: d.help, labelNames: [...d.labelNames], registers: [registry] });
  const counter = (d) => new Counter({ ...def(d), enableExemplars: true });
  const histogram = (d) => new Histogram({ ...def(d), buckets: [...d.buckets], enableExemplars: true });
  const m = {
    agentTotal: counter(METRICS.agentExecutionsTotal),
    agentDuration: histogram(METRICS.agentExecutionDurationSeconds),
    agentActive: new Gauge(def(METRICS.agentActiveExecutions)),
    toolTotal: counter(METRICS.toolCallsTotal),
    toolDuration: histogram(METRICS.toolExecutionDurationSeconds),
    llmTotal: counter(METRICS.llmRequestsTotal),
    llmDuration: histogram(METRICS.llmRequestDurationSeconds),
    llmTokens: counter(METRICS.llmTokensTotal),
    llmCost: counter(METRICS.llmCostTotal),
    tokenUsage: histogram(GEN_AI_METRICS.clientTokenUsage),
    operationDuration: histogram(GEN_AI_METRICS.clientOperationDurationSeconds),
  };
  const agentLabels = { agent_id: 'planner' };
  const agentSuccess = { agent_id: 'planner', status: 'success' };
  const llmLabels = { provider: 'openai', model: 'gpt-4o-mini' };
  // The tool-call, LLM-request and LLM-cost counters carry the agent, as the umbrella records them.
  const llmCostLabels = { ...llmLabels, agent_id: 'planner' };
  const llmSuccess = { ...llmCostLabels, status: 'success' };
  const tokenLabels = ['prompt', 'completion', 'total'].map((token_type) => ({ ...llmLabels, token_type }));
  const genAi = {
    gen_ai_operation_name: 'chat',
    gen_ai_provider_name: 'openai',
    gen_ai_request_model: 'gpt-4o-mini',
    gen_ai_response_model: '',
  };
  const usageLabels = ['input', 'output'].map((gen_ai_token_type) => ({ ...genAi, gen_ai_token_type }));
  const durationLabels = { ...genAi, error_type: '' };
  const toolLabels = (tool_name) => [{ tool_name }, { tool_name, agent_id: 'planner', status: 'success' }];
  const [searchLabels, searchSuccess] = toolLabels('search');
  const [fetchLabels, fetchSuccess] = toolLabels('fetch');

  const exporter = countingExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, BATCH)] });
  const tracer = provider.getTracer('floor');

  const levels = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARNING', 50: 'ERROR', 60: 'CRITICAL' };
  const root = pino(
    {
      level: 'info',
      messageKey: 'message',
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      formatters: { level: (_label, number) => ({ level: levels[number] }) },
      name: 'bench',
    },
    discard(),
  );
  // Without spans there are no ids to write, as in the umbrella.
  const traceFields = (span) => {
    if (!tracing) return {};
    const { traceId, spanId } = span.spanContext();
    return { trace_id: traceId, span_id: spanId, trace_flags: '01' };
  };

  const input = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: TASK }] }]);
  const noSpan = {
    setAttribute() {},
    setAttributes() {},
    end() {},
    spanContext: () => ({ traceId: '', spanId: '' }),
  };
  const inSpan = (name, kind, attributes, fn) =>
    tracing ? tracer.startActiveSpan(name, { kind, attributes }, fn) : fn(noSpan);

  const tool = (name, parameters, labels, success, result) =>
    inSpan(
      'tool.execute',
      SpanKind.INTERNAL,
      {
        'tool.name': name,
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': name,
        'tool.parameters': JSON.stringify(parameters),
      },
      async (span) => {
        const started = performance.now();
        const log = logging
          ? root.child({ agent_id: 'planner', agent_role: 'planner', tool_name: name })
          : undefined;
        const value = await (async () => result)();
        const seconds = (performance.now() - started) / 1000;
        if (metrics) {
          const exemplarLabels = exemplarOf(span);
          m.toolDuration.observe({ labels, value: seconds, exemplarLabels });
          m.toolTotal.inc({ labels: success, value: 1, exemplarLabels });
        }
        span.setAttributes({ 'tool.result_size': value.length, status: 'success' });
        log?.info({ ...traceFields(span), status: 'success', duration: seconds }, 'Tool call completed');
        span.end();
        return value;
      },
    );

  const llm = () =>
    inSpan(
      'llm.generate',
      SpanKind.CLIENT,
      {
        'llm.provider': 'openai',
        'llm.model': 'gpt-4o-mini',
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.system': 'openai',
        'llm.prompt_length': TASK.length,
        'llm.prompt': TASK,
        'gen_ai.input.messages': input,
      },
      async (span) => {
        const started = performance.now();
        const log = logging
          ? root.child({
              agent_id: 'planner',
              agent_role: 'planner',
              provider: 'openai',
              model: 'gpt-4o-mini',
            })
          : undefined;
        const result = await (async () => {
          spin(workMs);
          return LLM_RESULT;
        })();
        const seconds = (performance.now() - started) / 1000;
        const { prompt_tokens: input, completion_tokens: output } = result.usage;
        const cost = (input * 0.15 + output * 0.6) / 1e6;
        if (metrics) {
          const exemplarLabels = exemplarOf(span);
          m.llmDuration.observe({ labels: llmLabels, value: seconds, exemplarLabels });
          m.llmTotal.inc({ labels: llmSuccess, value: 1, exemplarLabels });
          m.llmTokens.inc({ labels: tokenLabels[0], value: input, exemplarLabels });
          m.llmTokens.inc({ labels: tokenLabels[1], value: output, exemplarLabels });
          m.llmTokens.inc({ labels: tokenLabels[2], value: input + output, exemplarLabels });
          m.llmCost.inc({ labels: llmCostLabels, value: cost, exemplarLabels });
          m.tokenUsage.observe({ labels: usageLabels[0], value: input, exemplarLabels });
          m.tokenUsage.observe({ labels: usageLabels[1], value: output, exemplarLabels });
          m.operationDuration.observe({ labels: durationLabels, value: seconds, exemplarLabels });
        }
        span.setAttributes({
          'llm.completion_length': result.content.length,
          'llm.completion': result.content,
          'gen_ai.output.messages': JSON.stringify([
            { role: 'assistant', parts: [{ type: 'text', content: result.content }], finish_reason: 'stop' },
          ]),
          'llm.tokens.prompt': input,
          'gen_ai.usage.input_tokens': input,
          'llm.tokens.completion': output,
          'gen_ai.usage.output_tokens': output,
          'llm.tokens.total': input + output,
          status: 'success',
        });
        log?.info(
          {
            ...traceFields(span),
            status: 'success',
            duration: seconds,
            tokens_used: input + output,
            input_tokens: input,
            output_tokens: output,
            cost_usd: cost,
          },
          'LLM request completed',
        );
        span.end();
        return result;
      },
    );

  const run = () =>
    inSpan(
      'agent.execute',
      SpanKind.INTERNAL,
      {
        'agent.id': 'planner',
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.id': 'planner',
        'gen_ai.agent.name': 'planner',
        'agent.role': 'planner',
        task: TASK,
      },
      async (span) => {
        const started = performance.now();
        if (metrics) m.agentActive.inc(agentLabels);
        const log = logging ? root.child({ agent_id: 'planner', agent_role: 'planner' }) : undefined;
        await llm();
        await tool('search', SEARCH, searchLabels, searchSuccess, 'found');
        await tool('fetch', FETCH, fetchLabels, fetchSuccess, 'doc');
        const seconds = (performance.now() - started) / 1000;
        if (metrics) {
          const exemplarLabels = exemplarOf(span);
          m.agentActive.dec(agentLabels);
          m.agentDuration.observe({ labels: agentLabels, value: seconds, exemplarLabels });
          m.agentTotal.inc({ labels: agentSuccess, value: 1, exemplarLabels });
        }
        span.setAttribute('status', 'success');
        log?.info(
          { ...traceFields(span), status: 'success', duration: seconds },
          'Agent execution completed',
        );
        span.end();
        return 'done';
      },
    );
  return { run, exporter, provider, registry, flush: () => provider.forceFlush() };
}

export { context, countingExporter, trace };
