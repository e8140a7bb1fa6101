/**
 * Every metric name, help text, label name and bucket boundary this package
 * emits, defined once. Dashboards, alert rules, docs and tests import these;
 * nothing else spells a metric name.
 *
 * The names follow the Prometheus naming conventions (base unit in the name,
 * `_total` on counters). {@link GEN_AI_METRICS} are named as Prometheus names
 * the OpenTelemetry GenAI client metrics it ingests.
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
  /** OTel `gen_ai.operation.name`. */
  genAiOperationName: 'gen_ai_operation_name',
  /** OTel `gen_ai.provider.name`. */
  genAiProviderName: 'gen_ai_provider_name',
  /** OTel `gen_ai.request.model`. */
  genAiRequestModel: 'gen_ai_request_model',
  /** OTel `gen_ai.response.model`; empty when the response did not say. */
  genAiResponseModel: 'gen_ai_response_model',
  /** OTel `gen_ai.token.type`. */
  genAiTokenType: 'gen_ai_token_type',
  /** OTel `mcp.method.name`. */
  mcpMethodName: 'mcp_method_name',
  /** OTel `gen_ai.tool.name`, on the MCP metrics (a tool call over MCP). */
  genAiToolName: 'gen_ai_tool_name',
  /** OTel `gen_ai.prompt.name`, on the MCP metrics (`prompts/get`). */
  genAiPromptName: 'gen_ai_prompt_name',
  /** OTel `mcp.protocol.version`. */
  mcpProtocolVersion: 'mcp_protocol_version',
  /** OTel `network.transport`: `pipe` (stdio) or `tcp` (HTTP). */
  networkTransport: 'network_transport',
  /** OTel `rpc.response.status_code`: the JSON-RPC error code of an error response. */
  rpcResponseStatusCode: 'rpc_response_status_code',
} as const;

/** A label name this package emits. */
export type LabelName = (typeof LABEL)[keyof typeof LABEL];

/** Values of the `token_type` label on `genxai_llm_tokens_total`. */
export const TOKEN_TYPE = {
  prompt: 'prompt',
  completion: 'completion',
  total: 'total',
  /** Of the prompt tokens, those read from the provider's prompt cache (a part of `prompt`, not an addition). */
  cacheRead: 'cache_read',
  /** Of the prompt tokens, those written to the provider's prompt cache (a part of `prompt`). */
  cacheWrite: 'cache_write',
  /** Of the completion tokens, the model's reasoning (a part of `completion`, billed as output). */
  reasoning: 'reasoning',
} as const;

/** Values of the `token_type` label. */
export type TokenType = (typeof TOKEN_TYPE)[keyof typeof TOKEN_TYPE];

/**
 * Values of the `gen_ai_token_type` label on `gen_ai_client_token_usage`: the
 * well-known values of OTel `gen_ai.token.type` in the released GenAI
 * conventions (semconv v1.41.1, the last release that carries them). There is
 * no cache or reasoning type: cached input tokens are part of `input`,
 * reasoning tokens part of `output`.
 * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.1/docs/gen-ai/gen-ai-metrics.md
 */
export const GEN_AI_TOKEN_TYPE = { input: 'input', output: 'output' } as const;

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
  /** Bucket upper bounds in the metric's unit, histograms only. */
  readonly buckets?: readonly number[];
  /**
   * Labels folded alone, first, when the metric reaches its label-set cap: a
   * new label set keeps its other values (its model, its tool) with these
   * folded, while such partly folded sets stay under the cap as well.
   */
  readonly foldFirst?: readonly LabelName[];
  /**
   * The OpenTelemetry instrument this metric is, for metrics defined by a
   * semantic convention: its dotted name and UCUM unit. `name` is what
   * Prometheus makes of them (dots to underscores, `s` to `_seconds`, an
   * annotation unit such as `{token}` dropped).
   */
  readonly otel?: { readonly name: string; readonly unit: string };
}

