import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseExposition, requireBinary, sampleValue, startPushgateway } from '@genxai/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { METRICS } from './names';
import { pushMetrics } from './pushgateway';
import { createMetricsRegistry } from './registry';

const binary = requireBinary('prometheus-pushgateway');
const EXEMPLAR = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

describe.skipIf(!binary)('pushMetrics against a real Pushgateway', () => {
  let gateway: Awaited<ReturnType<typeof startPushgateway>>;
  beforeAll(async () => {
    gateway = await startPushgateway(binary!);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const scrapeGateway = async () => parseExposition(await (await fetch(`${gateway.url}/metrics`)).text());

  it('pushes an exemplar-carrying registry as Prometheus text, then replaces and deletes the group', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry });
    for (let i = 0; i < 5; i++)
      metrics.workflow.start({ workflowId: 'nightly' }).succeed({ exemplar: EXEMPLAR });
    const pushed = await pushMetrics({
      url: gateway.url,
      jobName: 'batch',
      groupings: { instance: 'eval' },
      registry,
    });
    expect(pushed).toEqual({ ok: true });
    let parsed = await scrapeGateway();
    expect(
      sampleValue(parsed, METRICS.workflowExecutionsTotal.name, {
        job: 'batch',
        instance: 'eval',
        workflow_id: 'nightly',
      }),
    ).toBe(5);

    metrics.workflow.start({ workflowId: 'nightly' }).succeed();
    expect(
      await pushMetrics({
        url: gateway.url,
        jobName: 'batch',
        groupings: { instance: 'eval' },
        registry,
        method: 'pushAdd',
      }),
    ).toEqual({ ok: true });
    parsed = await scrapeGateway();
    expect(
      sampleValue(parsed, METRICS.workflowExecutionsTotal.name, { job: 'batch', workflow_id: 'nightly' }),
    ).toBe(6);

    expect(
      await pushMetrics({
        url: gateway.url,
        jobName: 'batch',
        groupings: { instance: 'eval' },
        method: 'delete',
      }),
    ).toEqual({ ok: true });
    parsed = await scrapeGateway();
    expect(parsed.samples.filter((s) => s.name === METRICS.workflowExecutionsTotal.name)).toEqual([]);
  });
});

describe('pushMetrics failures', () => {
  it('resolves { ok: false } and warns once when the gateway answers 503', async () => {
    const server = createServer((_, res) => {
      res.writeHead(503);
      res.end('down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const warnings: string[] = [];
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const result = await pushMetrics({
      url,
      jobName: 'j',
      registry: createMetricsRegistry(),
      onWarning: ({ code }) => warnings.push(code),
    });
    server.close();
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error.message).toMatch(/503/);
    expect(warnings).toEqual(['GENXAI_METRICS_PUSH_FAILED']);
  });

  it('resolves { ok: false } when nothing listens', async () => {
    const result = await pushMetrics({
      url: 'http://127.0.0.1:9',
      jobName: 'j',
      registry: createMetricsRegistry(),
      onWarning: () => {},
    });
    expect(result.ok).toBe(false);
  });

  it.each([
    [{ url: 'ftp://x', jobName: 'j' }, /Invalid url/],
    [{ url: 'http://x', jobName: '' }, /Invalid jobName/],
    [{ url: 'http://x', jobName: 'j', method: 'put' }, /Invalid method/],
  ])('rejects %j at call time', async (options, message) => {
    await expect(pushMetrics(options as never)).rejects.toThrow(message);
  });
});
