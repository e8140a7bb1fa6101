import { LABEL } from '@genxai/metrics';

/**
 * The fields the wrappers write on their log lines, defined once. Context keys
 * reuse the metric label names (`agent_id`, `tool_name`, …), so a log query and a
 * PromQL selector read the same.
 */
export const LOG_FIELDS = {
  agentId: LABEL.agentId,
  agentRole: 'agent_role',
  task: 'task',
  toolName: LABEL.toolName,
  provider: LABEL.provider,
  model: LABEL.model,
  operationType: LABEL.operationType,
  memoryType: LABEL.memoryType,
  workflowId: LABEL.workflowId,
  nodeId: LABEL.nodeId,
  nodeType: 'node_type',
  status: LABEL.status,
  /** Seconds the operation took. */
  duration: 'duration',
  errorType: LABEL.errorType,
  /** Input plus output tokens of an LLM request. */
  tokensUsed: 'tokens_used',
  /** An LLM request's input tokens (cached ones included). */
  inputTokens: 'input_tokens',
  /** An LLM request's output tokens (reasoning included). */
  outputTokens: 'output_tokens',
  /** Of the input tokens, those read from the prompt cache. */
  cachedTokens: 'cached_tokens',
  /** The model that answered, as the response says. */
  responseModel: 'response_model',
  /** The request's cost in USD from the price table, as `genxai_llm_cost_total` counts it. */
  costUsd: 'cost_usd',
  /** An MCP request's method (`tools/call`, `resources/read`, …). */
  mcpMethod: 'mcp_method',
  /** An MCP request's session id, when its transport has sessions. */
  mcpSessionId: 'mcp_session_id',
} as const;
