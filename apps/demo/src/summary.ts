import { METRICS, type MetricsRegistry, STATUS, STREAM_METRICS, TOKEN_TYPE } from '@genxai/metrics';

type Values = { labels: Record<string, string | number>; value: number; metricName?: string }[];

async function values(registry: MetricsRegistry, name: string): Promise<Values> {
  const metric = registry.getSingleMetric(name);
  return metric ? ((await metric.get()).values as Values) : [];
}

const sum = (list: Values, labels: Record<string, string> = {}) =>
  list
    .filter((v) => !v.metricName?.endsWith('_bucket'))
    .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
    .reduce((total, v) => total + v.value, 0);

/** A histogram's cumulative bucket counts, summed over its label sets, by upper bound. */
function buckets(list: Values): { le: number; count: number }[] {
  const byBound = new Map<number, number>();
  for (const v of list) {
    if (!v.metricName?.endsWith('_bucket')) continue;
    const le = v.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels.le);
    byBound.set(le, (byBound.get(le) ?? 0) + v.value);
  }
  return [...byBound].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * The q-quantile of a histogram, estimated from its buckets as PromQL's `histogram_quantile`
 * does: linear within the bucket the rank falls in, the highest finite bound past it.
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile
 */
export function bucketQuantile(q: number, cumulative: { le: number; count: number }[]): number | undefined {
  const total = cumulative.at(-1)?.count ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of cumulative) {
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return lower;
      return count === below ? le : lower + ((le - lower) * (rank - below)) / (count - below);
    }
    lower = le;
    below = count;
  }
  return lower;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '0.0%' : `${((100 * part) / whole).toFixed(1)}%`;
const milliseconds = (seconds: number | undefined) =>
  seconds === undefined ? '?' : `${(seconds * 1000).toFixed(0)} ms`;

/** A short metrics summary, read back from the registry. */
export async function summarize(registry: MetricsRegistry): Promise<string> {
  const workflows = await values(registry, METRICS.workflowExecutionsTotal.name);
  const agents = await values(registry, METRICS.agentExecutionsTotal.name);
  const tools = await values(registry, METRICS.toolCallsTotal.name);
  const llmRequests = await values(registry, METRICS.llmRequestsTotal.name);
  const tokens = await values(registry, METRICS.llmTokensTotal.name);
  const cost = await values(registry, METRICS.llmCostTotal.name);
  const firstToken = buckets(await values(registry, STREAM_METRICS.llmTimeToFirstTokenSeconds.name));
  const rate = (list: Values) => percent(sum(list, { status: STATUS.error }), sum(list));
  const prompt = sum(tokens, { token_type: TOKEN_TYPE.prompt });
  const cached = sum(tokens, { token_type: TOKEN_TYPE.cacheRead });
  const streams = firstToken.at(-1)?.count ?? 0;
  const ttft =
    streams === 0
      ? 'none recorded (no streamed responses)'
      : `p50 ${milliseconds(bucketQuantile(0.5, firstToken))}, p95 ${milliseconds(bucketQuantile(0.95, firstToken))} (${streams} streams, estimated from histogram buckets)`;
  return [
    'Metrics summary',
    `  workflow executions  ${sum(workflows)} (error rate ${rate(workflows)})`,
    `  agent executions     ${sum(agents)} (error rate ${rate(agents)})`,
    `  tool calls           ${sum(tools)} (error rate ${rate(tools)})`,
    `  LLM requests         ${sum(llmRequests)} (error rate ${rate(llmRequests)})`,
    `  LLM tokens           ${sum(tokens, { token_type: TOKEN_TYPE.total })} (${prompt} prompt, ${sum(tokens, { token_type: TOKEN_TYPE.completion })} completion)`,
    `  cached tokens        ${cached} (${percent(cached, prompt)} of prompt tokens, read from the provider's cache)`,
    `  time to first token  ${ttft}`,
    `  LLM cost             $${sum(cost).toFixed(6)}`,
  ].join('\n');
}
