export { errorType } from './error-type';
export { describeValue, GenxaiObservabilityError, invalidOption } from './errors';
export type { LlmResultFields, ResultUsage } from './llm-result';
export { llmResultFields } from './llm-result';
export type { RedactionOptions, Redactor } from './redaction';
export { createRedactor, REDACTED, truncate } from './redaction';
export type { SafeRecorder, WarningHandler, WarnOnce } from './warnings';
export { createSafeRecorder, createWarnOnce, processWarningHandler } from './warnings';
