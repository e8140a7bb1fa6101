import { readFileSync } from 'node:fs';
import { METRICS } from '@genxai/metrics';
import { GenxaiObservabilityError } from '@genxai/obs-core';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import { allPanels, panelExpressions, promTargets, variableSelectors } from './__fixtures__/expressions';
import { buildOverviewDashboard } from './dashboard';

const committed = JSON.parse(
  readFileSync(new URL('../../../dashboards/genxai_overview.json', import.meta.url), 'utf8'),
) as Dashboard;
const panels = allPanels(committed).filter((panel) => panel.type !== 'row') as Panel[];
const byTitle = (title: string) => {
  const panel = panels.find((p) => p.title === title);
  if (!panel) throw new Error(`no panel "${title}"`);
  return panel;
};

describe('the committed overview dashboard', () => {
  it('has the seed panels in rows for agents, tools, LLM, memory and workflows', () => {
    expect(committed.panels?.filter((p) => p.type === 'row').map((row) => row.title)).toEqual([
      'Agents',
      'Tools',
      'LLM',
      'Memory',
      'Workflows',
      'Instrumentation',
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
    ]) {
      expect(byTitle(title).targets?.length, title).toBeGreaterThan(0);
    }
  });

  it('gives every panel a datasource variable, a unit, a description and a query', () => {
    for (const panel of panels) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template literal
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.fieldConfig?.defaults?.unit, panel.title).toMatch(/\S/);
      expect(panel.description, panel.title).toMatch(/\S/);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of promTargets(panel)) {
        expect(target.expr, panel.title).toMatch(/\S/);
        expect(target.datasource, panel.title).toEqual(panel.datasource);
      }
    }
  });

  it('uses the units the issue asks for', () => {
    expect(byTitle('Agent execution rate').fieldConfig?.defaults?.unit).toBe('ops');
    expect(byTitle('Agent success rate').fieldConfig?.defaults?.unit).toBe('percentunit');
    expect(byTitle('Agent execution duration').fieldConfig?.defaults?.unit).toBe('s');
    expect(byTitle('LLM token usage').fieldConfig?.defaults?.unit).toBe('suffix: tokens/s');
    expect(byTitle('LLM cost (cumulative)').fieldConfig?.defaults?.unit).toBe('currencyUSD');
    expect(byTitle('Memory size').fieldConfig?.defaults?.unit).toBe('bytes');
  });

  it('keeps every row expanded with its panels after it, as Grafana expects', () => {
    const rows = committed.panels!.filter((panel) => panel.type === 'row');
    for (const row of rows) {
      expect((row as { collapsed: boolean }).collapsed, row.title).toBe(false);
      expect((row as { panels: unknown[] }).panels, row.title).toEqual([]);
    }
    const agents = committed.panels!.findIndex((panel) => panel.title === 'Agents');
    const tools = committed.panels!.findIndex((panel) => panel.title === 'Tools');
    expect(committed.panels!.slice(agents + 1, tools).map((panel) => panel.title)).toContain(
      'Agent execution rate',
    );
  });

  it('has unique ids and non-overlapping panels inside the 24-column grid', () => {
    const all = allPanels(committed);
    const ids = all.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => typeof id === 'number' && id > 0)).toBe(true);
    const boxes = all.map((panel) => ({ title: panel.title, ...panel.gridPos! }));
    for (const [i, a] of boxes.entries()) {
      expect(a.x + a.w, a.title).toBeLessThanOrEqual(24);
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
      }
    }
  });

  it('uses $__rate_interval for every rate and no hard-coded window', () => {
    for (const { where, expr } of panelExpressions(committed)) {
      for (const window of expr.matchAll(/\[([^\]]+)\]/g)) {
        expect(['$__rate_interval', '$__range'], where).toContain(window[1]);
      }
    }
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

  it('shows the legend on time series (0.0.21 hides it by default)', () => {
    for (const panel of panels.filter((p) => p.type === 'timeseries')) {
      expect((panel.options as { legend: { showLegend: boolean } }).legend.showLegend, panel.title).toBe(
        true,
      );
    }
  });

  it('has datasource, job, instance, agent_id, workflow_id and model variables', () => {
    expect(committed.templating?.list?.map((v) => v.name)).toEqual([
      'datasource',
      'job',
      'instance',
      'agent_id',
      'workflow_id',
      'model',
    ]);
    expect(variableSelectors(committed).map((v) => [v.name, v.label])).toEqual([
      ['job', 'job'],
      ['instance', 'instance'],
      ['agent_id', 'agent_id'],
      ['workflow_id', 'workflow_id'],
      ['model', 'model'],
    ]);
    expect(variableSelectors(committed)[0]!.expr).toBe('{__name__=~"genxai_.+"}');
  });

  it('filters each panel by the variables that apply to it', () => {
    expect(promTargets(byTitle('Agent success rate'))[0]!.expr).toBe(
      `(\n  sum by (agent_id) (rate(${METRICS.agentExecutionsTotal.name}{job=~"$job", instance=~"$instance", agent_id=~"$agent_id", status="success"}[$__rate_interval]))\nor\n  0 * sum by (agent_id) (rate(${METRICS.agentExecutionsTotal.name}{job=~"$job", instance=~"$instance", agent_id=~"$agent_id"}[$__rate_interval]))\n)\n/\nsum by (agent_id) (rate(${METRICS.agentExecutionsTotal.name}{job=~"$job", instance=~"$instance", agent_id=~"$agent_id"}[$__rate_interval]))`,
    );
    expect(promTargets(byTitle('LLM token usage'))[0]!.expr).toContain(
      'model=~"$model", token_type=~"prompt|completion"',
    );
    expect(promTargets(byTitle('Workflow executions'))[0]!.expr).toContain('workflow_id=~"$workflow_id"');
  });
});

describe('buildOverviewDashboard', () => {
  it('takes a uid, title, tags and refresh', () => {
    const dashboard = buildOverviewDashboard({ uid: 'mine', title: 'Mine', tags: ['x'], refresh: '1m' });
    expect(dashboard).toMatchObject({ uid: 'mine', title: 'Mine', tags: ['x'], refresh: '1m' });
    // Ids restart on every build.
    expect(allPanels(dashboard)[0]!.id).toBe(1);
  });

  it('rejects a bad uid or refresh, naming the value', () => {
    expect(() => buildOverviewDashboard({ uid: 'no spaces' })).toThrow(GenxaiObservabilityError);
    expect(() => buildOverviewDashboard({ uid: 'no spaces' })).toThrow(/Invalid uid: "no spaces"/);
    expect(() => buildOverviewDashboard({ refresh: 'often' })).toThrow(/Invalid refresh: "often"/);
  });

  it.each(['500ms', '10s', '1w', '1y'])('takes the refresh %j', (refresh) => {
    expect(buildOverviewDashboard({ refresh }).refresh).toBe(refresh);
  });

  // Grafana reads only the first unit ("1h30m" would refresh hourly); 0 does not turn refresh off.
  it.each(['1h30m', '0s', '0', '5M', '1.5m', '-1m', ''])('rejects the refresh %j', (refresh) => {
    expect(() => buildOverviewDashboard({ refresh })).toThrow(
      `Invalid refresh: ${JSON.stringify(refresh)}. Expected a duration greater than 0 in one unit`,
    );
  });
});
