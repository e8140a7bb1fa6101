// What the SDK packages' tests share: a local server speaking a provider's wire format, and an
// Observability whose spans, /metrics and JSON log lines the test can read back.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeepingExporter } from './exporter';
import { type Exposition, parseExposition } from './exposition';

/** A local HTTP server on a free loopback port. */
export interface WireServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a node:http server on 127.0.0.1 that answers with `handle`. A handler that throws destroys
 * the socket, as a broken server would.
 */
export async function startWireServer(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<WireServer> {
  const server = createServer(
    (request, response) => void handle(request, response).catch(() => response.destroy()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A request's body, parsed as JSON (`{}` when empty), typed as the test expects it. */
export async function jsonBody<Body = Record<string, unknown>>(request: IncomingMessage): Promise<Body> {
  let raw = '';
  for await (const part of request) raw += part;
  return JSON.parse(raw || '{}') as Body;
}

/** The parts of `@genxai/metrics` and `@genxai/observability` a recorded setup needs (passed in: no cycle). */
interface Modules<Obs, Registry> {
  setupObservability(options: {
    serviceName: string;
    metrics: { registry: Registry };
    tracing: { exporter: KeepingExporter<never> };
    logging: { level: 'debug'; destination: { write(line: string): void } };
  }): Promise<Obs>;
  createMetricsRegistry(): Registry;
  renderMetrics(registry: Registry, format: 'prometheus'): Promise<{ body: string }>;
}

/** An Observability recording into memory, and readers of what it recorded. */
export interface Recorded<Obs, Span> {
  obs: Obs;
  /** The finished spans, after a flush. */
  spans(): Promise<Span[]>;
  /** `/metrics`, parsed. */
  metrics(): Promise<Exposition>;
  /** The JSON log lines, parsed. */
  logs(): Record<string, unknown>[];
}

/**
 * Sets up an Observability with every signal on: spans kept by a {@link KeepingExporter}, metrics in
 * their own registry, debug-level JSON logs kept in memory.
 */
export async function recordedObservability<
  Span,
  Obs extends { tracing?: { forceFlush(): Promise<void> } },
  Registry,
>(serviceName: string, modules: Modules<Obs, Registry>): Promise<Recorded<Obs, Span>> {
  const exporter = new KeepingExporter<Span>();
  const lines: string[] = [];
  const registry = modules.createMetricsRegistry();
  const obs = await modules.setupObservability({
    serviceName,
    metrics: { registry },
    tracing: { exporter: exporter as KeepingExporter<never> },
    logging: { level: 'debug', destination: { write: (line: string) => void lines.push(line) } },
  });
  return {
    obs,
    async spans() {
      await obs.tracing?.forceFlush();
      return exporter.spans;
    },
    async metrics() {
      return parseExposition((await modules.renderMetrics(registry, 'prometheus')).body);
    },
    logs: () =>
      lines
        .flatMap((text) => text.split('\n').filter(Boolean))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
