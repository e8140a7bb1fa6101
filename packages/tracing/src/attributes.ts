import { ATTR_ERROR_TYPE } from './semconv';

/**
 * The span attribute keys of the GenXAI observability plan (the "seed"
 * names), defined once. Spans also carry the standard `gen_ai.*` keys from
 * `semconv.ts`.
 */
export const ATTR = {
  AGENT_ID: 'agent.id',
  AGENT_ROLE: 'agent.role',
  TASK: 'task',
  STATUS: 'status',
  TOOL_NAME: 'tool.name',
  TOOL_PARAMETERS: 'tool.parameters',
  TOOL_RESULT_SIZE: 'tool.result_size',
  LLM_PROVIDER: 'llm.provider',
  LLM_MODEL: 'llm.model',
  LLM_PROMPT_LENGTH: 'llm.prompt_length',
  LLM_COMPLETION_LENGTH: 'llm.completion_length',
  LLM_TOKENS_TOTAL: 'llm.tokens.total',
  LLM_TOKENS_PROMPT: 'llm.tokens.prompt',
  LLM_TOKENS_COMPLETION: 'llm.tokens.completion',
  /** The tools the model asked to call, in order (names are never content). */
  LLM_TOOL_CALL_NAMES: 'llm.tool_calls.names',
  /** The ids of those calls (`call_…`, `toolu_…`), aligned with the names; set when every call has one. */
  LLM_TOOL_CALL_IDS: 'llm.tool_calls.ids',
  /** The prompt text, redacted and truncated. Only set when content capture is on. */
  LLM_PROMPT: 'llm.prompt',
  /** The completion text, redacted and truncated. Only set when content capture is on. */
  LLM_COMPLETION: 'llm.completion',
  WORKFLOW_ID: 'workflow.id',
  NODE_ID: 'node.id',
  NODE_TYPE: 'node.type',
  MEMORY_TYPE: 'memory.type',
  MEMORY_OPERATION: 'memory.operation',
  ERROR_TYPE: ATTR_ERROR_TYPE,
  /** The error's message, redacted and truncated. */
  ERROR_MESSAGE: 'error.message',
} as const;

/** A seed attribute key. */
export type AttributeKey = (typeof ATTR)[keyof typeof ATTR];

/** The seed's span names. Memory and node spans take a suffix: `memory.store`, `node.plan`. */
export const SPAN_NAME = {
  AGENT: 'agent.execute',
  TOOL: 'tool.execute',
  LLM: 'llm.generate',
  WORKFLOW: 'workflow.execute',
  MEMORY_PREFIX: 'memory.',
  NODE_PREFIX: 'node.',
} as const;
