import { invalidOption, parseDuration } from '@genxai/obs-core';

/** Settings shared by every alert. */
export interface AlertSettings {
  /**
   * How long the condition must hold before the alert fires (a Prometheus
   * duration such as `5m`).
   */
  for: string;
  /** The `severity` label, for Alertmanager routing. */
  severity: string;
}

/** An alert on a ratio of failed operations to all operations. */
export interface RatioAlertSettings extends AlertSettings {
  /** Fires when failed / total over `window` is above this (0–1). */
  ratio: number;
  /** The `rate()` window. */
  window: string;
}

/**
 * One multi-window, multi-burn-rate alert of an SLO (the Google SRE workbook,
 * "Alerting on SLOs"): it fires when the error ratio is above
 * `burnRate × (1 − objective)` over the long window **and** over the short
 * one. The long window makes it significant, the short one makes it resolve
 * soon after the errors stop.
 * @see https://sre.google/workbook/alerting-on-slos/#6-multiwindow-multi-burn-rate-alerts
 */
export interface BurnRateAlertSettings extends AlertSettings {
  /**
   * How many times faster than the objective allows the error budget burns.
   * 14.4 over 1h spends 2% of a 30-day budget; 6 over 6h spends 5%.
   */
  burnRate: number;
  /** The long `rate()` window. */
  longWindow: string;
  /** The short `rate()` window; shorter than `longWindow` (the workbook uses 1/12 of it). */
  shortWindow: string;
}

/** A success objective and its two burn-rate alerts. */
export interface SloSettings {
  /**
   * The share of operations that must succeed, strictly between 0 and 1
   * (0.99: 99%). The error budget is `1 − objective`. Cancelled operations
   * count neither way.
   * @default 0.99
   */
  objective: number;
  /**
   * The fast burn, which pages.
   * @default { burnRate: 14.4, longWindow: '1h', shortWindow: '5m', for: '2m', severity: 'critical' }
   */
  fastBurn: BurnRateAlertSettings;
  /**
   * The slow burn, which makes a ticket.
   * @default { burnRate: 6, longWindow: '6h', shortWindow: '30m', for: '15m', severity: 'warning' }
   */
  slowBurn: BurnRateAlertSettings;
}

/** Everything the generated alert rules depend on. */
export interface AlertRulesConfig {
  /**
   * Label matchers added to every metric selector, in PromQL syntax without
   * braces. Set it to your scrape job. An empty string matches every job
   * (and `GenxaiMetricsEndpointDown` then watches every target).
   * @default 'job="genxai"'
   */
  selector: string;
  /** The rule group's name. @default 'genxai_alerts' */
  groupName: string;
  /** The rule group's evaluation interval. @default '30s' */
  interval: string;
  /**
   * The page each alert's `runbook_url` points into; the alert's name,
   * lower-cased, is appended as the anchor.
   * @default 'https://github.com/genxai/genxai-observability/blob/main/docs/dashboards-and-alerts.md'
   */
  runbookBaseUrl: string;
  /** `HighErrorRate`: agent errors per second, per agent. */
  highErrorRate: AlertSettings & {
    /** @default 0.1 errors/s */
    errorsPerSecond: number;
    /** @default '5m' */
    window: string;
  };
  /** `SlowAgentExecution`: a duration quantile of agent executions, per agent. */
  slowAgentExecution: AlertSettings & {
    /** @default 0.95 */
    quantile: number;
    /** @default 30 (seconds) */
    seconds: number;
    /** @default '5m' */
    window: string;
  };
  /** `HighLLMCost`: USD spent on LLM calls in the last hour, all models together. */
  highLlmCost: AlertSettings & {
    /** @default 10 (USD per hour) */
    usdPerHour: number;
  };
  /** `HighToolErrorRate`: failed tool calls / tool calls, per tool. */
  toolErrorRate: RatioAlertSettings;
  /** `HighLLMFailureRate`: failed LLM requests / requests, per provider and model. */
  llmFailureRate: RatioAlertSettings;
  /** `HighWorkflowFailureRate`: failed workflow executions / executions, per workflow. */
  workflowFailureRate: RatioAlertSettings;
  /** `GenxaiMetricsEndpointDown`: the scrape target is down or missing. */
  metricsEndpointDown: AlertSettings;
  /**
   * `GenxaiSpansLost`: spans dropped (queue full or closed) or failed to
   * export / all finished spans, per instance, from `SELF_METRICS.telemetrySpansTotal`.
   */
  spansLost: RatioAlertSettings;
  /**
   * `GenxaiMetricLabelsFolded`: the cardinality cap folded label values into
   * `__overflow__` in the last `window`, per instance and metric.
   */
  labelsFolded: AlertSettings & {
    /** @default '10m' */
    window: string;
  };
  /** `AgentErrorBudgetFastBurn` / `AgentErrorBudgetSlowBurn`: the success objective of agent executions, per job. */
  agentExecutionSlo: SloSettings;
  /** `LLMErrorBudgetFastBurn` / `LLMErrorBudgetSlowBurn`: the success objective of LLM requests, per job. */
  llmRequestSlo: SloSettings;
}

