/**
 * The OpenTelemetry GenAI semantic-convention names this package sets,
 * copied here because the upstream constants are incubating or deprecated
 * (`@opentelemetry/semantic-conventions/incubating`).
 *
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-agent-spans/
 */

/** The operation: `chat`, `execute_tool`, `invoke_agent`, `invoke_workflow`. */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** The GenAI provider, e.g. `openai`, `anthropic`, `aws.bedrock`. */
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** The model the request asked for. */
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
/** The model that answered. */
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
/** The provider's id of the response. */
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
/** Why generation stopped, one entry per choice. */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
/** Of the input tokens, those read from the provider's prompt cache. */
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
/** Of the input tokens, those written to the provider's prompt cache. */
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';
/** Tokens in the prompt (input). */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
/** Tokens in the completion (output). */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
/** The agent's unique id. */
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
/** The agent's human-readable name. */
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
/** The tool's name. */
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** The id of the tool call, as given by the model. */
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
/** The workflow's name. */
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';

/** Values of `gen_ai.operation.name` used here. */
export const GEN_AI_OPERATION = {
  CHAT: 'chat',
  EXECUTE_TOOL: 'execute_tool',
  INVOKE_AGENT: 'invoke_agent',
  INVOKE_WORKFLOW: 'invoke_workflow',
} as const;

/** The standard `error.type` attribute. @see https://opentelemetry.io/docs/specs/semconv/attributes-registry/error/ */
export const ATTR_ERROR_TYPE = 'error.type';
