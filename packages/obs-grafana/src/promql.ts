/** Builds `name{matcher,…}`, skipping empty matchers. `name` alone when none are left. */
/** The `_bucket` series name of a histogram, as Prometheus exposes it. */
export function bucket(metric: { name: string }): string {
  return `${metric.name}_bucket`;
}

export function series(name: string, ...matchers: string[]): string {
  const parts = matchers.map((matcher) => matcher.trim().replace(/,$/, '')).filter((m) => m !== '');
  return parts.length === 0 ? name : `${name}{${parts.join(', ')}}`;
}

/** `label="value"`. */
export function eq(label: string, value: string): string {
  return `${label}=${JSON.stringify(value)}`;
}

/** `label=~"value"`, for Grafana multi-value variables. */
export function re(label: string, value: string): string {
  return `${label}=~${JSON.stringify(value)}`;
}

/** `sum by (labels) (expression)`, or `sum(expression)` without labels. */
export function sumBy(labels: readonly string[], expression: string): string {
  return labels.length === 0 ? `sum(${expression})` : `sum by (${labels.join(', ')}) (${expression})`;
}

/**
 * The `quantile` of a histogram over `window`, keeping `by` labels. The rate
 * is taken per bucket and summed by `le` first, as histogram_quantile needs.
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile
 */
export function histogramQuantile(
  quantile: number,
  bucketSeries: string,
  window: string,
  by: readonly string[] = [],
): string {
  return `histogram_quantile(${quantile}, ${sumBy([...by, 'le'], `rate(${bucketSeries}[${window}])`)})`;
}
