import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRICS, SELF_METRICS } from '@genxai/metrics';
import { GenxaiObservabilityError } from '@genxai/obs-core';
import { requireBinary, runPromtool } from '@genxai/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildAlertRuleTests, renderAlertRuleTests } from './alert-tests';
import { type AlertingRule, errorRatioRecord, type RecordingRule, SLOS } from './alerts';
import { DEFAULT_ALERT_RULES_CONFIG } from './config';
import { ALERT_NAMES, type AlertRulesOptions, buildAlertRules, renderAlertRules } from './index';

const alertingRules = (file: { groups: { rules: (AlertingRule | RecordingRule)[] }[] }) =>
  file.groups
    .flatMap((group) => group.rules)
    .filter((rule): rule is AlertingRule => rule.alert !== undefined);
const recordingRules = (file: { groups: { rules: (AlertingRule | RecordingRule)[] }[] }) =>
  file.groups
    .flatMap((group) => group.rules)
    .filter((rule): rule is RecordingRule => rule.record !== undefined);
const SLO_ALERTS: readonly string[] = ALERT_NAMES.filter((name) => name.includes('ErrorBudget'));

const alertsDir = new URL('../../../alerts/', import.meta.url).pathname;
const promtool = requireBinary('promtool');
const scratch = mkdtempSync(join(tmpdir(), 'genxai-alerts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the generated rules', () => {
  const rules = buildAlertRules();
  const group = rules.groups[0]!;

  it('keep the seed group and name every alert; each SLO records its error ratios before its alerts', () => {
    expect(rules.groups).toHaveLength(1);
    expect(group).toMatchObject({ name: 'genxai_alerts', interval: '30s' });
    expect(alertingRules(rules).map((rule) => rule.alert)).toEqual([...ALERT_NAMES]);
    const order = group.rules.map((rule) => rule.alert ?? rule.record);
    for (const slo of Object.values(SLOS)) {
      const records = ['5m', '30m', '1h', '6h'].map((window) => errorRatioRecord(slo.metric, window));
      expect(records[0]).toBe(`job:${slo.metric.name.replace(/_total$/, '')}:error_ratio_rate5m`);
      const first = order.indexOf(records[0]!);
      expect(order.slice(first, first + 6)).toEqual([...records, slo.fastBurn, slo.slowBurn]);
    }
    expect(recordingRules(rules)).toHaveLength(8);
  });

  it('give every alert a severity, a summary, a templated description, a runbook and a for', () => {
    for (const rule of alertingRules(rules)) {
      expect(rule.labels.severity, rule.alert).toMatch(/^(warning|critical)$/);
      expect(rule.annotations.summary, rule.alert).toMatch(/\S/);
      expect(rule.annotations.description, rule.alert).toMatch(/\{\{.+\}\}/);
      expect(rule.annotations.runbook_url, rule.alert).toBe(
        `${DEFAULT_ALERT_RULES_CONFIG.runbookBaseUrl}#${rule.alert.toLowerCase()}`,
      );
      expect(rule.for, rule.alert).toMatch(/^\d+m$/);
    }
  });

  it('fix the seed: SlowAgentExecution takes rates summed by le; HighLLMCost compares USD per hour', () => {
    const rule = (name: string) => alertingRules(rules).find((r) => r.alert === name)!;
    expect(rule('SlowAgentExecution').expr).toBe(
      `histogram_quantile(0.95, sum by (agent_id, le) (rate(${METRICS.agentExecutionDurationSeconds.name}_bucket{job="genxai"}[5m]))) > 30`,
    );
    expect(rule('HighLLMCost').expr).toBe(
      `sum(increase(${METRICS.llmCostTotal.name}{job="genxai"}[1h])) > 10`,
    );
  });

  it('take thresholds, windows, selectors and severities from the config', () => {
    const custom = buildAlertRules({
      selector: 'job="agents", env="prod"',
      groupName: 'mine',
      interval: '1m',
      runbookBaseUrl: 'https://runbooks.example/genxai',
      highLlmCost: { usdPerHour: 50, severity: 'page' },
      toolErrorRate: { ratio: 0.25, window: '15m' },
    });
    const [customGroup] = custom.groups;
    expect(customGroup).toMatchObject({ name: 'mine', interval: '1m' });
    const cost = alertingRules(custom).find((r) => r.alert === 'HighLLMCost')!;
    expect(cost.expr).toBe(`sum(increase(${METRICS.llmCostTotal.name}{job="agents", env="prod"}[1h])) > 50`);
    expect(cost.labels).toEqual({ severity: 'page' });
    expect(cost.for).toBe('15m');
    expect(cost.annotations.runbook_url).toBe('https://runbooks.example/genxai#highllmcost');
    const tools = alertingRules(custom).find((r) => r.alert === 'HighToolErrorRate')!;
    expect(tools.expr).toContain('[15m]');
    expect(tools.expr).toMatch(/\) > 0\.25$/);
    expect(tools.annotations.description).toContain('threshold 25% over 15m');
    expect(alertingRules(custom).find((r) => r.alert === 'GenxaiMetricsEndpointDown')!.expr).toBe(
      'up{job="agents", env="prod"} == 0\nor\nabsent(up{job="agents", env="prod"})',
    );
  });

  it('build the SLO alerts from the workbook: 14.4× over 1h and 5m pages, 6× over 6h and 30m makes a ticket', () => {
    const rule = (name: string) => alertingRules(rules).find((r) => r.alert === name)!;
    const base = METRICS.agentExecutionsTotal.name.replace(/_total$/, '');
    expect(rule('AgentErrorBudgetFastBurn')).toMatchObject({
      expr: `job:${base}:error_ratio_rate1h > 0.144\nand\njob:${base}:error_ratio_rate5m > 0.144`,
      for: '2m',
      labels: { severity: 'critical', slo: 'agent_executions' },
    });
    expect(rule('AgentErrorBudgetSlowBurn')).toMatchObject({
      expr: `job:${base}:error_ratio_rate6h > 0.06\nand\njob:${base}:error_ratio_rate30m > 0.06`,
      for: '15m',
      labels: { severity: 'warning', slo: 'agent_executions' },
    });
    expect(rule('LLMErrorBudgetFastBurn').labels).toEqual({ severity: 'critical', slo: 'llm_requests' });
    const ratio = recordingRules(rules).find((r) => r.record === `job:${base}:error_ratio_rate5m`)!;
    const valid = `sum by (job) (rate(${METRICS.agentExecutionsTotal.name}{job="genxai", status=~"success|error"}[5m]))`;
    expect(ratio.expr).toBe(
      `(\n  sum by (job) (rate(${METRICS.agentExecutionsTotal.name}{job="genxai", status="error"}[5m]))\nor\n  0 * ${valid}\n)\n/\n${valid}`,
    );
    // The objective moves every threshold: 1 − 0.999 = 0.001, × 14.4 and × 6.
    const strict = alertingRules(buildAlertRules({ llmRequestSlo: { objective: 0.999 } }));
    expect(strict.find((r) => r.alert === 'LLMErrorBudgetFastBurn')!.expr).toMatch(
      /> 0\.0144\nand\n.+> 0\.0144$/,
    );
    expect(strict.find((r) => r.alert === 'LLMErrorBudgetSlowBurn')!.expr).toMatch(/> 0\.006$/);
    expect(strict.find((r) => r.alert === 'AgentErrorBudgetFastBurn')!.expr).toMatch(/> 0\.144$/);
  });

  it('watch the telemetry: spans lost and label sets folded, from the self-metrics', () => {
    const rule = (name: string) => alertingRules(rules).find((r) => r.alert === name)!;
    expect(rule('GenxaiSpansLost').expr).toBe(
      `(\n  sum by (job, instance) (rate(${SELF_METRICS.telemetrySpansTotal.name}{job="genxai", outcome=~"dropped|failed"}[10m]))\n/\n` +
        `  sum by (job, instance) (rate(${SELF_METRICS.telemetrySpansTotal.name}{job="genxai"}[10m]))\n) > 0.01`,
    );
    expect(rule('GenxaiMetricLabelsFolded').expr).toBe(
      `sum by (job, instance, metric) (increase(${SELF_METRICS.cardinalityOverflowTotal.name}{job="genxai"}[10m])) > 0`,
    );
    expect(rule('GenxaiSpansLost').labels).toEqual({ severity: 'warning' });
  });

  it('keep the thresholds and shorten every window and for in the test profile; options merge over it', () => {
    const test = buildAlertRules({ profile: 'test', highLlmCost: { usdPerHour: 1 } });
    expect(test.groups[0]!.interval).toBe('1s');
    const byName = new Map(alertingRules(test).map((rule) => [rule.alert, rule]));
    for (const rule of alertingRules(rules)) {
      const quick = byName.get(rule.alert)!;
      expect(quick.for, rule.alert).toBe('5s');
      expect(quick.labels, rule.alert).toEqual(rule.labels);
      expect(quick.annotations.runbook_url, rule.alert).toBe(rule.annotations.runbook_url);
    }
    expect(byName.get('HighToolErrorRate')!.expr).toBe(
      alertingRules(rules)
        .find((r) => r.alert === 'HighToolErrorRate')!
        .expr.replaceAll('[5m]', '[20s]'),
    );
    expect(byName.get('HighLLMCost')!.expr).toMatch(/\[1h\]\)\) > 1$/);
    const base = METRICS.llmRequestsTotal.name.replace(/_total$/, '');
    expect(byName.get('LLMErrorBudgetFastBurn')!.expr).toBe(
      `job:${base}:error_ratio_rate1m > 0.144\nand\njob:${base}:error_ratio_rate5s > 0.144`,
    );
    expect(recordingRules(test).map((r) => r.record.replace(/^.*_rate/, ''))).toEqual([
      ...['5s', '30s', '1m', '6m'],
      ...['5s', '30s', '1m', '6m'],
    ]);
    // Generated tests need minute-scale windows; the test profile is for live pipelines.
    expect(() => buildAlertRuleTests('rules.yml', { profile: 'test' })).toThrow(/SLO windows of at least 2m/);
  });

  it.each([
    [{ selector: 'job=genxai' }, /Invalid selector: "job=genxai"\. Expected PromQL label matchers/],
    [{ interval: '30 seconds' }, /Invalid interval: "30 seconds"\. Expected a Prometheus duration/],
    [{ highErrorRate: { errorsPerSecond: -1 } }, /Invalid highErrorRate\.errorsPerSecond: -1/],
    [{ toolErrorRate: { ratio: 5 } }, /Invalid toolErrorRate\.ratio: 5\. Expected a number > 0 and ≤ 1/],
    [{ slowAgentExecution: { for: '' } }, /Invalid slowAgentExecution\.for: ""/],
    // Prometheus refuses units out of order or repeated, fractions and Grafana's `M`.
    [{ interval: '30m1h' }, /Invalid interval: "30m1h"\. Expected a Prometheus duration/],
    [{ highErrorRate: { for: '5m5m' } }, /Invalid highErrorRate\.for: "5m5m"/],
    [{ highLlmCost: { for: '1.5h' } }, /Invalid highLlmCost\.for: "1\.5h"/],
    [{ toolErrorRate: { window: '1M' } }, /Invalid toolErrorRate\.window: "1M"/],
    // `rate(x[0s])` does not parse, and a 0 interval means Prometheus's global default.
    [
      { llmFailureRate: { window: '0s' } },
      /Invalid llmFailureRate\.window: "0s"\. Expected .* greater than 0/,
    ],
    [{ interval: '0' }, /Invalid interval: "0"\. Expected .* greater than 0/],
    [{ metricsEndpointDown: { severity: 'very bad' } }, /Invalid metricsEndpointDown\.severity: "very bad"/],
    [{ runbookBaseUrl: 'docs/alerts.md' }, /Invalid runbookBaseUrl: "docs\/alerts\.md"/],
    // An objective of 1 leaves no error budget, 0 or less allows everything.
    ...[1, 0, 1.5, -0.01, Number.NaN, '0.99'].map(
      (objective) =>
        [
          { agentExecutionSlo: { objective } },
          new RegExp(
            `Invalid agentExecutionSlo\\.objective: ${typeof objective === 'string' ? `"${objective}"` : objective}\\. Expected a number strictly between 0 and 1`,
          ),
        ] as [object, RegExp],
    ),
    [
      { llmRequestSlo: { objective: 99 } },
      /Invalid llmRequestSlo\.objective: 99\. Expected a number strictly between 0 and 1, the share of operations that must succeed \(0\.99 for 99%\)/,
    ],
    // 14.4 × (1 − 0.9) = 1.44: an error ratio no service can reach.
    [
      { agentExecutionSlo: { objective: 0.9 } },
      /Invalid agentExecutionSlo\.fastBurn\.burnRate: 14\.4\. Expected a burn rate below 1 \/ \(1 − objective\) = 10: 14\.4 × \(1 − 0\.9\) is an error ratio of 1\.44/,
    ],
    [{ llmRequestSlo: { slowBurn: { burnRate: 0 } } }, /Invalid llmRequestSlo\.slowBurn\.burnRate: 0/],
    [
      { llmRequestSlo: { fastBurn: { shortWindow: '1h' } } },
      /Invalid llmRequestSlo\.fastBurn\.shortWindow: "1h"\. Expected .* shorter than longWindow \(1h\)/,
    ],
    [
      { agentExecutionSlo: { slowBurn: { longWindow: '6 hours' } } },
      /Invalid agentExecutionSlo\.slowBurn\.longWindow: "6 hours"/,
    ],
    [
      { agentExecutionSlo: { fastBurn: { severity: 'page me' } } },
      /Invalid agentExecutionSlo\.fastBurn\.severity: "page me"/,
    ],
    [{ spansLost: { ratio: 2 } }, /Invalid spansLost\.ratio: 2\. Expected a number > 0 and ≤ 1/],
    [{ labelsFolded: { window: '0s' } }, /Invalid labelsFolded\.window: "0s"/],
    [{ profile: 'production' }, /Invalid profile: "production"\. Expected "default" or "test"/],
  ])('reject %j with a message naming the value', (options, message) => {
    expect(() => buildAlertRules(options as never)).toThrow(GenxaiObservabilityError);
    expect(() => buildAlertRules(options as never)).toThrow(message);
  });
});

