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
} as const;