const define = <const D extends MetricDefinition>(definition: D): D => definition;

/**
 * The 17 metrics of the GenXAI observability plan (section 1), as the plan
 * defines them but for one label: `genxai_tool_calls_total`,
 * `genxai_llm_requests_total` and `genxai_llm_cost_total` also carry
 * `agent_id`, the agent whose execution made the call (`''`, that is absent,
 * outside one), so cost, models and tools can be read per agent. The
 * histograms and the token counter keep the plan's labels. Plus
 * {@link SELF_METRICS}.
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
    // agent_id: the agent whose execution made the call ('' outside one).
    labelNames: [LABEL.toolName, LABEL.agentId, LABEL.status],
    foldFirst: [LABEL.agentId],
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
    labelNames: [LABEL.provider, LABEL.model, LABEL.agentId, LABEL.status],
    foldFirst: [LABEL.agentId],
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
    labelNames: [LABEL.provider, LABEL.model, LABEL.agentId],
    foldFirst: [LABEL.agentId],
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

/** The attributes every GenAI client metric carries, in label order. */
const GEN_AI_CLIENT_LABELS = [
  LABEL.genAiOperationName,
  LABEL.genAiProviderName,
  LABEL.genAiRequestModel,
  LABEL.genAiResponseModel,
] as const;

/** Semconv boundaries of `gen_ai.client.token.usage`: powers of 4 from 1 to 4^13. */
const GEN_AI_TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
] as const;

/** Semconv boundaries of the GenAI client durations: 10 ms doubling up to 81.92 s. */
const GEN_AI_SECONDS_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
] as const;

/** Semconv boundaries of `gen_ai.client.operation.time_to_first_chunk` (and of our time to first token). */
const GEN_AI_FIRST_CHUNK_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
] as const;

/** Semconv boundaries of `gen_ai.client.operation.time_per_output_chunk`. */
const GEN_AI_PER_CHUNK_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5,
] as const;

/**
 * The OpenTelemetry GenAI **client** metrics, named, labelled and bucketed as a
 * Prometheus that ingests them from OTLP stores them, so OTel GenAI dashboards
 * and queries work on our `/metrics`. Help texts are the conventions'
 * descriptions. They follow the released GenAI conventions (semconv v1.41.1;
 * from v1.42 the GenAI conventions live in their own repository, whose first
 * release, v0.1.0, renames these instruments; v1.41.1 stays our default).
 *
 * The LLM recorder records `clientTokenUsage` and
 * `clientOperationDurationSeconds` for every request, and the two streaming
 * metrics for a streamed one (its time to first chunk and the times between
 * its content chunks). The conventions give those no bucket boundaries: theirs are the server-side
 * `time_to_first_token` and `time_per_output_token` ones.
 *
 * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.1/docs/gen-ai/gen-ai-metrics.md
 * @see https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/
 */
export const GEN_AI_METRICS = {
  clientTokenUsage: define({
    name: 'gen_ai_client_token_usage',
    help: 'Number of input and output tokens used.',
    type: 'histogram',
    labelNames: [...GEN_AI_CLIENT_LABELS, LABEL.genAiTokenType],
    buckets: GEN_AI_TOKEN_BUCKETS,
    otel: { name: 'gen_ai.client.token.usage', unit: '{token}' },
  }),
  clientOperationDurationSeconds: define({
    name: 'gen_ai_client_operation_duration_seconds',
    help: 'GenAI operation duration.',
    type: 'histogram',
    // `error.type` is set only on failures; Prometheus stores the empty value of a success as no label.
    labelNames: [...GEN_AI_CLIENT_LABELS, LABEL.errorType],
    buckets: GEN_AI_SECONDS_BUCKETS,
    otel: { name: 'gen_ai.client.operation.duration', unit: 's' },
  }),
  clientOperationTimeToFirstChunkSeconds: define({
    name: 'gen_ai_client_operation_time_to_first_chunk_seconds',
    help: 'Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream.',
    type: 'histogram',
    labelNames: GEN_AI_CLIENT_LABELS,
    buckets: GEN_AI_FIRST_CHUNK_BUCKETS,
    otel: { name: 'gen_ai.client.operation.time_to_first_chunk', unit: 's' },
  }),
  clientOperationTimePerOutputChunkSeconds: define({
    name: 'gen_ai_client_operation_time_per_output_chunk_seconds',
    help: 'Time per output chunk, recorded for each chunk received after the first one, measured as the time elapsed from the end of the previous chunk to the end of the current chunk.',
    type: 'histogram',
    labelNames: GEN_AI_CLIENT_LABELS,
    buckets: GEN_AI_PER_CHUNK_BUCKETS,
    otel: { name: 'gen_ai.client.operation.time_per_output_chunk', unit: 's' },
  }),
} as const;

