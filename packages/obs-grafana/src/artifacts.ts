import { renderAlertRuleTests } from './alert-tests';
import { renderAlertRules } from './alerts';
import { renderAgentDashboard, renderOverviewDashboard } from './dashboard';

/** Where each generated file goes, relative to the repository root. */
export const ARTIFACT_PATHS = {
  dashboard: 'dashboards/genxai_overview.json',
  agentDashboard: 'dashboards/genxai_agent.json',
  alerts: 'alerts/genxai_alerts.yml',
  alertTests: 'alerts/tests/genxai_alerts_test.yml',
} as const;

/** Every committed generated file, from the defaults: repository-relative path → content. */
export function generatedArtifacts(): Map<string, string> {
  return new Map([
    [ARTIFACT_PATHS.dashboard, renderOverviewDashboard()],
    [ARTIFACT_PATHS.agentDashboard, renderAgentDashboard()],
    [ARTIFACT_PATHS.alerts, renderAlertRules()],
    // promtool resolves rule_files relative to the test file.
    [ARTIFACT_PATHS.alertTests, renderAlertRuleTests('../genxai_alerts.yml')],
  ]);
}
