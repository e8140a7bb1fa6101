import type { TokenUsage } from '@genxai/metrics';

/** An agent execution: labels `agent_id`; span `agent.execute`. */
export interface AgentOperation {
  /** `agent_id` label, `agent.id` and `gen_ai.agent.id`. */
  agentId: string;
  /** `agent.role` on the span, `agent_role` in logs. */
  role?: string;
  /** `gen_ai.agent.name`. @default agentId */
  name?: string;
  /** The task: recorded redacted and truncated on the span and the start log line. */
  task?: unknown;
}

/** A tool call: label `tool_name`; span `tool.execute`. */
export interface ToolOperation {
  toolName: string;
  /** `tool.parameters`, recorded redacted and truncated. */
  parameters?: unknown;
  /** `gen_ai.tool.call.id`. */
  callId?: string;
}

/** An LLM request: labels `provider`, `model`; span `llm.generate`. */
export interface LlmOperation {
  provider: string;
  /** The model id sent to the provider; also the price-table key for `genxai_llm_cost_total`. */
  model: string;
  /** The prompt text: its length and (redacted) text go on the span. */
  prompt?: string;
}

/** A memory operation: labels `operation_type`, `memory_type`; span `memory.<operationType>`. */
export interface MemoryOperation {
  /** `store`, `retrieve`, `search`, … */
  operationType: string;
  /** `short_term`, `long_term`, `vector`, … */
  memoryType: string;
}

/** A workflow execution: label `workflow_id`; span `workflow.execute`. */
export interface WorkflowOperation {
  workflowId: string;
  /** `gen_ai.workflow.name`. @default workflowId */
  name?: string;
}

/** A workflow node execution: labels `workflow_id`, `node_id`; span `node.<nodeId>`. */
export interface NodeOperation {
  workflowId: string;
  nodeId: string;
  /** `node.type`. */
  type?: string;
}

/** Options of `observeLLM`. */
export interface LlmObserveOptions<Result> {
  /**
   * Reads the token usage from the result. By default it is read from the common response
   * shapes (`usage.prompt_tokens`/`completion_tokens`, `input_tokens`/`output_tokens`,
   * cached and reasoning details).
   */
  usage?: (result: Result) => TokenUsage | undefined;
}

/** The operations the umbrella observes, by kind. */
export interface OperationKinds {
  agent: AgentOperation;
  tool: ToolOperation;
  llm: LlmOperation;
  memory: MemoryOperation;
  workflow: WorkflowOperation;
  node: NodeOperation;
}

/** One of `agent`, `tool`, `llm`, `memory`, `workflow`, `node`. */
export type OperationKind = keyof OperationKinds;
