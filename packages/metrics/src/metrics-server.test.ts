import { createServer, request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { parseExposition, sampleValue } from '@genxai/test-utils';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { createMetricsHandler, type MetricsServer, startMetricsServer } from './metrics-server';
import { METRICS } from './names';
import { createMetricsRegistry } from './registry';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startMetricsServer>[0] = {}) {
  const registry = createMetricsRegistry();
  const metrics = createMetrics({ registry });
  metrics.agent.start({ agentId: 'planner' }).succeed({
    exemplar: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' },
  });
  const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry, ...options });
  servers.push(server);
  return server;
}

function call(url: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startMetricsServer', () => {
  it('serves Prometheus text by default', async () => {
    const server = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const response = await call(server.url);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const parsed = parseExposition(response.body);
    expect(sampleValue(parsed, METRICS.agentExecutionsTotal.name, { agent_id: 'planner' })).toBe(1);
    expect(response.body).not.toContain('# EOF');
  });

  it('serves OpenMetrics with exemplars when Accept asks for it', async () => {
    const server = await start();
    const response = await call(server.url, {
      headers: { Accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' },
    });
    expect(response.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(response.body).toContain('trace_id="4bf92f3577b34da6a3ce929d0e0e4736"');
    expect(response.body.endsWith('# EOF\n')).toBe(true);
  });

  it('answers HEAD with headers only, 404 elsewhere and 405 for other methods', async () => {
    const server = await start();
    const head = await call(server.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect((await call(server.url.replace('/metrics', '/other'))).status).toBe(404);
    expect((await call(`${server.url}?x=1`)).status).toBe(200);
    const post = await call(server.url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  describe.each([
    ['Prometheus text', undefined, 'text/plain; version=0.0.4; charset=utf-8'],
    [
      'OpenMetrics',
      'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5',
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    ],
  ])('%s', (_format, accept, contentType) => {
    const headers: Record<string, string> = accept ? { Accept: accept } : {};

    it('answers GET with the body and HEAD with the same headers and no body', async () => {
      const server = await start();
      const get = await call(server.url, { headers });
      expect(get.status).toBe(200);
      expect(get.headers['content-type']).toBe(contentType);
      expect(Number(get.headers['content-length'])).toBe(Buffer.byteLength(get.body));
      expect(
        sampleValue(parseExposition(get.body), METRICS.agentExecutionsTotal.name, { agent_id: 'planner' }),
      ).toBe(1);
      const head = await call(server.url, { method: 'HEAD', headers });
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toBe(contentType);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.body).toBe('');
    });
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
    'answers %s on the metrics path with 405 and Allow',
    async (method) => {
      const server = await start();
      const response = await call(server.url, { method });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expect(response.body).toBe('Method Not Allowed\n');
    },
  );

  it.each([
    ['GET', '/'],
    ['GET', '/metrics/'],
    ['GET', '/metricsx'],
    ['GET', '/other?path=/metrics'],
    ['HEAD', '/other'],
    ['POST', '/other'],
  ])('answers %s %s with 404', async (method, path) => {
    const server = await start();
    const response = await call(`http://127.0.0.1:${server.port}${path}`, { method });
    expect(response.status).toBe(404);
    expect(response.body).toBe(method === 'HEAD' ? '' : 'Not Found\n');
  });

  it('serves a request whose target is in absolute form (RFC 9112 3.2.2)', async () => {
    const server = await start();
    const socket = connect({ port: server.port, host: '127.0.0.1' });
    const answer = await new Promise<string>((resolve, reject) => {
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        data += chunk;
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write(
        `GET http://127.0.0.1:${server.port}/metrics?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain(METRICS.agentExecutionsTotal.name);
  });

  it('serves a custom path', async () => {
    const server = await start({ path: '/internal/prom' });
    expect((await call(server.url)).status).toBe(200);
    expect(server.url.endsWith('/internal/prom')).toBe(true);
  });

  it('checks a bearer token', async () => {
    const server = await start({ auth: { bearerToken: 's3cret-token' } });
    const denied = await call(server.url);
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer');
    expect((await call(server.url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await call(server.url, { headers: { Authorization: 'Bearer s3cret-token' } })).status).toBe(200);
  });

  it('checks basic auth', async () => {
    const server = await start({ auth: { username: 'prom', password: 'pw' } });
    const good = `Basic ${Buffer.from('prom:pw').toString('base64')}`;
    const bad = `Basic ${Buffer.from('prom:nope').toString('base64')}`;
    expect((await call(server.url, { headers: { Authorization: bad } })).status).toBe(401);
    expect((await call(server.url, { headers: { Authorization: good } })).status).toBe(200);
  });

  it('answers 500 and warns once when rendering fails, and keeps serving', async () => {
    const registry = new Registry();
    let fail = true;
    const warnings: string[] = [];
    const metrics = createMetrics({ registry });
    metrics.tool.start({ toolName: 't' }).succeed();
    registry.registerMetric({
      name: 'flaky',
      help: 'flaky',
      get: async () => {
        if (fail) throw new Error('collector broke');
        return { name: 'flaky', help: 'flaky', type: 'gauge', values: [], aggregator: 'sum' };
      },
    } as never);
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      registry,
      onWarning: ({ code }) => warnings.push(code),
    });
    servers.push(server);
    expect((await call(server.url)).status).toBe(500);
    expect((await call(server.url)).status).toBe(500);
    expect(warnings).toEqual(['GENXAI_METRICS_RENDER_FAILED']);
    fail = false;
    expect((await call(server.url)).status).toBe(200);
  });

  it('names the port when it is already in use', async () => {
    const first = await start();
    await expect(startMetricsServer({ port: first.port, host: '127.0.0.1' })).rejects.toThrow(
      `port ${first.port} on 127.0.0.1 is already in use`,
    );
  });

  it.each([
    [{ port: -1 }, /Invalid port: -1/],
    [{ port: 70000 }, /Invalid port: 70000/],
    [{ port: 1.5 }, /Invalid port/],
    [{ path: 'metrics' }, /Invalid path: "metrics"/],
    [{ auth: { bearerToken: '' } }, /Invalid auth/],
  ])('rejects %j at setup', async (options, message) => {
    await expect(startMetricsServer(options as never)).rejects.toThrow(message);
  });

  it.each([['Bearer'], ['bearer'], ['BEARER'], ['bEaReR']])(
    'accepts the %s scheme in any case (RFC 7235)',
    async (scheme) => {
      const server = await start({ auth: { bearerToken: 's3cret-token' } });
      expect((await call(server.url, { headers: { Authorization: `${scheme} s3cret-token` } })).status).toBe(
        200,
      );
      expect(
        (await call(server.url, { headers: { Authorization: `${scheme}   s3cret-token` } })).status,
      ).toBe(200);
    },
  );

  it.each([
    ['Bearer s3cret-toke'],
    ['Bearer s3cret-token2'],
    ['Bearer s3cret-tokeN'],
    ['Bearer '],
    ['Bearer'],
    ['Bearers3cret-token'],
    ['s3cret-token'],
    ['Basic s3cret-token'],
    ['Token s3cret-token'],
  ])('rejects the bearer credentials %j', async (authorization) => {
    const server = await start({ auth: { bearerToken: 's3cret-token' } });
    const response = await call(server.url, { headers: { Authorization: authorization } });
    expect(response.status).toBe(401);
    expect(response.body).toBe('Unauthorized\n');
  });

  it('accepts the basic scheme in any case and checks the whole user:password', async () => {
    const server = await start({ auth: { username: 'prom', password: 'pw' } });
    const encode = (text: string) => Buffer.from(text).toString('base64');
    for (const scheme of ['Basic', 'basic', 'BASIC']) {
      expect(
        (await call(server.url, { headers: { Authorization: `${scheme} ${encode('prom:pw')}` } })).status,
      ).toBe(200);
    }
    for (const credentials of ['prom:p', 'prom:pw2', 'pro:pw', 'prom', ':pw', 'prom:pw:']) {
      const response = await call(server.url, { headers: { Authorization: `Basic ${encode(credentials)}` } });
      expect(response.status, credentials).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="metrics", charset="UTF-8"');
    }
    expect(
      (await call(server.url, { headers: { Authorization: `Bearer ${encode('prom:pw')}` } })).status,
    ).toBe(401);
  });

  it('reports a render failure to onWarning and never to process.emitWarning', async () => {
    const registry = new Registry();
    registry.registerMetric({
      name: 'broken',
      help: 'broken',
      get: async () => {
        throw new Error('collector broke');
      },
    } as never);
    const processWarnings: string[] = [];
    const onProcessWarning = (warning: Error & { code?: string }) => processWarnings.push(warning.code ?? '');
    process.on('warning', onProcessWarning);
    try {
      const warnings: Array<{ code: string; message: string }> = [];
      const server = await startMetricsServer({
        port: 0,
        host: '127.0.0.1',
        registry,
        onWarning: (warning) => warnings.push(warning),
      });
      servers.push(server);
      expect((await call(server.url)).status).toBe(500);
      const handler = createMetricsHandler({ registry, onWarning: (warning) => warnings.push(warning) });
      const direct = createServer((request, response) => void handler(request, response));
      await new Promise<void>((resolve) => direct.listen(0, '127.0.0.1', resolve));
      const { port } = direct.address() as AddressInfo;
      expect((await call(`http://127.0.0.1:${port}/`)).status).toBe(500);
      await new Promise((resolve) => direct.close(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([
        { code: 'GENXAI_METRICS_RENDER_FAILED', message: expect.stringContaining('collector broke') },
        { code: 'GENXAI_METRICS_RENDER_FAILED', message: expect.stringContaining('collector broke') },
      ]);
      expect(processWarnings).toEqual([]);
    } finally {
      process.off('warning', onProcessWarning);
    }
  });

  it('closes cleanly, twice', async () => {
    const server = await start();
    await call(server.url);
    await server.close();
    await server.close();
    expect(server.server.listening).toBe(false);
    await expect(call(server.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
