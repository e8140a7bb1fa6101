/** The `_bucket` series name of a histogram, as Prometheus exposes it. */
export function bucket(metric: { name: string }): string {
  return `${metric.name}_bucket`;
}

/** The `_count` series name of a histogram: one sample per observation, so its rate is a request rate. */
export function count(metric: { name: string }): string {
  return `${metric.name}_count`;
}

/** Builds `name{matcher,…}`, skipping empty matchers. `name` alone when none are left. */
export function series(name: string, ...matchers: string[]): string {
  const parts = matchers.map((matcher) => matcher.trim().replace(/,$/, '')).filter((m) => m !== '');
  return parts.length === 0 ? name : `${name}{${parts.join(', ')}}`;
}

/** `label="value"`. */
export function eq(label: string, value: string): string {
  return `${label}=${JSON.stringify(value)}`;
}

/** `label!="value"`; `label!=""` keeps only the series that have the label. */
export function ne(label: string, value: string): string {
  return `${label}!=${JSON.stringify(value)}`;
}

/** `label=~"value"`, for Grafana multi-value variables. */
export function re(label: string, value: string): string {
  return `${label}=~${JSON.stringify(value)}`;
}

/** `sum by (labels) (expression)`, or `sum(expression)` without labels. */
export function sumBy(labels: readonly string[], expression: string): string {
  return labels.length === 0 ? `sum(${expression})` : `sum by (${labels.join(', ')}) (${expression})`;
}

/** `max by (labels) (expression)`, or `max(expression)` without labels. */
export function maxBy(labels: readonly string[], expression: string): string {
  return labels.length === 0 ? `max(${expression})` : `max by (${labels.join(', ')}) (${expression})`;
}

/** `topk(k, expression)`: the `k` largest series. */
export function topk(k: number, expression: string): string {
  return `topk(${k}, ${expression})`;
}

/**
 * `part / whole`, where a label set with a `whole` but no `part` series (a
 * model that never failed, a tool never retried) shows 0 instead of a missing
 * line: `part` falls back to `0 * whole`, which has the same labels.
 */
export function ratioOrZero(part: string, whole: string): string {
  return `(\n  ${part}\nor\n  0 * ${whole}\n)\n/\n${whole}`;
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

/** `expression` with `label="value"` added to every series, so the two sides of an `or` stay apart. */
export function withLabel(expression: string, label: string, value: string): string {
  return `label_replace(${expression}, ${JSON.stringify(label)}, ${JSON.stringify(value)}, "", "")`;
}

/** `a or b or …`: every series of each, the first one winning where label sets meet. */
export function or(...expressions: string[]): string {
  return expressions.join('\nor\n');
}
