/**
 * Replaces Grafana's interval macros (both spellings) with `window`, and the
 * dashboard variables with match-anything regexes, so Prometheus and the
 * PromQL parser accept the query.
 */
export function substituteGrafanaMacros(expr: string, window = '5m'): string {
  return expr
    .replace(/\$\{?__(rate_interval|interval|range)\}?/g, window)
    .replace(/\$\{?(job|instance|agent_id|workflow_id|model)\}?/g, '.*');
}
