import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { parseExposition, sampleValue } from '@genxai/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { type MetricsServer, type MetricsServerOptions, startMetricsServer } from './metrics-server';
import { METRICS } from './names';
import { createMetricsRegistry } from './registry';

// Margins on top of a documented bound. They are correctness bounds (does close ever finish?),
// not performance assertions: a regression shows up as "never", far past them.
const MARGIN_MS = 1500;

const servers: MetricsServer[] = [];
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: MetricsServerOptions = {}) {
  const registry = createMetricsRegistry();
  createMetrics({ registry }).agent.start({ agentId: 'planner' }).succeed();
  const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry, ...options });
  servers.push(server);
  return server;
}

/** A raw client socket that records whether the server closed it and what it answered. */
interface RawClient {
  socket: Socket;
  received: () => string;
  closed: Promise<void>;
  isClosed: () => boolean;
}

function openRaw(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    sockets.push(socket);
    let data = '';
    let done = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    // A reset from the server is one way of being closed; it must not fail the test.
    socket.on('error', () => {});
    const closed = new Promise<void>((onClosed) =>
      socket.once('close', () => {
        done = true;
        onClosed();
      }),
    );
    socket.once('connect', () => resolve({ socket, received: () => data, closed, isClosed: () => done }));
    socket.once('error', reject);
  });
}