describe('promtool unit tests (alerts/tests)', () => {
  const tests = parse(readFileSync(join(alertsDir, 'tests/genxai_alerts_test.yml'), 'utf8')) as ReturnType<
    typeof buildAlertRuleTests
  >;

  it('cover every alert: before/at its for boundary, just under and just over its threshold', () => {
    for (const rule of alertingRules(buildAlertRules())) {
      const cases = tests.tests.filter((t) => t.alert_rule_test.every((c) => c.alertname === rule.alert));
      const firing = cases.filter((t) => t.alert_rule_test.some((c) => c.exp_alerts.length > 0));
      const quiet = cases.filter((t) => t.alert_rule_test.every((c) => c.exp_alerts.length === 0));
      expect(firing.length, rule.alert).toBeGreaterThan(0);
      expect(quiet.length, rule.alert).toBeGreaterThan(0);
      for (const testCase of firing) {
        const [before, at] = testCase.alert_rule_test;
        expect(before!.exp_alerts, testCase.name).toEqual([]);
        expect(at!.exp_alerts, testCase.name).toHaveLength(1);
        expect(at!.exp_alerts[0]!.exp_labels).toMatchObject(rule.labels);
        expect(Object.keys(at!.exp_alerts[0]!.exp_annotations).sort()).toEqual([
          'description',
          'runbook_url',
          'summary',
        ]);
      }
      // No numeric threshold: the other side of up == 0 is up, of a fold is no fold.
      if (rule.alert === 'GenxaiMetricsEndpointDown' || rule.alert === 'GenxaiMetricLabelsFolded') continue;
      const names = cases.map((t) => t.name);
      expect(names.some((n) => n.includes('just under the threshold') && n.endsWith('never fires'))).toBe(
        true,
      );
      expect(names.some((n) => n.includes('just over the threshold') && n.endsWith('firing at it'))).toBe(
        true,
      );
      if (['HighToolErrorRate', 'HighLLMFailureRate', 'HighWorkflowFailureRate'].includes(rule.alert)) {
        expect(
          names.some((n) => n.startsWith(`${rule.alert}: every call fails:`) && n.endsWith('firing at it')),
        ).toBe(true);
        expect(names, rule.alert).toContain(`${rule.alert}: no call fails: never fires`);
      }
      if (rule.alert === 'GenxaiSpansLost')
        expect(names).toContain('GenxaiSpansLost: no span is lost: never fires');
      if (SLO_ALERTS.includes(rule.alert)) {
        // Both windows matter: errors that stop resolve it; a spike the long window dilutes never fires it.
        expect(
          names.some((n) => /then none: .*firing at it, resolved at .* window is clean$/.test(n)),
          rule.alert,
        ).toBe(true);
        expect(
          names.some((n) => /fails for .* without errors: never fires$/.test(n)),
          rule.alert,
        ).toBe(true);
      }
    }
  });

  it('check every recorded error ratio: 0 with no error series, 1 when everything fails', () => {
    const exprTests = tests.tests.flatMap(
      (t) =>
        (t as { promql_expr_test?: { expr: string; exp_samples: { value: number }[] }[] }).promql_expr_test ??
        [],
    );
    for (const rule of recordingRules(buildAlertRules())) {
      expect(
        exprTests.filter((t) => t.expr === rule.record).map((t) => t.exp_samples[0]!.value),
        rule.record,
      ).toEqual([0, 1]);
    }
  });

  it('derive the inputs from the thresholds in the config', () => {
    const values = (options: Parameters<typeof buildAlertRuleTests>[1]) =>
      buildAlertRuleTests('rules.yml', options).tests.map((t) => t.input_series.map((s) => s.values));
    const { toolErrorRate, highLlmCost } = DEFAULT_ALERT_RULES_CONFIG;
    const defaults = buildAlertRuleTests('rules.yml').tests;
    const names = defaults.map((t) => t.name);
    expect(names).toContain('HighErrorRate: just under the threshold (0.09/s): never fires');
    expect(names).toContain(
      'HighLLMCost: just over the threshold (11 USD per hour): pending until 1h10m, firing at it',
    );
    expect(names).toContain('SlowAgentExecution: just under the threshold (p = 29s): never fires');
    expect(names).toContain(
      'SlowAgentExecution: just over the threshold (p = 58.5s): pending until 11m, firing at it',
    );
    expect(
      values({
        toolErrorRate: { ratio: toolErrorRate.ratio * 2 },
        highLlmCost: { usdPerHour: highLlmCost.usdPerHour * 3 },
      }),
    ).not.toEqual(values({}));
    expect(names).toContain(
      'AgentErrorBudgetFastBurn: just under the threshold (12.96% failed): never fires',
    );
    expect(names).toContain(
      'LLMErrorBudgetSlowBurn: just over the threshold (6.6% failed, as many cancelled): pending until 16m, firing at it',
    );
    const sloValues = (options: AlertRulesOptions) =>
      buildAlertRuleTests('rules.yml', options)
        .tests.filter((t) => t.name.startsWith('AgentErrorBudget'))
        .map((t) => t.input_series.map((s) => s.values));
    expect(sloValues({ agentExecutionSlo: { objective: 0.995 } })).not.toEqual(sloValues({}));
    expect(sloValues({ agentExecutionSlo: { slowBurn: { burnRate: 3 } } })).not.toEqual(sloValues({}));
  });

  it('time every case from the configured durations, in any Prometheus unit', () => {
    const evalTimes = (options: AlertRulesOptions, alert: string) =>
      buildAlertRuleTests('rules.yml', options)
        .tests.filter((t) => t.alert_rule_test[0]!.alertname === alert)
        .map((t) => [t.name, ...t.alert_rule_test.map((c) => c.eval_time)]);
    // The target is down from 0s: pending at the 0s evaluation, firing at the next (30s) once 500ms have passed.
    expect(evalTimes({ metricsEndpointDown: { for: '500ms' } }, 'GenxaiMetricsEndpointDown')).toEqual([
      ['GenxaiMetricsEndpointDown: the target is down: pending until 30s, firing at it', '0s', '30s'],
      ['GenxaiMetricsEndpointDown: the job has no target: pending until 30s, firing at it', '0s', '30s'],
      ['GenxaiMetricsEndpointDown: the target is up: never fires', '30s', '1m'],
    ]);
    // With `for: 0` the target down from the start fires at the first evaluation: there is none before.
    expect(evalTimes({ metricsEndpointDown: { for: '0' } }, 'GenxaiMetricsEndpointDown')).toEqual([
      ['GenxaiMetricsEndpointDown: the target is down: pending until 0s, firing at it', '0s'],
      ['GenxaiMetricsEndpointDown: the job has no target: pending until 0s, firing at it', '0s'],
      ['GenxaiMetricsEndpointDown: the target is up: never fires', '0s', '30s'],
    ]);
    // Over the threshold from 1m: firing a week later. The samples last until the quiet case's last check.
    const week = buildAlertRuleTests('rules.yml', { highLlmCost: { for: '1w' } }).tests.filter(
      (t) => t.alert_rule_test[0]!.alertname === 'HighLLMCost',
    );
    expect(week.map((t) => t.alert_rule_test.map((c) => c.eval_time))).toEqual([
      ['7d30s', '7d1m'],
      ['7d1m', '7d1h30s'],
      ['7d54m30s', '7d55m'],
    ]);
    // The hour is full by then: the annotation shows a whole hour's increase.
    expect(week[0]!.alert_rule_test[1]!.exp_alerts[0]!.exp_annotations.description).toBe(
      `LLM calls cost ${(DEFAULT_ALERT_RULES_CONFIG.highLlmCost.usdPerHour * 600).toFixed(2)} USD in the last hour (threshold 10 USD per hour).`,
    );
    expect(week[1]!.input_series[0]!.values).toBe(`0+0.15x${60 * 24 * 7 + 60 + 15}`);
    // A `for` past the default 30 samples lengthens the series so the rate still exists then.
    const [, , settled] = evalTimes({ highErrorRate: { for: '1h30m' } }, 'HighErrorRate')[1]!;
    expect(settled).toBe('1h35m30s');
    expect(
      buildAlertRuleTests('rules.yml', { highErrorRate: { for: '1h30m' } }).tests[1]!.input_series[0]!.values,
    ).toBe(`0+5.4x${96}`);
  });

  it.skipIf(!promtool)('pass `promtool check rules`', () => {
    const result = runPromtool(promtool!, ['check', 'rules', join(alertsDir, 'genxai_alerts.yml')]);
    const rules = ALERT_NAMES.length + recordingRules(buildAlertRules()).length;
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${rules} rules found`);
    expect(result.status).toBe(0);
  });

  it.skipIf(!promtool)('pass `promtool test rules`', () => {
    const result = runPromtool(promtool!, ['test', 'rules', join(alertsDir, 'tests/genxai_alerts_test.yml')]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  type TestFile = ReturnType<typeof buildAlertRuleTests>;
  /**
   * The rule file and the committed tests cut down to `alerts` (and the recording rules they
   * read): promtool evaluates every rule at every step, so the mutation runs below stay quick.
   */
  const only = (rules: string, testFile: string, alerts: readonly string[]) => {
    const tests = parse(testFile) as TestFile;
    tests.tests = tests.tests.filter((t) => t.alert_rule_test.every((c) => alerts.includes(c.alertname)));
    const checked = tests.tests.flatMap(
      (t) => (t as { promql_expr_test?: { expr: string }[] }).promql_expr_test?.map((e) => e.expr) ?? [],
    );
    const file = parse(rules) as ReturnType<typeof buildAlertRules>;
    for (const group of file.groups) {
      const kept = group.rules.filter((rule) => rule.alert !== undefined && alerts.includes(rule.alert));
      group.rules = group.rules.filter(
        (rule) =>
          kept.includes(rule as AlertingRule) ||
          (rule.record !== undefined &&
            (checked.includes(rule.record) || kept.some((k) => k.expr.includes(rule.record!)))),
      );
    }
    return { rules: stringify(file, { lineWidth: 0 }), tests: stringify(tests, { lineWidth: 0 }) };
  };
  const committedTests = () =>
    readFileSync(join(alertsDir, 'tests/genxai_alerts_test.yml'), 'utf8').replace(
      '../genxai_alerts.yml',
      'genxai_alerts.yml',
    );
  /**
   * Runs the committed tests (or `testFile`) against `rules`, once per alert in `alerts`, each cut
   * to that alert; returns promtool's output and the worst status.
   */
  const runAgainst = (rules: string, alerts: readonly string[], testFile = committedTests()) => {
    let status = 0;
    let output = '';
    for (const alert of alerts) {
      const cut = only(rules, testFile, [alert]);
      writeFileSync(join(scratch, 'genxai_alerts.yml'), cut.rules);
      writeFileSync(join(scratch, 'test.yml'), cut.tests);
      const result = runPromtool(promtool!, ['test', 'rules', join(scratch, 'test.yml')]);
      status = Math.max(status, result.status ?? 1);
      output += result.stdout + result.stderr;
    }
    return { status, output };
  };
  const NO_THRESHOLD = ['GenxaiMetricsEndpointDown', 'GenxaiMetricLabelsFolded'];
  const THRESHOLDED = ALERT_NAMES.filter((name) => !NO_THRESHOLD.includes(name));

  it.skipIf(!promtool)('fail `promtool test rules` when a for boundary moves', () => {
    // Rules with every `for` one evaluation longer must break the "fires at the boundary" cases.
    const later = { for: '2m30s' };
    const shifted = renderAlertRules({
      highErrorRate: { for: '5m30s' },
      slowAgentExecution: { for: '10m30s' },
      highLlmCost: { for: '15m30s' },
      toolErrorRate: { for: '10m30s' },
      llmFailureRate: { for: '5m30s' },
      workflowFailureRate: { for: '10m30s' },
      metricsEndpointDown: { for: '5m30s' },
      spansLost: { for: '10m30s' },
      labelsFolded: { for: '5m30s' },
      agentExecutionSlo: { fastBurn: later, slowBurn: { for: '15m30s' } },
      llmRequestSlo: { fastBurn: later, slowBurn: { for: '15m30s' } },
    });
    const { status, output } = runAgainst(shifted, ALERT_NAMES);
    expect(status).not.toBe(0);
    for (const alert of ALERT_NAMES) expect(output, alert).toContain(`alertname: ${alert}`);
  });

  /** The rules with every threshold in `alerts` multiplied by `factor`, in the expressions only. */
  const scaled = (factor: number, alerts: readonly string[]) => {
    // The annotations still name the default thresholds, so only the series can catch this.
    const file = parse(renderAlertRules()) as ReturnType<typeof buildAlertRules>;
    for (const rule of alertingRules(file)) {
      if (!alerts.includes(rule.alert)) continue;
      // Both thresholds of a burn-rate alert (long and short window).
      rule.expr = rule.expr.replace(
        /> ([\d.]+)$/gm,
        (_, threshold: string) => `> ${Number(threshold) * factor}`,
      );
    }
    return stringify(file, { lineWidth: 0 });
  };

  it.skipIf(!promtool).each([10, 2, 0.5, 0.1])(
    'fail `promtool test rules` when every threshold is × %s',
    (factor) => {
      const { status, output } = runAgainst(scaled(factor, THRESHOLDED), THRESHOLDED);
      expect(status).not.toBe(0);
      for (const alert of THRESHOLDED) expect(output, alert).toContain(`alertname: ${alert}`);
    },
  );

  // The histogram buckets (10s, 30s, 60s) bound how close SlowAgentExecution's cases can get.
  it.skipIf(!promtool).each([1.15, 1 / 1.15])(
    'fail `promtool test rules` when a rate or ratio threshold is × %s',
    (factor) => {
      const alerts = THRESHOLDED.filter((name) => name !== 'SlowAgentExecution');
      const { status, output } = runAgainst(scaled(factor, alerts), alerts);
      expect(status).not.toBe(0);
      for (const alert of alerts) expect(output, alert).toContain(`alertname: ${alert}`);
    },
  );

  it.skipIf(!promtool)('fail `promtool test rules` when rate and increase are swapped', () => {
    const file = parse(renderAlertRules()) as ReturnType<typeof buildAlertRules>;
    for (const rule of file.groups[0]!.rules) {
      rule.expr = rule.expr.replace(/\b(rate|increase)\(/g, (_, fn: string) =>
        fn === 'rate' ? 'increase(' : 'rate(',
      );
    }
    // Quantiles and ratios do not change when both sides scale by the window; these do.
    const alerts = ['HighErrorRate', 'HighLLMCost'];
    const { status, output } = runAgainst(stringify(file, { lineWidth: 0 }), alerts);
    expect(status).not.toBe(0);
    for (const alert of alerts) expect(output, alert).toContain(`alertname: ${alert}`);
  });

  /** The rules with each SLO alert's expression changed by `change`. */
  const sloChanged = (change: (expr: string) => string) => {
    const file = parse(renderAlertRules()) as ReturnType<typeof buildAlertRules>;
    for (const rule of alertingRules(file))
      if (SLO_ALERTS.includes(rule.alert)) rule.expr = change(rule.expr);
    return stringify(file, { lineWidth: 0 });
  };

  it.skipIf(!promtool).each([
    ['only the long window', (expr: string) => expr.split('\nand\n')[0]!],
    ['only the short window', (expr: string) => expr.split('\nand\n')[1]!],
    ['either window (or)', (expr: string) => expr.replace('\nand\n', '\nor\n')],
  ])('fail `promtool test rules` when a burn-rate alert checks %s', (_, change) => {
    const { status, output } = runAgainst(sloChanged(change), SLO_ALERTS);
    expect(status).not.toBe(0);
    for (const alert of SLO_ALERTS) expect(output, alert).toContain(`alertname: ${alert}`);
  });

  it.skipIf(!promtool)(
    'fail `promtool test rules` when the error ratio counts cancelled operations or drops the 0',
    () => {
      for (const [what, from, to] of [
        ['cancelled counted', 'status=~"success|error"', 'status=~".+"'],
        ['no 0 without errors', /\nor\n {2}0 \* .+\n/, '\n'],
      ] as const) {
        const file = parse(renderAlertRules()) as ReturnType<typeof buildAlertRules>;
        for (const rule of recordingRules(file)) rule.expr = rule.expr.replace(from, to).replace(from, to);
        const { status, output } = runAgainst(stringify(file, { lineWidth: 0 }), SLO_ALERTS);
        expect(status, what).not.toBe(0);
        expect(output, what).toMatch(
          what === 'cancelled counted' ? /alertname: \w+ErrorBudget/ : /expr: "?job:/,
        );
      }
    },
  );

  it.skipIf(!promtool)(
    'fail `promtool test rules` when the fold alert reads the counter, not its increase',
    () => {
      const file = parse(renderAlertRules()) as ReturnType<typeof buildAlertRules>;
      const folded = alertingRules(file).find((rule) => rule.alert === 'GenxaiMetricLabelsFolded')!;
      folded.expr = folded.expr.replace(/increase\((.+)\[\w+\]\)/, '$1');
      const { status, output } = runAgainst(stringify(file, { lineWidth: 0 }), ['GenxaiMetricLabelsFolded']);
      expect(status).not.toBe(0);
      expect(output).toContain('alertname: GenxaiMetricLabelsFolded');
    },
  );

  // A `for` of a week is checked above without promtool: simulating the week takes minutes.
  it.skipIf(!promtool)('pass `promtool test rules` with durations in ms and combined units, or none', () => {
    // The old reader took "500ms" for 500 minutes, and a `for` past 30m outlived the input series.
    const options: AlertRulesOptions = {
      workflowFailureRate: { for: '0s' },
      interval: '15s',
      highErrorRate: { for: '1h30m' },
      slowAgentExecution: { window: '2m30s' },
      toolErrorRate: { for: '90s' },
      llmFailureRate: { for: '0' },
      metricsEndpointDown: { for: '500ms' },
      labelsFolded: { for: '1m30s', window: '7m30s' },
      agentExecutionSlo: { fastBurn: { for: '0', shortWindow: '2m30s' }, slowBurn: { for: '1h' } },
    };
    const { status, output } = runAgainst(
      renderAlertRules(options),
      ALERT_NAMES,
      renderAlertRuleTests('genxai_alerts.yml', options),
    );
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });

  it.skipIf(!promtool)('pass `promtool test rules` with other thresholds: the tests move along', () => {
    const options: AlertRulesOptions = {
      highErrorRate: { errorsPerSecond: 0.5 },
      slowAgentExecution: { seconds: 10 },
      highLlmCost: { usdPerHour: 100 },
      toolErrorRate: { ratio: 0.3 },
      llmFailureRate: { ratio: 0.01 },
      workflowFailureRate: { ratio: 0.5 },
      spansLost: { ratio: 0.2 },
      agentExecutionSlo: { objective: 0.995 },
      llmRequestSlo: {
        objective: 0.9,
        fastBurn: { burnRate: 5 },
        slowBurn: { burnRate: 2, severity: 'ticket' },
      },
    };
    const { status, output } = runAgainst(
      renderAlertRules(options),
      ALERT_NAMES,
      renderAlertRuleTests('genxai_alerts.yml', options),
    );
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });
});
