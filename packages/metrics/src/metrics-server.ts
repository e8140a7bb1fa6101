import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createWarnOnce,
  GenxaiObservabilityError,
  invalidOption,
  type WarningHandler,
} from '@genxai/obs-core';
import { negotiateFormat, PROMETHEUS_CONTENT_TYPE, renderMetrics } from './exposition';
import { getDefaultRegistry, type MetricsRegistry } from './registry';

/** Credentials a scraper must send. */
export type MetricsAuth = { bearerToken: string } | { username: string; password: string };

/** Options of {@link createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /** The registry to serve. @default getDefaultRegistry() */
  registry?: MetricsRegistry;
  /** Require a bearer token or basic-auth credentials. @default none */
  auth?: MetricsAuth;
  /** Where render failures are reported (once each). @default process.emitWarning */
  onWarning?: WarningHandler;
  /**
   * Renders the body instead of the registry, for example the aggregated
   * metrics of a cluster. Always served as Prometheus text.
   */
  render?: () => Promise<string>;
}

/** A `(req, res)` handler for Node http, Express (`app.get('/metrics', handler)`) and Fastify (`reply.hijack()` then `handler(request.raw, reply.raw)`). */
export type MetricsHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function validateAuth(auth: unknown): MetricsAuth | undefined {
  if (auth === undefined) return undefined;
  const value = auth as Record<string, unknown>;
  if (typeof value === 'object' && value !== null) {
    if (typeof value.bearerToken === 'string' && value.bearerToken !== '') return auth as MetricsAuth;
    if (typeof value.username === 'string' && typeof value.password === 'string' && value.username !== '') {
      return auth as MetricsAuth;
    }
  }
  return invalidOption('auth', auth, '{ bearerToken } or { username, password } with non-empty strings');
}

function authorized(auth: MetricsAuth, header: string | undefined): boolean {
  if (!header) return false;
  if ('bearerToken' in auth) {
    return header.startsWith('Bearer ') && safeEqual(header.slice(7), auth.bearerToken);
  }
  if (!header.startsWith('Basic ')) return false;
  return safeEqual(
    Buffer.from(header.slice(6), 'base64').toString('utf8'),
    `${auth.username}:${auth.password}`,
  );
}

/**
 * Creates a handler that serves the registry: GET and HEAD, Prometheus text
 * by default and OpenMetrics when the scraper's `Accept` prefers it; 405 for
 * other methods, 401 without valid credentials, 500 (and a warning) when
 * rendering fails. It never throws.
 */
export function createMetricsHandler(options: MetricsHandlerOptions = {}): MetricsHandler {
  const registry = options.registry ?? getDefaultRegistry();
  const auth = validateAuth(options.auth);
  const warn = createWarnOnce(options.onWarning);
  return async (request, response) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Method Not Allowed\n');
        return;
      }
      if (auth && !authorized(auth, request.headers.authorization)) {
        const scheme = 'bearerToken' in auth ? 'Bearer' : 'Basic realm="metrics", charset="UTF-8"';
        response.writeHead(401, { 'WWW-Authenticate': scheme, 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Unauthorized\n');
        return;
      }
      const { contentType, body } = options.render
        ? { contentType: PROMETHEUS_CONTENT_TYPE, body: await options.render() }
        : await renderMetrics(registry, negotiateFormat(request.headers.accept));
      response.writeHead(200, {
        'Content-Type': contentType,
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      warn(
        'render',
        'GENXAI_METRICS_RENDER_FAILED',
        `@genxai/metrics: rendering /metrics failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Internal Server Error\n');
    }
  };
}

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions extends MetricsHandlerOptions {
  /** TCP port; 0 picks a free one. @default 9464 (the OpenTelemetry Prometheus exporter port) */
  port?: number;
  /** Interface to listen on. @default '0.0.0.0' */
  host?: string;
  /** Path that serves the metrics; every other path answers 404. @default '/metrics' */
  path?: string;
}

/** A running metrics server. */
export interface MetricsServer {
  /** The URL of the metrics path, such as `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** The port the server listens on (useful with `port: 0`). */
  readonly port: number;
  /** The underlying Node http server. */
  readonly server: Server;
  /** Stops accepting connections, ends idle keep-alive ones and resolves when closed. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a small `node:http` server for `/metrics`.
 *
 * @throws GenxaiObservabilityError with code `GENXAI_PORT_IN_USE` naming the
 * port when it is taken, and `GENXAI_INVALID_OPTION` for a bad port or path.
 */
export async function startMetricsServer(options: MetricsServerOptions = {}): Promise<MetricsServer> {
  const { port = 9464, host = '0.0.0.0', path = '/metrics' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    invalidOption('port', port, 'an integer from 0 to 65535');
  if (typeof path !== 'string' || !path.startsWith('/'))
    invalidOption('path', path, 'a path starting with "/"');
  const handler = createMetricsHandler(options);
  const server = createServer((request, response) => {
    const requestPath = (request.url ?? '/').split('?')[0];
    if (requestPath !== path) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not Found\n');
      return;
    }
    void handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new GenxaiObservabilityError(
            'GENXAI_PORT_IN_USE',
            `Cannot serve metrics: port ${port} on ${host} is already in use. Pass another \`port\`, or 0 for a free one.`,
            { cause: error },
          ),
        );
      } else {
        reject(
          new GenxaiObservabilityError(
            'GENXAI_LISTEN_FAILED',
            `Cannot serve metrics on ${host}:${port}: ${error.message}`,
            { cause: error },
          ),
        );
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${actualPort}${path}`,
    port: actualPort,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
