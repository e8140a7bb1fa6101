import { LABEL, METRICS, type MetricDefinition, SELF_METRICS, SPAN_OUTCOME, STATUS } from '@genxai/metrics';
import { parseDuration } from '@genxai/obs-core';
import { stringify } from 'yaml';
import {
  type AlertRulesConfig,
  type AlertRulesOptions,
  type BurnRateAlertSettings,
  burnRateThreshold,
  resolveAlertRulesConfig,
  type SloSettings,
} from './config';
import { bucket, eq, histogramQuantile, ratioOrZero, re, series, sumBy } from './promql';

/** One Prometheus alerting rule, as written to a rule file. */
export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
  record?: never;
}

/** One Prometheus recording rule: `expr` evaluated and stored as the series `record`. */
export interface RecordingRule {
  record: string;
  expr: string;
  alert?: never;
}

/** A Prometheus rule file: `groups` of rules evaluated every `interval`, in order. */
export interface RuleFile {
  groups: { name: string; interval: string; rules: (AlertingRule | RecordingRule)[] }[];
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
  'GenxaiSpansLost',
  'GenxaiMetricLabelsFolded',
  'AgentErrorBudgetFastBurn',
  'AgentErrorBudgetSlowBurn',
  'LLMErrorBudgetFastBurn',
  'LLMErrorBudgetSlowBurn',
] as const;

/** The name of one generated alert. */
export type AlertName = (typeof ALERT_NAMES)[number];

/** failed / total over `window`, per `by` labels, from one counter whose `failed` matcher picks the failures. */
function failureRatio(
  metric: string,
  selector: string,
  window: string,
  by: readonly string[],
  failedMatcher = eq(LABEL.status, STATUS.error),
): string {
  const failed = sumBy(by, `rate(${series(metric, selector, failedMatcher)}[${window}])`);
  const total = sumBy(by, `rate(${series(metric, selector)}[${window}])`);
  return `  ${failed}\n/\n  ${total}`;
}

/** The two SLOs: the counter they read, the `slo` label of their alerts, and the alerts' names. */
export const SLOS = {
  agentExecutionSlo: {
    metric: METRICS.agentExecutionsTotal,
    slo: 'agent_executions',
    what: 'agent executions',
    fastBurn: 'AgentErrorBudgetFastBurn',
    slowBurn: 'AgentErrorBudgetSlowBurn',
  },
  llmRequestSlo: {
    metric: METRICS.llmRequestsTotal,
    slo: 'llm_requests',
    what: 'LLM requests',
    fastBurn: 'LLMErrorBudgetFastBurn',
    slowBurn: 'LLMErrorBudgetSlowBurn',
  },
} as const satisfies Record<
  string,
  { metric: MetricDefinition; slo: string; what: string; fastBurn: AlertName; slowBurn: AlertName }
>;

/** The labels an SLO's ratios are aggregated by. */
const SLO_BY = ['job'] as const;

/**
 * The name of the recording rule that holds the error ratio of `metric` over
 * `window`, per job: `job:<metric without _total>:error_ratio_rate<window>`
 * (the `level:metric:operations` convention).
 * @see https://prometheus.io/docs/practices/rules/#naming-and-aggregation
 */
export function errorRatioRecord(metric: MetricDefinition, window: string): string {
  return `${SLO_BY.join('_')}:${metric.name.replace(/_total$/, '')}:error_ratio_rate${window}`;
}

/**
 * errors / (successes + errors) over `window`, per job. Cancelled operations
 * count neither way. With no error series at all the ratio is 0, not absent.
 */
function errorRatio(metric: MetricDefinition, selector: string, window: string): string {
  const rate = (matcher: string) =>
    sumBy(SLO_BY, `rate(${series(metric.name, selector, matcher)}[${window}])`);
  const valid = rate(re(LABEL.status, `${STATUS.success}|${STATUS.error}`));
  return ratioOrZero(rate(eq(LABEL.status, STATUS.error)), valid);
}

