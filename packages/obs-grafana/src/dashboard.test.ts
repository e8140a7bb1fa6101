import { readFileSync } from 'node:fs';
import { GEN_AI_METRICS, MCP_METRICS, METRICS, SELF_METRICS, STREAM_METRICS } from '@genxai/metrics';
import { GenxaiObservabilityError } from '@genxai/obs-core';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import {
  allPanels,
  panelExpressions,
  promTargets,
  templateVariable,
  variableSelectors,
} from './__fixtures__/expressions';
import { ARTIFACT_PATHS } from './artifacts';
import { buildAgentDashboard, buildOverviewDashboard } from './dashboard';

const read = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')) as Dashboard;
const committed = read(ARTIFACT_PATHS.dashboard);
const agentDashboard = read(ARTIFACT_PATHS.agentDashboard);
const panelsOf = (dashboard: Dashboard) =>
  allPanels(dashboard).filter((panel) => panel.type !== 'row') as Panel[];
const titled = (dashboard: Dashboard, title: string) => {
  const panel = panelsOf(dashboard).find((p) => p.title === title);
  if (!panel) throw new Error(`no panel "${title}"`);
  return panel;
};
const byTitle = (title: string) => titled(committed, title);
const exprOf = (dashboard: Dashboard, title: string, index = 0) =>
  promTargets(titled(dashboard, title))[index]!.expr;
const unitOf = (panel: Panel) => panel.fieldConfig?.defaults?.unit;

// The selectors the expected expressions below are written with.
const BASE = 'job=~"$job", instance=~"$instance"';
const LLM = `${BASE}, provider=~"$provider", model=~"$model"`;
// The agent dashboard drills into one agent, matched exactly.
const AGENT = `${BASE}, agent_id="$agent_id"`;
const AGENT_LLM = `${LLM}, agent_id="$agent_id"`;
const R = '[$__rate_interval]';

describe.each([
  ['overview', committed],
  ['agent', agentDashboard],
])('the committed %s dashboard', (_name, dashboard) => {
  const all = panelsOf(dashboard);

  it('gives every panel a datasource variable, a unit, a description and a query', () => {
    expect(all.length).toBeGreaterThan(10);
    for (const panel of all) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template literal
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(unitOf(panel), panel.title).toMatch(/\S/);
      expect(panel.description, panel.title).toMatch(/\S/);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of promTargets(panel)) {
        expect(target.expr, panel.title).toMatch(/\S/);
        expect(target.datasource, panel.title).toEqual(panel.datasource);
      }
    }
  });

  it('has unique ids and non-overlapping panels inside the 24-column grid', () => {
    const everything = allPanels(dashboard);
    const ids = everything.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => typeof id === 'number' && id > 0)).toBe(true);
    const boxes = everything.map((panel) => ({ title: panel.title, ...panel.gridPos! }));
    for (const [i, a] of boxes.entries()) {
      expect(a.x + a.w, a.title).toBeLessThanOrEqual(24);
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
      }
    }
  });

  it('uses $__rate_interval for every rate, $__range only in instant queries, and no hard-coded window', () => {
    for (const { where, expr } of panelExpressions(dashboard)) {
      for (const window of expr.matchAll(/\[([^\]]+)\]/g)) {
        expect(['$__rate_interval', '$__range'], where).toContain(window[1]);
      }
    }
    for (const panel of all) {
      for (const target of promTargets(panel)) {
        // A range query over the whole range at every step would draw a meaningless line.
        if (target.expr.includes('$__range')) expect(target.instant, panel.title).toBe(true);
      }
    }
  });

  it('keeps every row expanded with its panels after it, as Grafana expects', () => {
    for (const row of dashboard.panels!.filter((panel) => panel.type === 'row')) {
      expect((row as { collapsed: boolean }).collapsed, row.title).toBe(false);
      expect((row as { panels: unknown[] }).panels, row.title).toEqual([]);
    }
  });

  it('shows the legend on time series (0.0.21 hides it by default)', () => {
    for (const panel of all.filter((p) => p.type === 'timeseries')) {
      expect((panel.options as { legend: { showLegend: boolean } }).legend.showLegend, panel.title).toBe(
        true,
      );
    }
  });

  it('links to the other GenXAI dashboards, keeping the time range and the variables', () => {
    expect(dashboard.links).toEqual([
      expect.objectContaining({
        title: 'GenXAI dashboards',
        type: 'dashboards',
        tags: ['genxai'],
        asDropdown: true,
        keepTime: true,
        includeVars: true,
      }),
    ]);
    expect(dashboard.tags).toContain('genxai');
  });

  it('has exemplars on the latency panels, which link through the data source to the trace', () => {
    const withExemplars = all.filter((panel) => promTargets(panel).some((target) => target.exemplar));
    expect(withExemplars.length).toBeGreaterThan(0);
    for (const panel of withExemplars) {
      expect(unitOf(panel), panel.title).toBe('s');
      expect(panel.description, panel.title).toMatch(/Exemplars link to traces\./);
    }
    const datasource = templateVariable(dashboard, 'datasource');
    expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(datasource.description).toMatch(/one Prometheus data source per trace backend/);
  });
});

