// The umbrella: setup, the per-operation wrappers, and the signal packages' public APIs.

// Logging (@genxai/logging).
export type { Logger, LoggerOptions } from '@genxai/logging';
export { createLogger, LOG_KEYS, logFatalErrors, StructuredLogger, setLevel } from '@genxai/logging';
// Metrics (@genxai/metrics).
export type {
  Exemplar,
  GenxaiMetrics,
  MetricsOptions,
  MetricsRegistry,
  MetricsServer,
  MetricsServerOptions,
  ModelPrice,
  OperationTimer,
  PushMetricsOptions,
  TokenUsage,
} from '@genxai/metrics';
export {
  createClusterRenderer,
  createMetrics,
  createMetricsHandler,
  createMetricsRegistry,
  createPriceTable,
  DEFAULT_PRICES,
  getDefaultRegistry,
  LABEL as METRIC_LABEL,
  METRICS,
  PRICES_AS_OF,
  pushMetrics,
  renderMetrics,
  SELF_METRICS,
  STATUS as METRIC_STATUS,
  shareMetricsWithPrimary,
  startMetricsServer,
  TOKEN_TYPE,
} from '@genxai/metrics';
// Shared pieces (@genxai/obs-core).
export type { RedactionOptions, Redactor, WarningHandler } from '@genxai/obs-core';
export { createRedactor, errorType, GenxaiObservabilityError, REDACTED } from '@genxai/obs-core';
// Tracing (@genxai/tracing).
export type {
  ContentCaptureOptions,
  SpanHelpers,
  Tracing,
  TracingOptions,
  TracingStats,
} from '@genxai/tracing';
export {
  ATTR as SPAN_ATTR,
  createSpanHelpers,
  extractTraceContext,
  GEN_AI_OPERATION,
  getActiveTraceIds,
  injectTraceHeaders,
  SPAN_NAME,
  setupTracing,
} from '@genxai/tracing';
export type { Instrument, InstrumentSpec, MethodName, MethodSpec } from './instrument';
export { LOG_FIELDS } from './names';
export type { Observe, Observers } from './observe';
export type {
  AgentOperation,
  LlmObserveOptions,
  LlmOperation,
  MemoryOperation,
  NodeOperation,
  OperationKind,
  OperationKinds,
  ToolOperation,
  WorkflowOperation,
} from './operations';
export type { Observability, ObservabilityMetricsOptions, ObservabilityOptions } from './setup';
export { setupObservability } from './setup';

// The dashboard and alert-rule generators are on `@genxai/observability/grafana`, kept off this
// entry so that applications do not load the Grafana model at run time.
