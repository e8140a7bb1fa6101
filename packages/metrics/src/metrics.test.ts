import { GenxaiObservabilityError } from '@genxai/obs-core';
import { findSamples, parseExposition, sampleValue } from '@genxai/test-utils';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type ExpositionFormat, renderMetrics } from './exposition';
import { createMetrics } from './metrics';
import { GEN_AI_METRICS, METRICS, SELF_METRICS, STREAM_METRICS } from './names';
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

  it('records a cancelled operation with status cancelled: its duration, no error, the gauge back down', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    const timer = metrics.llm.start({ provider: 'openai', model: 'gpt-4o' });
    timer.cancel();
    timer.succeed(); // ignored: a timer ends once
    const families = await scrape(registry);
    const requests = (status: string) =>
      sampleValue(families, METRICS.llmRequestsTotal.name, { provider: 'openai', model: 'gpt-4o', status });
    expect(requests('cancelled')).toBe(1);
    expect(requests('success')).toBeUndefined();
    expect(
      sampleValue(families, `${METRICS.llmRequestDurationSeconds.name}_count`, {
        provider: 'openai',
        model: 'gpt-4o',
      }),
    ).toBe(1);
    // Not an error, in either vocabulary.
    expect(
      findSamples(families, 'gen_ai_client_operation_duration_seconds_count').map((s) => s.labels.error_type),
    ).toEqual(['']);
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

  it('counts tool calls, LLM requests and their cost against the agentId the operation names', async () => {
    const registry = makeRegistry();
    const { warnings, onWarning } = collect();
    const metrics = createMetrics({ registry, onWarning });
    const usage = { inputTokens: 1000, outputTokens: 200 };
    await metrics.llm.time({ provider: 'openai', model: 'gpt-4o-mini', agentId: 'planner' }, async () => 1, {
      usage,
    });
    await metrics.llm.time({ provider: 'openai', model: 'gpt-4o-mini' }, async () => 1, { usage });
    metrics.llm.recordUsage({ provider: 'openai', model: 'gpt-4o-mini', agentId: 'writer' }, usage);
    await metrics.tool.time({ toolName: 'search', agentId: 'planner' }, async () => 1);
    // A number, as the agent metrics take it; an empty string, as they do too ("unknown", warned once).
    await metrics.tool.time({ toolName: 'search', agentId: 7 as never }, async () => 1);
    await metrics.tool.time({ toolName: 'search', agentId: '' }, async () => 1);
    // The enclosing agent, when the operation names none; its own agentId wins.
    metrics.tool.start({ toolName: 'calculator' }, 'writer').succeed();
    metrics.llm
      .start({ provider: 'openai', model: 'gpt-4o', agentId: 'billing' }, 'writer')
      .succeed({ usage });
    const families = await scrape(registry);
    const oneRequest = (1000 * 0.15 + 200 * 0.6) / 1e6;
    const cost = (agent_id: string) => sampleValue(families, METRICS.llmCostTotal.name, { agent_id });
    expect(cost('planner')).toBeCloseTo(oneRequest, 12);
    expect(cost('writer')).toBeCloseTo(oneRequest, 12);
    expect(cost('')).toBeCloseTo(oneRequest, 12);
    expect(
      sampleValue(families, METRICS.llmRequestsTotal.name, { agent_id: 'planner', status: 'success' }),
    ).toBe(1);
    expect(sampleValue(families, METRICS.llmRequestsTotal.name, { agent_id: '', status: 'success' })).toBe(1);
    expect(sampleValue(families, METRICS.toolCallsTotal.name, { agent_id: 'planner' })).toBe(1);
    expect(sampleValue(families, METRICS.toolCallsTotal.name, { agent_id: '7' })).toBe(1);
    expect(sampleValue(families, METRICS.toolCallsTotal.name, { agent_id: 'unknown' })).toBe(1);
    expect(warnings).toEqual(['GENXAI_METRICS_BAD_LABEL']);
    expect(
      sampleValue(families, METRICS.toolCallsTotal.name, { tool_name: 'calculator', agent_id: 'writer' }),
    ).toBe(1);
    expect(
      sampleValue(families, METRICS.llmCostTotal.name, { model: 'gpt-4o', agent_id: 'billing' }),
    ).toBeGreaterThan(0);
    expect(findSamples(families, METRICS.llmCostTotal.name, { model: 'gpt-4o', agent_id: 'writer' })).toEqual(
      [],
    );
    // The token counter and the histograms keep the plan's labels.
    expect(
      findSamples(families, METRICS.llmTokensTotal.name, { model: 'gpt-4o-mini', token_type: 'total' }),
    ).toEqual([expect.objectContaining({ value: 3 * 1200 })]);
    expect(
      findSamples(families, `${METRICS.llmRequestDurationSeconds.name}_count`, { model: 'gpt-4o-mini' }),
    ).toEqual([expect.objectContaining({ value: 2 })]);
  });

  it('counts an operation whose fields throw under "unknown", and reports it once', async () => {
    const registry = makeRegistry();
    const { warnings, onWarning } = collect();
    const metrics = createMetrics({ registry, onWarning });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no field for you');
        },
      },
    );
    for (let i = 0; i < 2; i++) {
      await metrics.tool.time(hostile as never, async () => 1);
      await expect(
        metrics.llm.time(hostile as never, async () => Promise.reject(new Error('x'))),
      ).rejects.toThrow('x');
    }
    const families = await scrape(registry);
    expect(
      sampleValue(families, METRICS.toolCallsTotal.name, {
        tool_name: 'unknown',
        agent_id: '',
        status: 'success',
      }),
    ).toBe(2);
    expect(
      sampleValue(families, METRICS.llmRequestsTotal.name, {
        provider: 'unknown',
        model: 'unknown',
        agent_id: '',
        status: 'error',
      }),
    ).toBe(2);
    expect(sampleValue(families, METRICS.toolExecutionDurationSeconds.name, { tool_name: 'unknown' })).toBe(
      2,
    );
    expect(warnings.filter((code) => code === 'GENXAI_METRICS_RECORD_FAILED')).toHaveLength(1);
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