describe('the committed overview dashboard', () => {
  it('has the seed panels in rows for agents, tools, LLM, cost, memory, workflows, MCP and telemetry', () => {
    expect(committed.panels?.filter((p) => p.type === 'row').map((row) => row.title)).toEqual([
      'Agents',
      'Tools',
      'LLM',
      'Cost',
      'Memory',
      'Workflows',
      'MCP',
      'Telemetry health',
    ]);
    for (const title of [
      'Agent execution rate',
      'Agent success rate',
      'Agent execution duration',
      'Active agents',
      'Tool usage',
      'LLM token usage',
      'LLM cost (cumulative)',
      'Memory operations',
      'Workflow executions',
      'Error rate',
      'Label sets folded into overflow',
    ]) {
      expect(byTitle(title).targets?.length, title).toBeGreaterThan(0);
    }
  });

  it('has the panels agent teams watch, in their rows', () => {
    const rows = new Map<string, string[]>();
    let row = '';
    for (const panel of committed.panels!) {
      if (panel.type === 'row') {
        row = panel.title!;
        rows.set(row, []);
      } else rows.get(row)!.push(panel.title!);
    }
    expect(rows.get('Tools')).toContain('Tool error rate');
    expect(rows.get('LLM')).toEqual(
      expect.arrayContaining([
        'Time to first token',
        'LLM latency by provider and model',
        'LLM error rate by provider and model',
        'LLM errors by type',
        'Tokens by type',
        'Prompt cache hit ratio',
      ]),
    );
    expect(rows.get('Cost')).toEqual(
      expect.arrayContaining(['Cost per model (top 10)', 'Cost per agent (top 10)', 'Cost per workflow run']),
    );
    expect(rows.get('MCP')).toEqual(['MCP request duration (p95)', 'MCP requests']);
    expect(rows.get('Telemetry health')).toEqual([
      'Label sets folded into overflow',
      'Spans by outcome',
      'Scrape duration',
    ]);
  });

  it('uses the units the issue asks for', () => {
    const units: Record<string, string> = {
      'Agent execution rate': 'ops',
      'Agent success rate': 'percentunit',
      'Agent execution duration': 's',
      'LLM token usage': 'suffix: tokens/s',
      'LLM cost (cumulative)': 'currencyUSD',
      'Memory size': 'bytes',
      'Time to first token': 's',
      'LLM latency by provider and model': 's',
      'LLM error rate by provider and model': 'percentunit',
      'LLM errors by type': 'ops',
      'Tokens by type': 'suffix: tokens/s',
      'Prompt cache hit ratio': 'percentunit',
      'Cost per model (top 10)': 'currencyUSD',
      'Cost per agent (top 10)': 'currencyUSD',
      'Cost per workflow run': 'currencyUSD',
      'Tool error rate': 'percentunit',
      'MCP request duration (p95)': 's',
      'MCP requests': 'ops',
      'Spans by outcome': 'ops',
      'Scrape duration': 's',
    };
    for (const [title, unit] of Object.entries(units)) expect(unitOf(byTitle(title)), title).toBe(unit);
  });

  it('computes quantiles from rates summed by le, with exemplars on', () => {
    for (const title of ['Agent execution duration', 'LLM request duration', 'Workflow duration']) {
      const targets = promTargets(byTitle(title));
      expect(targets.map((t) => t.legendFormat)).toEqual(['p50', 'p95', 'p99']);
      for (const target of targets) {
        expect(target.exemplar).toBe(true);
        expect(target.expr).toMatch(
          /^histogram_quantile\(0\.\d+, sum by \(le\) \(rate\(genxai_\w+_seconds_bucket\{.+\}\[\$__rate_interval\]\)\)\)$/,
        );
      }
    }
    expect(byTitle('Agent execution duration').targets?.[1]).toMatchObject({
      expr: `histogram_quantile(0.95, sum by (le) (rate(${METRICS.agentExecutionDurationSeconds.name}_bucket{job=~"$job", instance=~"$instance", agent_id=~"$agent_id"}[$__rate_interval])))`,
    });
  });

  it('has datasource, job, instance, provider, model, agent_id and workflow_id variables, in order', () => {
    expect(committed.templating?.list?.map((v) => v.name)).toEqual([
      'datasource',
      'job',
      'instance',
      'provider',
      'model',
      'agent_id',
      'workflow_id',
    ]);
    expect(variableSelectors(committed).map((v) => [v.name, v.label])).toEqual([
      ['job', 'job'],
      ['instance', 'instance'],
      ['provider', 'provider'],
      ['model', 'model'],
      ['agent_id', 'agent_id'],
      ['workflow_id', 'workflow_id'],
    ]);
    expect(variableSelectors(committed)[0]!.expr).toBe('{__name__=~"genxai_.+"}');
    expect(variableSelectors(committed).find((v) => v.name === 'provider')!.expr).toBe(
      `${METRICS.llmRequestsTotal.name}{${BASE}}`,
    );
    for (const name of ['job', 'instance', 'provider', 'model', 'agent_id', 'workflow_id']) {
      expect(templateVariable(committed, name), name).toMatchObject({
        multi: true,
        includeAll: true,
        allValue: '.*',
      });
    }
  });

  it('filters each panel by the variables that apply to it', () => {
    expect(promTargets(byTitle('Agent success rate'))[0]!.expr).toBe(
      `(\n  sum by (agent_id) (rate(${METRICS.agentExecutionsTotal.name}{job=~"$job", instance=~"$instance", agent_id=~"$agent_id", status="success"}[$__rate_interval]))\nor\n  0 * sum by (agent_id) (rate(${METRICS.agentExecutionsTotal.name}{job=~"$job", instance=~"$instance", agent_id=~"$agent_id"}[$__rate_interval]))\n)\n/\nsum by (agent_id) (rate(${METRICS.agentExecutionsTotal.name}{job=~"$job", instance=~"$instance", agent_id=~"$agent_id"}[$__rate_interval]))`,
    );
    expect(promTargets(byTitle('LLM token usage'))[0]!.expr).toContain(
      'model=~"$model", token_type=~"prompt|completion"',
    );
    expect(promTargets(byTitle('Workflow executions'))[0]!.expr).toContain('workflow_id=~"$workflow_id"');
    // Every panel on a genxai_llm_* metric filters by provider and model.
    for (const { where, expr } of panelExpressions(committed)) {
      if (expr.includes('genxai_llm_')) expect(expr, where).toContain(LLM);
    }
    // The OTel GenAI metrics carry the same values under their own label names.
    expect(exprOf(committed, 'LLM errors by type')).toContain(
      'gen_ai_provider_name=~"$provider", gen_ai_request_model=~"$model"',
    );
  });

  it('shows LLM latency, time to first token and errors by provider and model', () => {
    expect(
      promTargets(byTitle('Time to first token')).map((t) => [t.expr, t.legendFormat, t.exemplar]),
    ).toEqual(
      [0.5, 0.95].map((q) => [
        `histogram_quantile(${q}, sum by (model, le) (rate(${STREAM_METRICS.llmTimeToFirstTokenSeconds.name}_bucket{${LLM}}${R})))`,
        `p${q * 100} {{model}}`,
        true,
      ]),
    );
    expect(promTargets(byTitle('LLM latency by provider and model'))[0]).toMatchObject({
      expr: `histogram_quantile(0.95, sum by (provider, model, le) (rate(${METRICS.llmRequestDurationSeconds.name}_bucket{${LLM}}${R})))`,
      exemplar: true,
    });
    const requests = METRICS.llmRequestsTotal.name;
    expect(exprOf(committed, 'LLM error rate by provider and model')).toBe(
      `(\n  sum by (provider, model) (rate(${requests}{${LLM}, status="error"}${R}))\nor\n  0 * sum by (provider, model) (rate(${requests}{${LLM}}${R}))\n)\n/\nsum by (provider, model) (rate(${requests}{${LLM}}${R}))`,
    );
    expect(exprOf(committed, 'LLM errors by type')).toBe(
      `sum by (error_type) (rate(${GEN_AI_METRICS.clientOperationDurationSeconds.name}_count{${BASE}, gen_ai_provider_name=~"$provider", gen_ai_request_model=~"$model", error_type!=""}${R}))`,
    );
    expect(byTitle('LLM errors by type').description).toContain('genAiSemconvMetrics');
  });

  it('splits tokens by type without stacking, and shows the prompt cache hit ratio with 0 for no cache reads', () => {
    expect(exprOf(committed, 'Tokens by type')).toBe(
      `sum by (token_type) (rate(${METRICS.llmTokensTotal.name}{${LLM}, token_type=~"prompt|completion|cache_read|cache_write|reasoning"}${R}))`,
    );
    const tokens = byTitle('Tokens by type');
    expect((tokens.fieldConfig!.defaults!.custom as { stacking?: unknown }).stacking).toBeUndefined();
    expect(tokens.description).toMatch(/cache_read and cache_write are parts of prompt/);
    expect(tokens.description).toMatch(/reasoning is a part of completion/);
    const name = METRICS.llmTokensTotal.name;
    expect(exprOf(committed, 'Prompt cache hit ratio')).toBe(
      `(\n  sum by (model) (rate(${name}{${LLM}, token_type="cache_read"}${R}))\nor\n  0 * sum by (model) (rate(${name}{${LLM}, token_type="prompt"}${R}))\n)\n/\nsum by (model) (rate(${name}{${LLM}, token_type="prompt"}${R}))`,
    );
  });

  it('ranks cost per model and per agent over the range, without the unattributed cost', () => {
    const cost = METRICS.llmCostTotal.name;
    for (const title of ['Cost per model (top 10)', 'Cost per agent (top 10)']) {
      expect(byTitle(title).type, title).toBe('bargauge');
      expect(promTargets(byTitle(title))[0]!.instant, title).toBe(true);
    }
    expect(exprOf(committed, 'Cost per model (top 10)')).toBe(
      `topk(10, sum by (provider, model) (increase(${cost}{${LLM}}[$__range])))`,
    );
    expect(exprOf(committed, 'Cost per agent (top 10)')).toBe(
      `topk(10, sum by (agent_id) (increase(${cost}{${LLM}, agent_id=~"$agent_id", agent_id!=""}[$__range])))`,
    );
    expect(byTitle('Cost per agent (top 10)').description).toMatch(/outside any agent .* is not in it/);
    expect(byTitle('Cost per workflow run').type).toBe('stat');
    expect(promTargets(byTitle('Cost per workflow run'))[0]).toMatchObject({
      expr: `sum(increase(${cost}{${LLM}}[$__range]))\n/\n(sum(increase(${METRICS.workflowExecutionsTotal.name}{${BASE}}[$__range])) > 0)`,
      instant: true,
    });
    expect(byTitle('Cost per workflow run').description).toMatch(
      /All estimated LLM cost .* all workflow runs/,
    );
  });

  it('shows the tool error rate with 0 for a tool that never failed', () => {
    const calls = METRICS.toolCallsTotal.name;
    expect(exprOf(committed, 'Tool error rate')).toBe(
      `(\n  sum by (tool_name) (rate(${calls}{${BASE}, status="error"}${R}))\nor\n  0 * sum by (tool_name) (rate(${calls}{${BASE}}${R}))\n)\n/\nsum by (tool_name) (rate(${calls}{${BASE}}${R}))`,
    );
  });

  it('shows MCP latency and requests of both sides in one query each, labelled by side', () => {
    const client = MCP_METRICS.clientOperationDurationSeconds.name;
    const server = MCP_METRICS.serverOperationDurationSeconds.name;
    const side = (expr: string, value: string) => `label_replace(${expr}, "side", "${value}", "", "")`;
    expect(
      promTargets(byTitle('MCP request duration (p95)')).map((t) => [t.expr, t.legendFormat, t.exemplar]),
    ).toEqual([
      [
        `${side(`histogram_quantile(0.95, sum by (mcp_method_name, le) (rate(${client}_bucket{${BASE}}${R})))`, 'client')}\nor\n${side(`histogram_quantile(0.95, sum by (mcp_method_name, le) (rate(${server}_bucket{${BASE}}${R})))`, 'server')}`,
        '{{side}} {{mcp_method_name}}',
        true,
      ],
    ]);
    expect(promTargets(byTitle('MCP requests')).map((t) => t.expr)).toEqual([
      `${side(`sum by (mcp_method_name, error_type) (rate(${client}_count{${BASE}}${R}))`, 'client')}\nor\n${side(`sum by (mcp_method_name, error_type) (rate(${server}_count{${BASE}}${R}))`, 'server')}`,
    ]);
  });

  it('watches the telemetry itself: folded label sets, lost spans and scrape time', () => {
    expect(exprOf(committed, 'Spans by outcome')).toBe(
      `sum by (outcome) (rate(${SELF_METRICS.telemetrySpansTotal.name}{${BASE}}${R}))`,
    );
    expect(byTitle('Spans by outcome').description).toMatch(/failed or dropped above zero means lost traces/);
    expect(byTitle('Spans by outcome').description).toContain('GenxaiSpansLost');
    expect(exprOf(committed, 'Scrape duration')).toBe(
      'max by (instance) (scrape_duration_seconds{job=~"$job", instance=~"$instance"})',
    );
  });

  it('has exemplars on every latency panel', () => {
    for (const title of [
      'Agent execution duration',
      'Tool duration (p95)',
      'LLM request duration',
      'LLM latency by provider and model',
      'Time to first token',
      'Memory operation duration (p95)',
      'Workflow duration',
      'MCP request duration (p95)',
    ]) {
      expect(
        promTargets(byTitle(title)).every((target) => target.exemplar === true),
        title,
      ).toBe(true);
    }
  });
});

