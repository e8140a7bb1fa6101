import { LABEL, METRICS, type MetricDefinition, SELF_METRICS, SPAN_OUTCOME, STATUS } from '@genxai/metrics';
import { formatDuration, parseDuration } from '@genxai/obs-core';
import { stringify } from 'yaml';
import { errorRatioRecord, SLOS, sloWindows } from './alerts';
import {
  type AlertRulesOptions,
  type BurnRateAlertSettings,
  burnRateThreshold,
  type RatioAlertSettings,
  resolveAlertRulesConfig,
} from './config';
import { bucket, eq, series } from './promql';

/**
 * `promtool test rules` cases for the generated rules. For every alert:
 * - one evaluation just before its `for` boundary (pending, so no alert) and
 *   one at it (firing, labels and annotations checked);
 * - a case just under the threshold (never fires, even once the window is
 *   full and `for` has passed) and one just over it (fires at the `for`
 *   boundary, not before), so a threshold off by a few percent, or a
 *   `rate`/`increase` swap, fails;
 * - for the failure-rate alerts, a case failing 100% (fires) and one never
 *   failing (never fires);
 * - for the SLO burn-rate alerts, besides those: errors that stop (the alert
 *   resolves once the short window is clean, while the long one still burns),
 *   a spike too short for the long window (never fires), cancelled operations
 *   (counted neither way), and the recorded error ratios of every window.
 *
 * Every input value is derived from the thresholds in the config, so a
 * threshold change moves the tests along. The expected annotations are
 * spelled out here on purpose: they check the templates in the rules, so they
 * must not be built by the same code.
 */

const TARGET = [eq('job', 'genxai'), eq('instance', '127.0.0.1:9464')];
/**
 * Every input series is sampled once a minute, for at least this many minutes
 * (longer when a window and `for` need it); the group evaluates every
 * `config.interval`.
 */
const SAMPLE_MINUTES = 30;
/** Counters start at 0, so a rate exists from the second sample, at 1m: alerts turn pending then. */
const PENDING_FROM = 60;
/** "Just under" and "just over" a threshold: 90% and 110% of it. */
const UNDER = 0.9;
const OVER = 1.1;
/** The counters of the ratio cases grow by this many operations a minute. */
const OPERATIONS_PER_MINUTE = 100;

const HOUR = parseDuration('1h');

const counter = (perMinute: number, minutes: number) => `0+${perMinute}x${minutes}`;

/** Go's `%.4g` for the magnitudes these tests produce. */
const g4 = (value: number) => String(Number(value.toPrecision(4)));
/** Go's `printf "%.0f"`: halves round to even. */
function printfWhole(value: number): string {
  const floor = Math.floor(value);
  const whole = value - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(value);
  return String(whole);
}
/** Prometheus's `humanizePercentage`. */
const humanizePercentage = (ratio: number) => `${g4(ratio * 100)}%`;
/** Prometheus's `humanizeDuration`, for positive values. */
function humanizeDuration(value: number): string {
  if (value < 1) return `${g4(value * 1000)}ms`;
  const whole = Math.floor(value);
  const [d, h, m, s] = [
    Math.floor(whole / 86_400),
    Math.floor(whole / 3600) % 24,
    Math.floor(whole / 60) % 60,
    whole % 60,
  ];
  if (d !== 0) return `${d}d ${h}h ${m}m ${s}s`;
  if (h !== 0) return `${h}h ${m}m ${s}s`;
  if (m !== 0) return `${m}m ${s}s`;
  return `${g4(value)}s`;
}

interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

type InputSeries = { series: string; values: string }[];

/** Minutes of a counter's growth: `perMinute` more every minute for `minutes` minutes. */
type Segment = { minutes: number; perMinute: number };

/** A counter sampled once a minute from 0, growing as `segments` say one after the other. */
function segmentedCounter(segments: Segment[]): string {
  let value = 0;
  const parts = ['0'];
  for (const { minutes, perMinute } of segments) {
    if (minutes <= 0) continue;
    parts.push(`${value + perMinute}+${perMinute}x${minutes - 1}`);
    value += perMinute * minutes;
  }
  return parts.join(' ');
}

