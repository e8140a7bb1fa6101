import { parseExposition, requireBinary, runPromtool } from '@genxai/test-utils';
import { Counter, Gauge, Histogram, type Metric, Registry, Summary } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ExpositionFormat, negotiateFormat, renderMetrics } from './exposition';
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
    expect(body).toContain(
      `${METRICS.toolCallsTotal.name}{tool_name="t # {x=\\"y\\"}",agent_id="",status="success"} 1`,
    );
    // And the OpenMetrics render after it still strips and restores the counters' names.
    expect((await renderMetrics(registry, 'openmetrics')).body).toBe(open);
  });
});

/**
 * A registry with every metric type, label values and help texts that need escaping, `NaN` and
 * infinities, exemplars where the registry takes them, default labels, a metric with no series,
 * and `series` children per labelled metric.
 */
function everyType(registry: MetricsRegistry, series: number): MetricsRegistry {
  const registers = [registry];
  const enableExemplars = registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE;
  const help = 'Help with a \\ backslash\nand a newline';
  const requests = new Counter({
    name: 'test_requests_total',
    help,
    labelNames: ['route', 'code'],
    enableExemplars,
    registers,
  });
  const plain = new Counter({ name: 'test_plain', help: 'A counter named without _total', registers });
  new Counter({ name: 'test_never_total', help: 'No series yet', labelNames: ['x'], registers });
  const gauge = new Gauge({ name: 'test_level', help: 'A gauge', labelNames: ['room'], registers });
  new Gauge({
    name: 'test_collected',
    help: 'Set by collect()',
    registers,
    collect() {
      this.set(0.1 + 0.2);
    },
  });
  const latency = new Histogram({
    name: 'test_latency_seconds',
    help,
    labelNames: ['route'],
    buckets: [0.005, 0.1, 1, 10],
    enableExemplars,
    registers,
  });
  const size = new Summary({
    name: 'test_size_bytes',
    help: 'A summary',
    labelNames: ['route'],
    percentiles: [0.5, 0.9, 0.99],
    registers,
  });
  // With exemplars on, prom-client takes the object form only, and only then. (Its types want the
  // metric's own label names in an exemplar; any names are valid.)
  const exemplarLabels = (i: number): Record<string, string> =>
    enableExemplars && i % 2 === 0
      ? { trace_id: `${i}`.padStart(32, 'a'), span_id: `${i}`.padStart(16, 'b') }
      : {};
  for (let i = 0; i < series; i++) {
    const route = i % 7 === 0 ? `/a "quoted" \\ route\nwith newline ${i}` : `/route/${i}`;
    const labels = { route, code: i % 3 ? '200' : '500' };
    if (enableExemplars) {
      requests.inc({ labels, value: i + 1, exemplarLabels: exemplarLabels(i) });
      latency.observe({ labels: { route }, value: i / 100, exemplarLabels: exemplarLabels(i) });
      latency.observe({ labels: { route }, value: 1e9, exemplarLabels: {} });
    } else {
      requests.inc(labels, i + 1);
      latency.observe({ route }, i / 100);
      latency.observe({ route }, 1e9);
    }
    size.observe({ route }, i * 1.5);
    size.observe({ route }, 7);
    gauge.set({ room: route }, i - series / 2);
  }
  plain.inc(3);
  gauge.set({ room: 'nan' }, Number.NaN);
  gauge.set({ room: 'hot' }, Number.POSITIVE_INFINITY);
  gauge.set({ room: 'cold' }, Number.NEGATIVE_INFINITY);
  registry.setDefaultLabels({ service: 'checkout "eu"' });
  return registry;
}

/** prom-client's own render of `registry` in `format`. */
async function promClientRender(registry: MetricsRegistry, format: ExpositionFormat): Promise<string> {
  if (format === 'openmetrics') return registry.metrics();
  // The same metric objects in a Prometheus-typed registry.
  const twin = new Registry();
  for (const metric of registry.getMetricsAsArray()) twin.registerMetric(metric as unknown as Metric);
  twin.setDefaultLabels({ service: 'checkout "eu"' });
  return twin.metrics();
}

/** A clock that moves `step` ms at each read, so a render's time budget runs out at a known pace. */
function fakeClock(step: number) {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => {
    now += step;
    return now;
  });
}