describe('the committed agent dashboard', () => {
  it('is "GenXAI Agent", uid genxai-agent', () => {
    expect(agentDashboard).toMatchObject({ uid: 'genxai-agent', title: 'GenXAI Agent' });
  });

  it('has datasource, job, instance, provider, model and a single-value agent_id, in order', () => {
    expect(agentDashboard.templating?.list?.map((v) => v.name)).toEqual([
      'datasource',
      'job',
      'instance',
      'provider',
      'model',
      'agent_id',
    ]);
    const agent = templateVariable(agentDashboard, 'agent_id');
    expect(agent).toMatchObject({ type: 'query', multi: false, includeAll: false });
    expect(agent.allValue).toBeUndefined();
    expect(variableSelectors(agentDashboard).find((v) => v.name === 'agent_id')).toMatchObject({
      expr: `${METRICS.agentExecutionsTotal.name}{${BASE}}`,
      label: 'agent_id',
    });
  });

  it('has the panels of one agent, in rows', () => {
    expect(
      agentDashboard.panels!.map((panel) => [panel.type === 'row' ? 'row' : 'panel', panel.title]),
    ).toEqual([
      ['row', 'Executions'],
      ['panel', 'Executions by status'],
      ['panel', 'Success ratio'],
      ['panel', 'Active executions'],
      ['panel', 'Execution duration'],
      ['panel', 'Errors by type'],
      ['row', 'Tools'],
      ['panel', 'Tool calls by tool and status'],
      ['panel', 'Tool error ratio by tool'],
      ['row', 'LLM'],
      ['panel', 'LLM requests by provider, model and status'],
      ['panel', 'LLM cost per hour, by model'],
      ['panel', 'Cost in range'],
      ['row', 'Memory'],
      ['panel', 'Memory size'],
    ]);
  });

  it('filters every query by the agent', () => {
    const expressions = panelExpressions(agentDashboard);
    expect(expressions.length).toBeGreaterThan(10);
    for (const { where, expr } of expressions) expect(expr, where).toContain('agent_id="$agent_id"');
  });

  it('reads the agent_id of the tool and LLM counters', () => {
    const calls = METRICS.toolCallsTotal.name;
    expect(exprOf(agentDashboard, 'Tool calls by tool and status')).toBe(
      `sum by (tool_name, status) (rate(${calls}{${AGENT}}${R}))`,
    );
    expect(exprOf(agentDashboard, 'Tool error ratio by tool')).toBe(
      `(\n  sum by (tool_name) (rate(${calls}{${AGENT}, status="error"}${R}))\nor\n  0 * sum by (tool_name) (rate(${calls}{${AGENT}}${R}))\n)\n/\nsum by (tool_name) (rate(${calls}{${AGENT}}${R}))`,
    );
    expect(exprOf(agentDashboard, 'LLM requests by provider, model and status')).toBe(
      `sum by (provider, model, status) (rate(${METRICS.llmRequestsTotal.name}{${AGENT_LLM}}${R}))`,
    );
    // USD an hour at the current rate: the axis is in dollars, so the query is too.
    expect(exprOf(agentDashboard, 'LLM cost per hour, by model')).toBe(
      `3600 * sum by (provider, model) (rate(${METRICS.llmCostTotal.name}{${AGENT_LLM}}${R}))`,
    );
    expect(promTargets(titled(agentDashboard, 'Cost in range'))[0]).toMatchObject({
      expr: `sum(increase(${METRICS.llmCostTotal.name}{${AGENT_LLM}}[$__range]))`,
      instant: true,
    });
    expect(unitOf(titled(agentDashboard, 'LLM cost per hour, by model'))).toBe('currencyUSD');
    expect(unitOf(titled(agentDashboard, 'Cost in range'))).toBe('currencyUSD');
  });

  it('shows the executions, success ratio, errors and memory of the agent', () => {
    const executions = METRICS.agentExecutionsTotal.name;
    expect(exprOf(agentDashboard, 'Executions by status')).toBe(
      `sum by (status) (rate(${executions}{${AGENT}}${R}))`,
    );
    expect(exprOf(agentDashboard, 'Success ratio')).toBe(
      `(\n  sum(rate(${executions}{${AGENT}, status="success"}${R}))\nor\n  0 * sum(rate(${executions}{${AGENT}}${R}))\n)\n/\nsum(rate(${executions}{${AGENT}}${R}))`,
    );
    expect(exprOf(agentDashboard, 'Active executions')).toBe(
      `sum(${METRICS.agentActiveExecutions.name}{${AGENT}})`,
    );
    expect(exprOf(agentDashboard, 'Errors by type')).toBe(
      `sum by (error_type) (rate(${METRICS.agentErrorsTotal.name}{${AGENT}}${R}))`,
    );
    expect(exprOf(agentDashboard, 'Memory size')).toBe(
      `sum by (memory_type) (${METRICS.memorySizeBytes.name}{${AGENT}})`,
    );
    const duration = promTargets(titled(agentDashboard, 'Execution duration'));
    expect(duration.map((t) => [t.legendFormat, t.exemplar])).toEqual([
      ['p50', true],
      ['p95', true],
      ['p99', true],
    ]);
    expect(duration[2]!.expr).toBe(
      `histogram_quantile(0.99, sum by (le) (rate(${METRICS.agentExecutionDurationSeconds.name}_bucket{${AGENT}}${R})))`,
    );
  });
});