/** Sends `text` one byte every `everyMs`, as a slowloris client does. */
function dribble(client: RawClient, text: string, everyMs: number) {
  let index = 0;
  const timer = setInterval(() => {
    if (client.isClosed() || index >= text.length) return;
    client.socket.write(text[index++]!);
  }, everyMs);
  timers.push(timer);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function call(url: string, init: { agent?: Agent | false; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(url, { agent: init.agent ?? false, headers: init.headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const HALF_REQUEST = 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n';
const SLOW_REQUEST = `${HALF_REQUEST}X-Slow: ${'a'.repeat(200)}\r\n\r\n`;

describe('MetricsServer.close', () => {
  it('finishes in bounded time while clients hold silent, half-sent, slowloris and keep-alive sockets', async () => {
    const closeTimeoutMillis = 500;
    const server = await start({ closeTimeoutMillis });
    const silent = await openRaw(server.port);
    const halfSent = await openRaw(server.port);
    halfSent.socket.write(HALF_REQUEST);
    const slowloris = await openRaw(server.port);
    dribble(slowloris, SLOW_REQUEST, 100);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const keptAlive = await call(server.url, { agent });
    expect(keptAlive.status).toBe(200);
    expect(keptAlive.headers.connection).toBe('keep-alive');
    // Let the server see every byte written so far.
    await new Promise((resolve) => setTimeout(resolve, 250));

    const started = Date.now();
    await within(server.close(), closeTimeoutMillis + MARGIN_MS, 'close()');
    expect(Date.now() - started).toBeLessThan(closeTimeoutMillis + MARGIN_MS);
    expect(server.server.listening).toBe(false);
    // Every client was disconnected by the server; none got a response.
    await within(
      Promise.all([silent.closed, halfSent.closed, slowloris.closed]),
      MARGIN_MS,
      'closing the client sockets',
    );
    expect([silent.received(), halfSent.received(), slowloris.received()]).toEqual(['', '', '']);
    agent.destroy();
  });

  it('lets a scrape in flight finish, with Connection: close', async () => {
    const rendering = gate();
    const release = gate();
    const server = await start({
      closeTimeoutMillis: 5000,
      render: async () => {
        rendering.open();
        await release.opened;
        return 'up 1\n';
      },
    });
    const agent = new Agent({ keepAlive: true });
    const scrape = call(server.url, { agent });
    await rendering.opened;
    const closed = server.close();
    release.open();
    const response = await scrape;
    expect(response.status).toBe(200);
    expect(response.body).toBe('up 1\n');
    expect(response.headers.connection).toBe('close');
    // The socket is closed once the response is out, long before closeTimeoutMillis.
    await within(closed, 4000, 'close() after the last response');
    agent.destroy();
  });

  it('destroys a scrape still rendering after closeTimeoutMillis', async () => {
    const closeTimeoutMillis = 300;
    const rendering = gate();
    const server = await start({
      closeTimeoutMillis,
      render: () => {
        rendering.open();
        return new Promise<string>(() => {}); // a collector that never answers
      },
    });
    const scrape = call(server.url);
    scrape.catch(() => {});
    await rendering.opened;
    const started = Date.now();
    await within(server.close(), closeTimeoutMillis + MARGIN_MS, 'close()');
    expect(Date.now() - started).toBeGreaterThanOrEqual(closeTimeoutMillis - 50);
    await expect(scrape).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});

describe('connection limits', () => {
  it('answers a scrape while 200 slowloris connections are open, and closes those past maxConnections', async () => {
    const server = await start();
    const slow = await Promise.all(Array.from({ length: 200 }, () => openRaw(server.port)));
    for (const client of slow) dribble(client, SLOW_REQUEST, 1000);
    // The default cap is 100: the other 100 are closed as they come.
    await within(
      (async () => {
        while (slow.filter((c) => c.isClosed()).length < 100) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })(),
      5000,
      'closing the connections past the cap',
    );

    const scrape = await within(call(server.url), 5000, 'a scrape during the slowloris');
    expect(scrape.status).toBe(200);
    expect(
      sampleValue(parseExposition(scrape.body), METRICS.agentExecutionsTotal.name, { agent_id: 'planner' }),
    ).toBe(1);
    const open = slow.filter((c) => !c.isClosed()).length;
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThanOrEqual(100);
  });

  it('closes a new connection when every connection is busy with a request', async () => {
    let rendering = 0;
    const twoRendering = gate();
    const release = gate();
    const server = await start({
      maxConnections: 2,
      render: async () => {
        if (++rendering === 2) twoRendering.open();
        await release.opened;
        return 'up 1\n';
      },
    });
    const first = call(server.url);
    const second = call(server.url);
    await twoRendering.opened;
    const third = await openRaw(server.port);
    third.socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await within(third.closed, 4000, 'closing the connection past the cap');
    expect(third.received()).toBe('');
    release.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await call(server.url)).status).toBe(200);
  });

  it('answers 408 and closes connections whose headers do not arrive within headersTimeoutMillis', async () => {
    const server = await start({ headersTimeoutMillis: 300, requestTimeoutMillis: 600 });
    const silent = await openRaw(server.port);
    const slowloris = await openRaw(server.port);
    dribble(slowloris, SLOW_REQUEST, 100);
    // Node checks the timeouts once a second at most: 300 ms + 1 s, with a margin.
    await within(Promise.all([silent.closed, slowloris.closed]), 1300 + MARGIN_MS, 'the header timeout');
    expect(silent.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(slowloris.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('applies the limits to the Node server', async () => {
    const defaults = await start();
    expect(defaults.server.headersTimeout).toBe(10_000);
    expect(defaults.server.requestTimeout).toBe(30_000);
    const custom = await start({ headersTimeoutMillis: 40_000 });
    expect(custom.server.headersTimeout).toBe(40_000);
    expect(custom.server.requestTimeout).toBe(40_000);
  });

  it('reports a server error through onWarning instead of crashing the host', async () => {
    const warnings: Array<{ code: string; message: string }> = [];
    const server = await start({ onWarning: (warning) => warnings.push(warning) });
    const error = Object.assign(new Error('accept failed'), { code: 'EMFILE' });
    expect(() => server.server.emit('error', error)).not.toThrow();
    server.server.emit('error', error);
    expect(warnings).toEqual([
      { code: 'GENXAI_METRICS_SERVER_ERROR', message: expect.stringContaining('accept failed') },
    ]);
    expect((await call(server.url)).status).toBe(200);
  });

  it.each([
    [{ maxConnections: 0 }, /Invalid maxConnections: 0\. Expected an integer from 1/],
    [{ maxConnections: 1.5 }, /Invalid maxConnections: 1\.5/],
    [{ maxConnections: '100' }, /Invalid maxConnections: "100"/],
    [{ headersTimeoutMillis: 0 }, /Invalid headersTimeoutMillis: 0/],
    [{ headersTimeoutMillis: Number.NaN }, /Invalid headersTimeoutMillis: NaN/],
    [{ requestTimeoutMillis: 2 ** 31 }, /Invalid requestTimeoutMillis: 2147483648/],
    [
      { headersTimeoutMillis: 5000, requestTimeoutMillis: 1000 },
      /Invalid requestTimeoutMillis: 1000\. Expected .*at least headersTimeoutMillis \(5000\)/,
    ],
    [{ closeTimeoutMillis: -1 }, /Invalid closeTimeoutMillis: -1\. Expected an integer from 0/],
    [{ closeTimeoutMillis: Number.POSITIVE_INFINITY }, /Invalid closeTimeoutMillis: Infinity/],
    [
      { headersTimeout: 1000 },
      /Unknown option "headersTimeout" of startMetricsServer\..*Known options: .*headersTimeoutMillis/,
    ],
  ])('rejects %j at setup', async (options, message) => {
    await expect(startMetricsServer({ port: 0, host: '127.0.0.1', ...(options as object) })).rejects.toThrow(
      message,
    );
  });
});
