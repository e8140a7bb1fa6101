import { LABEL, METRICS, type MetricDefinition, STATUS } from '@genxai/metrics';
import { stringify } from 'yaml';
import { DEFAULT_ALERT_RULES_CONFIG } from './config';
import { eq, series } from './promql';

/**
 * `promtool test rules` cases for the rules generated from the defaults:
 * for every alert, one evaluation just before its `for` boundary (pending, so
 * no alert) and one at it (firing, labels and annotations checked).
 *
 * The expected annotations are spelled out here on purpose: they check the
 * templates in the rules, so they must not be built by the same code.
 */

const config = DEFAULT_ALERT_RULES_CONFIG;
const TARGET = [eq('job', 'genxai'), eq('instance', '127.0.0.1:9464')];
/** Every input series is sampled once a minute; the group evaluates every `config.interval`. */
const SAMPLE_MINUTES = 30;
/** Counters start at 0, so a rate exists from the second sample, at 1m: alerts turn pending then. */
const PENDING_FROM = 60;

const counter = (perMinute: number) => `0+${perMinute}x${SAMPLE_MINUTES}`;

function seconds(duration: string): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const [, value, unit] of duration.matchAll(/(\d+)([smh])/g)) total += Number(value) * units[unit!]!;
  return total;
}

function duration(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const rest = totalSeconds % 60;
  return `${minutes > 0 ? `${minutes}m` : ''}${rest > 0 || minutes === 0 ? `${rest}s` : ''}`;
}

interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

function runbook(alert: string) {
  return `${config.runbookBaseUrl}#${alert.toLowerCase()}`;
}

/** One test group: series, then "pending" just before `for` elapses and "firing" at it. */
function boundaryTest(
  alert: string,
  settings: { for: string },
  inputSeries: { series: string; values: string }[],
  expected: ExpectedAlert,
  pendingFrom = PENDING_FROM,
) {
  const firesAt = pendingFrom + seconds(settings.for);
  return {
    name: `${alert}: pending until ${duration(firesAt)}, firing at it`,
    interval: '1m',
    input_series: inputSeries,
    alert_rule_test: [
      { eval_time: duration(firesAt - seconds(config.interval)), alertname: alert, exp_alerts: [] },
      { eval_time: duration(firesAt), alertname: alert, exp_alerts: [expected] },
    ],
  };
}

/** Bucket series of `metric` where only the buckets above `above` seconds grow. */
function histogramSeries(metric: MetricDefinition, labels: string[], perMinuteAbove: number, above: number) {
  const buckets = [...(metric.buckets ?? []).map(String), '+Inf'];
  return buckets.map((le) => ({
    series: series(`${metric.name}_bucket`, ...labels, eq('le', le)),
    values: counter(le === '+Inf' || Number(le) > above ? perMinuteAbove : 0),
  }));
}

