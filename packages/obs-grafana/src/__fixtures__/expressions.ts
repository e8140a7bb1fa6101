import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dataquery as PrometheusQuery } from '@grafana/grafana-foundation-sdk/prometheus';
import type { RuleFile } from '../alerts';

/** A panel of the generated dashboard, rows flattened. */
export type AnyPanel = Panel | RowPanel;

/** Every panel, including rows and the panels inside collapsed rows. */
export function allPanels(dashboard: Dashboard): AnyPanel[] {
  return (dashboard.panels ?? []).flatMap((panel) =>
    panel.type === 'row' ? [panel, ...((panel as RowPanel).panels ?? [])] : [panel],
  );
}

/** The targets of `panel`, typed as the Prometheus queries they are. */
export function promTargets(panel: AnyPanel): PrometheusQuery[] {
  return ((panel as Panel).targets ?? []) as unknown as PrometheusQuery[];
}

/** One PromQL expression and where it comes from, for failure messages. */
export interface Located {
  where: string;
  expr: string;
}

/** The PromQL of every panel target of `dashboard`. */
export function panelExpressions(dashboard: Dashboard): Located[] {
  return allPanels(dashboard).flatMap((panel) =>
    panel.type === 'row'
      ? []
      : promTargets(panel).map((target) => ({
          where: `panel "${(panel as Panel).title}" ${target.refId}`,
          expr: target.expr,
        })),
  );
}

/** The series selector inside each `label_values(selector, label)` variable query. */
export function variableSelectors(dashboard: Dashboard): (Located & { label: string; name: string })[] {
  return (dashboard.templating?.list ?? []).flatMap((variable) => {
    if (variable.type !== 'query') return [];
    const query = (variable.query as { query: string }).query;
    const match = /^label_values\((.+), (\w+)\)$/s.exec(query);
    if (!match) throw new Error(`variable ${variable.name} has no label_values query: ${query}`);
    return [{ where: `variable $${variable.name}`, expr: match[1]!, label: match[2]!, name: variable.name }];
  });
}

/** The `expr` of every rule in `rules`. */
export function ruleExpressions(rules: RuleFile): Located[] {
  return rules.groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `rule ${rule.alert}`, expr: rule.expr })),
  );
}

/** The template variable `name` of `dashboard`; throws when there is none. */
export function templateVariable(dashboard: Dashboard, name: string) {
  const found = dashboard.templating?.list?.find((variable) => variable.name === name);
  if (!found) throw new Error(`no variable $${name}`);
  return found;
}