/** `value` with every property optional, nested objects included. */
type Overrides<T> = { [K in keyof T]?: T[K] extends object ? Overrides<T[K]> : T[K] };

/**
 * A named base config the options merge over: `'default'` is
 * {@link DEFAULT_ALERT_RULES_CONFIG}; `'test'` keeps its thresholds and makes
 * everything fire and resolve within seconds (rules evaluated every second,
 * windows of 20s, `for` of 5s, the SLO windows scaled down 60×), for end-to-end
 * tests of an alerting pipeline. Never deploy the `'test'` profile.
 */
export type AlertRulesProfile = 'default' | 'test';

/** Overrides for {@link AlertRulesConfig}; anything left out keeps its default (or the profile's value). */
export type AlertRulesOptions = Overrides<AlertRulesConfig> & {
  /** The base the other options merge over. @default 'default' */
  profile?: AlertRulesProfile;
};

const fastBurn = { burnRate: 14.4, longWindow: '1h', shortWindow: '5m', for: '2m', severity: 'critical' };
const slowBurn = { burnRate: 6, longWindow: '6h', shortWindow: '30m', for: '15m', severity: 'warning' };

/** The defaults the committed `alerts/genxai_alerts.yml` is generated from. */
export const DEFAULT_ALERT_RULES_CONFIG: Readonly<AlertRulesConfig> = Object.freeze({
  selector: 'job="genxai"',
  groupName: 'genxai_alerts',
  interval: '30s',
  runbookBaseUrl: 'https://github.com/genxai/genxai-observability/blob/main/docs/dashboards-and-alerts.md',
  highErrorRate: { errorsPerSecond: 0.1, window: '5m', for: '5m', severity: 'warning' },
  slowAgentExecution: { quantile: 0.95, seconds: 30, window: '5m', for: '10m', severity: 'warning' },
  highLlmCost: { usdPerHour: 10, for: '15m', severity: 'critical' },
  toolErrorRate: { ratio: 0.1, window: '5m', for: '10m', severity: 'warning' },
  llmFailureRate: { ratio: 0.05, window: '5m', for: '5m', severity: 'warning' },
  workflowFailureRate: { ratio: 0.1, window: '10m', for: '10m', severity: 'warning' },
  metricsEndpointDown: { for: '5m', severity: 'critical' },
  spansLost: { ratio: 0.01, window: '10m', for: '10m', severity: 'warning' },
  labelsFolded: { window: '10m', for: '5m', severity: 'warning' },
  agentExecutionSlo: { objective: 0.99, fastBurn, slowBurn },
  llmRequestSlo: { objective: 0.99, fastBurn, slowBurn },
});