describe.each([
  ['buildOverviewDashboard', buildOverviewDashboard, 'genxai-overview', 'GenXAI Overview'],
  ['buildAgentDashboard', buildAgentDashboard, 'genxai-agent', 'GenXAI Agent'],
] as const)('%s', (_name, build, uid, title) => {
  it('has its own defaults', () => {
    expect(build()).toMatchObject({ uid, title, refresh: '30s' });
  });

  it('takes a uid, title, tags and refresh', () => {
    const dashboard = build({ uid: 'mine', title: 'Mine', tags: ['x'], refresh: '1m' });
    expect(dashboard).toMatchObject({ uid: 'mine', title: 'Mine', tags: ['x'], refresh: '1m' });
    // Ids restart on every build.
    expect(allPanels(dashboard)[0]!.id).toBe(1);
  });

  it('rejects a bad uid or refresh, naming the value', () => {
    expect(() => build({ uid: 'no spaces' })).toThrow(GenxaiObservabilityError);
    expect(() => build({ uid: 'no spaces' })).toThrow(/Invalid uid: "no spaces"/);
    expect(() => build({ refresh: 'often' })).toThrow(/Invalid refresh: "often"/);
  });

  it.each(['500ms', '10s', '1w', '1y'])('takes the refresh %j', (refresh) => {
    expect(build({ refresh }).refresh).toBe(refresh);
  });

  // Grafana reads only the first unit ("1h30m" would refresh hourly); 0 does not turn refresh off.
  it.each(['1h30m', '0s', '0', '5M', '1.5m', '-1m', ''])('rejects the refresh %j', (refresh) => {
    expect(() => build({ refresh })).toThrow(
      `Invalid refresh: ${JSON.stringify(refresh)}. Expected a duration greater than 0 in one unit`,
    );
  });
});
