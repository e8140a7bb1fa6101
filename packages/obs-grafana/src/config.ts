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
}

/** Overrides for {@link AlertRulesConfig}; anything left out keeps its default. */
export type AlertRulesOptions = {
  [K in keyof AlertRulesConfig]?: AlertRulesConfig[K] extends object
    ? Partial<AlertRulesConfig[K]>
    : AlertRulesConfig[K];
};

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
});

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

/**
 * Merges `options` over {@link DEFAULT_ALERT_RULES_CONFIG} and checks every
 * value. Throws a `GenxaiObservabilityError` naming the bad value and the
 * allowed ones.
 */
export function resolveAlertRulesConfig(options: AlertRulesOptions = {}): AlertRulesConfig {
  if (typeof options !== 'object' || options === null)
    invalidOption('alert rules options', options, 'an object');
  const defaults = DEFAULT_ALERT_RULES_CONFIG;
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
  for (const key of ['toolErrorRate', 'llmFailureRate', 'workflowFailureRate'] as const) {
    checkNumber(`${key}.ratio`, config[key].ratio, { max: 1 });
    checkDuration(`${key}.window`, config[key].window, { positive: true });
  }
  for (const key of [
    'highErrorRate',
    'slowAgentExecution',
    'highLlmCost',
    'toolErrorRate',
    'llmFailureRate',
    'workflowFailureRate',
    'metricsEndpointDown',
  ] as const) {
    checkDuration(`${key}.for`, config[key].for);
    checkSeverity(`${key}.severity`, config[key].severity);
  }
  return config;
}
