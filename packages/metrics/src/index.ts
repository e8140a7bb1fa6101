export type {
  AgentOperation,
  LlmOperation,
  McpOperation,
  MemoryOperation,
  NodeOperation,
  Status,
  TokenUsage,
  ToolOperation,
  WorkflowOperation,
} from '@genxai/obs-core';
export { STATUS } from '@genxai/obs-core';
export { createClusterRenderer, shareMetricsWithPrimary } from './cluster';
export type { PriceTable } from './cost';
export { createPriceTable } from './cost';
export type { ExpositionFormat } from './exposition';
export { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, renderMetrics } from './exposition';
export type { Instrument } from './instruments';
export { McpRecorder, ToolRecorder } from './mcp';
export type { GenxaiMetrics, LlmRecordOptions, MemorySizeInfo, MetricsOptions } from './metrics';
export { createMetrics, LlmRecorder, MemoryRecorder } from './metrics';
export type {
  MetricsAuth,
  MetricsHandler,
  MetricsHandlerOptions,
  MetricsServer,
  MetricsServerOptions,
} from './metrics-server';
export { createMetricsHandler, startMetricsServer } from './metrics-server';
export type { GenAiMetricKey, LabelName, MetricDefinition, MetricKey, MetricType, TokenType } from './names';
export {
  GEN_AI_METRICS,
  GEN_AI_TOKEN_TYPE,
  LABEL,
  MCP_METRICS,
  MEMORY_OPERATION,
  METRICS,
  SELF_METRICS,
  SPAN_OUTCOME,
  STREAM_METRICS,
  TOKEN_TYPE,
} from './names';
export type { ModelPrice } from './prices';
export { DEFAULT_PRICES, PRICE_SOURCES, PRICES_AS_OF } from './prices';
export type { PushMetricsOptions, PushResult } from './pushgateway';
export { pushMetrics } from './pushgateway';
export type { Exemplar, OperationTimer, RecordOptions, TimeOptions } from './recorder';
export { OperationRecorder } from './recorder';
export type { MetricsRegistry } from './registry';
export { createMetricsRegistry, getDefaultRegistry } from './registry';
export type { SpanCounts } from './telemetry';
export { reportSpanCounts } from './telemetry';
