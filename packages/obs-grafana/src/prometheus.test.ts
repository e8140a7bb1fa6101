import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMetrics,
  createMetricsRegistry,
  type GenxaiMetrics,
  LABEL,
  METRICS,
  type MetricsServer,
  reportSpanCounts,
  SELF_METRICS,
  SPAN_OUTCOME,
  startMetricsServer,
  TOKEN_TYPE,
} from '@genxai/metrics';
import {
  requireBinary,
  startPrometheus,
  substituteGrafanaMacros,
  type TestPrometheus,
  waitFor,
} from '@genxai/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allPanels,
  panelExpressions,
  promTargets,
  ruleExpressions,
  variableSelectors,
} from './__fixtures__/expressions';
import { ALERT_NAMES, buildAlertRules, renderAlertRules } from './alerts';
import { buildAgentDashboard, buildOverviewDashboard } from './dashboard';

const prometheusBinary = requireBinary('prometheus');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const exemplar = { traceId: TRACE_ID, spanId: SPAN_ID };

/** Records every path of every recorder: successes, failures, tokens and cost, sizes, overflow. */
function recordEverything(metrics: GenxaiMetrics, round: number): void {
  for (const agentId of ['planner', 'researcher']) {
    metrics.agent.start({ agentId }).succeed({ exemplar });
    metrics.agent.start({ agentId }).fail(new TypeError('bad plan'));
  }
  // Never succeeds: it has no status="success" series at all. And one that never fails.
  metrics.agent.start({ agentId: 'always_fails' }).fail(new Error('broken'));
  metrics.agent.start({ agentId: 'always_succeeds' }).succeed();
  const active = metrics.agent.start({ agentId: 'planner' }); // still running: an active execution
  void active;
  metrics.tool.start({ toolName: 'web_search' }).succeed({ exemplar });
  metrics.tool
    .start({ toolName: 'web_search' })
    .fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
  metrics.tool.start({ toolName: 'calculator' }).succeed();
  const llm = { provider: 'openai', model: 'gpt-4o-mini' };
  metrics.llm.start(llm).succeed({ usage: { inputTokens: 1200, outputTokens: 300 }, exemplar });
  metrics.llm.start(llm).fail(new Error('rate limited'));
  // Made by an agent, streamed, with prompt-cache reads: per-agent cost, time to first token, cache ratio.
  metrics.llm.start({ ...llm, agentId: 'planner' }).succeed({
    usage: { inputTokens: 800, outputTokens: 100, cachedInputTokens: 200 },
    timeToFirstChunkSeconds: 0.3,
    exemplar,
  });
  metrics.tool.start({ toolName: 'web_search', agentId: 'planner' }).succeed();
  for (const side of ['client', 'server'] as const) {
    metrics.mcp.start({ side, method: 'tools/call', toolName: 'web_search' }).succeed({ exemplar });
    metrics.mcp.start({ side, method: 'tools/call', toolName: 'web_search' }).fail(new Error('boom'));
  }
  metrics.memory.start({ operationType: 'store', memoryType: 'vector' }).succeed({ exemplar });
  metrics.memory.start({ operationType: 'search', memoryType: 'vector' }).fail(new RangeError('k'));
  metrics.memory.setSize({ agentId: 'planner', memoryType: 'vector' }, 4096 * round);
  metrics.workflow.start({ workflowId: 'research' }).succeed({ exemplar });
  metrics.workflow.start({ workflowId: 'research' }).fail(new Error('node failed'));
  metrics.node.start({ workflowId: 'research', nodeId: 'plan' }).succeed();
  metrics.node.start({ workflowId: 'research', nodeId: 'search' }).fail(new Error('node failed'));
  // More tool names than the cap of 20: the rest are folded and counted as overflow.
  for (let i = 0; i < 25; i++) metrics.tool.start({ toolName: `generated_tool_${i}` }).succeed();
}