// The OTel names, labels and buckets, written out on purpose: a rename or a changed boundary breaks these tests.
const TOKEN_USAGE = 'gen_ai_client_token_usage';
const DURATION = 'gen_ai_client_operation_duration_seconds';
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const SECONDS_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const CLIENT_LABELS = [
  'gen_ai_operation_name',
  'gen_ai_provider_name',
  'gen_ai_request_model',
  'gen_ai_response_model',
];
const TRACE = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const OPENAI = { provider: 'openai', model: 'gpt-4o' };

// The GenAI families with samples (a registered histogram with no observation has only its # TYPE line).
const semconvFamilies = (families: ReturnType<typeof parseExposition>) =>
  [...families.types.keys()].filter(
    (name) => name.startsWith('gen_ai_') && families.samples.some((s) => s.name.startsWith(`${name}_`)),
  );

describe.each([
  ['an OpenMetrics registry, Prometheus text', () => createMetricsRegistry(), 'prometheus'],
  ['an OpenMetrics registry, OpenMetrics', () => createMetricsRegistry(), 'openmetrics'],
  ['a Prometheus registry, Prometheus text', () => new Registry(), 'prometheus'],
] as const)('GenAI client metrics on %s', (_, makeRegistry, format: ExpositionFormat) => {
  const render = async (registry: MetricsRegistry) => {
    const { body } = await renderMetrics(registry, format);
    return parseExposition(body);
  };

  it('exposes gen_ai_client_token_usage and gen_ai_client_operation_duration_seconds as histograms with the semconv labels and buckets', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    metrics.llm
      .start(OPENAI)
      .succeed({ usage: { inputTokens: 1200, outputTokens: 30 }, responseModel: 'gpt-4o-2024-08-06' });
    const families = await render(registry);
    expect(semconvFamilies(families).sort()).toEqual([DURATION, TOKEN_USAGE]);
    for (const [name, labels, buckets] of [
      [TOKEN_USAGE, [...CLIENT_LABELS, 'gen_ai_token_type'], TOKEN_BUCKETS],
      [DURATION, [...CLIENT_LABELS, 'error_type'], SECONDS_BUCKETS],
    ] as const) {
      expect(families.types.get(name), `# TYPE ${name}`).toBe('histogram');
      expect(families.help.get(name)).toBe(Object.values(GEN_AI_METRICS).find((m) => m.name === name)!.help);
      const samples = families.samples.filter((s) => s.name.startsWith(`${name}_`));
      expect(new Set(samples.map((s) => s.name))).toEqual(
        new Set([`${name}_bucket`, `${name}_sum`, `${name}_count`]),
      );
      for (const sample of samples) {
        const names = Object.keys(sample.labels).filter((label) => label !== 'le');
        expect(names.sort(), sample.name).toEqual([...labels].sort());
      }
      const series = samples.filter((s) => s.name === `${name}_bucket` && s.labels.le !== undefined);
      const first = series.filter((s) =>
        Object.entries(series[0]!.labels).every(([k, v]) => k === 'le' || s.labels[k] === v),
      );
      expect(first.map((s) => s.labels.le)).toEqual([...buckets.map(String), '+Inf']);
    }
    const labels = {
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai',
      gen_ai_request_model: 'gpt-4o',
      gen_ai_response_model: 'gpt-4o-2024-08-06',
    };
    const input = { ...labels, gen_ai_token_type: 'input' };
    const output = { ...labels, gen_ai_token_type: 'output' };
    expect(sampleValue(families, TOKEN_USAGE, input)).toBe(1);
    expect(findSamples(families, `${TOKEN_USAGE}_sum`, input)[0]?.value).toBe(1200);
    expect(findSamples(families, `${TOKEN_USAGE}_sum`, output)[0]?.value).toBe(30);
    // 1200 input tokens fall in (1024, 4096]; 30 output tokens in (16, 64].
    expect(findSamples(families, `${TOKEN_USAGE}_bucket`, { ...input, le: '1024' })[0]?.value).toBe(0);
    expect(findSamples(families, `${TOKEN_USAGE}_bucket`, { ...input, le: '4096' })[0]?.value).toBe(1);
    expect(findSamples(families, `${TOKEN_USAGE}_bucket`, { ...output, le: '16' })[0]?.value).toBe(0);
    expect(findSamples(families, `${TOKEN_USAGE}_bucket`, { ...output, le: '64' })[0]?.value).toBe(1);
    // No total: one observation per token type.
    expect(
      findSamples(families, `${TOKEN_USAGE}_count`)
        .map((s) => s.labels.gen_ai_token_type)
        .sort(),
    ).toEqual(['input', 'output']);
    // A success has an empty error_type, which Prometheus stores as no label.
    expect(sampleValue(families, DURATION, { ...labels, error_type: '' })).toBe(1);
    // The seed metrics still record the same request.
    expect(sampleValue(families, METRICS.llmRequestsTotal.name, { ...OPENAI, status: 'success' })).toBe(1);
  });

  it('sets error_type on a failure, from the error code, with an empty response model', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    const error = Object.assign(new Error('Rate limit reached'), { code: 'rate_limit_exceeded' });
    await expect(
      metrics.llm.time(OPENAI, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    metrics.llm.start(OPENAI).fail(new TypeError('fetch failed'));
    metrics.llm.start(OPENAI).succeed();
    const families = await render(registry);
    const durations = findSamples(families, `${DURATION}_count`);
    expect(Object.fromEntries(durations.map((s) => [s.labels.error_type, s.value]))).toEqual({
      rate_limit_exceeded: 1,
      TypeError: 1,
      '': 1,
    });
    for (const sample of durations) {
      expect(sample.labels).toMatchObject({
        gen_ai_operation_name: 'chat',
        gen_ai_provider_name: 'openai',
        gen_ai_request_model: 'gpt-4o',
        gen_ai_response_model: '',
      });
    }
    // Failures without usage observe no tokens.
    expect(findSamples(families, `${TOKEN_USAGE}_count`)).toEqual([]);
  });

  it("takes the operation name from the operation's operationName, on success and failure, and on recordUsage", async () => {
    const registry = makeRegistry();
    const { warnings, onWarning } = collect();
    const metrics = createMetrics({ registry, onWarning });
    const embedding = { provider: 'openai', model: 'text-embedding-3-small', operationName: 'embeddings' };
    await metrics.llm.time(embedding, async () => [0.1], {
      onSuccess: () => ({
        usage: { inputTokens: 8, outputTokens: 0 },
        responseModel: 'text-embedding-3-small',
      }),
    });
    expect(() =>
      metrics.llm.time(embedding, () => {
        throw new RangeError('too long');
      }),
    ).toThrow(RangeError);
    metrics.llm.recordUsage(
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      { inputTokens: 3, outputTokens: 4 },
      { responseModel: 'claude-sonnet-4-5-20250929', exemplar: TRACE },
    );
    const families = await render(registry);
    expect(
      findSamples(families, `${DURATION}_count`, { gen_ai_operation_name: 'embeddings' })
        .map((s) => s.labels.error_type)
        .sort(),
    ).toEqual(['', 'RangeError']);
    expect(
      findSamples(families, `${TOKEN_USAGE}_sum`, {
        gen_ai_operation_name: 'embeddings',
        gen_ai_response_model: 'text-embedding-3-small',
        gen_ai_token_type: 'input',
      })[0]?.value,
    ).toBe(8);
    // recordUsage observes tokens (no duration: it timed nothing), with the default operation name.
    expect(
      findSamples(families, `${TOKEN_USAGE}_sum`, {
        gen_ai_operation_name: 'chat',
        gen_ai_provider_name: 'anthropic',
        gen_ai_response_model: 'claude-sonnet-4-5-20250929',
        gen_ai_token_type: 'output',
      })[0]?.value,
    ).toBe(4);
    expect(findSamples(families, `${DURATION}_count`, { gen_ai_provider_name: 'anthropic' })).toEqual([]);
    expect(warnings).toEqual(['GENXAI_METRICS_UNKNOWN_MODEL']);
  });

  it('cleans the label values as the genxai_llm_* metrics do, and reports bad ones once', async () => {
    const registry = makeRegistry();
    const { warnings, onWarning } = collect();
    const metrics = createMetrics({ registry, onWarning });
    metrics.llm
      .start({ provider: '', model: 'a\nb', operationName: '' })
      .succeed({ responseModel: 42 as never });
    const families = await render(registry);
    expect(findSamples(families, `${DURATION}_count`)[0]?.labels).toEqual({
      gen_ai_operation_name: 'unknown',
      gen_ai_provider_name: 'unknown',
      gen_ai_request_model: 'a\\u000ab',
      gen_ai_response_model: '',
      error_type: '',
    });
    // One warning per label: provider, gen_ai_operation_name, gen_ai_response_model.
    expect(warnings).toEqual(Array(3).fill('GENXAI_METRICS_BAD_LABEL'));
    metrics.llm
      .start({ provider: '', model: 'm', operationName: '' })
      .succeed({ responseModel: 42 as never });
    expect(warnings).toHaveLength(3);
  });

  it('registers none of them with genAiSemconvMetrics: false', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry, genAiSemconvMetrics: false });
    metrics.llm
      .start(OPENAI)
      .succeed({ usage: { inputTokens: 1, outputTokens: 1 }, responseModel: 'gpt-4o' });
    metrics.llm.start(OPENAI).fail(new Error('x'));
    metrics.llm.recordUsage(OPENAI, { inputTokens: 1, outputTokens: 1 });
    const families = await render(registry);
    expect(semconvFamilies(families)).toEqual([]);
    expect(families.samples.filter((s) => s.name.startsWith('gen_ai_'))).toEqual([]);
    for (const definition of Object.values(GEN_AI_METRICS)) {
      expect(registry.getSingleMetric(definition.name), definition.name).toBeUndefined();
    }
    expect(
      findSamples(families, SELF_METRICS.cardinalityOverflowTotal.name).filter((s) =>
        s.labels.metric?.startsWith('gen_ai_'),
      ),
    ).toEqual([]);
    // The seed metrics are unchanged.
    expect(sampleValue(families, METRICS.llmRequestsTotal.name, { ...OPENAI, status: 'error' })).toBe(1);
    expect(sampleValue(families, METRICS.llmTokensTotal.name, { ...OPENAI, token_type: 'total' })).toBe(4);
  });

  it('records a streamed request: time to first token in both vocabularies, and each output chunk', async () => {
    const registry = makeRegistry();
    const metrics = createMetrics({ registry });
    metrics.llm.start(OPENAI).succeed();
    let families = await render(registry);
    // Registered, and empty until a streamed request records them.
    expect(families.types.get('genxai_llm_time_to_first_token_seconds')).toBe('histogram');
    expect(semconvFamilies(families)).not.toContain('gen_ai_client_operation_time_to_first_chunk_seconds');
    metrics.llm.start(OPENAI).succeed({
      responseModel: 'gpt-4o-2024-08-06',
      timeToFirstChunkSeconds: 0.3,
      outputChunkSeconds: [0.02, 0.03, Number.NaN, -1, 0.04],
    });
    families = await render(registry);
    expect(sampleValue(families, 'genxai_llm_time_to_first_token_seconds_count', { ...OPENAI })).toBe(1);
    expect(sampleValue(families, 'genxai_llm_time_to_first_token_seconds_sum', { ...OPENAI })).toBeCloseTo(
      0.3,
    );
    expect(
      findSamples(families, 'genxai_llm_time_to_first_token_seconds_bucket', { ...OPENAI }).map(
        (s) => s.labels.le,
      ),
    ).toEqual([...STREAM_METRICS.llmTimeToFirstTokenSeconds.buckets.map(String), '+Inf']);
    const genAi = { gen_ai_provider_name: 'openai', gen_ai_response_model: 'gpt-4o-2024-08-06' };
    expect(sampleValue(families, 'gen_ai_client_operation_time_to_first_chunk_seconds_count', genAi)).toBe(1);
    // The invalid intervals are skipped: three observations.
    expect(sampleValue(families, 'gen_ai_client_operation_time_per_output_chunk_seconds_count', genAi)).toBe(
      3,
    );
    expect(
      sampleValue(families, 'gen_ai_client_operation_time_per_output_chunk_seconds_sum', genAi),
    ).toBeCloseTo(0.09);
  });
});

