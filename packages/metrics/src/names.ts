/**
 * Every metric name, help text, label name and bucket boundary this package
 * emits, defined once. Dashboards, alert rules, docs and tests import these;
 * nothing else spells a metric name.
 *
 * The names follow the Prometheus naming conventions (base unit in the name,
 * `_total` on counters).
 * @see https://prometheus.io/docs/practices/naming/
 */

/** Label names, as they appear in the exposition. */
export const LABEL = {
  agentId: 'agent_id',
  status: 'status',
  errorType: 'error_type',
  toolName: 'tool_name',
  provider: 'provider',
  model: 'model',
  tokenType: 'token_type',
  operationType: 'operation_type',
  memoryType: 'memory_type',
  workflowId: 'workflow_id',
  nodeId: 'node_id',
  metric: 'metric',
  outcome: 'outcome',
} as const;

/** A label name this package emits. */
export type LabelName = (typeof LABEL)[keyof typeof LABEL];

/** Values of the `token_type` label on `genxai_llm_tokens_total`. */
export const TOKEN_TYPE = { prompt: 'prompt', completion: 'completion', total: 'total' } as const;

/** Values of the `token_type` label. */
export type TokenType = (typeof TOKEN_TYPE)[keyof typeof TOKEN_TYPE];

/** Values of the `operation_type` label that the seed names (any string is accepted). */
export const MEMORY_OPERATION = { store: 'store', retrieve: 'retrieve', search: 'search' } as const;

/** The kind of a Prometheus metric. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** The definition of one metric: everything needed to create it. */
export interface MetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labelNames: readonly LabelName[];
  /** Bucket upper bounds in seconds (or bytes), histograms only. */
  readonly buckets?: readonly number[];
}

const define = <const D extends MetricDefinition>(definition: D): D => definition;

/**
 * The 17 metrics of the GenXAI observability plan (section 1), exactly as the
 * plan defines them, plus {@link SELF_METRICS}.
 */
export const METRICS = {
  agentExecutionsTotal: define({
    name: 'genxai_agent_executions_total',
    help: 'Total number of agent executions',
    type: 'counter',
    labelNames: [LABEL.agentId, LABEL.status],
  }),
  agentErrorsTotal: define({
    name: 'genxai_agent_errors_total',
    help: 'Total number of agent errors',
    type: 'counter',
    labelNames: [LABEL.agentId, LABEL.errorType],
  }),
  agentExecutionDurationSeconds: define({
    name: 'genxai_agent_execution_duration_seconds',
    help: 'Agent execution duration in seconds',
    type: 'histogram',
    labelNames: [LABEL.agentId],
    buckets: [0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0],
  }),
  agentActiveExecutions: define({
    name: 'genxai_agent_active_executions',
    help: 'Number of currently active agent executions',
    type: 'gauge',
    labelNames: [LABEL.agentId],
  }),
  toolCallsTotal: define({
    name: 'genxai_tool_calls_total',
    help: 'Total number of tool calls',
    type: 'counter',
    labelNames: [LABEL.toolName, LABEL.status],
  }),
  toolExecutionDurationSeconds: define({
    name: 'genxai_tool_execution_duration_seconds',
    help: 'Tool execution duration in seconds',
    type: 'histogram',
    labelNames: [LABEL.toolName],
    buckets: [0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0],
  }),
  toolErrorsTotal: define({
    name: 'genxai_tool_errors_total',
    help: 'Total number of tool errors',
    type: 'counter',
    labelNames: [LABEL.toolName, LABEL.errorType],
  }),
  llmRequestsTotal: define({
    name: 'genxai_llm_requests_total',
    help: 'Total number of LLM requests',
    type: 'counter',
    labelNames: [LABEL.provider, LABEL.model, LABEL.status],
  }),
  llmTokensTotal: define({
    name: 'genxai_llm_tokens_total',
    help: 'Total number of tokens used',
    type: 'counter',
    labelNames: [LABEL.provider, LABEL.model, LABEL.tokenType],
  }),
  llmCostTotal: define({
    name: 'genxai_llm_cost_total',
    help: 'Total estimated cost in USD',
    type: 'counter',
    labelNames: [LABEL.provider, LABEL.model],
  }),
  llmRequestDurationSeconds: define({
    name: 'genxai_llm_request_duration_seconds',
    help: 'LLM request duration in seconds',
    type: 'histogram',
    labelNames: [LABEL.provider, LABEL.model],
    buckets: [0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0],
  }),
  memoryOperationsTotal: define({
    name: 'genxai_memory_operations_total',
    help: 'Total number of memory operations',
    type: 'counter',
    labelNames: [LABEL.operationType, LABEL.memoryType, LABEL.status],
  }),
  memoryOperationDurationSeconds: define({
    name: 'genxai_memory_operation_duration_seconds',
    help: 'Memory operation duration in seconds',
    type: 'histogram',
    labelNames: [LABEL.operationType, LABEL.memoryType],
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1.0],
  }),
  memorySizeBytes: define({
    name: 'genxai_memory_size_bytes',
    help: 'Current memory size in bytes',
    type: 'gauge',
    labelNames: [LABEL.agentId, LABEL.memoryType],
  }),
  workflowExecutionsTotal: define({
    name: 'genxai_workflow_executions_total',
    help: 'Total number of workflow executions',
    type: 'counter',
    labelNames: [LABEL.workflowId, LABEL.status],
  }),
  workflowExecutionDurationSeconds: define({
    name: 'genxai_workflow_execution_duration_seconds',
    help: 'Workflow execution duration in seconds',
    type: 'histogram',
    labelNames: [LABEL.workflowId],
    buckets: [1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 600.0],
  }),
  workflowNodeExecutionsTotal: define({
    name: 'genxai_workflow_node_executions_total',
    help: 'Total number of workflow node executions',
    type: 'counter',
    labelNames: [LABEL.workflowId, LABEL.nodeId, LABEL.status],
  }),
} as const;

/** Metrics about the metrics library itself. */
export const SELF_METRICS = {
  cardinalityOverflowTotal: define({
    name: 'genxai_metrics_cardinality_overflow_total',
    help: 'Number of recordings whose label values were folded into the overflow value because the metric reached its label-set cap',
    type: 'counter',
    labelNames: [LABEL.metric],
  }),
  telemetrySpansTotal: define({
    name: 'genxai_telemetry_spans_total',
    help: 'Sampled spans the tracing pipeline finished with, by outcome: exported, failed (the export failed) or dropped (the queue was full or closed)',
    type: 'counter',
    labelNames: [LABEL.outcome],
  }),
} as const;

/** Values of the `outcome` label on `genxai_telemetry_spans_total`. */
export const SPAN_OUTCOME = { exported: 'exported', failed: 'failed', dropped: 'dropped' } as const;

/** The key of one of the plan's metrics in {@link METRICS}. */
export type MetricKey = keyof typeof METRICS;

/**
 * Labels whose values come from a small fixed set we control. Every other
 * label is folded into the overflow value when a metric reaches its cap.
 */
export const BOUNDED_LABELS: ReadonlySet<LabelName> = new Set([LABEL.status, LABEL.tokenType, LABEL.outcome]);

/** The label value that stands for every value past a metric's cardinality cap. */
export const OVERFLOW_LABEL_VALUE = '__overflow__';
