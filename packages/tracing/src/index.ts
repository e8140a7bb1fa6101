export type {
  AgentOperation,
  LlmOperation,
  LlmResult,
  MemoryOperation,
  NodeOperation,
  Status,
  ToolOperation,
  WorkflowOperation,
} from '@genxai/obs-core';
export { STATUS } from '@genxai/obs-core';
export type { AttributeKey } from './attributes';
export { ATTR, SPAN_NAME } from './attributes';
export type {
  BatchOptions,
  Environment,
  ExporterName,
  JaegerOptions,
  OtlpOptions,
  OtlpProtocol,
  SamplerName,
} from './config';
export {
  DEFAULT_OTLP_TRACES_URL,
  EXPORTER_NAMES,
  JAEGER_AGENT_BINARY_PORT,
  JAEGER_AGENT_COMPACT_PORT,
  OTLP_PROTOCOLS,
  SAMPLER_NAMES,
} from './config';
export type { ContentCaptureOptions } from './content';
export type { TracingStats } from './processor';
export type { HeaderCarrier, PropagationOptions } from './propagation';
export { extractTraceContext, injectTraceHeaders } from './propagation';
export {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_PROTOCOL_VERSION,
  ATTR_MCP_SESSION_ID,
  ATTR_RPC_RESPONSE_STATUS_CODE,
  GEN_AI_OPERATION,
} from './semconv';
export type { ExporterDescription, Tracing, TracingOptions } from './setup';
export { setupTracing } from './setup';
export type { InfoFrom, MethodDecorator, SpanHelpers, SpanHelpersOptions, SpanNaming } from './spans';
export { activeToolSpan, createSpanHelpers, getActiveTraceIds, mcpAttributes, TRACER_NAME } from './spans';
