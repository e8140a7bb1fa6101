export type { AlertingRule, AlertName, RuleFile } from './alerts';
export { ALERT_NAMES, buildAlertRules, renderAlertRules } from './alerts';
export type { AlertRulesConfig, AlertRulesOptions, AlertSettings, RatioAlertSettings } from './config';
export { DEFAULT_ALERT_RULES_CONFIG, resolveAlertRulesConfig } from './config';
export type { DashboardOptions } from './dashboard';
export { buildOverviewDashboard, renderOverviewDashboard } from './dashboard';
