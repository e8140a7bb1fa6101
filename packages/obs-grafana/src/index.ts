export type { AlertingRule, AlertName, RecordingRule, RuleFile } from './alerts';
export { ALERT_NAMES, buildAlertRules, renderAlertRules } from './alerts';
export type {
  AlertRulesConfig,
  AlertRulesOptions,
  AlertRulesProfile,
  AlertSettings,
  BurnRateAlertSettings,
  RatioAlertSettings,
  SloSettings,
} from './config';
export { DEFAULT_ALERT_RULES_CONFIG, resolveAlertRulesConfig } from './config';
export type { DashboardOptions } from './dashboard';
export {
  buildAgentDashboard,
  buildOverviewDashboard,
  renderAgentDashboard,
  renderOverviewDashboard,
} from './dashboard';