/** The distinct windows of an SLO's two burn-rate alerts, shortest first. */
export function sloWindows(settings: SloSettings): string[] {
  const windows = [settings.fastBurn, settings.slowBurn].flatMap((burn) => [
    burn.shortWindow,
    burn.longWindow,
  ]);
  return [...new Set(windows)].sort((first, second) => parseDuration(first) - parseDuration(second));
}

/**
 * The GenXAI alerting rules, built from `options` merged over
 * {@link DEFAULT_ALERT_RULES_CONFIG}. Throws on a bad option. The group
 * holds the alerts of {@link ALERT_NAMES} and, before the SLO alerts, the
 * recording rules of the SLOs' error ratios (one per SLO and window).
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

  const spans = config.spansLost;
  const folded = config.labelsFolded;
  const telemetry = SELF_METRICS.telemetrySpansTotal.name;
  const foldedMetric = SELF_METRICS.cardinalityOverflowTotal.name;
  const perInstance = ['job', 'instance'];

  const rules: (AlertingRule | RecordingRule)[] = [
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
    rule(
      'GenxaiSpansLost',
      spans,
      `(\n${failureRatio(telemetry, selector, spans.window, perInstance, re(LABEL.outcome, `${SPAN_OUTCOME.dropped}|${SPAN_OUTCOME.failed}`))}\n) > ${spans.ratio}`,
      'Spans are being lost',
      'Instance {{ $labels.instance }} of job {{ $labels.job }} lost {{ $value | humanizePercentage }} of its spans, ' +
        `dropped or failed to export (threshold ${percent(spans.ratio)} over ${spans.window}): traces are incomplete.`,
    ),
    rule(
      'GenxaiMetricLabelsFolded',
      folded,
      `${sumBy([...perInstance, LABEL.metric], `increase(${series(foldedMetric, selector)}[${folded.window}])`)} > 0`,
      'Metric labels are being folded',
      `{{ $labels.${LABEL.metric} }} on instance {{ $labels.instance }} of job {{ $labels.job }} is at its label-set cap: ` +
        `{{ $value | printf "%.0f" }} recordings in the last ${folded.window} had their label values folded into ` +
        'the overflow value, so their agent, tool or model is lost.',
    ),
  ];
  for (const key of ['agentExecutionSlo', 'llmRequestSlo'] as const) {
    const settings = config[key];
    const slo = SLOS[key];
    for (const window of sloWindows(settings)) {
      rules.push({
        record: errorRatioRecord(slo.metric, window),
        expr: errorRatio(slo.metric, selector, window),
      });
    }
    const burnRule = (alert: AlertName, burn: BurnRateAlertSettings, speed: string) => {
      const threshold = burnRateThreshold(settings.objective, burn.burnRate);
      const above = (window: string) => `${errorRatioRecord(slo.metric, window)} > ${threshold}`;
      const alerting = rule(
        alert,
        burn,
        `${above(burn.longWindow)}\nand\n${above(burn.shortWindow)}`,
        `${slo.what[0]!.toUpperCase()}${slo.what.slice(1)} burn their error budget ${speed}`,
        `{{ $value | humanizePercentage }} of the ${slo.what} of job {{ $labels.job }} failed over the last ` +
          `${burn.longWindow}, and more than ${percent(threshold)} over the last ${burn.shortWindow} too: the error ` +
          `budget of the ${percent(settings.objective)} objective burns more than ${burn.burnRate}× as fast as it allows.`,
      );
      return { ...alerting, labels: { ...alerting.labels, slo: slo.slo } };
    };
    rules.push(burnRule(slo.fastBurn, settings.fastBurn, 'fast'));
    rules.push(burnRule(slo.slowBurn, settings.slowBurn, 'slowly'));
  }
  return { groups: [{ name: config.groupName, interval: config.interval, rules }] };
}

/** {@link buildAlertRules} rendered as a Prometheus rule file (YAML). */
export function renderAlertRules(options: AlertRulesOptions = {}): string {
  return `# Generated by @genxai/obs-grafana. Do not edit: run \`pnpm generate\`.\n${stringify(
    buildAlertRules(options),
    { lineWidth: 0 },
  )}`;
}
