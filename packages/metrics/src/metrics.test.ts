import { parseExposition, sampleValue } from '@genxai/test-utils';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { renderMetrics } from './exposition';
import { createMetrics } from './metrics';
import { METRICS } from './names';
import { createMetricsRegistry, type MetricsRegistry } from './registry';

const scrape = async (registry: MetricsRegistry) =>
  parseExposition((await renderMetrics(registry, 'prometheus')).body);
const collect = () => {
  const warnings: string[] = [];
  return { warnings, onWarning: ({ code }: { code: string }) => warnings.push(code) };
};

describe.each([
  ['OpenMetrics registry', () => createMetricsRegistry()],
  ['Prometheus registry', () => new Registry()],
])('createMetrics on a %s', (_, makeRegistry) => {
  it('records a successful agent execution', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    const result = await metrics.agent.time({ agentId: 'planner' }, async () => 'done');
    expect(result).toBe('done');
    const families = await scrape(registry);
    expect(
      sampleValue(families, METRICS.agentExecutionsTotal.name, { agent_id: 'planner', status: 'success' }),
    ).toBe(1);
    expect(sampleValue(families, METRICS.agentExecutionDurationSeconds.name, { agent_id: 'planner' })).toBe(
      1,
    );
    expect(sampleValue(families, METRICS.agentActiveExecutions.name, { agent_id: 'planner' })).toBe(0);
    expect(families.samples.filter((s) => s.name === METRICS.agentErrorsTotal.name)).toHaveLength(0);
  });

  it('records a failure with error_type, rethrows the same error and brings the gauge back down', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    const error = Object.assign(new Error('upstream said no'), { code: 'ECONNRESET' });
    await expect(
      metrics.agent.time({ agentId: 'planner' }, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect(() =>
      metrics.tool.time({ toolName: 'search' }, () => {
        throw new TypeError('bad');
      }),
    ).toThrow(TypeError);
    const families = await scrape(registry);
    expect(
      sampleValue(families, METRICS.agentExecutionsTotal.name, { agent_id: 'planner', status: 'error' }),
    ).toBe(1);
    expect(
      sampleValue(families, METRICS.agentErrorsTotal.name, { agent_id: 'planner', error_type: 'ECONNRESET' }),
    ).toBe(1);
    expect(sampleValue(families, METRICS.agentActiveExecutions.name, { agent_id: 'planner' })).toBe(0);
    expect(
      sampleValue(families, METRICS.toolErrorsTotal.name, { tool_name: 'search', error_type: 'TypeError' }),
    ).toBe(1);
    expect(sampleValue(families, METRICS.toolCallsTotal.name, { tool_name: 'search', status: 'error' })).toBe(
      1,
    );
  });

  it('shows active executions while they run', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    const first = metrics.agent.start({ agentId: 'a' });
    const second = metrics.agent.start({ agentId: 'a' });
    expect(sampleValue(await scrape(registry), METRICS.agentActiveExecutions.name, { agent_id: 'a' })).toBe(
      2,
    );
    first.succeed();
    first.succeed(); // a second end is ignored
    expect(sampleValue(await scrape(registry), METRICS.agentActiveExecutions.name, { agent_id: 'a' })).toBe(
      1,
    );
    second.fail('a string throw');
    const families = await scrape(registry);
    expect(sampleValue(families, METRICS.agentActiveExecutions.name, { agent_id: 'a' })).toBe(0);
    expect(sampleValue(families, METRICS.agentErrorsTotal.name, { agent_id: 'a', error_type: 'Error' })).toBe(
      1,
    );
    expect(
      sampleValue(families, METRICS.agentExecutionsTotal.name, { agent_id: 'a', status: 'success' }),
    ).toBe(1);
  });

  it('records every one of the 17 metrics', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    metrics.agent.start({ agentId: 'a' }).fail(new Error('x'));
    metrics.tool.start({ toolName: 't' }).fail(new Error('x'));
    metrics.llm
      .start({ provider: 'openai', model: 'gpt-4o-mini' })
      .succeed({ usage: { inputTokens: 10, outputTokens: 5 } });
    metrics.memory.start({ operationType: 'store', memoryType: 'short_term' }).succeed();
    metrics.memory.setSize({ agentId: 'a', memoryType: 'short_term' }, 2048);
    metrics.workflow.start({ workflowId: 'w' }).succeed();
    metrics.node.start({ workflowId: 'w', nodeId: 'plan' }).succeed();
    const families = await scrape(registry);
    for (const definition of Object.values(METRICS)) {
      expect(
        families.samples.filter((s) => s.name.startsWith(definition.name)).length,
        definition.name,
      ).toBeGreaterThan(0);
    }
    expect(
      sampleValue(families, METRICS.memorySizeBytes.name, { agent_id: 'a', memory_type: 'short_term' }),
    ).toBe(2048);
    expect(
      sampleValue(families, METRICS.workflowNodeExecutionsTotal.name, {
        workflow_id: 'w',
        node_id: 'plan',
        status: 'success',
      }),
    ).toBe(1);
  });

  it('passes sync results through and times sync work', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    expect(metrics.workflow.time({ workflowId: 'w' }, () => 42)).toBe(42);
    const families = await scrape(registry);
    expect(
      sampleValue(families, METRICS.workflowExecutionsTotal.name, { workflow_id: 'w', status: 'success' }),
    ).toBe(1);
  });
});

