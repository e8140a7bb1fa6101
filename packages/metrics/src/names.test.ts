import { describe, expect, it } from 'vitest';
import { BOUNDED_LABELS, GEN_AI_METRICS, GEN_AI_TOKEN_TYPE, METRICS } from './names';

// The plan's section 1, written out literally on purpose: a rename breaks this test. The one
// departure: the tool-call, LLM-request and LLM-cost counters also carry `agent_id`.
const SEED = [
  ['genxai_agent_executions_total', 'Total number of agent executions', 'counter', ['agent_id', 'status']],
  ['genxai_agent_errors_total', 'Total number of agent errors', 'counter', ['agent_id', 'error_type']],
  [
    'genxai_agent_execution_duration_seconds',
    'Agent execution duration in seconds',
    'histogram',
    ['agent_id'],
    [0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0],
  ],
  ['genxai_agent_active_executions', 'Number of currently active agent executions', 'gauge', ['agent_id']],
  ['genxai_tool_calls_total', 'Total number of tool calls', 'counter', ['tool_name', 'agent_id', 'status']],
  [
    'genxai_tool_execution_duration_seconds',
    'Tool execution duration in seconds',
    'histogram',
    ['tool_name'],
    [0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0],
  ],
  ['genxai_tool_errors_total', 'Total number of tool errors', 'counter', ['tool_name', 'error_type']],
  [
    'genxai_llm_requests_total',
    'Total number of LLM requests',
    'counter',
    ['provider', 'model', 'agent_id', 'status'],
  ],
  ['genxai_llm_tokens_total', 'Total number of tokens used', 'counter', ['provider', 'model', 'token_type']],
  ['genxai_llm_cost_total', 'Total estimated cost in USD', 'counter', ['provider', 'model', 'agent_id']],
  [
    'genxai_llm_request_duration_seconds',
    'LLM request duration in seconds',
    'histogram',
    ['provider', 'model'],
    [0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0],
  ],
  [
    'genxai_memory_operations_total',
    'Total number of memory operations',
    'counter',
    ['operation_type', 'memory_type', 'status'],
  ],
  [
    'genxai_memory_operation_duration_seconds',
    'Memory operation duration in seconds',
    'histogram',
    ['operation_type', 'memory_type'],
    [0.001, 0.01, 0.05, 0.1, 0.5, 1.0],
  ],
  ['genxai_memory_size_bytes', 'Current memory size in bytes', 'gauge', ['agent_id', 'memory_type']],
  [
    'genxai_workflow_executions_total',
    'Total number of workflow executions',
    'counter',
    ['workflow_id', 'status'],
  ],
  [
    'genxai_workflow_execution_duration_seconds',
    'Workflow execution duration in seconds',
    'histogram',
    ['workflow_id'],
    [1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 600.0],
  ],
  [
    'genxai_workflow_node_executions_total',
    'Total number of workflow node executions',
    'counter',
    ['workflow_id', 'node_id', 'status'],
  ],
] as const;

describe('METRICS matches the observability plan', () => {
  it('defines exactly the 17 metrics of section 1', () => {
    expect(Object.values(METRICS).map((m) => m.name)).toEqual(SEED.map(([name]) => name));
  });

  it.each(SEED)('%s', (name, help, type, labelNames, buckets?: readonly number[]) => {
    const definition = Object.values(METRICS).find((m) => m.name === name);
    // Where agent_id was added, the cap folds it first.
    const foldFirst = (labelNames as readonly string[]).includes('agent_id') && labelNames[0] !== 'agent_id';
    expect(definition).toEqual({
      name,
      help,
      type,
      labelNames,
      ...(buckets ? { buckets } : {}),
      ...(foldFirst ? { foldFirst: ['agent_id'] } : {}),
    });
  });
});

// OTel semconv v1.41.1 (the last release carrying the GenAI conventions), written out literally on purpose.
// https://github.com/open-telemetry/semantic-conventions/blob/v1.41.1/docs/gen-ai/gen-ai-metrics.md
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const SECONDS_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const CLIENT_LABELS = [
  'gen_ai_operation_name',
  'gen_ai_provider_name',
  'gen_ai_request_model',
  'gen_ai_response_model',
];
const SEMCONV = [
  [
    'gen_ai_client_token_usage',
    'gen_ai.client.token.usage',
    '{token}',
    'Number of input and output tokens used.',
    [...CLIENT_LABELS, 'gen_ai_token_type'],
    TOKEN_BUCKETS,
  ],
  [
    'gen_ai_client_operation_duration_seconds',
    'gen_ai.client.operation.duration',
    's',
    'GenAI operation duration.',
    [...CLIENT_LABELS, 'error_type'],
    SECONDS_BUCKETS,
  ],
  [
    'gen_ai_client_operation_time_to_first_chunk_seconds',
    'gen_ai.client.operation.time_to_first_chunk',
    's',
    'Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream.',
    CLIENT_LABELS,
    // The conventions give the client streaming metrics no boundaries; these are their server-side
    // time_to_first_token ones.
    [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
  ],
  [
    'gen_ai_client_operation_time_per_output_chunk_seconds',
    'gen_ai.client.operation.time_per_output_chunk',
    's',
    'Time per output chunk, recorded for each chunk received after the first one, measured as the time elapsed from the end of the previous chunk to the end of the current chunk.',
    CLIENT_LABELS,
    // The server-side time_per_output_token boundaries, likewise.
    [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5],
  ],
] as const;

describe('GEN_AI_METRICS matches the OTel GenAI client metrics', () => {
  it("defines the four client metrics, in the conventions' order", () => {
    expect(Object.values(GEN_AI_METRICS).map((m) => m.name)).toEqual(SEMCONV.map(([name]) => name));
  });

  it.each(SEMCONV)('%s', (name, otelName, unit, help, labelNames, buckets) => {
    const definition = Object.values(GEN_AI_METRICS).find((m) => m.name === name);
    expect(definition).toEqual({
      name,
      help,
      type: 'histogram',
      labelNames,
      buckets,
      otel: { name: otelName, unit },
    });
  });

  it.each(Object.values(GEN_AI_METRICS))('$name is the Prometheus name of $otel.name in $otel.unit', (m) => {
    // Prometheus's OTLP translation: dots become underscores, `s` adds `_seconds`, a `{…}` annotation adds nothing.
    const suffix = { s: '_seconds', '{token}': '' }[m.otel.unit];
    expect(m.name).toBe(`${m.otel.name.replaceAll('.', '_')}${suffix}`);
  });

  it('has the released token types only, and keeps them when folding', () => {
    expect(GEN_AI_TOKEN_TYPE).toEqual({ input: 'input', output: 'output' });
    expect(BOUNDED_LABELS.has('gen_ai_token_type')).toBe(true);
    expect(BOUNDED_LABELS.has('gen_ai_request_model')).toBe(false);
  });
});
