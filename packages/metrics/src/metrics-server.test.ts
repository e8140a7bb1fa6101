import { request } from 'node:http';
import { parseExposition, sampleValue } from '@genxai/test-utils';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { type MetricsServer, startMetricsServer } from './metrics-server';
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

  it('closes cleanly, twice', async () => {
    const server = await start();
    await call(server.url);
    await server.close();
    await server.close();
    expect(server.server.listening).toBe(false);
    await expect(call(server.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
