import { METRICS, type MetricsRegistry, STATUS, TOKEN_TYPE } from '@genxai/metrics';

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

/** A short metrics summary, read back from the registry. */
export async function summarize(registry: MetricsRegistry): Promise<string> {
  const workflows = await values(registry, METRICS.workflowExecutionsTotal.name);
  const agents = await values(registry, METRICS.agentExecutionsTotal.name);
  const tools = await values(registry, METRICS.toolCallsTotal.name);
  const tokens = await values(registry, METRICS.llmTokensTotal.name);
  const cost = await values(registry, METRICS.llmCostTotal.name);
  const rate = (list: Values) => {
    const total = sum(list);
    return total === 0 ? '0.0%' : `${((100 * sum(list, { status: STATUS.error })) / total).toFixed(1)}%`;
  };
  return [
    'Metrics summary',
    `  workflow executions  ${sum(workflows)} (error rate ${rate(workflows)})`,
    `  agent executions     ${sum(agents)} (error rate ${rate(agents)})`,
    `  tool calls           ${sum(tools)} (error rate ${rate(tools)})`,
    `  LLM tokens           ${sum(tokens, { token_type: TOKEN_TYPE.total })} (${sum(tokens, { token_type: TOKEN_TYPE.prompt })} prompt, ${sum(tokens, { token_type: TOKEN_TYPE.completion })} completion)`,
    `  LLM cost             $${sum(cost).toFixed(6)}`,
  ].join('\n');
}
