// The umbrella: setup, its options and result, and the per-operation wrappers. Each signal's own
// API stays in its package (@genxai/metrics, @genxai/tracing, @genxai/logging), under one name.

export type {
  AgentOperation,
  LlmOperation,
  LlmResult,
  LlmResultReader,
  MemoryOperation,
  NodeOperation,
  OperationKind,
  OperationKinds,
  RedactionOptions,
  TokenUsage,
  ToolOperation,
  WarningHandler,
  WorkflowOperation,
} from '@genxai/obs-core';
export { GenxaiObservabilityError } from '@genxai/obs-core';
export type { Instrument, InstrumentSpec, MethodName, MethodSpec } from './instrument';
export { LOG_FIELDS } from './names';
export type { Observe, ObserveLlm, Observers } from './observe';
export type { LlmObserveOptions } from './operations';
export type { Observability, ObservabilityMetricsOptions, ObservabilityOptions } from './setup';
export { setupObservability } from './setup';
