// Third-party decoders for what trace exporters put on the wire, and local sinks that receive it.
import { createSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** A decoded Thrift tag (jaeger.thrift `Tag`). */
export interface ThriftTag {
  key: string;
  vType: string;
  vStr?: string | null;
  vDouble?: number | null;
  vBool?: boolean | null;
}

/** A decoded Thrift span (jaeger.thrift `Span`); ids are 8-byte buffers. */
export interface ThriftSpan {
  traceIdLow: Buffer;
  traceIdHigh: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer;
  operationName: string;
  tags: ThriftTag[] | null;
  logs: { fields: ThriftTag[] }[] | null;
}

/** A decoded Thrift batch (jaeger.thrift `Batch`). */
export interface ThriftBatch {
  process: { serviceName: string; tags: ThriftTag[] | null };
  spans: ThriftSpan[];
}

interface ThriftReader<T> {
  readFrom(buffer: Buffer, offset: number): { err: Error | null; value: T };
}

interface ThriftModule {
  Thrift: new (
    options: Record<string, unknown>,
  ) => {
    Agent: { emitBatch: { argumentsMessageRW: ThriftReader<{ body: { batch: ThriftBatch } }> } };
    Batch: { rw: ThriftReader<ThriftBatch> };
  };
}

// Jaeger's own IDL, as shipped in jaeger-client, decoded by thriftrw (a third-party decoder).
const idlDirectory = path.join(
  path.dirname(require.resolve('jaeger-client/package.json')),
  'dist/src/jaeger-idl/thrift',
);
const { Thrift } = require('thriftrw') as ThriftModule;
const agentIdl = new Thrift({
  entryPoint: path.join(idlDirectory, 'agent.thrift'),
  allowFilesystemAccess: true,
  strict: false,
});
const jaegerIdl = new Thrift({
  entryPoint: path.join(idlDirectory, 'jaeger.thrift'),
  allowFilesystemAccess: true,
  strict: false,
});

/** Decodes one UDP datagram of `Agent.emitBatch` (Thrift binary protocol). */
export function decodeAgentDatagram(datagram: Buffer): ThriftBatch {
  const result = agentIdl.Agent.emitBatch.argumentsMessageRW.readFrom(datagram, 0);
  if (result.err) throw result.err;
  return result.value.body.batch;
}

/** Decodes the body the collector endpoint receives (a Thrift binary `Batch`). */
export function decodeCollectorBody(body: Buffer): ThriftBatch {
  const result = jaegerIdl.Batch.rw.readFrom(body, 0);
  if (result.err) throw result.err;
  return result.value;
}

/** A tag's value, whatever its type. */
export function tagValue(tag: ThriftTag | undefined): string | number | boolean | undefined {
  if (tag === undefined) return undefined;
  if (tag.vType === 'STRING') return tag.vStr ?? undefined;
  if (tag.vType === 'DOUBLE') return tag.vDouble ?? undefined;
  if (tag.vType === 'BOOL') return tag.vBool ?? undefined;
  return undefined;
}

/** The span's tags as a plain record. */
export function tagsOf(span: {
  tags: ThriftTag[] | null;
}): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries((span.tags ?? []).map((tag) => [tag.key, tagValue(tag)]));
}

/** A UDP server on 127.0.0.1 that keeps every datagram. */
export async function startUdpSink() {
  const socket = createSocket('udp4');
  const datagrams: Buffer[] = [];
  socket.on('message', (message) => datagrams.push(message));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    datagrams,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A received HTTP request. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * An HTTP server on 127.0.0.1 that keeps every request and answers with
 * `respond` (202 by default). `respond` may leave the response open to
 * simulate a hanging collector.
 */
export async function startHttpSink(
  respond: (request: ReceivedRequest, response: ServerResponse) => void = (_request, response) => {
    response.writeHead(202).end();
  },
) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(received);
      respond(received, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Decoded OTLP span, as the protobufjs root gives it. */
export interface OtlpSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number; message?: string };
  events: { name: string; attributes: { key: string; value: Record<string, unknown> }[] }[];
}

/** Decoded OTLP export request. */
export interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: Record<string, unknown> }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

interface ProtoRoot {
  opentelemetry: {
    proto: {
      collector: {
        trace: {
          v1: {
            ExportTraceServiceRequest: {
              decode(buffer: Uint8Array): unknown;
              toObject(message: unknown, options: Record<string, unknown>): OtlpRequest;
            };
          };
        };
      };
    };
  };
}

// The official opentelemetry-proto definitions, compiled to a protobufjs root
// (shipped by @opentelemetry/otlp-transformer up to 0.214.0).
const protoRoot = require('@opentelemetry/otlp-transformer/build/src/generated/root') as ProtoRoot;
const ExportTraceServiceRequest = protoRoot.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** Decodes an OTLP/HTTP protobuf body. Ids are kept as bytes; 64-bit ints become numbers. */
export function decodeOtlpProtobuf(body: Buffer): OtlpRequest {
  return ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), {
    longs: Number,
    arrays: true,
    defaults: false,
  });
}

/** All spans in a list of decoded requests. */
export function otlpSpans(requests: OtlpRequest[]): OtlpSpan[] {
  return requests.flatMap((request) =>
    request.resourceSpans.flatMap((resourceSpans) =>
      resourceSpans.scopeSpans.flatMap((scope) => scope.spans),
    ),
  );
}

/** An OTLP attribute list as a plain record of values. */
export function otlpAttributes(
  attributes: { key: string; value: Record<string, unknown> }[],
): Record<string, unknown> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue ?? value,
    ]),
  );
}

/** Hex of an id. */
export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
