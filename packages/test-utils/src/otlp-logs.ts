// Decodes what an OTLP/HTTP log exporter sends, with the official opentelemetry-proto definitions.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** An OTLP `AnyValue` as the protobufjs root gives it (one field set). */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: Uint8Array;
}

/** An OTLP `KeyValue`. */
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

/** A decoded OTLP `LogRecord`; ids are bytes, 64-bit times are numbers. */
export interface OtlpLogRecord {
  timeUnixNano?: number;
  observedTimeUnixNano?: number;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  flags?: number;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
}

/** A decoded `ExportLogsServiceRequest`. */
export interface OtlpLogsRequest {
  resourceLogs?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: { scope?: { name?: string; version?: string }; logRecords?: OtlpLogRecord[] }[];
  }[];
}

interface MessageType<T> {
  decode(buffer: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): T;
}

// The same compiled root as wire.ts (shipped by @opentelemetry/otlp-transformer up to 0.214.0).
const protoRoot = require('@opentelemetry/otlp-transformer/build/src/generated/root') as {
  opentelemetry: {
    proto: { collector: { logs: { v1: { ExportLogsServiceRequest: MessageType<OtlpLogsRequest> } } } };
  };
};
const ExportLogsServiceRequest = protoRoot.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

/** Decodes an OTLP/HTTP protobuf logs body. Ids stay bytes; 64-bit ints become numbers. */
export function decodeOtlpLogsProtobuf(body: Uint8Array): OtlpLogsRequest {
  return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), {
    longs: Number,
    arrays: true,
    defaults: false,
  });
}

/** Every log record of a list of decoded requests, with its resource and scope. */
export function otlpLogRecords(requests: OtlpLogsRequest[]) {
  return requests.flatMap((request) =>
    (request.resourceLogs ?? []).flatMap((resourceLogs) =>
      (resourceLogs.scopeLogs ?? []).flatMap((scopeLogs) =>
        (scopeLogs.logRecords ?? []).map((record) => ({
          record,
          resource: otlpValues(resourceLogs.resource?.attributes),
          scope: scopeLogs.scope?.name,
        })),
      ),
    ),
  );
}

/** An `AnyValue` as a plain value: maps become objects, arrays arrays, bytes hex. */
export function otlpValue(value: OtlpAnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return value.intValue;
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(otlpValue);
  if (value.kvlistValue !== undefined) return otlpValues(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return Buffer.from(value.bytesValue).toString('hex');
  // An empty AnyValue: what a null becomes.
  return null;
}

/** A `KeyValue` list as a plain object. */
export function otlpValues(attributes: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, otlpValue(value)]));
}