/**
 * Prometheus's `increase()` at `at` seconds over `window` seconds, of a counter
 * growing `perMinute` a minute from 0 at 0s, sampled every minute (the
 * extrapolation of `extrapolatedRate`, Prometheus 2.x: the range includes both ends).
 */
function increaseAt(perMinute: number, at: number, window: number): number {
  const first = Math.ceil(Math.max(0, at - window) / 60) * 60;
  const last = Math.floor(at / 60) * 60;
  const sampled = last - first;
  const samples = sampled / 60 + 1;
  if (samples < 2) return Number.NaN;
  const average = sampled / (samples - 1);
  const [firstValue, lastValue] = [(first / 60) * perMinute, (last / 60) * perMinute];
  const result = lastValue - firstValue;
  let toStart = first - (at - window);
  const toEnd = at - last;
  // A counter is not extrapolated below 0.
  if (result > 0 && firstValue >= 0) toStart = Math.min(toStart, sampled * (firstValue / result));
  const threshold = average * 1.1;
  const extrapolated =
    sampled + (toStart < threshold ? toStart : average / 2) + (toEnd < threshold ? toEnd : average / 2);
  return result * (extrapolated / sampled);
}

/** Bucket series of `metric` where every observation lands in the bucket ending at `upper`. */
function histogramSeries(
  metric: MetricDefinition,
  labels: string[],
  perMinute: number,
  upper: number,
  minutes: number,
) {
  const buckets = [...(metric.buckets ?? []).map(String), '+Inf'];
  return buckets.map((le) => ({
    series: series(bucket(metric), ...labels, eq('le', le)),
    values: counter(le === '+Inf' || Number(le) >= upper ? perMinute : 0, minutes),
  }));
}

/**
 * The two buckets around `threshold`: observations in `under` give a quantile
 * below it, in `over` above it. Each is `[lower, upper]`; the quantile is
 * interpolated linearly inside the bucket, as `histogram_quantile` does.
 */
function bucketsAround(metric: MetricDefinition, threshold: number) {
  const bounds = [0, ...(metric.buckets ?? [])];
  let underIndex = -1;
  for (const [i, le] of bounds.entries()) if (i > 0 && le <= threshold) underIndex = i;
  const overIndex = bounds.findIndex((le) => le >= threshold);
  if (underIndex < 1 || overIndex < 0 || overIndex + 1 >= bounds.length) {
    throw new Error(`No finite ${metric.name} buckets on both sides of ${threshold}s`);
  }
  return {
    under: [bounds[underIndex - 1]!, bounds[underIndex]!] as const,
    over: [bounds[overIndex]!, bounds[overIndex + 1]!] as const,
  };
}

/**
 * `rate()` and `increase()` divide by the whole window: over a counter growing
 * steadily from 0, they reach their full value only once the window is full
 * (value × elapsed / window before). The first evaluation, from the second
 * sample on, where a value `factor` × the threshold is above the threshold.
 */
function crossing(factor: number, window: string, interval: number): number {
  const windowSeconds = parseDuration(window);
  let at = PENDING_FROM;
  while ((factor * Math.min(at, windowSeconds)) / windowSeconds <= 1) at += interval;
  return at;
}