/** The `'test'` profile: the default thresholds, with windows and `for` of seconds. */
function testProfile(): AlertRulesConfig {
  const defaults = DEFAULT_ALERT_RULES_CONFIG;
  const quick = { window: '20s', for: '5s' };
  // The workbook's windows over 60: 1h → 1m, 5m → 5s, 6h → 6m, 30m → 30s.
  const slo = (settings: SloSettings): SloSettings => ({
    objective: settings.objective,
    fastBurn: { ...settings.fastBurn, longWindow: '1m', shortWindow: '5s', for: '5s' },
    slowBurn: { ...settings.slowBurn, longWindow: '6m', shortWindow: '30s', for: '5s' },
  });
  return {
    ...defaults,
    interval: '1s',
    highErrorRate: { ...defaults.highErrorRate, ...quick },
    slowAgentExecution: { ...defaults.slowAgentExecution, ...quick },
    highLlmCost: { ...defaults.highLlmCost, for: quick.for },
    toolErrorRate: { ...defaults.toolErrorRate, ...quick },
    llmFailureRate: { ...defaults.llmFailureRate, ...quick },
    workflowFailureRate: { ...defaults.workflowFailureRate, ...quick },
    metricsEndpointDown: { ...defaults.metricsEndpointDown, for: quick.for },
    spansLost: { ...defaults.spansLost, ...quick },
    labelsFolded: { ...defaults.labelsFolded, ...quick },
    agentExecutionSlo: slo(defaults.agentExecutionSlo),
    llmRequestSlo: slo(defaults.llmRequestSlo),
  };
}

const MATCHER = String.raw`\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*`;
const SELECTOR = new RegExp(`^(${MATCHER}(,${MATCHER})*,?)?$`);

/**
 * Throws unless `value` is a Prometheus duration. A `rate()` window of 0 is a
 * PromQL parse error and an interval of 0 would mean Prometheus's global
 * default, so both must be `positive`; `for` may be 0 (fire at once).
 */
function checkDuration(option: string, value: unknown, { positive = false } = {}): void {
  if (parseDuration(value as string, option) === 0 && positive) {
    invalidOption(option, value, 'a Prometheus duration greater than 0, such as "30s" or "5m"');
  }
}

function checkNumber(option: string, value: unknown, { max }: { max?: number } = {}): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (max !== undefined && value > max)
  ) {
    invalidOption(option, value, max === undefined ? 'a finite number > 0' : `a number > 0 and ≤ ${max}`);
  }
}

function checkSeverity(option: string, value: unknown): void {
  if (typeof value !== 'string' || !/^[a-zA-Z0-9_-]+$/.test(value)) {
    invalidOption(option, value, 'a non-empty label value such as "warning" or "critical"');
  }
}

/** The error ratio above which a burn-rate alert fires: `burnRate × (1 − objective)`, rounded off float noise. */
export function burnRateThreshold(objective: number, burnRate: number): number {
  return Number((burnRate * (1 - objective)).toPrecision(12));
}

function checkSlo(key: string, settings: SloSettings): void {
  const { objective } = settings;
  if (typeof objective !== 'number' || !Number.isFinite(objective) || objective <= 0 || objective >= 1) {
    invalidOption(
      `${key}.objective`,
      objective,
      'a number strictly between 0 and 1, the share of operations that must succeed (0.99 for 99%)',
    );
  }
  for (const burn of ['fastBurn', 'slowBurn'] as const) {
    const option = `${key}.${burn}`;
    const alert = settings[burn];
    checkNumber(`${option}.burnRate`, alert.burnRate);
    const threshold = burnRateThreshold(objective, alert.burnRate);
    if (threshold >= 1) {
      invalidOption(
        `${option}.burnRate`,
        alert.burnRate,
        `a burn rate below 1 / (1 − objective) = ${Number((1 / (1 - objective)).toPrecision(6))}: ` +
          `${alert.burnRate} × (1 − ${objective}) is an error ratio of ${threshold}, which can never be exceeded`,
      );
    }
    checkDuration(`${option}.longWindow`, alert.longWindow, { positive: true });
    const short = parseDuration(alert.shortWindow, `${option}.shortWindow`);
    if (short === 0 || short >= parseDuration(alert.longWindow)) {
      invalidOption(
        `${option}.shortWindow`,
        alert.shortWindow,
        `a Prometheus duration greater than 0 and shorter than longWindow (${alert.longWindow})`,
      );
    }
    checkDuration(`${option}.for`, alert.for);
    checkSeverity(`${option}.severity`, alert.severity);
  }
}

/**
 * Merges `options` over {@link DEFAULT_ALERT_RULES_CONFIG} (or the `'test'`
 * profile, with `profile: 'test'`) and checks every
 * value. Throws a `GenxaiObservabilityError` naming the bad value and the
 * allowed ones.
 */
