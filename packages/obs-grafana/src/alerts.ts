import { LABEL, METRICS, STATUS } from '@genxai/metrics';
import { stringify } from 'yaml';
import { type AlertRulesConfig, type AlertRulesOptions, resolveAlertRulesConfig } from './config';
import { bucket, eq, histogramQuantile, series, sumBy } from './promql';

/** One Prometheus alerting rule, as written to a rule file. */
export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

/** A Prometheus rule file: `groups` of rules evaluated every `interval`. */
export interface RuleFile {
  groups: { name: string; interval: string; rules: AlertingRule[] }[];
}

/** The alert names the generated rule file contains, in order. */
export const ALERT_NAMES = [
  'HighErrorRate',
  'SlowAgentExecution',
  'HighLLMCost',
  'HighToolErrorRate',
  'HighLLMFailureRate',
  'HighWorkflowFailureRate',
  'GenxaiMetricsEndpointDown',
] as const;

/** The name of one generated alert. */
export type AlertName = (typeof ALERT_NAMES)[number];

/** failed / total over `window`, per `by` labels, from one counter with a `status` label. */
function failureRatio(metric: string, selector: string, window: string, by: readonly string[]): string {
  const failed = sumBy(by, `rate(${series(metric, selector, eq(LABEL.status, STATUS.error))}[${window}])`);
  const total = sumBy(by, `rate(${series(metric, selector)}[${window}])`);
  return `  ${failed}\n/\n  ${total}`;
}

/**
 * The GenXAI alerting rules, built from `options` merged over
 * {@link DEFAULT_ALERT_RULES_CONFIG}. Throws on a bad option.
 *
 * @example
 * const rules = buildAlertRules({ selector: 'job="my-agents"', highLlmCost: { usdPerHour: 50 } });
 */
export function buildAlertRules(options: AlertRulesOptions = {}): RuleFile {
  const config: AlertRulesConfig = resolveAlertRulesConfig(options);
  const { selector } = config;
  const runbook = (alert: AlertName) => `${config.runbookBaseUrl}#${alert.toLowerCase()}`;
  const rule = (
    alert: AlertName,
    settings: { for: string; severity: string },
    expr: string,
    summary: string,
    description: string,
  ): AlertingRule => ({
    alert,
    expr,
    for: settings.for,
    labels: { severity: settings.severity },
    annotations: { summary, description, runbook_url: runbook(alert) },
  });

  const errors = config.highErrorRate;
  const slow = config.slowAgentExecution;
  const cost = config.highLlmCost;
  const tools = config.toolErrorRate;
  const llm = config.llmFailureRate;
  const workflows = config.workflowFailureRate;
  const down = config.metricsEndpointDown;
  const percent = (ratio: number) => `${Number((ratio * 100).toFixed(4))}%`;
  const up = series('up', selector);

  const rules: AlertingRule[] = [
    rule(
      'HighErrorRate',
      errors,
      `${sumBy([LABEL.agentId], `rate(${series(METRICS.agentErrorsTotal.name, selector)}[${errors.window}])`)} > ${errors.errorsPerSecond}`,
      'High agent error rate',
      `Agent {{ $labels.${LABEL.agentId} }} fails {{ $value | printf "%.3f" }} times per second ` +
        `(threshold ${errors.errorsPerSecond}/s over ${errors.window}).`,
    ),
    rule(
      'SlowAgentExecution',
      slow,
      `${histogramQuantile(
        slow.quantile,
        series(bucket(METRICS.agentExecutionDurationSeconds), selector),
        slow.window,
        [LABEL.agentId],
      )} > ${slow.seconds}`,
      'Agent execution is slow',
      `The p${Number((slow.quantile * 100).toFixed(2))} execution time of agent {{ $labels.${LABEL.agentId} }} ` +
        `is {{ $value | humanizeDuration }} (threshold ${slow.seconds}s over ${slow.window}).`,
    ),
    rule(
      'HighLLMCost',
      cost,
      // USD per hour: increase() over 1h. The seed's rate(...[1h]) > 10 compared USD per *second*.
      `${sumBy([], `increase(${series(METRICS.llmCostTotal.name, selector)}[1h])`)} > ${cost.usdPerHour}`,
      'LLM costs are high',
      `LLM calls cost {{ $value | printf "%.2f" }} USD in the last hour (threshold ${cost.usdPerHour} USD per hour).`,
    ),
    rule(
      'HighToolErrorRate',
      tools,
      `(\n${failureRatio(METRICS.toolCallsTotal.name, selector, tools.window, [LABEL.toolName])}\n) > ${tools.ratio}`,
      'High tool error rate',
      `Tool {{ $labels.${LABEL.toolName} }} fails {{ $value | humanizePercentage }} of its calls ` +
        `(threshold ${percent(tools.ratio)} over ${tools.window}).`,
    ),
    rule(
      'HighLLMFailureRate',
      llm,
      `(\n${failureRatio(METRICS.llmRequestsTotal.name, selector, llm.window, [LABEL.provider, LABEL.model])}\n) > ${llm.ratio}`,
      'LLM requests are failing',
      `{{ $value | humanizePercentage }} of requests to {{ $labels.${LABEL.provider} }} model ` +
        `{{ $labels.${LABEL.model} }} fail (threshold ${percent(llm.ratio)} over ${llm.window}).`,
    ),
    rule(
      'HighWorkflowFailureRate',
      workflows,
      `(\n${failureRatio(METRICS.workflowExecutionsTotal.name, selector, workflows.window, [LABEL.workflowId])}\n) > ${workflows.ratio}`,
      'Workflows are failing',
      `Workflow {{ $labels.${LABEL.workflowId} }} fails {{ $value | humanizePercentage }} of its executions ` +
        `(threshold ${percent(workflows.ratio)} over ${workflows.window}).`,
    ),
    rule(
      'GenxaiMetricsEndpointDown',
      down,
      `${up} == 0\nor\nabsent(${up})`,
      'GenXAI metrics endpoint is down',
      '{{ with $labels.instance }}Prometheus cannot scrape {{ . }} of job {{ $labels.job }}' +
        // A selector holds single braces only, which Go templates print as text.
        `{{ else }}Prometheus has no target matching ${up}{{ end }}: agent metrics, and the alerts above, are blind.`,
    ),
  ];
  return { groups: [{ name: config.groupName, interval: config.interval, rules }] };
}

/** {@link buildAlertRules} rendered as a Prometheus rule file (YAML). */
export function renderAlertRules(options: AlertRulesOptions = {}): string {
  return `# Generated by @genxai/obs-grafana. Do not edit: run \`pnpm generate\`.\n${stringify(
    buildAlertRules(options),
    { lineWidth: 0 },
  )}`;
}