describe('GenAI client metrics options and exemplars', () => {
  it.each(['no', 0, 'false', {}])('rejects genAiSemconvMetrics %s at setup', (value) => {
    let thrown: unknown;
    try {
      createMetrics({ registry: new Registry(), genAiSemconvMetrics: value as never });
    } catch (error) {
      thrown = error;
    }
    expect(GenxaiObservabilityError.isInstance(thrown)).toBe(true);
    expect(String(thrown)).toMatch(/Invalid genAiSemconvMetrics: .*\. Expected true or false\./);
  });

  it('names genAiSemconvMetrics when it is misspelt', () => {
    expect(() => createMetrics({ registry: new Registry(), genAiSemConvMetric: false } as never)).toThrow(
      /Did you mean "genAiSemconvMetrics"\?/,
    );
  });

  it('links the GenAI client histograms to the trace in OpenMetrics', async () => {
    const registry = createMetricsRegistry();
    createMetrics({ registry })
      .llm.start(OPENAI)
      .succeed({ usage: { inputTokens: 2, outputTokens: 3 }, exemplar: TRACE });
    const families = parseExposition((await renderMetrics(registry, 'openmetrics')).body);
    for (const name of [TOKEN_USAGE, DURATION]) {
      const withExemplar = families.samples.filter((s) => s.name === `${name}_bucket` && s.exemplar);
      expect(withExemplar.length, name).toBeGreaterThan(0);
      expect(withExemplar[0]!.exemplar!.labels).toEqual({ trace_id: TRACE.traceId, span_id: TRACE.spanId });
    }
  });
});