export function resolveAlertRulesConfig(options: AlertRulesOptions = {}): AlertRulesConfig {
  if (typeof options !== 'object' || options === null)
    invalidOption('alert rules options', options, 'an object');
  const profile = options.profile ?? 'default';
  if (profile !== 'default' && profile !== 'test') invalidOption('profile', profile, '"default" or "test"');
  const defaults = profile === 'test' ? testProfile() : DEFAULT_ALERT_RULES_CONFIG;
  const slo = (key: 'agentExecutionSlo' | 'llmRequestSlo'): SloSettings => ({
    objective: options[key]?.objective ?? defaults[key].objective,
    fastBurn: { ...defaults[key].fastBurn, ...options[key]?.fastBurn },
    slowBurn: { ...defaults[key].slowBurn, ...options[key]?.slowBurn },
  });
  const config: AlertRulesConfig = {
    selector: options.selector ?? defaults.selector,
    groupName: options.groupName ?? defaults.groupName,
    interval: options.interval ?? defaults.interval,
    runbookBaseUrl: options.runbookBaseUrl ?? defaults.runbookBaseUrl,
    highErrorRate: { ...defaults.highErrorRate, ...options.highErrorRate },
    slowAgentExecution: { ...defaults.slowAgentExecution, ...options.slowAgentExecution },
    highLlmCost: { ...defaults.highLlmCost, ...options.highLlmCost },
    toolErrorRate: { ...defaults.toolErrorRate, ...options.toolErrorRate },
    llmFailureRate: { ...defaults.llmFailureRate, ...options.llmFailureRate },
    workflowFailureRate: { ...defaults.workflowFailureRate, ...options.workflowFailureRate },
    metricsEndpointDown: { ...defaults.metricsEndpointDown, ...options.metricsEndpointDown },
    spansLost: { ...defaults.spansLost, ...options.spansLost },
    labelsFolded: { ...defaults.labelsFolded, ...options.labelsFolded },
    agentExecutionSlo: slo('agentExecutionSlo'),
    llmRequestSlo: slo('llmRequestSlo'),
  };
  if (typeof config.selector !== 'string' || !SELECTOR.test(config.selector)) {
    invalidOption(
      'selector',
      config.selector,
      'PromQL label matchers without braces, such as \'job="genxai"\'',
    );
  }
  if (typeof config.groupName !== 'string' || config.groupName.trim() === '') {
    invalidOption('groupName', config.groupName, 'a non-empty string');
  }
  checkDuration('interval', config.interval, { positive: true });
  if (typeof config.runbookBaseUrl !== 'string' || !/^https?:\/\//.test(config.runbookBaseUrl)) {
    invalidOption('runbookBaseUrl', config.runbookBaseUrl, 'an http(s) URL');
  }
  checkNumber('highErrorRate.errorsPerSecond', config.highErrorRate.errorsPerSecond);
  checkDuration('highErrorRate.window', config.highErrorRate.window, { positive: true });
  checkNumber('slowAgentExecution.quantile', config.slowAgentExecution.quantile, { max: 1 });
  checkNumber('slowAgentExecution.seconds', config.slowAgentExecution.seconds);
  checkDuration('slowAgentExecution.window', config.slowAgentExecution.window, { positive: true });
  checkNumber('highLlmCost.usdPerHour', config.highLlmCost.usdPerHour);
  for (const key of ['toolErrorRate', 'llmFailureRate', 'workflowFailureRate', 'spansLost'] as const) {
    checkNumber(`${key}.ratio`, config[key].ratio, { max: 1 });
    checkDuration(`${key}.window`, config[key].window, { positive: true });
  }
  checkDuration('labelsFolded.window', config.labelsFolded.window, { positive: true });
  for (const key of ['agentExecutionSlo', 'llmRequestSlo'] as const) checkSlo(key, config[key]);
  for (const key of [
    'highErrorRate',
    'slowAgentExecution',
    'highLlmCost',
    'toolErrorRate',
    'llmFailureRate',
    'workflowFailureRate',
    'metricsEndpointDown',
    'spansLost',
    'labelsFolded',
  ] as const) {
    checkDuration(`${key}.for`, config[key].for);
    checkSeverity(`${key}.severity`, config[key].severity);
  }
  return config;
}
