export type {
  PostableAlert,
  TestAlertmanager,
  WebhookAlert,
  WebhookNotification,
  WebhookReceiver,
} from './alertmanager';
export { startAlertmanager, startWebhookReceiver } from './alertmanager';
export { requireBinary } from './binaries';
export { KeepingExporter } from './exporter';
export type { Exposition, Sample } from './exposition';
export { findSamples, parseExposition, sampleValue } from './exposition';
export * from './otlp-logs';
export { freePort, waitFor } from './ports';
export type { PromResult, ScrapeTarget, TestPrometheus } from './prometheus';
export { runPromtool, startPrometheus, startPushgateway } from './prometheus';
export { type MacroValues, substituteGrafanaMacros } from './promql';
export type { Recorded, WireServer } from './recorded';
export { jsonBody, recordedObservability, startWireServer } from './recorded';
export type { OtlpRequest, OtlpSpan, ReceivedRequest, ThriftBatch, ThriftSpan, ThriftTag } from './wire';
export {
  decodeAgentDatagram,
  decodeCollectorBody,
  decodeOtlpProtobuf,
  hex,
  otlpAttributes,
  otlpSpans,
  startHttpSink,
  startUdpSink,
  tagsOf,
  tagValue,
} from './wire';
