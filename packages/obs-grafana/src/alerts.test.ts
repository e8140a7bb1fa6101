import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRICS } from '@genxai/metrics';
import { GenxaiObservabilityError } from '@genxai/obs-core';
import { requireBinary, runPromtool } from '@genxai/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { buildAlertRuleTests } from './alert-tests';
import { ALERT_NAMES, buildAlertRules, renderAlertRules } from './alerts';
import { DEFAULT_ALERT_RULES_CONFIG } from './config';

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

  it('cover every alert with a case before its for boundary (no alert) and one at it (fires)', () => {
    const rules = buildAlertRules().groups[0]!.rules;
    for (const rule of rules) {
      const cases = tests.tests.filter((t) => t.alert_rule_test.every((c) => c.alertname === rule.alert));
      expect(cases.length, rule.alert).toBeGreaterThan(0);
      for (const testCase of cases) {
        const [before, at] = testCase.alert_rule_test;
        expect(before!.exp_alerts, rule.alert).toEqual([]);
        expect(at!.exp_alerts, rule.alert).toHaveLength(1);
        expect(at!.exp_alerts[0]!.exp_labels.severity).toBe(rule.labels.severity);
        expect(Object.keys(at!.exp_alerts[0]!.exp_annotations).sort()).toEqual([
          'description',
          'runbook_url',
          'summary',
        ]);
      }
    }
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
});
