// The dashboard and alert-rule generators of @genxai/obs-grafana, on their own entry point
// (`@genxai/observability/grafana`): the Grafana model they load is not needed at run time.
export type {
  AlertingRule,
  AlertName,
  AlertRulesConfig,
  AlertRulesOptions,
  AlertSettings,
  DashboardOptions,
  RatioAlertSettings,
  RuleFile,
} from '@genxai/obs-grafana';
export {
  ALERT_NAMES,
  buildAlertRules,
  buildOverviewDashboard,
  DEFAULT_ALERT_RULES_CONFIG,
  renderAlertRules,
  renderOverviewDashboard,
  resolveAlertRulesConfig,
} from '@genxai/obs-grafana';