describe.skipIf(!prometheusBinary)('the dashboard and rules against a real Prometheus', () => {
  let prometheus: TestPrometheus;
  let server: MetricsServer;
  let directory: string;
  const dashboard = buildOverviewDashboard();
  let spanRounds = 1;

  beforeAll(async () => {
    const registry = createMetricsRegistry();
    // A small cap, so that the overflow self-metric has data too.
    const metrics = createMetrics({ registry, maxLabelSetsPerMetric: 20, onWarning: () => {} });
    // A tracing pipeline that loses 2 spans in 10 (one dropped, one failed), read at each scrape.
    reportSpanCounts(registry, () => ({ exported: 8 * spanRounds, failed: spanRounds, dropped: spanRounds }));
    recordEverything(metrics, 1);
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry });
    directory = mkdtempSync(join(tmpdir(), 'genxai-obs-grafana-'));
    // The same rules, evaluated every second so the test need not wait 30s for a first evaluation.
    const ruleFile = join(directory, 'genxai_alerts.yml');
    writeFileSync(ruleFile, renderAlertRules({ interval: '1s' }));
    prometheus = await startPrometheus(prometheusBinary!, {
      targets: [{ job: 'genxai', target: `127.0.0.1:${server.port}` }],
      ruleFiles: [ruleFile],
    });
    await prometheus.waitForScrape();
    // A second round after the first scrape, so every rate is above zero.
    recordEverything(metrics, 2);
    spanRounds = 2;
    await waitFor('three scrapes after the second round', async () => {
      const [sample] = await prometheus.query(`count_over_time(up{job="genxai"}[1m])`);
      return Number(sample?.value[1] ?? 0) >= 4 ? true : undefined;
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it.each([
    ['overview', {}],
    ['agent', { agent_id: 'planner' }],
  ] as const)('answers every panel query of the %s dashboard with data', async (name, variables) => {
    const board = name === 'overview' ? dashboard : buildAgentDashboard();
    for (const { where, expr } of panelExpressions(board)) {
      const result = await prometheus.query(substituteGrafanaMacros(expr, '1m', { variables }));
      expect(result.length, `${where} returned no series: ${expr}`).toBeGreaterThan(0);
      // Not only NaN (a ratio of nothing to nothing, a quantile of no observations): a value to draw.
      expect(
        result.some((sample) => !Number.isNaN(Number(sample.value[1]))),
        `${where} returned only NaN: ${expr}`,
      ).toBe(true);
    }
  });

  it('returns the series the panels are about', async () => {
    const panel = (title: string) => allPanels(dashboard).find((p) => p.title === title)!;
    const query = async (title: string, index = 0) =>
      prometheus.query(substituteGrafanaMacros(promTargets(panel(title))[index]!.expr, '1m'));
    const values = (result: { metric: Record<string, string>; value: [number, string] }[], label: string) =>
      Object.fromEntries(result.map((r) => [r.metric[label], Number(r.value[1])]));

    const tokens = values(await query('LLM token usage'), LABEL.tokenType);
    expect(Object.keys(tokens).sort()).toEqual([TOKEN_TYPE.completion, TOKEN_TYPE.prompt]);
    expect(tokens[TOKEN_TYPE.prompt]).toBeGreaterThan(tokens[TOKEN_TYPE.completion]!);
    const success = values(await query('Agent success rate'), LABEL.agentId);
    // An agent that fails every time shows 0%, not a missing line.
    expect(success).toEqual({ planner: 0.5, researcher: 0.5, always_fails: 0, always_succeeds: 1 });
    expect(values(await query('Error rate', 0), LABEL.errorType)).toHaveProperty('TypeError');
    expect(values(await query('Error rate', 1), LABEL.errorType)).toHaveProperty('ETIMEDOUT');
    expect(values(await query('Active agents'), LABEL.agentId)).toEqual({
      planner: 2,
      researcher: 0,
      always_fails: 0,
      always_succeeds: 0,
    });
    expect(values(await query('Memory size'), LABEL.agentId)).toEqual({ planner: 8192 });
    const [cost] = await query('LLM cost in range');
    expect(Number(cost!.value[1])).toBeGreaterThan(0);
    const [p95] = await query('Agent execution duration', 1);
    expect(Number.isFinite(Number(p95!.value[1]))).toBe(true);
    // Only the total: @genxai/metrics currently drops the `metric` label of this counter on
    // OpenMetrics registries (an exemplar-enabled counter's inc() takes { labels, value }).
    const overflow = await query('Label sets folded into overflow');
    expect(overflow.reduce((sum, r) => sum + Number(r.value[1]), 0)).toBeGreaterThan(0);
  });

  it('links the latency panels to traces through exemplars', async () => {
    const end = Date.now() / 1000;
    const parameters = new URLSearchParams({
      query: substituteGrafanaMacros(
        promTargets(allPanels(dashboard).find((p) => p.title === 'Agent execution duration')!)[1]!.expr,
        '1m',
      ),
      start: String(end - 300),
      end: String(end),
    });
    const data = await prometheus.api<{ exemplars: { labels: Record<string, string> }[] }[]>(
      `/api/v1/query_exemplars?${parameters}`,
    );
    const traceIds = data.flatMap((series) => series.exemplars.map((e) => e.labels.trace_id));
    expect(traceIds).toContain(TRACE_ID);
  });

  it('fills every template variable', async () => {
    const expected: Record<string, string> = {
      job: 'genxai',
      instance: `127.0.0.1:${server.port}`,
      [LABEL.agentId]: 'planner',
      [LABEL.workflowId]: 'research',
      [LABEL.provider]: 'openai',
      [LABEL.model]: 'gpt-4o-mini',
    };
    for (const { name, expr, label } of variableSelectors(dashboard)) {
      const parameters = new URLSearchParams({ 'match[]': substituteGrafanaMacros(expr) });
      const values = await prometheus.api<string[]>(`/api/v1/label/${label}/values?${parameters}`);
      expect(values, `$${name}`).toContain(expected[name]);
    }
  });

  it('evaluates every rule without error; the endpoint-down alert stays quiet while the target is up', async () => {
    for (const { where, expr } of ruleExpressions(buildAlertRules())) {
      await expect(prometheus.query(expr), where).resolves.toBeInstanceOf(Array);
    }
    type Rule = { name: string; health: string; lastError?: string; state: string; evaluationTime: number };
    const rules = await waitFor('every rule to be evaluated', async () => {
      const data = await prometheus.api<{ groups: { name: string; rules: Rule[] }[] }>('/api/v1/rules');
      const all = data.groups.flatMap((group) => group.rules);
      return all.length === buildAlertRules().groups[0]!.rules.length &&
        all.every((rule) => rule.health !== 'unknown')
        ? all
        : undefined;
    });
    for (const rule of rules) {
      expect({ name: rule.name, health: rule.health, lastError: rule.lastError ?? '' }).toEqual({
        name: rule.name,
        health: 'ok',
        lastError: '',
      });
    }
    expect(rules.filter((rule) => ALERT_NAMES.includes(rule.name as never))).toHaveLength(ALERT_NAMES.length);
    expect(rules.find((rule) => rule.name === 'GenxaiMetricsEndpointDown')!.state).toBe('inactive');
    // The self-metric exists in the scrape; the dashboard reads it.
    expect(await prometheus.query(`${SELF_METRICS.cardinalityOverflowTotal.name}{job="genxai"}`)).not.toEqual(
      [],
    );
  });

  it('fires the telemetry alerts on what the self-metrics report: spans lost, label sets folded', async () => {
    type Alert = { labels: Record<string, string>; state: string; value: string };
    const alerts = await waitFor('the telemetry alerts to be pending', async () => {
      const data = await prometheus.api<{ alerts: Alert[] }>('/api/v1/alerts');
      const lost = data.alerts.filter((a) => a.labels.alertname === 'GenxaiSpansLost');
      const folded = data.alerts.filter((a) => a.labels.alertname === 'GenxaiMetricLabelsFolded');
      return lost.length > 0 && folded.length > 0 ? { lost, folded } : undefined;
    });
    const instance = `127.0.0.1:${server.port}`;
    // Pending: their `for` (minutes) has not passed. One instance; 2 spans lost in 10.
    expect(alerts.lost.map((a) => [a.state, a.labels])).toEqual([
      ['pending', { alertname: 'GenxaiSpansLost', severity: 'warning', job: 'genxai', instance }],
    ]);
    expect(Number(alerts.lost[0]!.value)).toBeCloseTo(0.2, 5);
    // Only the tool metrics had more label sets than the cap of 20.
    expect(new Set(alerts.folded.map((a) => a.labels[LABEL.metric]))).toEqual(
      new Set([METRICS.toolCallsTotal.name, METRICS.toolExecutionDurationSeconds.name]),
    );
    for (const alert of alerts.folded) {
      expect(alert.state).toBe('pending');
      expect(alert.labels).toMatchObject({ severity: 'warning', job: 'genxai', instance });
    }
    // The span outcomes the rule divides by are the ones the exposition has.
    const outcomes = await prometheus.query(`${SELF_METRICS.telemetrySpansTotal.name}{job="genxai"}`);
    expect(outcomes.map((r) => r.metric[LABEL.outcome]).sort()).toEqual(Object.values(SPAN_OUTCOME).sort());
  });
});
