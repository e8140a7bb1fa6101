import { findSamples, parseExposition, sampleValue } from '@genxai/test-utils';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { renderMetrics } from './exposition';
import { createMetrics } from './metrics';
import { GEN_AI_METRICS, METRICS, OVERFLOW_LABEL_VALUE, SELF_METRICS, STREAM_METRICS } from './names';
import { createMetricsRegistry, type MetricsRegistry } from './registry';

const scrape = async (registry: MetricsRegistry) => parseExposition((await renderMetrics(registry)).body);

describe('cardinality cap', () => {
  it.each([
    ['a Prometheus', () => new Registry()],
    ['an OpenMetrics', () => createMetricsRegistry()],
  ])(
    'folds label sets past the cap into the overflow value and counts the folds, on %s registry',
    async (_, makeRegistry) => {
      const registry = makeRegistry();
      const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 3 });
      for (let i = 0; i < 10; i++) metrics.tool.start({ toolName: `tool-${i}` }).succeed();
      const families = await scrape(registry);
      const calls = families.samples.filter((s) => s.name === METRICS.toolCallsTotal.name);
      expect(calls.map((s) => s.labels.tool_name).sort()).toEqual([
        OVERFLOW_LABEL_VALUE,
        'tool-0',
        'tool-1',
        'tool-2',
      ]);
      expect(
        sampleValue(families, METRICS.toolCallsTotal.name, {
          tool_name: OVERFLOW_LABEL_VALUE,
          status: 'success',
        }),
      ).toBe(7);
      // Nothing is lost: the total over all series equals the calls made.
      expect(calls.reduce((sum, s) => sum + s.value, 0)).toBe(10);
      expect(
        sampleValue(families, SELF_METRICS.cardinalityOverflowTotal.name, {
          metric: METRICS.toolCallsTotal.name,
        }),
      ).toBe(7);
      // Every metric's overflow series exists from the start, at 0 where nothing was folded: the 17 of the
      // plan, the four GenAI client metrics and the time to first token the LLM recorder records.
      const overflow = families.samples.filter((s) => s.name === SELF_METRICS.cardinalityOverflowTotal.name);
      expect(overflow.map((s) => s.labels.metric).sort()).toEqual(
        [
          ...Object.values(METRICS).map((m) => m.name),
          ...Object.values(GEN_AI_METRICS).map((m) => m.name),
          ...Object.values(STREAM_METRICS).map((m) => m.name),
        ].sort(),
      );
      expect(
        sampleValue(families, SELF_METRICS.cardinalityOverflowTotal.name, {
          metric: METRICS.agentExecutionsTotal.name,
        }),
      ).toBe(0);
    },
  );

  it('keeps bounded labels (status, token_type) when folding', async () => {
    const registry = new Registry();
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 1 });
    metrics.agent.start({ agentId: 'a' }).succeed();
    metrics.agent.start({ agentId: 'b' }).succeed();
    metrics.agent.start({ agentId: 'c' }).fail(new Error('x'));
    const families = await scrape(registry);
    expect(
      sampleValue(families, METRICS.agentExecutionsTotal.name, {
        agent_id: OVERFLOW_LABEL_VALUE,
        status: 'success',
      }),
    ).toBe(1);
    expect(
      sampleValue(families, METRICS.agentExecutionsTotal.name, {
        agent_id: OVERFLOW_LABEL_VALUE,
        status: 'error',
      }),
    ).toBe(1);
    expect(sampleValue(families, METRICS.agentErrorsTotal.name, { agent_id: 'c', error_type: 'Error' })).toBe(
      1,
    );
  });

  it('folds only agent_id first on the tool and LLM counters, so an agent past the cap still counts under its tool and model', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 2 });
    const usage = { inputTokens: 1000, outputTokens: 0 };
    // An id per run, as some apps do: 2 admitted, then folded.
    for (let run = 0; run < 5; run++) {
      metrics.tool.start({ toolName: 'search' }, `run-${run}`).succeed();
      metrics.llm.start({ provider: 'openai', model: 'gpt-4o' }, `run-${run}`).succeed({ usage });
    }
    // A new tool and model past the cap: agent folded, tool and model kept, while partly folded
    // sets fit under the cap too (2: search and calculator); then everything unbounded folds.
    metrics.tool.start({ toolName: 'calculator' }, 'run-9').succeed();
    metrics.tool.start({ toolName: 'web_fetch' }, 'run-9').succeed();
    const families = await scrape(registry);
    const calls = (tool_name: string, agent_id: string) =>
      sampleValue(families, METRICS.toolCallsTotal.name, { tool_name, agent_id, status: 'success' });
    expect(calls('search', 'run-0')).toBe(1);
    expect(calls('search', 'run-1')).toBe(1);
    expect(calls('search', OVERFLOW_LABEL_VALUE)).toBe(3);
    expect(calls('calculator', OVERFLOW_LABEL_VALUE)).toBe(1);
    expect(calls(OVERFLOW_LABEL_VALUE, OVERFLOW_LABEL_VALUE)).toBe(1);
    expect(findSamples(families, METRICS.toolCallsTotal.name)).toHaveLength(5);
    // The cost keeps its model: sum by (model) is whole past the cap.
    const cost = findSamples(families, METRICS.llmCostTotal.name);
    expect(cost.map((s) => [s.labels.model, s.labels.agent_id])).toEqual([
      ['gpt-4o', 'run-0'],
      ['gpt-4o', 'run-1'],
      ['gpt-4o', OVERFLOW_LABEL_VALUE],
    ]);
    expect(cost.reduce((sum, s) => sum + s.value, 0)).toBeCloseTo((5 * 1000 * 2.5) / 1e6, 12);
    expect(
      sampleValue(families, SELF_METRICS.cardinalityOverflowTotal.name, {
        metric: METRICS.toolCallsTotal.name,
      }),
    ).toBe(5);
  });

  it('starts the cost series of a model first seen past the cap at 0, under the folded agent', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 1 });
    metrics.llm.start({ provider: 'openai', model: 'gpt-4o' }, 'run-0').succeed();
    // Past the cap: started, not yet ended. Its series exists at 0, so its first cost is an increase.
    const timer = metrics.llm.start({ provider: 'openai', model: 'gpt-4o-mini' }, 'run-1');
    const before = await scrape(registry);
    expect(
      findSamples(before, METRICS.llmCostTotal.name, { model: 'gpt-4o-mini' }).map((s) => [
        s.labels.agent_id,
        s.value,
      ]),
    ).toEqual([[OVERFLOW_LABEL_VALUE, 0]]);
    // Creating it counted no fold; the recorded cost does, once.
    const folds = (families: typeof before) =>
      sampleValue(families, SELF_METRICS.cardinalityOverflowTotal.name, {
        metric: METRICS.llmCostTotal.name,
      });
    expect(folds(before)).toBe(0);
    timer.succeed({ usage: { inputTokens: 1000, outputTokens: 0 } });
    const after = await scrape(registry);
    expect(sampleValue(after, METRICS.llmCostTotal.name, { model: 'gpt-4o-mini' })).toBeCloseTo(
      0.15 / 1000,
      12,
    );
    expect(folds(after)).toBe(1);
  });

  it('brings the active gauge of an overflowed agent back to zero', async () => {
    const registry = new Registry();
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 1 });
    metrics.agent.start({ agentId: 'first' }).succeed();
    const timers = ['x', 'y', 'z'].map((agentId) => metrics.agent.start({ agentId }));
    expect(
      sampleValue(await scrape(registry), METRICS.agentActiveExecutions.name, {
        agent_id: OVERFLOW_LABEL_VALUE,
      }),
    ).toBe(3);
    for (const timer of timers) timer.succeed();
    expect(
      sampleValue(await scrape(registry), METRICS.agentActiveExecutions.name, {
        agent_id: OVERFLOW_LABEL_VALUE,
      }),
    ).toBe(0);
  });

  it('keeps memory flat when one million distinct agent ids are recorded', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'run with --expose-gc (vitest.config.ts sets it)').toBeTypeOf('function');
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 1000 });
    const record = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        metrics.agent.start({ agentId: `agent-${i}` }).succeed();
      }
    };
    record(0, 100_000);
    gc!();
    const afterFirst = process.memoryUsage().heapUsed;
    record(100_000, 1_000_000);
    gc!();
    const afterAll = process.memoryUsage().heapUsed;
    const families = await scrape(registry);
    const series = families.samples.filter((s) => s.name === METRICS.agentExecutionsTotal.name);
    expect(series).toHaveLength(1001);
    expect(series.reduce((sum, s) => sum + s.value, 0)).toBe(1_000_000);
    // 900k more ids past the cap retain (almost) nothing: well under 8 MB, where uncapped series would take hundreds.
    expect(afterAll - afterFirst).toBeLessThan(8 * 1024 * 1024);
    // A million recordings take ~10 s alone, and far longer beside the other suites on a busy machine.
  }, 240_000);

  it('can be turned off with Infinity', async () => {
    const registry = new Registry();
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 3000; i++) metrics.workflow.start({ workflowId: `w${i}` }).succeed();
    const families = await scrape(registry);
    expect(families.samples.filter((s) => s.name === METRICS.workflowExecutionsTotal.name)).toHaveLength(
      3000,
    );
  });
});