/** The promtool test file for `alerts/genxai_alerts.yml`, as an object. */
export function buildAlertRuleTests(ruleFile: string) {
  const agent = [...TARGET, eq(LABEL.agentId, 'planner')];
  const tool = [...TARGET, eq(LABEL.toolName, 'web_search')];
  const llm = [...TARGET, eq(LABEL.provider, 'openai'), eq(LABEL.model, 'gpt-4o-mini')];
  const workflow = [...TARGET, eq(LABEL.workflowId, 'research')];
  const ok = eq(LABEL.status, STATUS.success);
  const failed = eq(LABEL.status, STATUS.error);
  const annotations = (alert: string, summary: string, description: string) => ({
    summary,
    description,
    runbook_url: runbook(alert),
  });

  return {
    rule_files: [ruleFile],
    evaluation_interval: config.interval,
    tests: [
      boundaryTest(
        'HighErrorRate',
        config.highErrorRate,
        [
          // 60 errors a minute: 0.2/s over the 5m window at 1m already, 1/s once the window is full.
          {
            series: series(METRICS.agentErrorsTotal.name, ...agent, eq(LABEL.errorType, 'TimeoutError')),
            values: counter(60),
          },
        ],
        {
          exp_labels: { severity: 'warning', agent_id: 'planner' },
          exp_annotations: annotations(
            'HighErrorRate',
            'High agent error rate',
            'Agent planner fails 1.000 times per second (threshold 0.1/s over 5m).',
          ),
        },
      ),
      boundaryTest(
        'SlowAgentExecution',
        config.slowAgentExecution,
        // Every execution lands in the (30s, 60s] bucket: p95 = 30 + 0.95 × 30 = 58.5s.
        histogramSeries(METRICS.agentExecutionDurationSeconds, agent, 10, 30),
        {
          exp_labels: { severity: 'warning', agent_id: 'planner' },
          exp_annotations: annotations(
            'SlowAgentExecution',
            'Agent execution is slow',
            'The p95 execution time of agent planner is 58.5s (threshold 30s over 5m).',
          ),
        },
      ),
      boundaryTest(
        'HighLLMCost',
        config.highLlmCost,
        // $100 a minute: over $10 in the last hour from the second sample on.
        [{ series: series(METRICS.llmCostTotal.name, ...llm), values: counter(100) }],
        {
          exp_labels: { severity: 'critical' },
          exp_annotations: annotations(
            'HighLLMCost',
            'LLM costs are high',
            'LLM calls cost 1600.00 USD in the last hour (threshold 10 USD per hour).',
          ),
        },
      ),
      boundaryTest(
        'HighToolErrorRate',
        config.toolErrorRate,
        [
          { series: series(METRICS.toolCallsTotal.name, ...tool, ok), values: counter(60) },
          { series: series(METRICS.toolCallsTotal.name, ...tool, failed), values: counter(30) },
        ],
        {
          exp_labels: { severity: 'warning', tool_name: 'web_search' },
          exp_annotations: annotations(
            'HighToolErrorRate',
            'High tool error rate',
            'Tool web_search fails 33.33% of its calls (threshold 10% over 5m).',
          ),
        },
      ),
      boundaryTest(
        'HighLLMFailureRate',
        config.llmFailureRate,
        [
          { series: series(METRICS.llmRequestsTotal.name, ...llm, ok), values: counter(60) },
          { series: series(METRICS.llmRequestsTotal.name, ...llm, failed), values: counter(20) },
        ],
        {
          exp_labels: { severity: 'warning', provider: 'openai', model: 'gpt-4o-mini' },
          exp_annotations: annotations(
            'HighLLMFailureRate',
            'LLM requests are failing',
            '25% of requests to openai model gpt-4o-mini fail (threshold 5% over 5m).',
          ),
        },
      ),
      boundaryTest(
        'HighWorkflowFailureRate',
        config.workflowFailureRate,
        [
          { series: series(METRICS.workflowExecutionsTotal.name, ...workflow, ok), values: counter(30) },
          { series: series(METRICS.workflowExecutionsTotal.name, ...workflow, failed), values: counter(30) },
        ],
        {
          exp_labels: { severity: 'warning', workflow_id: 'research' },
          exp_annotations: annotations(
            'HighWorkflowFailureRate',
            'Workflows are failing',
            'Workflow research fails 50% of its executions (threshold 10% over 10m).',
          ),
        },
      ),
      boundaryTest(
        'GenxaiMetricsEndpointDown',
        config.metricsEndpointDown,
        // The target answers no scrape from the start.
        [{ series: series('up', ...TARGET), values: `0x${SAMPLE_MINUTES}` }],
        {
          exp_labels: { severity: 'critical', job: 'genxai', instance: '127.0.0.1:9464' },
          exp_annotations: annotations(
            'GenxaiMetricsEndpointDown',
            'GenXAI metrics endpoint is down',
            'Prometheus cannot scrape 127.0.0.1:9464 of job genxai: agent metrics, and the alerts above, are blind.',
          ),
        },
        0,
      ),
      boundaryTest(
        'GenxaiMetricsEndpointDown',
        config.metricsEndpointDown,
        // No target of the job at all (another job is scraped): absent() fires.
        [
          {
            series: series('up', eq('job', 'other'), eq('instance', '10.0.0.1:9100')),
            values: `1x${SAMPLE_MINUTES}`,
          },
        ],
        {
          exp_labels: { severity: 'critical', job: 'genxai' },
          exp_annotations: annotations(
            'GenxaiMetricsEndpointDown',
            'GenXAI metrics endpoint is down',
            'Prometheus has no target matching up{job="genxai"}: agent metrics, and the alerts above, are blind.',
          ),
        },
        0,
      ),
    ],
  };
}

/** {@link buildAlertRuleTests} as YAML. */
export function renderAlertRuleTests(ruleFile: string): string {
  return `# Generated by @genxai/obs-grafana. Do not edit: run \`pnpm generate\`.\n${stringify(
    buildAlertRuleTests(ruleFile),
    { lineWidth: 0 },
  )}`;
}
