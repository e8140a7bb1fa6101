import { describe, expect, it } from 'vitest';
import { METRICS } from './names';

// The plan's section 1, written out literally on purpose: a rename breaks this test.
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
  ['genxai_tool_calls_total', 'Total number of tool calls', 'counter', ['tool_name', 'status']],
  [
    'genxai_tool_execution_duration_seconds',
    'Tool execution duration in seconds',
    'histogram',
    ['tool_name'],
    [0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0],
  ],
  ['genxai_tool_errors_total', 'Total number of tool errors', 'counter', ['tool_name', 'error_type']],
  ['genxai_llm_requests_total', 'Total number of LLM requests', 'counter', ['provider', 'model', 'status']],
  ['genxai_llm_tokens_total', 'Total number of tokens used', 'counter', ['provider', 'model', 'token_type']],
  ['genxai_llm_cost_total', 'Total estimated cost in USD', 'counter', ['provider', 'model']],
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
    expect(definition).toEqual({ name, help, type, labelNames, ...(buckets ? { buckets } : {}) });
  });
});
