import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  checkOptionNames,
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

const HANDLER_OPTION_NAMES = {
  registry: true,
  auth: true,
  onWarning: true,
  render: true,
} satisfies Record<keyof MetricsHandlerOptions, true>;

const sha256 = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

/** The credentials a request must carry, kept only as a digest. */
interface ExpectedCredentials {
  /** The scheme in lower case. */
  scheme: 'bearer' | 'basic';
  digest: Buffer;
  challenge: string;
}

function validateAuth(auth: unknown): ExpectedCredentials | undefined {
  if (auth === undefined) return undefined;
  const value = auth as Record<string, unknown>;
  if (typeof value === 'object' && value !== null) {
    if (typeof value.bearerToken === 'string' && value.bearerToken !== '') {
      return { scheme: 'bearer', digest: sha256(value.bearerToken), challenge: 'Bearer' };
    }
    if (typeof value.username === 'string' && typeof value.password === 'string' && value.username !== '') {
      return {
        scheme: 'basic',
        digest: sha256(`${value.username}:${value.password}`),
        challenge: 'Basic realm="metrics", charset="UTF-8"',
      };
    }
  }
  return invalidOption('auth', auth, '{ bearerToken } or { username, password } with non-empty strings');
}

function authorized(expected: ExpectedCredentials, header: string | undefined): boolean {
  // RFC 9110 11.4: `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`, and the
  // scheme is case-insensitive.
  const match = header === undefined ? null : /^(\S+) +(.*)$/.exec(header);
  if (!match || match[1]!.toLowerCase() !== expected.scheme) return false;
  const given = expected.scheme === 'basic' ? Buffer.from(match[2]!, 'base64') : match[2]!;
  // Equal-length digests: the comparison time reveals neither the secret nor its length.
  return timingSafeEqual(sha256(given), expected.digest);
}

/**
 * Creates a handler that serves the registry: GET and HEAD, Prometheus text
 * by default and OpenMetrics when the scraper's `Accept` prefers it; 405 for
 * other methods, 401 without valid credentials, 500 (and a warning) when
 * rendering fails. It never throws.
 */
export function createMetricsHandler(options: MetricsHandlerOptions = {}): MetricsHandler {
  if (typeof options !== 'object' || options === null) invalidOption('options', options, 'an object');
  checkOptionNames('createMetricsHandler', options, HANDLER_OPTION_NAMES);
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
        response.writeHead(401, {
          'WWW-Authenticate': auth.challenge,
          'Content-Type': 'text/plain; charset=utf-8',
        });
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
  /**
   * Most connections open at once. At the cap, a new connection replaces the oldest one that
   * has no request in progress (it is still sending its headers, or idles between keep-alive
   * requests), so slow or idle clients cannot lock a scraper out; when every connection is
   * busy with a request, the new one is closed.
   * @default 100
   */
  maxConnections?: number;
  /**
   * Time a client has to send the request headers, in milliseconds. Past it, the server answers
   * 408 and closes the connection (Node's `headersTimeout`, checked every second).
   * @default 10000
   */
  headersTimeoutMillis?: number;
  /**
   * Time a client has to send the whole request, in milliseconds; at least
   * `headersTimeoutMillis` (Node's `requestTimeout`).
   * @default 30000, or `headersTimeoutMillis` when that is larger
   */
  requestTimeoutMillis?: number;
  /**
   * How long {@link MetricsServer.close} lets responses in progress finish, in milliseconds.
   * Connections without a request in progress are closed at once; the rest are destroyed when
   * this runs out, so `close()` resolves in bounded time whatever the clients do.
   * @default 2000
   */
  closeTimeoutMillis?: number;
}

/** A running metrics server. */
export interface MetricsServer {
  /** The URL of the metrics path, such as `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** The port the server listens on (useful with `port: 0`). */
  readonly port: number;
  /** The underlying Node http server. */
  readonly server: Server;
  /**
   * Stops accepting connections and closes the open ones: at once when they have no request
   * in progress, after their response otherwise, and after `closeTimeoutMillis` at the latest.
   * Resolves when the server is closed; never rejects. Safe to call twice.
   */
  close(): Promise<void>;
}

const SERVER_OPTION_NAMES = {
  ...HANDLER_OPTION_NAMES,
  port: true,
  host: true,
  path: true,
  maxConnections: true,
  headersTimeoutMillis: true,
  requestTimeoutMillis: true,
  closeTimeoutMillis: true,
} satisfies Record<keyof MetricsServerOptions, true>;

/** The longest delay `setTimeout` honours; a longer one fires at once. */
const MAX_TIMER_MILLIS = 2 ** 31 - 1;

