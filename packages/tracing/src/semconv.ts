/**
 * The OpenTelemetry GenAI semantic-convention names this package sets, as released in
 * semantic-conventions **v1.41.1** (the last release of the GenAI conventions in the core
 * repository; they continue in `open-telemetry/semantic-conventions-genai`, whose first release,
 * v0.1.0, renames the inference span and metrics: we keep emitting v1.41.1 by default, as the
 * conventions' transition plan asks). Copied here because the upstream constants are incubating or deprecated
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
/** A tool's result (opt-in content: recorded with content capture on, redacted and cut). */
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
/** The workflow's name. */
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';
/**
 * The provider, under its name before v1.37 (`gen_ai.provider.name` since). Written beside the new
 * name for backends that still read it, unless `OTEL_SEMCONV_STABILITY_OPT_IN` asks for
 * `gen_ai_latest_experimental`.
 */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system';

/** Request parameters, from the SDK request (`LlmOperation.request`). */
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
export const ATTR_GEN_AI_REQUEST_TOP_K = 'gen_ai.request.top_k';
export const ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY = 'gen_ai.request.frequency_penalty';
export const ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY = 'gen_ai.request.presence_penalty';
export const ATTR_GEN_AI_REQUEST_STOP_SEQUENCES = 'gen_ai.request.stop_sequences';
export const ATTR_GEN_AI_REQUEST_SEED = 'gen_ai.request.seed';
/** How many choices were asked for; written only when not 1. */
export const ATTR_GEN_AI_REQUEST_CHOICE_COUNT = 'gen_ai.request.choice.count';
/** A streamed response's time from the request to its first content chunk, in seconds. */
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
/** Whether the response was asked for as a stream. */
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';

/** Content, in the conventions' JSON structures, written only with content capture on. */
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
export const ATTR_GEN_AI_TOOL_DEFINITIONS = 'gen_ai.tool.definitions';

/** Values of `gen_ai.operation.name` used here. */
export const GEN_AI_OPERATION = {
  CHAT: 'chat',
  EXECUTE_TOOL: 'execute_tool',
  INVOKE_AGENT: 'invoke_agent',
  INVOKE_WORKFLOW: 'invoke_workflow',
} as const;

/** The standard `error.type` attribute. @see https://opentelemetry.io/docs/specs/semconv/attributes-registry/error/ */
export const ATTR_ERROR_TYPE = 'error.type';

/**
 * The OpenTelemetry MCP conventions' attributes (`docs/gen-ai/mcp.md`, status: development).
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/mcp/
 */
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
export const ATTR_MCP_RESOURCE_URI = 'mcp.resource.uri';
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
export const ATTR_RPC_RESPONSE_STATUS_CODE = 'rpc.response.status_code';
export const ATTR_GEN_AI_PROMPT_NAME = 'gen_ai.prompt.name';
export const ATTR_NETWORK_TRANSPORT = 'network.transport';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
/** The MCP method of a tool call. */
export const MCP_TOOLS_CALL = 'tools/call';
