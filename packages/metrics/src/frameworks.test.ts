import type { AddressInfo } from 'node:net';
import { parseExposition, sampleValue } from '@genxai/test-utils';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { createMetricsHandler } from './metrics-server';
import { METRICS } from './names';
import { createMetricsRegistry } from './registry';

function recorded() {
  const registry = createMetricsRegistry();
  createMetrics({ registry })
    .tool.start({ toolName: 'search' })
    .succeed({
      exemplar: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' },
    });
  return registry;
}

async function expectServed(url: string) {
  const text = await fetch(url, { headers: { Authorization: 'Bearer t0k3n' } });
  expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const parsed = parseExposition(await text.text());
  expect(sampleValue(parsed, METRICS.toolCallsTotal.name, { tool_name: 'search', status: 'success' })).toBe(
    1,
  );
  const openMetrics = await fetch(url, {
    headers: { Authorization: 'Bearer t0k3n', Accept: 'application/openmetrics-text; version=1.0.0' },
  });
  expect(openMetrics.headers.get('content-type')).toBe(
    'application/openmetrics-text; version=1.0.0; charset=utf-8',
  );
  expect(await openMetrics.text()).toContain('trace_id="4bf92f3577b34da6a3ce929d0e0e4736"');
  expect((await fetch(url)).status).toBe(401);
}

describe('createMetricsHandler mounted in a framework', () => {
  it('works as an Express route', async () => {
    const app = express();
    app.get('/metrics', createMetricsHandler({ registry: recorded(), auth: { bearerToken: 't0k3n' } }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await expectServed(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    } finally {
      server.close();
    }
  });

  it('works as a Fastify route through reply.hijack()', async () => {
    const app = Fastify();
    const handler = createMetricsHandler({ registry: recorded(), auth: { bearerToken: 't0k3n' } });
    app.get('/metrics', (request, reply) => {
      reply.hijack();
      void handler(request.raw, reply.raw);
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await expectServed(`${address}/metrics`);
    } finally {
      await app.close();
    }
  });
});