describe('cardinality cap on the LLM cost series', () => {
  it('counts a fold once per recorded cost, not again when a request starts', async () => {
    const registry = new Registry();
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 1 });
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1']) {
      metrics.llm
        .start({ provider: 'openai', model })
        .succeed({ usage: { inputTokens: 10, outputTokens: 1 } });
    }
    const families = await scrape(registry);
    expect(
      sampleValue(families, SELF_METRICS.cardinalityOverflowTotal.name, {
        metric: METRICS.llmCostTotal.name,
      }),
    ).toBe(2);
    expect(sampleValue(families, METRICS.llmCostTotal.name, { model: OVERFLOW_LABEL_VALUE })).toBeGreaterThan(
      0,
    );
  });
});

describe('cardinality cap on the GenAI client metrics', () => {
  it('folds the model labels past the cap, keeps gen_ai_token_type, and keeps an empty error_type empty', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 2 });
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1']) {
      metrics.llm
        .start({ provider: 'openai', model })
        .succeed({ usage: { inputTokens: 10, outputTokens: 1 }, responseModel: `${model}-2025` });
    }
    metrics.llm.start({ provider: 'openai', model: 'o3' }).fail(new TypeError('x'));
    const families = await scrape(registry);
    const duration = GEN_AI_METRICS.clientOperationDurationSeconds.name;
    const tokens = GEN_AI_METRICS.clientTokenUsage.name;

    const durations = findSamples(families, `${duration}_count`);
    expect(durations.map((s) => [s.labels.gen_ai_request_model, s.labels.error_type, s.value])).toEqual([
      ['gpt-4o', '', 1],
      ['gpt-4o-mini', '', 1],
      [OVERFLOW_LABEL_VALUE, '', 1],
      [OVERFLOW_LABEL_VALUE, OVERFLOW_LABEL_VALUE, 1],
    ]);
    expect(durations[2]!.labels).toEqual({
      gen_ai_operation_name: OVERFLOW_LABEL_VALUE,
      gen_ai_provider_name: OVERFLOW_LABEL_VALUE,
      gen_ai_request_model: OVERFLOW_LABEL_VALUE,
      gen_ai_response_model: OVERFLOW_LABEL_VALUE,
      error_type: '',
    });
    expect(durations[3]!.labels.gen_ai_response_model).toBe('');

    // Two label sets per request (input, output): the first model fills the cap, the other two fold.
    const counts = findSamples(families, `${tokens}_count`);
    expect(counts.map((s) => [s.labels.gen_ai_request_model, s.labels.gen_ai_token_type, s.value])).toEqual([
      ['gpt-4o', 'input', 1],
      ['gpt-4o', 'output', 1],
      [OVERFLOW_LABEL_VALUE, 'input', 2],
      [OVERFLOW_LABEL_VALUE, 'output', 2],
    ]);
    const fold = (metric: string) =>
      sampleValue(families, SELF_METRICS.cardinalityOverflowTotal.name, { metric });
    expect(fold(duration)).toBe(2);
    expect(fold(tokens)).toBe(4);
  });
});