describe('createMetrics', () => {
  it('returns the same instruments when called twice on one registry, and never throws "already registered"', async () => {
    const registry = createMetricsRegistry();
    const first = createMetrics({ registry });
    const second = createMetrics({ registry });
    expect(second.instruments.agentExecutionsTotal).toBe(first.instruments.agentExecutionsTotal);
    first.agent.start({ agentId: 'a' }).succeed();
    second.agent.start({ agentId: 'a' }).succeed();
    expect(
      sampleValue(await scrape(registry), METRICS.agentExecutionsTotal.name, {
        agent_id: 'a',
        status: 'success',
      }),
    ).toBe(2);
  });

  it('uses one process-wide default registry', () => {
    const first = createMetrics();
    const second = createMetrics();
    expect(first.registry).toBe(second.registry);
    expect(first.instruments.toolCallsTotal).toBe(second.instruments.toolCallsTotal);
  });

  it('refuses a registry that holds a different metric under one of our names', () => {
    const registry = new Registry();
    registry.registerMetric({
      name: METRICS.agentExecutionsTotal.name,
      labelNames: ['other'],
      get: async () => ({}),
    } as never);
    expect(() => createMetrics({ registry })).toThrow(
      /already holds a metric named genxai_agent_executions_total/,
    );
  });

  it.each([0, -1, 1.5, Number.NaN, '10'])('rejects maxLabelSetsPerMetric %s at setup', (value) => {
    expect(() => createMetrics({ registry: new Registry(), maxLabelSetsPerMetric: value as number })).toThrow(
      /maxLabelSetsPerMetric/,
    );
  });

  it('rejects something that is not a registry', () => {
    expect(() => createMetrics({ registry: {} as never })).toThrow(/Invalid registry/);
  });

  it('collects Node default metrics only when asked, and only once', async () => {
    const off = new Registry();
    createMetrics({ registry: off });
    expect((await off.metrics()).includes('process_cpu_user_seconds_total')).toBe(false);
    const on = createMetricsRegistry();
    createMetrics({ registry: on, defaultMetrics: true });
    createMetrics({ registry: on, defaultMetrics: true });
    const families = await scrape(on);
    expect(families.types.has('process_cpu_user_seconds_total')).toBe(true);
    expect(families.types.has('nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('records bad label values as "unknown" and warns once, without throwing', async () => {
    const registry = new Registry();
    const { warnings, onWarning } = collect();
    const metrics = createMetrics({ registry, onWarning });
    metrics.agent.start({ agentId: undefined as never }).succeed();
    metrics.agent.start({ agentId: '' }).succeed();
    metrics.agent.start(null as never).succeed();
    const families = await scrape(registry);
    expect(
      sampleValue(families, METRICS.agentExecutionsTotal.name, { agent_id: 'unknown', status: 'success' }),
    ).toBe(3);
    expect(warnings).toEqual(['GENXAI_METRICS_BAD_LABEL']);
  });

  it('ignores a malformed exemplar and still records the value', async () => {
    const registry = createMetricsRegistry();
    const { warnings, onWarning } = collect();
    const metrics = createMetrics({ registry, onWarning });
    metrics.agent.start({ agentId: 'a' }).succeed({ exemplar: { traceId: 'nope', spanId: 'x' } });
    expect(
      sampleValue(await scrape(registry), METRICS.agentExecutionsTotal.name, {
        agent_id: 'a',
        status: 'success',
      }),
    ).toBe(1);
    expect((await renderMetrics(registry, 'openmetrics')).body).not.toContain('trace_id');
    expect(warnings).toEqual(['GENXAI_METRICS_BAD_EXEMPLAR']);
  });

  it('never lets a failing onSuccess extractor break the caller', async () => {
    const registry = new Registry();
    const metrics = createMetrics({ registry });
    const value = await metrics.llm.time({ provider: 'openai', model: 'gpt-4o' }, async () => 'text', {
      onSuccess: () => {
        throw new Error('extractor bug');
      },
    });
    expect(value).toBe('text');
    const families = await scrape(registry);
    expect(sampleValue(families, METRICS.llmRequestsTotal.name, { model: 'gpt-4o', status: 'success' })).toBe(
      1,
    );
  });
});

describe('a failing instrument', () => {
  it('never breaks the caller: the work runs, its result returns, and the failure is reported once', async () => {
    const registry = new Registry();
    const warnings: string[] = [];
    const metrics = createMetrics({ registry, onWarning: ({ code }) => warnings.push(code) });
    (metrics.instruments.toolCallsTotal as { inc: () => void }).inc = () => {
      throw new Error('broken instrument');
    };
    expect(await metrics.tool.time({ toolName: 't' }, async () => 'result')).toBe('result');
    expect(metrics.tool.time({ toolName: 't' }, () => 7)).toBe(7);
    expect(warnings).toEqual(['GENXAI_METRICS_RECORD_FAILED']);
    const families = await scrape(registry);
    expect(sampleValue(families, METRICS.toolExecutionDurationSeconds.name, { tool_name: 't' })).toBe(2);
  });
});

describe('label values from hostile input', () => {
  it('keeps two label sets apart when a value holds the key separator or other control characters', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry });
    metrics.node.start({ workflowId: 'a\u0001b', nodeId: 'c' }).succeed();
    metrics.node.start({ workflowId: 'a', nodeId: 'b\u0001c' }).succeed();
    metrics.agent.start({ agentId: 'line\nbreak\u0000nul\u009f' }).succeed();
    const families = await scrape(registry);
    const nodes = families.samples.filter((s) => s.name === METRICS.workflowNodeExecutionsTotal.name);
    expect(nodes).toHaveLength(2);
    expect(nodes.map((s) => s.labels.workflow_id).sort()).toEqual(['a', 'a\\u0001b']);
    expect(
      sampleValue(families, METRICS.agentExecutionsTotal.name, {
        agent_id: 'line\\u000abreak\\u0000nul\\u009f',
        status: 'success',
      }),
    ).toBe(1);
  });

  it('cuts at 256 units without splitting a surrogate pair, and replaces lone surrogates', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry });
    const emojiAtTheCut = `${'x'.repeat(255)}😀tail`;
    metrics.agent.start({ agentId: emojiAtTheCut }).succeed();
    metrics.agent.start({ agentId: `lone\ud800surrogate` }).succeed();
    const { body } = await renderMetrics(registry, 'prometheus');
    expect(body).toContain(`agent_id="${'x'.repeat(255)}"`);
    expect(body).toContain('agent_id="lone\ufffdsurrogate"');
    expect(Buffer.from(body, 'utf8').toString('utf8')).toBe(body);
  });

  it('caps error_type like every other label value', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry });
    const error = Object.assign(new Error('x'), { code: `E${'X'.repeat(10_000)}` });
    metrics.tool.start({ toolName: 't' }).fail(error);
    const families = await scrape(registry);
    const [sample] = families.samples.filter((s) => s.name === METRICS.toolErrorsTotal.name && s.value === 1);
    expect(sample?.labels.error_type).toHaveLength(256);
  });
});