function integerOption(option: string, value: unknown, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= MAX_TIMER_MILLIS) {
    return value;
  }
  return invalidOption(option, value, `an integer from ${minimum} to ${MAX_TIMER_MILLIS}`);
}

/** The path of a request target in origin form (`/metrics?x`) or absolute form (`http://host/metrics`). */
function pathOf(target: string | undefined): string {
  if (!target) return '/';
  if (target.startsWith('/')) return target.split('?')[0]!;
  try {
    return new URL(target).pathname;
  } catch {
    return '';
  }
}

/** The requests of one connection whose response is not finished yet. */
type Pending = Set<ServerResponse>;

/**
 * Starts a small `node:http` server for `/metrics`, hardened for a port that anyone on the
 * network may reach: a connection cap, header and request timeouts, and a `close()` that
 * finishes whatever the clients do.
 *
 * @throws GenxaiObservabilityError with code `GENXAI_PORT_IN_USE` naming the
 * port when it is taken, and `GENXAI_INVALID_OPTION` for a bad or unknown option.
 */
export async function startMetricsServer(options: MetricsServerOptions = {}): Promise<MetricsServer> {
  if (typeof options !== 'object' || options === null) invalidOption('options', options, 'an object');
  checkOptionNames('startMetricsServer', options, SERVER_OPTION_NAMES);
  const { port = 9464, host = '0.0.0.0', path = '/metrics' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    invalidOption('port', port, 'an integer from 0 to 65535');
  if (typeof path !== 'string' || !path.startsWith('/'))
    invalidOption('path', path, 'a path starting with "/"');
  const maxConnections = integerOption('maxConnections', options.maxConnections, 100, 1);
  const headersTimeout = integerOption('headersTimeoutMillis', options.headersTimeoutMillis, 10_000, 1);
  const requestTimeout = integerOption(
    'requestTimeoutMillis',
    options.requestTimeoutMillis,
    Math.max(30_000, headersTimeout),
    1,
  );
  if (requestTimeout < headersTimeout) {
    invalidOption(
      'requestTimeoutMillis',
      requestTimeout,
      `an integer of at least headersTimeoutMillis (${headersTimeout})`,
    );
  }
  const closeTimeout = integerOption('closeTimeoutMillis', options.closeTimeoutMillis, 2000, 0);
  const { registry, auth, onWarning, render } = options;
  const handler = createMetricsHandler({ registry, auth, onWarning, render });
  const warn = createWarnOnce(onWarning);

  // Open connections, oldest first, with their unfinished responses. Node's own
  // `server.maxConnections` would refuse a scraper while slow clients hold every slot, and
  // `server.close()` waits for connections that never finish a request; both are done here.
  const connections = new Map<Socket, Pending>();
  let closing: Promise<void> | undefined;

  const server = createServer(
    // Node enforces the two timeouts on this interval (30 s by default, too coarse for them).
    { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) },
    (request, response) => {
      const pending = connections.get(request.socket);
      if (pending) {
        pending.add(response);
        response.once('close', () => {
          pending.delete(response);
          // While closing, a connection goes as soon as its last response is out.
          if (closing && pending.size === 0) request.socket.end();
        });
      }
      if (closing) response.setHeader('Connection', 'close');
      if (pathOf(request.url) !== path) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Not Found\n');
        return;
      }
      void handler(request, response);
    },
  );
  server.on('connection', (socket: Socket) => {
    if (connections.size >= maxConnections) {
      let evicted = false;
      for (const [open, pending] of connections) {
        if (pending.size === 0) {
          connections.delete(open);
          open.destroy();
          evicted = true;
          break;
        }
      }
      if (!evicted) {
        socket.destroy();
        return;
      }
    }
    connections.set(socket, new Set());
    socket.once('close', () => connections.delete(socket));
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
  // An 'error' without a listener (EMFILE on accept, for one) would crash the host.
  server.on('error', (error: NodeJS.ErrnoException) => {
    warn(
      `server:${error.code ?? error.name}`,
      'GENXAI_METRICS_SERVER_ERROR',
      `@genxai/metrics: the metrics server on ${host}:${actualPort} failed: ${error.message}`,
    );
  });

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}${path}`,
    port: actualPort,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const deadline = setTimeout(() => {
          for (const socket of connections.keys()) socket.destroy();
        }, closeTimeout);
        deadline.unref();
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        for (const [socket, pending] of connections) {
          if (pending.size === 0) socket.destroy();
          for (const response of pending) {
            if (!response.headersSent) response.setHeader('Connection', 'close');
          }
        }
      });
      return closing;
    },
  };
}