/** The MCP conventions' bucket boundaries for both operation-duration histograms. */
const MCP_SECONDS_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] as const;

// The conventions' attributes of the MCP operation metrics, as labels (empty when absent).
const MCP_LABELS = [
  LABEL.mcpMethodName,
  LABEL.genAiOperationName,
  LABEL.genAiToolName,
  LABEL.genAiPromptName,
  LABEL.mcpProtocolVersion,
  LABEL.networkTransport,
  LABEL.errorType,
  LABEL.rpcResponseStatusCode,
] as const;

/**
 * The OpenTelemetry MCP conventions' operation metrics, named as Prometheus names them when it
 * ingests them from OTLP. `metrics.mcp` and `metrics.tool` (a tool called over MCP) record them;
 * they are registered with the first MCP request, so a service without MCP has no empty families.
 * @see https://github.com/open-telemetry/semantic-conventions/blob/main/docs/gen-ai/mcp.md#metrics
 */
export const MCP_METRICS = {
  clientOperationDurationSeconds: define({
    name: 'mcp_client_operation_duration_seconds',
    help: 'The duration of the MCP request or notification as observed on the sender from the time it was sent until the response or ack is received.',
    type: 'histogram',
    labelNames: MCP_LABELS,
    buckets: MCP_SECONDS_BUCKETS,
    otel: { name: 'mcp.client.operation.duration', unit: 's' },
  }),
  serverOperationDurationSeconds: define({
    name: 'mcp_server_operation_duration_seconds',
    help: 'MCP request or notification duration as observed on the receiver from the time it was received until the result or ack is sent.',
    type: 'histogram',
    labelNames: MCP_LABELS,
    buckets: MCP_SECONDS_BUCKETS,
    otel: { name: 'mcp.server.operation.duration', unit: 's' },
  }),
} as const;

/** The key of one of the metrics in {@link GEN_AI_METRICS}. */
export type GenAiMetricKey = keyof typeof GEN_AI_METRICS;

/**
 * The streamed-response metrics of our own naming, recorded by `metrics.llm` for a streamed request
 * (`timeToFirstChunkSeconds` in the recording options). Beside the seed's metrics, not in `METRICS`,
 * which is the plan's list exactly.
 */
export const STREAM_METRICS = {
  llmTimeToFirstTokenSeconds: define({
    name: 'genxai_llm_time_to_first_token_seconds',
    help: 'Time from the start of a streamed LLM request to its first content chunk, in seconds',
    type: 'histogram',
    labelNames: [LABEL.provider, LABEL.model],
    buckets: GEN_AI_FIRST_CHUNK_BUCKETS,
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
export const BOUNDED_LABELS: ReadonlySet<LabelName> = new Set([
  LABEL.status,
  LABEL.tokenType,
  LABEL.outcome,
  LABEL.genAiTokenType,
]);

/** The label value that stands for every value past a metric's cardinality cap. */
export const OVERFLOW_LABEL_VALUE = '__overflow__';