/** Counts the turns of the event loop (setImmediate callbacks) until `work` settles. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let settled = false;
  const tick = () => {
    if (settled) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work.finally(() => {
    settled = true;
  });
  return turns;
}

describe.each(['prometheus', 'openmetrics'] as const)('the sliced render (%s)', (format) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['in one go', 0],
    ['in many slices', 1],
  ])('renders what prom-client renders, byte for byte, %s, with exemplars and escaping', async (_, step) => {
    const registry = everyType(createMetricsRegistry(), 1500);
    fakeClock(step);
    const ours = (await renderMetrics(registry, format)).body;
    vi.restoreAllMocks();
    const theirs = await promClientRender(registry, format);
    expect(ours.length).toBeGreaterThan(100_000);
    expect(ours).toBe(theirs);
    // What the registry holds is there: exemplars only in OpenMetrics, escaped labels, infinities.
    expect(ours.includes('# {trace_id="')).toBe(format === 'openmetrics');
    expect(ours.endsWith('# EOF\n')).toBe(format === 'openmetrics');
    expect(ours).toContain('route="/a \\"quoted\\" \\\\ route\\nwith newline 7"');
    expect(ours).toContain('le="+Inf"');
    expect(ours).toContain('test_level{room="nan",service="checkout \\"eu\\""} Nan');
  });

  it('renders a Prometheus-typed registry as prom-client does, byte for byte, in slices', async () => {
    const registry = everyType(new Registry(), 700);
    fakeClock(1);
    const ours = (await renderMetrics(registry, format)).body;
    vi.restoreAllMocks();
    expect(ours).toBe(await registry.metrics());
  });

  it('lets the event loop run between slices of one large metric', async () => {
    const registry = createMetricsRegistry();
    const histogram = new Histogram({
      name: 'test_big_seconds',
      help: 'big',
      labelNames: ['id'],
      registers: [registry],
    });
    for (let i = 0; i < 2000; i++) histogram.observe({ id: `${i}` }, i);
    fakeClock(10);
    const order: string[] = [];
    const rendering = renderMetrics(registry, format).then(() => order.push('rendered'));
    setImmediate(() => order.push('immediate'));
    // One metric: yielding between metrics alone would give the loop one turn at most.
    expect(await turnsDuring(rendering)).toBeGreaterThan(10);
    expect(order).toEqual(['immediate', 'rendered']);
  });

  it('renders in one go while the time budget lasts, however many series', async () => {
    const registry = everyType(createMetricsRegistry(), 1500);
    fakeClock(0);
    const order: string[] = [];
    const rendering = renderMetrics(registry, format).then(() => order.push('rendered'));
    setImmediate(() => order.push('immediate'));
    expect(await turnsDuring(rendering)).toBe(0);
    expect(order).toEqual(['rendered']);
  });

  it('renders once for the scrapes that arrive during a render, and afresh after it', async () => {
    const registry = everyType(createMetricsRegistry(), 50);
    const counter = registry.getSingleMetric('test_requests_total')!;
    // What prom-client's render reads of a histogram, in place of get().
    const histogram = registry.getSingleMetric('test_latency_seconds') as unknown as {
      getForPromString(): Promise<unknown>;
    };
    const counterGets = vi.spyOn(counter, 'get');
    const histogramGets = vi.spyOn(histogram, 'getForPromString');
    fakeClock(1);
    const first = renderMetrics(registry, format);
    // One arrives at once, one after the render has let the loop run.
    const second = renderMetrics(registry, format);
    await new Promise((resolve) => setImmediate(resolve));
    const third = renderMetrics(registry, format);
    const bodies = (await Promise.all([first, second, third])).map((result) => result.body);
    expect(counterGets).toHaveBeenCalledTimes(1);
    expect(histogramGets).toHaveBeenCalledTimes(1);
    expect(new Set(bodies).size).toBe(1);
    await renderMetrics(registry, format);
    expect(counterGets).toHaveBeenCalledTimes(2);
  });

  it('rejects every scrape that shared a failed render, and renders again at the next one', async () => {
    const registry = createMetricsRegistry();
    let fail = true;
    const get = vi.fn(async () => {
      if (fail) throw new Error('collector broke');
      return { name: 'test_flaky', help: 'flaky', type: 'gauge', values: [{ value: 1, labels: {} }] };
    });
    registry.registerMetric({ name: 'test_flaky', help: 'flaky', get } as never);
    const results = await Promise.allSettled([
      renderMetrics(registry, format),
      renderMetrics(registry, format),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(get).toHaveBeenCalledTimes(1);
    fail = false;
    expect((await renderMetrics(registry, format)).body).toContain('test_flaky 1');
    expect(get).toHaveBeenCalledTimes(2);
  });
});

it('does not share a render between the two formats', async () => {
  const registry = everyType(createMetricsRegistry(), 10);
  const counterGets = vi.spyOn(registry.getSingleMetric('test_requests_total')!, 'get');
  const [prometheus, openMetrics] = await Promise.all([
    renderMetrics(registry, 'prometheus'),
    renderMetrics(registry, 'openmetrics'),
  ]);
  expect(counterGets).toHaveBeenCalledTimes(2);
  expect(prometheus.body).not.toContain('# EOF');
  expect(openMetrics.body).toContain('# EOF');
  vi.restoreAllMocks();
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