/** The promtool test file for the rules generated from `options` (thresholds; keep the default selector). */
export function buildAlertRuleTests(ruleFile: string, options: AlertRulesOptions = {}) {
  const config = resolveAlertRulesConfig(options);
  const interval = parseDuration(config.interval);
  const intervalMilliseconds = Math.round(interval * 1000);
  /** The first evaluation at or after `at`: promtool evaluates at 0, interval, 2 × interval… */
  const onEvaluation = (at: number) =>
    (Math.ceil(Math.round(at * 1000) / intervalMilliseconds) * intervalMilliseconds) / 1000;
  /**
   * When an alert whose condition holds from `pendingFrom` on fires: it turns
   * pending at the first evaluation then, and fires at the first evaluation
   * once `for` has passed since.
   */
  const firingAt = (pendingFrom: number, settings: { for: string }) =>
    onEvaluation(onEvaluation(pendingFrom) + parseDuration(settings.for));
  /** When a quiet case has seen everything: its window full, `for` passed, one evaluation more. */
  const settledAt = (window: string, settings: { for: string }, pendingFrom = PENDING_FROM) =>
    firingAt(Math.max(parseDuration(window), pendingFrom), settings) + interval;
  // The input series last until the latest evaluation of any case but HighLLMCost's (which has its own).
  const sampleMinutes = Math.max(
    SAMPLE_MINUTES,
    ...[
      config.highErrorRate,
      config.slowAgentExecution,
      config.toolErrorRate,
      config.llmFailureRate,
      config.workflowFailureRate,
    ].map((settings) => Math.ceil(settledAt(settings.window, settings) / 60)),
    Math.ceil(settledAt('0s', config.metricsEndpointDown, 0) / 60),
    Math.ceil(settledAt(config.spansLost.window, config.spansLost) / 60),
    Math.ceil(settledAt(config.labelsFolded.window, config.labelsFolded) / 60),
  );
  const steady = (perMinute: number) => counter(perMinute, sampleMinutes);
  const runbook = (alert: string) => `${config.runbookBaseUrl}#${alert.toLowerCase()}`;

  /** One test group: series, then "pending" just before `for` elapses and "firing" at it. */
  const boundaryTest = (
    alert: string,
    what: string,
    settings: { for: string },
    inputSeries: InputSeries,
    expected: ExpectedAlert,
    pendingFrom = PENDING_FROM,
  ) => {
    const firesAt = firingAt(pendingFrom, settings);
    return {
      name: `${alert}: ${what}: pending until ${formatDuration(firesAt)}, firing at it`,
      interval: '1m',
      input_series: inputSeries,
      alert_rule_test: [
        // No evaluation comes before one firing at 0s (a target down from the start, `for: 0`).
        ...(firesAt >= interval
          ? [
              {
                eval_time: formatDuration(firesAt - interval),
                alertname: alert,
                exp_alerts: [] as ExpectedAlert[],
              },
            ]
          : []),
        { eval_time: formatDuration(firesAt), alertname: alert, exp_alerts: [expected] },
      ],
    };
  };

  /** One test group that never fires: at the earliest `for` boundary, and once `window` is full and `for` has passed. */
  const quietTest = (
    alert: string,
    what: string,
    settings: { for: string },
    inputSeries: InputSeries,
    window: string,
    pendingFrom = PENDING_FROM,
  ) => {
    const earliest = firingAt(pendingFrom, settings);
    const settled = settledAt(window, settings, pendingFrom);
    return {
      name: `${alert}: ${what}: never fires`,
      interval: '1m',
      input_series: inputSeries,
      alert_rule_test: [earliest, settled].map((at) => ({
        eval_time: formatDuration(at),
        alertname: alert,
        exp_alerts: [] as ExpectedAlert[],
      })),
    };
  };

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

  // HighErrorRate: errors per second, from a counter growing `perSecond × 60` a minute.
  const errors = config.highErrorRate;
  const errorSeries = (perSecond: number) => [
    {
      series: series(METRICS.agentErrorsTotal.name, ...agent, eq(LABEL.errorType, 'TimeoutError')),
      values: steady(perSecond * 60),
    },
  ];
  const errorAlert = (perSecond: number) => ({
    exp_labels: { severity: errors.severity, agent_id: 'planner' },
    exp_annotations: annotations(
      'HighErrorRate',
      'High agent error rate',
      `Agent planner fails ${perSecond.toFixed(3)} times per second (threshold ${errors.errorsPerSecond}/s over ${errors.window}).`,
    ),
  });

  // SlowAgentExecution: every execution in one bucket, so the quantile is known.
  const slow = config.slowAgentExecution;
  const durationMetric = METRICS.agentExecutionDurationSeconds;
  const around = bucketsAround(durationMetric, slow.seconds);
  const quantileIn = ([lower, upper]: readonly [number, number]) => lower + slow.quantile * (upper - lower);
  const slowAlert = (bucket: readonly [number, number]) => ({
    exp_labels: { severity: slow.severity, agent_id: 'planner' },
    exp_annotations: annotations(
      'SlowAgentExecution',
      'Agent execution is slow',
      `The p${Number((slow.quantile * 100).toFixed(2))} execution time of agent planner is ` +
        `${humanizeDuration(quantileIn(bucket))} (threshold ${slow.seconds}s over ${slow.window}).`,
    ),
  });

  // HighLLMCost: increase over the last hour, of a counter growing `usdPerHour` an hour.
  const cost = config.highLlmCost;
  const costMinutes = Math.ceil((HOUR + parseDuration(cost.for)) / 60) + 15;
  const costSeries = (usdPerHour: number) => [
    { series: series(METRICS.llmCostTotal.name, ...llm), values: counter(usdPerHour / 60, costMinutes) },
  ];
  const costAlert = (usd: number) => ({
    exp_labels: { severity: cost.severity },
    exp_annotations: annotations(
      'HighLLMCost',
      'LLM costs are high',
      `LLM calls cost ${usd.toFixed(2)} USD in the last hour (threshold ${cost.usdPerHour} USD per hour).`,
    ),
  });

  // The failure-rate alerts: failed and succeeded operations, OPERATIONS_PER_MINUTE in all. The
  // failures are shared evenly between the `failed` matchers (the span outcomes dropped and failed).
  const ratioSeries = (
    metric: MetricDefinition,
    labels: string[],
    failedShare: number,
    outcomes: { ok: string; failed: string[] } = { ok, failed: [failed] },
  ) =>
    [
      {
        series: series(metric.name, ...labels, outcomes.ok),
        values: steady(OPERATIONS_PER_MINUTE * (1 - failedShare)),
      },
      ...outcomes.failed.map((matcher) => ({
        series: series(metric.name, ...labels, matcher),
        values: steady((OPERATIONS_PER_MINUTE * failedShare) / outcomes.failed.length),
      })),
    ].filter((_, i) => (i === 0 ? failedShare < 1 : failedShare > 0));
  /** Just over `ratio`, and below 1 so that it is not the 100% case. */
  const over = (ratio: number) => Math.min(ratio * OVER, (ratio + 1) / 2);
  const ratioTests = (
    alert: string,
    settings: RatioAlertSettings,
    metric: MetricDefinition,
    labels: string[],
    expected: (share: number) => ExpectedAlert,
    outcomes?: { ok: string; failed: string[]; every: string; none: string },
  ) => [
    quietTest(
      alert,
      `just under the threshold (${humanizePercentage(settings.ratio * UNDER)} failed)`,
      settings,
      ratioSeries(metric, labels, settings.ratio * UNDER, outcomes),
      settings.window,
    ),
    boundaryTest(
      alert,
      `just over the threshold (${humanizePercentage(over(settings.ratio))} failed)`,
      settings,
      ratioSeries(metric, labels, over(settings.ratio), outcomes),
      expected(over(settings.ratio)),
    ),
    boundaryTest(
      alert,
      outcomes?.every ?? 'every call fails',
      settings,
      ratioSeries(metric, labels, 1, outcomes),
      expected(1),
    ),
    quietTest(
      alert,
      outcomes?.none ?? 'no call fails',
      settings,
      ratioSeries(metric, labels, 0, outcomes),
      settings.window,
    ),
  ];
  const tools = config.toolErrorRate;
  const llmFailures = config.llmFailureRate;
  const workflows = config.workflowFailureRate;
  const down = config.metricsEndpointDown;

  // GenxaiSpansLost: per instance, spans dropped or failed / all; `exported` is the good outcome.
  const spans = config.spansLost;
  const spanOutcomes = {
    ok: eq(LABEL.outcome, SPAN_OUTCOME.exported),
    failed: [eq(LABEL.outcome, SPAN_OUTCOME.dropped), eq(LABEL.outcome, SPAN_OUTCOME.failed)],
    every: 'every span is lost',
    none: 'no span is lost',
  };
  const spansAlert = (share: number) => ({
    exp_labels: { severity: spans.severity, job: 'genxai', instance: '127.0.0.1:9464' },
    exp_annotations: annotations(
      'GenxaiSpansLost',
      'Spans are being lost',
      `Instance 127.0.0.1:9464 of job genxai lost ${humanizePercentage(share)} of its spans, dropped or failed to export (threshold ${humanizePercentage(spans.ratio)} over ${spans.window}): traces are incomplete.`,
    ),
  });

  // GenxaiMetricLabelsFolded: any fold in the window, per instance and metric.
  const folded = config.labelsFolded;
  const foldSeries = [...TARGET, eq(LABEL.metric, METRICS.toolCallsTotal.name)];
  const foldsAt = firingAt(PENDING_FROM, folded);
  const foldedAlert = {
    exp_labels: {
      severity: folded.severity,
      job: 'genxai',
      instance: '127.0.0.1:9464',
      metric: METRICS.toolCallsTotal.name,
    },
    exp_annotations: annotations(
      'GenxaiMetricLabelsFolded',
      'Metric labels are being folded',
      `${METRICS.toolCallsTotal.name} on instance 127.0.0.1:9464 of job genxai is at its label-set cap: ` +
        `${printfWhole(increaseAt(1, foldsAt, parseDuration(folded.window)))} recordings in the last ${folded.window} ` +
        'had their label values folded into the overflow value, so their agent, tool or model is lost.',
    ),
  };

  return {
    rule_files: [ruleFile],
    evaluation_interval: config.interval,
    tests: [
      // 10× the threshold: firing well above it.
      boundaryTest(
        'HighErrorRate',
        'far above the threshold',
        errors,
        errorSeries(errors.errorsPerSecond * 10),
        errorAlert(errors.errorsPerSecond * 10),
        crossing(10, errors.window, interval),
      ),
      quietTest(
        'HighErrorRate',
        `just under the threshold (${g4(errors.errorsPerSecond * UNDER)}/s)`,
        errors,
        errorSeries(errors.errorsPerSecond * UNDER),
        errors.window,
      ),
      boundaryTest(
        'HighErrorRate',
        `just over the threshold (${g4(errors.errorsPerSecond * OVER)}/s)`,
        errors,
        errorSeries(errors.errorsPerSecond * OVER),
        errorAlert(errors.errorsPerSecond * OVER),
        crossing(OVER, errors.window, interval),
      ),
      quietTest(
        'SlowAgentExecution',
        `just under the threshold (p = ${g4(quantileIn(around.under))}s)`,
        slow,
        histogramSeries(durationMetric, agent, 10, around.under[1], sampleMinutes),
        slow.window,
      ),
      boundaryTest(
        'SlowAgentExecution',
        `just over the threshold (p = ${g4(quantileIn(around.over))}s)`,
        slow,
        histogramSeries(durationMetric, agent, 10, around.over[1], sampleMinutes),
        slowAlert(around.over),
      ),
      // 100× the hourly threshold a minute: over it from the second sample on.
      boundaryTest(
        'HighLLMCost',
        'far above the threshold',
        cost,
        costSeries(cost.usdPerHour * 600),
        // The increase over the last hour, at the firing evaluation: the hour may not be full yet.
        costAlert(
          (cost.usdPerHour * 600 * Math.min(firingAt(crossing(600, '1h', interval), cost), HOUR)) / HOUR,
        ),
        crossing(600, '1h', interval),
      ),
      quietTest(
        'HighLLMCost',
        `just under the threshold (${g4(cost.usdPerHour * UNDER)} USD per hour)`,
        cost,
        costSeries(cost.usdPerHour * UNDER),
        '1h',
      ),
      boundaryTest(
        'HighLLMCost',
        `just over the threshold (${g4(cost.usdPerHour * OVER)} USD per hour)`,
        cost,
        costSeries(cost.usdPerHour * OVER),
        costAlert(cost.usdPerHour * OVER),
        crossing(OVER, '1h', interval),
      ),
      ...ratioTests('HighToolErrorRate', tools, METRICS.toolCallsTotal, tool, (share) => ({
        exp_labels: { severity: tools.severity, tool_name: 'web_search' },
        exp_annotations: annotations(
          'HighToolErrorRate',
          'High tool error rate',
          `Tool web_search fails ${humanizePercentage(share)} of its calls (threshold ${humanizePercentage(tools.ratio)} over ${tools.window}).`,
        ),
      })),
      ...ratioTests('HighLLMFailureRate', llmFailures, METRICS.llmRequestsTotal, llm, (share) => ({
        exp_labels: { severity: llmFailures.severity, provider: 'openai', model: 'gpt-4o-mini' },
        exp_annotations: annotations(
          'HighLLMFailureRate',
          'LLM requests are failing',
          `${humanizePercentage(share)} of requests to openai model gpt-4o-mini fail (threshold ${humanizePercentage(llmFailures.ratio)} over ${llmFailures.window}).`,
        ),
      })),
      ...ratioTests(
        'HighWorkflowFailureRate',
        workflows,
        METRICS.workflowExecutionsTotal,
        workflow,
        (share) => ({
          exp_labels: { severity: workflows.severity, workflow_id: 'research' },
          exp_annotations: annotations(
            'HighWorkflowFailureRate',
            'Workflows are failing',
            `Workflow research fails ${humanizePercentage(share)} of its executions (threshold ${humanizePercentage(workflows.ratio)} over ${workflows.window}).`,
          ),
        }),
      ),
      boundaryTest(
        'GenxaiMetricsEndpointDown',
        'the target is down',
        down,
        // The target answers no scrape from the start.
        [{ series: series('up', ...TARGET), values: `0x${sampleMinutes}` }],
        {
          exp_labels: { severity: down.severity, job: 'genxai', instance: '127.0.0.1:9464' },
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
        'the job has no target',
        down,
        // No target of the job at all (another job is scraped): absent() fires.
        [
          {
            series: series('up', eq('job', 'other'), eq('instance', '10.0.0.1:9100')),
            values: `1x${sampleMinutes}`,
          },
        ],
        {
          exp_labels: { severity: down.severity, job: 'genxai' },
          exp_annotations: annotations(
            'GenxaiMetricsEndpointDown',
            'GenXAI metrics endpoint is down',
            'Prometheus has no target matching up{job="genxai"}: agent metrics, and the alerts above, are blind.',
          ),
        },
        0,
      ),
      // No threshold to straddle: the other side of `up == 0` is a target that is up.
      quietTest(
        'GenxaiMetricsEndpointDown',
        'the target is up',
        down,
        [{ series: series('up', ...TARGET), values: `1x${sampleMinutes}` }],
        '0s',
        0,
      ),
      ...ratioTests(
        'GenxaiSpansLost',
        spans,
        SELF_METRICS.telemetrySpansTotal,
        TARGET,
        spansAlert,
        spanOutcomes,
      ),
      boundaryTest(
        'GenxaiMetricLabelsFolded',
        'one label set folded a minute',
        folded,
        [{ series: series(SELF_METRICS.cardinalityOverflowTotal.name, ...foldSeries), values: steady(1) }],
        foldedAlert,
      ),
      // Folded long ago: the counter is above 0, but does not move.
      quietTest(
        'GenxaiMetricLabelsFolded',
        'folds before the window only',
        folded,
        [
          {
            series: series(SELF_METRICS.cardinalityOverflowTotal.name, ...foldSeries),
            values: `25x${sampleMinutes}`,
          },
        ],
        folded.window,
      ),
      ...(['agentExecutionSlo', 'llmRequestSlo'] as const).flatMap((key) => sloTests(key)),
    ],
  };

  /** The cases of one SLO: both burn-rate alerts, and the recording rules. */
  function sloTests(key: 'agentExecutionSlo' | 'llmRequestSlo') {
    const settings = config[key];
    const slo = SLOS[key];
    const windows = sloWindows(settings);
    for (const window of windows) {
      // The inputs are sampled once a minute: a rate needs two samples in the window.
      if (parseDuration(window) < 120) {
        throw new Error(`The promtool tests need SLO windows of at least 2m; ${key} has ${window}`);
      }
    }
    const withStatus = (status: string) => series(slo.metric.name, ...TARGET, eq(LABEL.status, status));
    /**
     * Error and success counters from segments of (minutes, error share) at OPERATIONS_PER_MINUTE,
     * and optionally cancelled ones. A counter that never moves is left out: no series at all.
     */
    const sloSeries = (segments: { minutes: number; errorShare: number }[], cancelledPerMinute = 0) => {
      const minutes = segments.reduce((sum, segment) => sum + segment.minutes, 0);
      const counterOf = (share: (segment: { errorShare: number }) => number) =>
        segmentedCounter(
          segments.map((s) => ({ minutes: s.minutes, perMinute: OPERATIONS_PER_MINUTE * share(s) })),
        );
      return [
        ...(segments.some((s) => s.errorShare > 0)
          ? [{ series: withStatus(STATUS.error), values: counterOf((s) => s.errorShare) }]
          : []),
        ...(segments.some((s) => s.errorShare < 1)
          ? [{ series: withStatus(STATUS.success), values: counterOf((s) => 1 - s.errorShare) }]
          : []),
        ...(cancelledPerMinute > 0
          ? [{ series: withStatus(STATUS.cancelled), values: counter(cancelledPerMinute, minutes) }]
          : []),
      ];
    };
    const expected = (alert: string, burn: BurnRateAlertSettings, speed: string, share: number) => {
      const threshold = burnRateThreshold(settings.objective, burn.burnRate);
      return {
        exp_labels: { severity: burn.severity, slo: slo.slo, job: 'genxai' },
        exp_annotations: annotations(
          alert,
          `${slo.what[0]!.toUpperCase()}${slo.what.slice(1)} burn their error budget ${speed}`,
          `${humanizePercentage(share)} of the ${slo.what} of job genxai failed over the last ${burn.longWindow}, ` +
            `and more than ${humanizePercentage(threshold)} over the last ${burn.shortWindow} too: the error budget ` +
            `of the ${humanizePercentage(settings.objective)} objective burns more than ${burn.burnRate}× as fast as it allows.`,
        ),
      };
    };

    // Every case lasts about an hour at most: a ratio of counters that start together does not
    // depend on how full its window is, so no case needs to wait hours for a 6h window.
    const burnTests = (alert: string, burn: BurnRateAlertSettings, speed: string) => {
      const threshold = burnRateThreshold(settings.objective, burn.burnRate);
      const long = parseDuration(burn.longWindow) / 60;
      const short = parseDuration(burn.shortWindow) / 60;
      const earliest = firingAt(PENDING_FROM, burn);
      // At the earliest `for` boundary, and a whole `for` later.
      const quietTimes = [earliest, firingAt(earliest, burn)];
      const steadyMinutes = Math.ceil(quietTimes[1]! / 60) + 1;
      const quiet = (what: string, inputSeries: InputSeries, times: number[]) => ({
        name: `${alert}: ${what}: never fires`,
        interval: '1m',
        input_series: inputSeries,
        alert_rule_test: times.map((at) => ({
          eval_time: formatDuration(at),
          alertname: alert,
          exp_alerts: [] as ExpectedAlert[],
        })),
      });
      const tests: {
        name: string;
        interval: string;
        input_series: InputSeries;
        alert_rule_test: { eval_time: string; alertname: string; exp_alerts: ExpectedAlert[] }[];
      }[] = [
        quiet(
          `just under the threshold (${humanizePercentage(threshold * UNDER)} failed)`,
          sloSeries([{ minutes: steadyMinutes, errorShare: threshold * UNDER }]),
          quietTimes,
        ),
        // As many cancelled operations as valid ones: were they counted, the ratio would halve.
        boundaryTest(
          alert,
          `just over the threshold (${humanizePercentage(over(threshold))} failed, as many cancelled)`,
          burn,
          sloSeries(
            [{ minutes: Math.ceil(earliest / 60) + 1, errorShare: over(threshold) }],
            OPERATIONS_PER_MINUTE,
          ),
          expected(alert, burn, speed, over(threshold)),
        ),
      ];

      // Every operation fails until just after the alert fires, then none: firing, then resolved
      // once the short window holds no error, while the long window's ratio is still far above.
      const resolvedAfter = (minutes: number) => onEvaluation((minutes + short) * 60) + interval;
      const longRatioAt = (minutes: number, at: number) =>
        (minutes - Math.max(0, at / 60 - long)) / Math.min(at / 60, long);
      let failing = Math.ceil(earliest / 60) + 1;
      while (longRatioAt(failing, resolvedAfter(failing)) <= threshold * OVER) {
        failing++;
        if (failing > long) {
          throw new Error(
            `${alert}: the "errors stop" case needs a shortWindow (${burn.shortWindow}) well under the longWindow (${burn.longWindow})`,
          );
        }
      }
      const resolvedAt = resolvedAfter(failing);
      const stopping = boundaryTest(
        alert,
        `every operation fails for ${formatDuration(failing * 60)}, then none`,
        burn,
        sloSeries([
          { minutes: failing, errorShare: 1 },
          { minutes: Math.ceil(resolvedAt / 60) - failing + 1, errorShare: 0 },
        ]),
        expected(alert, burn, speed, 1),
      );
      stopping.name += `, resolved at ${formatDuration(resolvedAt)} once the ${burn.shortWindow} window is clean`;
      stopping.alert_rule_test.push({
        eval_time: formatDuration(resolvedAt),
        alertname: alert,
        exp_alerts: [],
      });
      tests.push(stopping);

      // A spike of errors after enough good operations that the long window stays under the
      // threshold, while the short window is over it: the long window keeps the alert quiet.
      let spike = 2;
      while (spike <= long && spike / Math.min(short, spike / (threshold * UNDER)) <= threshold * OVER)
        spike++;
      const history = Math.ceil(spike / (threshold * UNDER)) - spike;
      if (history > 0 && history + spike <= long) {
        const spikeEnds = (history + spike) * 60;
        tests.push(
          quiet(
            `every operation fails for ${formatDuration(spike * 60)} after ${formatDuration(history * 60)} without errors`,
            sloSeries([
              { minutes: history, errorShare: 0 },
              { minutes: spike, errorShare: 1 },
              { minutes: Math.ceil(parseDuration(burn.for) / 60) + 2, errorShare: 0 },
            ]),
            [spikeEnds, onEvaluation(spikeEnds + parseDuration(burn.for))],
          ),
        );
      }
      return tests;
    };

    const fast = settings.fastBurn;
    const recordedAt = firingAt(PENDING_FROM, fast);
    const recorded = (value: number) =>
      windows.map((window) => ({
        expr: errorRatioRecord(slo.metric, window),
        eval_time: formatDuration(recordedAt),
        exp_samples: [{ labels: `${errorRatioRecord(slo.metric, window)}{job="genxai"}`, value }],
      }));
    const recordingMinutes = Math.ceil(recordedAt / 60) + 1;
    const noErrors = {
      name: `${slo.fastBurn}: no operation fails (no error series): never fires`,
      interval: '1m',
      input_series: sloSeries([{ minutes: recordingMinutes, errorShare: 0 }]),
      alert_rule_test: [{ eval_time: formatDuration(recordedAt), alertname: slo.fastBurn, exp_alerts: [] }],
    };
    const allFail = boundaryTest(
      slo.fastBurn,
      'every operation fails',
      fast,
      sloSeries([{ minutes: recordingMinutes, errorShare: 1 }]),
      expected(slo.fastBurn, fast, 'fast', 1),
    );
    return [
      ...burnTests(slo.fastBurn, fast, 'fast'),
      ...burnTests(slo.slowBurn, settings.slowBurn, 'slowly'),
      // The recorded ratios of every window: 0 with no error series at all, 1 when everything fails.
      { ...noErrors, promql_expr_test: recorded(0) },
      { ...allFail, promql_expr_test: recorded(1) },
    ];
  }
}

/** {@link buildAlertRuleTests} as YAML. */
export function renderAlertRuleTests(ruleFile: string, options: AlertRulesOptions = {}): string {
  return `# Generated by @genxai/obs-grafana. Do not edit: run \`pnpm generate\`.\n${stringify(
    buildAlertRuleTests(ruleFile, options),
    { lineWidth: 0 },
  )}`;
}
