import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRICS } from '@genxai/metrics';
import { GenxaiObservabilityError } from '@genxai/obs-core';
import { requireBinary, runPromtool } from '@genxai/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildAlertRuleTests, renderAlertRuleTests } from './alert-tests';
import { DEFAULT_ALERT_RULES_CONFIG } from './config';
import { ALERT_NAMES, type AlertRulesOptions, buildAlertRules, renderAlertRules } from './index';

const alertsDir = new URL('../../../alerts/', import.meta.url).pathname;
const promtool = requireBinary('promtool');
const scratch = mkdtempSync(join(tmpdir(), 'genxai-alerts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the generated rules', () => {
  const rules = buildAlertRules();
  const group = rules.groups[0]!;

  it('keep the seed group and name every alert', () => {
    expect(rules.groups).toHaveLength(1);
    expect(group).toMatchObject({ name: 'genxai_alerts', interval: '30s' });
    expect(group.rules.map((rule) => rule.alert)).toEqual([...ALERT_NAMES]);
  });

  it('give every alert a severity, a summary, a templated description, a runbook and a for', () => {
    for (const rule of group.rules) {
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
    const rule = (name: string) => group.rules.find((r) => r.alert === name)!;
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
    const cost = customGroup!.rules.find((r) => r.alert === 'HighLLMCost')!;
    expect(cost.expr).toBe(`sum(increase(${METRICS.llmCostTotal.name}{job="agents", env="prod"}[1h])) > 50`);
    expect(cost.labels).toEqual({ severity: 'page' });
    expect(cost.for).toBe('15m');
    expect(cost.annotations.runbook_url).toBe('https://runbooks.example/genxai#highllmcost');
    const tools = customGroup!.rules.find((r) => r.alert === 'HighToolErrorRate')!;
    expect(tools.expr).toContain('[15m]');
    expect(tools.expr).toMatch(/\) > 0\.25$/);
    expect(tools.annotations.description).toContain('threshold 25% over 15m');
    expect(customGroup!.rules.find((r) => r.alert === 'GenxaiMetricsEndpointDown')!.expr).toBe(
      'up{job="agents", env="prod"} == 0\nor\nabsent(up{job="agents", env="prod"})',
    );
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
    const rules = buildAlertRules().groups[0]!.rules;
    for (const rule of rules) {
      const cases = tests.tests.filter((t) => t.alert_rule_test.every((c) => c.alertname === rule.alert));
      const firing = cases.filter((t) => t.alert_rule_test.some((c) => c.exp_alerts.length > 0));
      const quiet = cases.filter((t) => t.alert_rule_test.every((c) => c.exp_alerts.length === 0));
      expect(firing.length, rule.alert).toBeGreaterThan(0);
      expect(quiet.length, rule.alert).toBeGreaterThan(0);
      for (const testCase of firing) {
        const [before, at] = testCase.alert_rule_test;
        expect(before!.exp_alerts, testCase.name).toEqual([]);
        expect(at!.exp_alerts, testCase.name).toHaveLength(1);
        expect(at!.exp_alerts[0]!.exp_labels.severity).toBe(rule.labels.severity);
        expect(Object.keys(at!.exp_alerts[0]!.exp_annotations).sort()).toEqual([
          'description',
          'runbook_url',
          'summary',
        ]);
      }
      if (rule.alert === 'GenxaiMetricsEndpointDown') continue; // no numeric threshold
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
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${ALERT_NAMES.length} rules found`);
    expect(result.status).toBe(0);
  });

  it.skipIf(!promtool)('pass `promtool test rules`', () => {
    const result = runPromtool(promtool!, ['test', 'rules', join(alertsDir, 'tests/genxai_alerts_test.yml')]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it.skipIf(!promtool)('fail `promtool test rules` when a for boundary moves', () => {
    // Rules with every `for` one evaluation longer must break the "fires at the boundary" cases.
    const shifted = renderAlertRules({
      highErrorRate: { for: '5m30s' },
      slowAgentExecution: { for: '10m30s' },
      highLlmCost: { for: '15m30s' },
      toolErrorRate: { for: '10m30s' },
      llmFailureRate: { for: '5m30s' },
      workflowFailureRate: { for: '10m30s' },
      metricsEndpointDown: { for: '5m30s' },
    });
    writeFileSync(join(scratch, 'genxai_alerts.yml'), shifted);
    const testFile = readFileSync(join(alertsDir, 'tests/genxai_alerts_test.yml'), 'utf8').replace(
      '../genxai_alerts.yml',
      'genxai_alerts.yml',
    );
    writeFileSync(join(scratch, 'test.yml'), testFile);
    const result = runPromtool(promtool!, ['test', 'rules', join(scratch, 'test.yml')]);
    expect(result.status).not.toBe(0);
    const output = result.stdout + result.stderr;
    for (const alert of ALERT_NAMES) expect(output, alert).toContain(`alertname: ${alert}`);
  });
  /** Runs the committed tests against `rules` (and, if given, other tests); returns promtool's output and status. */
  const runAgainst = (rules: string, testFile?: string) => {
    writeFileSync(join(scratch, 'genxai_alerts.yml'), rules);
    const text =
      testFile ??
      readFileSync(join(alertsDir, 'tests/genxai_alerts_test.yml'), 'utf8').replace(
        '../genxai_alerts.yml',
        'genxai_alerts.yml',
      );
    writeFileSync(join(scratch, 'test.yml'), text);
    const result = runPromtool(promtool!, ['test', 'rules', join(scratch, 'test.yml')]);
    return { status: result.status, output: result.stdout + result.stderr };
  };
  const THRESHOLDED = ALERT_NAMES.filter((name) => name !== 'GenxaiMetricsEndpointDown');

  /** The rules with every threshold in `alerts` multiplied by `factor`, in the expressions only. */
  const scaled = (factor: number, alerts: readonly string[]) => {
    // The annotations still name the default thresholds, so only the series can catch this.
    const file = parse(renderAlertRules()) as ReturnType<typeof buildAlertRules>;
    for (const rule of file.groups[0]!.rules) {
      if (!alerts.includes(rule.alert)) continue;
      rule.expr = rule.expr.replace(
        /> ([\d.]+)$/,
        (_, threshold: string) => `> ${Number(threshold) * factor}`,
      );
    }
    return stringify(file, { lineWidth: 0 });
  };

  it.skipIf(!promtool).each([10, 2, 0.5, 0.1])(
    'fail `promtool test rules` when every threshold is × %s',
    (factor) => {
      const { status, output } = runAgainst(scaled(factor, THRESHOLDED));
      expect(status).not.toBe(0);
      for (const alert of THRESHOLDED) expect(output, alert).toContain(`alertname: ${alert}`);
    },
  );

  // The histogram buckets (10s, 30s, 60s) bound how close SlowAgentExecution's cases can get.
  it.skipIf(!promtool).each([1.15, 1 / 1.15])(
    'fail `promtool test rules` when a rate or ratio threshold is × %s',
    (factor) => {
      const alerts = THRESHOLDED.filter((name) => name !== 'SlowAgentExecution');
      const { status, output } = runAgainst(scaled(factor, alerts));
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
    const { status, output } = runAgainst(stringify(file, { lineWidth: 0 }));
    expect(status).not.toBe(0);
    // Quantiles and ratios do not change when both sides scale by the window; these do.
    for (const alert of ['HighErrorRate', 'HighLLMCost'])
      expect(output, alert).toContain(`alertname: ${alert}`);
  });

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
    };
    const { status, output } = runAgainst(
      renderAlertRules(options),
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
    };
    const { status, output } = runAgainst(
      renderAlertRules(options),
      renderAlertRuleTests('genxai_alerts.yml', options),
    );
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });
});
