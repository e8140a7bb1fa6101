import { parseExposition, requireBinary, runPromtool } from '@genxai/test-utils';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { negotiateFormat, renderMetrics } from './exposition';
import { createMetrics } from './metrics';
import { GEN_AI_METRICS, METRICS, SELF_METRICS } from './names';
import { createMetricsRegistry, type MetricsRegistry } from './registry';

const TRACE = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

function recordEverything(registry: MetricsRegistry) {
  const metrics = createMetrics({ registry, defaultMetrics: true, maxLabelSetsPerMetric: 2 });
  metrics.agent.start({ agentId: 'planner' }).succeed({ exemplar: TRACE });
  metrics.agent
    .start({ agentId: 'a "quoted" \\ agent\nwith newline' })
    .fail(new Error('x'), { exemplar: TRACE });
  for (const agentId of ['c', 'd', 'e']) metrics.agent.start({ agentId }).succeed();
  metrics.tool.start({ toolName: 'search' }).fail(new RangeError('x'), { exemplar: TRACE });
  metrics.llm.start({ provider: 'openai', model: 'gpt-4o' }).succeed({
    usage: { inputTokens: 5, outputTokens: 7 },
    responseModel: 'gpt-4o-2024-08-06',
    exemplar: TRACE,
  });
  metrics.llm.start({ provider: 'openai', model: 'gpt-4o' }).fail(new TypeError('x'), { exemplar: TRACE });
  metrics.memory.start({ operationType: 'search', memoryType: 'vector' }).succeed();
  metrics.memory.setSize({ agentId: 'planner', memoryType: 'vector' }, 10);
  metrics.workflow.start({ workflowId: 'w' }).succeed({ exemplar: TRACE });
  metrics.node.start({ workflowId: 'w', nodeId: 'n' }).succeed();
}

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'prometheus'],
    ['', 'prometheus'],
    ['text/plain', 'prometheus'],
    ['*/*', 'prometheus'],
    [PROMETHEUS_ACCEPT, 'openmetrics'],
    ['application/openmetrics-text; version=1.0.0', 'openmetrics'],
    ['text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5', 'prometheus'],
    ['application/openmetrics-text;q=0', 'prometheus'],
    ['application/openmetrics-text;q=bogus', 'prometheus'],
  ] as const)('%s → %s', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});

