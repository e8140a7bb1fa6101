/** How {@link substituteGrafanaMacros} fills what Grafana would. */
export interface MacroValues {
  /** `$__range`, the dashboard's time range. @default the window */
  range?: string;
  /** Regexes for the dashboard variables, by name; any variable not given matches anything (`.*`). */
  variables?: Readonly<Record<string, string>>;
}

/**
 * Replaces Grafana's interval macros (both spellings) with `window` (`$__range` with
 * `values.range` when given), and the dashboard variables with `values.variables` or
 * match-anything regexes, so Prometheus and the PromQL parser accept the query.
 */
export function substituteGrafanaMacros(expr: string, window = '5m', values: MacroValues = {}): string {
  return expr
    .replace(/\$\{?__range\}?/g, values.range ?? window)
    .replace(/\$\{?__(rate_interval|interval)\}?/g, window)
    .replace(
      /\$\{?(job|instance|provider|model|agent_id|workflow_id)\}?/g,
      (_, name: string) => values.variables?.[name] ?? '.*',
    );
}
