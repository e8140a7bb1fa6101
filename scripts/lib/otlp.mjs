// Decodes OTLP/HTTP protobuf trace bodies with the official opentelemetry-proto definitions, as compiled to a
// protobufjs root and shipped by @opentelemetry/otlp-transformer 0.214.0 (the workspace's test-utils
// dependency; packages/test-utils/src/wire.ts decodes the same way). No hand-written protobuf parsing.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './smoke.mjs';

const requireFromTestUtils = createRequire(join(ROOT, 'packages', 'test-utils', 'package.json'));
const protoRoot = requireFromTestUtils('@opentelemetry/otlp-transformer/build/src/generated/root');
const ExportTraceServiceRequest = protoRoot.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** The proto's `Span.SpanKind` enum: name to number (`SPAN_KIND_CLIENT` is 3). */
export const SPAN_KIND = protoRoot.opentelemetry.proto.trace.v1.Span.SpanKind;

const hex = (bytes) => Buffer.from(bytes ?? []).toString('hex');

function attributesOf(list) {
  return Object.fromEntries(
    (list ?? []).map(({ key, value }) => [
      key,
      value.stringValue ??
        value.intValue ??
        value.doubleValue ??
        value.boolValue ??
        value.arrayValue?.values?.map((item) => item.stringValue ?? item.intValue ?? item.doubleValue) ??
        value,
    ]),
  );
}

/**
 * Decodes one `ExportTraceServiceRequest` body. Returns its spans, each with hex ids, its kind as the
 * number on the wire and as the enum's name, its attributes as a record, and its resource's and scope's.
 */
export function decodeTraceRequest(body) {
  const message = ExportTraceServiceRequest.decode(body);
  const named = ExportTraceServiceRequest.toObject(message, { enums: String, longs: Number, arrays: true });
  return message.resourceSpans.flatMap((resourceSpans, r) =>
    resourceSpans.scopeSpans.flatMap((scopeSpans, s) =>
      scopeSpans.spans.map((span, i) => ({
        name: span.name,
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId),
        kind: span.kind,
        kindName: named.resourceSpans[r].scopeSpans[s].spans[i].kind,
        status: named.resourceSpans[r].scopeSpans[s].spans[i].status ?? {},
        attributes: attributesOf(named.resourceSpans[r].scopeSpans[s].spans[i].attributes),
        scope: scopeSpans.scope?.name,
        resource: attributesOf(named.resourceSpans[r].resource?.attributes),
      })),
    ),
  );
}