describe('renderMetrics', () => {
  it('serves OpenMetrics with exemplars and # EOF', async () => {
    const registry = createMetricsRegistry();
    recordEverything(registry);
    const { contentType, body } = await renderMetrics(registry, 'openmetrics');
    expect(contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(body.endsWith('# EOF\n')).toBe(true);
    const parsed = parseExposition(body);
    expect(parsed.types.get('genxai_agent_executions')).toBe('counter');
    const withExemplar = parsed.samples.filter((s) => s.exemplar);
    expect(withExemplar.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'genxai_agent_executions_total',
        'genxai_agent_execution_duration_seconds_bucket',
        'genxai_llm_tokens_total',
        'genxai_llm_cost_total',
        'genxai_workflow_execution_duration_seconds_bucket',
      ]),
    );
    expect(withExemplar[0]!.exemplar!.labels).toEqual({ trace_id: TRACE.traceId, span_id: TRACE.spanId });
  });

  it('serves Prometheus text from the same registry with the same samples and counter families named _total', async () => {
    const registry = createMetricsRegistry();
    recordEverything(registry);
    const openMetrics = parseExposition((await renderMetrics(registry, 'openmetrics')).body);
    const { contentType, body } = await renderMetrics(registry, 'prometheus');
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).not.toContain('# EOF');
    expect(body).not.toContain('trace_id');
    const prometheus = parseExposition(body);
    // Node default metrics move between two renders; ours must not.
    const strip = (samples: typeof prometheus.samples) =>
      samples.filter((s) => s.name.startsWith('genxai_')).map(({ exemplar: _, ...s }) => s);
    expect(strip(prometheus.samples).length).toBeGreaterThan(50);
    expect(strip(prometheus.samples)).toEqual(strip(openMetrics.samples));
    expect(prometheus.types.get(METRICS.agentExecutionsTotal.name)).toBe('counter');
    expect(prometheus.help.get(METRICS.agentExecutionsTotal.name)).toBe(METRICS.agentExecutionsTotal.help);
    expect(prometheus.types.get(METRICS.agentExecutionDurationSeconds.name)).toBe('histogram');
  });

  it('keeps counter names intact after an OpenMetrics render (prom-client renames them in place)', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry });
    metrics.node.start({ workflowId: 'w', nodeId: 'n' }).succeed();
    await renderMetrics(registry, 'openmetrics');
    expect(registry.getSingleMetric(METRICS.workflowNodeExecutionsTotal.name)).toBeDefined();
    const json = await registry.getMetricsAsJSON();
    expect(json.map((m) => m.name)).toContain(METRICS.workflowNodeExecutionsTotal.name);
    const again = parseExposition((await renderMetrics(registry, 'prometheus')).body);
    expect(again.types.get(METRICS.workflowNodeExecutionsTotal.name)).toBe('counter');
  });

  it('keeps counter names intact when renders overlap, for the cluster path too', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry, defaultMetrics: true });
    metrics.node.start({ workflowId: 'w', nodeId: 'n' }).succeed();
    // Default metrics collect asynchronously, so these renders really interleave.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => renderMetrics(registry, i % 2 ? 'openmetrics' : 'prometheus')),
    );
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain(METRICS.workflowNodeExecutionsTotal.name);
    expect(names).toContain(METRICS.agentExecutionsTotal.name);
    const text = parseExposition((await renderMetrics(registry, 'prometheus')).body);
    expect(text.types.get(METRICS.workflowNodeExecutionsTotal.name)).toBe('counter');
  });

  it('renders a Prometheus-typed registry as Prometheus text whatever is asked', async () => {
    const registry = new Registry();
    createMetrics({ registry }).tool.start({ toolName: 't' }).succeed();
    const { contentType, body } = await renderMetrics(registry, 'openmetrics');
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parseExposition(body).types.get(METRICS.toolCallsTotal.name)).toBe('counter');
  });

  it("renders an OpenMetrics registry's Prometheus text with no exemplar, no # EOF and counters named _total", async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry });
    const exemplar = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) };
    metrics.tool.start({ toolName: 't # {x="y"}' }).succeed({ exemplar });
    const open = (await renderMetrics(registry, 'openmetrics')).body;
    expect(open).toContain('trace_id="aaaa');
    const { body } = await renderMetrics(registry, 'prometheus');
    expect(body).not.toContain('trace_id');
    expect(body).not.toContain('# EOF');
    expect(body).toContain(`# TYPE ${METRICS.toolCallsTotal.name} counter`);
    expect(body).toContain(`${METRICS.toolCallsTotal.name}{tool_name="t # {x=\\"y\\"}",status="success"} 1`);
    // And the OpenMetrics render after it still strips and restores the counters' names.
    expect((await renderMetrics(registry, 'openmetrics')).body).toBe(open);
  });
});

const promtool = requireBinary('promtool');

describe.skipIf(!promtool)('promtool check metrics', () => {
  it.each([
    ['an OpenMetrics registry', () => createMetricsRegistry()],
    ['a Prometheus registry', () => new Registry()],
  ])('accepts the Prometheus text of %s, with no lint on our metrics', async (_, makeRegistry) => {
    const registry = makeRegistry();
    recordEverything(registry);
    const { body } = await renderMetrics(registry, 'prometheus');
    const result = runPromtool(promtool!, ['check', 'metrics'], body);
    // Exit 3 is lint only; prom-client's default Node metrics trigger it.
    expect([0, 3], result.stderr + result.stdout).toContain(result.status);
    const ours = [
      ...Object.values(METRICS),
      ...Object.values(SELF_METRICS),
      ...Object.values(GEN_AI_METRICS),
    ].map((m) => m.name.replace(/_total$/, ''));
    // The GenAI client histograms are in what promtool checked, with an empty and a set error_type.
    const families = parseExposition(body);
    expect(families.types.get(GEN_AI_METRICS.clientTokenUsage.name)).toBe('histogram');
    expect(families.types.get(GEN_AI_METRICS.clientOperationDurationSeconds.name)).toBe('histogram');
    expect(
      families.samples
        .filter((s) => s.name === `${GEN_AI_METRICS.clientOperationDurationSeconds.name}_count`)
        .map((s) => s.labels.error_type),
    ).toEqual(['', 'TypeError']);
    const lint = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
    const lintOnOurs = lint.filter((line) => ours.some((name) => line.startsWith(name)));
    expect(lintOnOurs).toEqual([]);
    // Sanity: promtool really parses what it gets.
    expect(runPromtool(promtool!, ['check', 'metrics'], `${body}garbage line here\n`).status).toBe(1);
  });
});
