export { formatDuration, parseDuration } from './duration';
export type { Environment } from './env';
export { parseHttpUrl, parsePositiveInteger, readEnv } from './env';
export { errorType } from './error-type';
export { describeValue, GenxaiObservabilityError, invalidOption } from './errors';
export { handOver } from './hand-over';
export type { LlmResult, LlmResultReader, LlmToolCall, TokenUsage } from './llm-result';
export { checkUsage, MAX_TOOL_CALLS, readLlmResult, resolveLlmResult, usageProblem } from './llm-result';
export type { LlmStreamReader, LlmStreamReaderOptions } from './llm-stream';
export { createLlmStreamReader } from './llm-stream';
export type {
  AgentOperation,
  LlmOperation,
  McpOperation,
  MemoryOperation,
  NodeOperation,
  OperationKind,
  OperationKinds,
  ToolOperation,
  WorkflowOperation,
} from './operations';
export { checkOptionNames } from './options';
export type { RedactionOptions, Redactor } from './redaction';
export { createRedactor, REDACTED, truncate } from './redaction';
export type { ClientInstrumentation, ObserveLlmCall } from './sdk-client';
export { checkInstrumentArguments, instrumentClient } from './sdk-client';
export { isPromiseLike, isSampled, messageOf, settle, TRACE_FLAG_SAMPLED } from './settle';
export type { Status } from './status';
export { STATUS } from './status';
export type { StreamObserver, StreamOutcome } from './stream-observer';
export { isAbortError, isObservableStream, observeStream, recordStreamErrorsAs } from './stream-observer';
export type { SafeRecorder, WarningHandler, WarnOnce } from './warnings';
export { createSafeRecorder, createWarnOnce, processWarningHandler } from './warnings';
