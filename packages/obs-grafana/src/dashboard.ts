import { LABEL, METRICS, SELF_METRICS, STATUS, TOKEN_TYPE } from '@genxai/metrics';
import { invalidOption, parseDuration } from '@genxai/obs-core';
import {
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  StackingMode,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { bucket, eq, histogramQuantile, re, series, sumBy } from './promql';

/** Options of {@link buildOverviewDashboard}. */
export interface DashboardOptions {
  /** The dashboard uid; keep it stable so links and provisioning survive regeneration. @default 'genxai-overview' */
  uid?: string;
  /** @default 'GenXAI Overview' */
  title?: string;
  /** @default ['genxai', 'agents', 'llm'] */
  tags?: string[];
  /**
   * Auto-refresh interval: one number and one unit (`ms`, `s`, `m`, `h`, `d`,
   * `w`, `y`), since Grafana reads only the first. @default '30s'
   */
  refresh?: string;
}

/** The one rate window every panel uses; Grafana sizes it from the scrape interval and the zoom. */
const RATE = '$__rate_interval';
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template literal
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

const lcp = (names: string[]) =>
  names.reduce((prefix, name) => {
    let i = 0;
    while (i < prefix.length && prefix[i] === name[i]) i++;
    return prefix.slice(0, i);
  });
/** The name prefix all GenXAI metrics share, so the job and instance pickers find any of them. */
const ANY_GENXAI_METRIC = re(
  '__name__',
  `${lcp([...Object.values(METRICS), ...Object.values(SELF_METRICS)].map((m) => m.name))}.+`,
);

const JOB = re('job', '$job');
const INSTANCE = re('instance', '$instance');
const AGENT = re(LABEL.agentId, `$${LABEL.agentId}`);
const WORKFLOW = re(LABEL.workflowId, `$${LABEL.workflowId}`);
const MODEL = re(LABEL.model, `$${LABEL.model}`);

interface Query {
  expr: string;
  legend: string;
  exemplar?: boolean;
  /** One value at the end of the range (stat panels) instead of a series. */
  instant?: boolean;
}

interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  width: number;
  height?: number;
  stacked?: boolean;
  min?: number;
  max?: number;
}

function target(query: Query, index: number) {
  const builder = new DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(String.fromCharCode(65 + index))
    .expr(query.expr)
    .legendFormat(query.legend)
    .exemplar(query.exemplar === true);
  return query.instant ? builder.instant() : builder.range();
}

function timeseries(spec: PanelSpec) {
  const panel = new TimeseriesPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .gridPos({ x: 0, y: 0, w: spec.width, h: spec.height ?? 8 })
    .targets(spec.queries.map(target))
    .fillOpacity(spec.stacked ? 30 : 10)
    // 0.0.21 hides the legend by default; series names are the point of these panels.
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .calcs([]),
    );
  if (spec.stacked) panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  return panel;
}

function stat(spec: PanelSpec) {
  return new StatPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .gridPos({ x: 0, y: 0, w: spec.width, h: spec.height ?? 8 })
    .targets(spec.queries.map(target))
    .graphMode(BigValueGraphMode.Area)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

function variable(name: string, label: string, query: string) {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

function quantiles(metric: { name: string }, selectors: string[]): Query[] {
  return [0.5, 0.95, 0.99].map((quantile) => ({
    expr: histogramQuantile(quantile, series(bucket(metric), ...selectors), RATE),
    legend: `p${quantile * 100}`,
    exemplar: true,
  }));
}

const rate = (metric: { name: string }, ...selectors: string[]) =>
  `rate(${series(metric.name, ...selectors)}[${RATE}])`;

/**
 * successes / all executions of a counter with a `status` label, per `by`.
 * An entity that never succeeds has no `status="success"` series, so the
 * numerator falls back to `0 * total`: it shows 0, not a missing line.
 */
function successRatio(metric: { name: string }, by: readonly string[], selectors: string[]): string {
  const total = sumBy(by, rate(metric, ...selectors));
  const successes = sumBy(by, rate(metric, ...selectors, eq(LABEL.status, STATUS.success)));
  return `(\n  ${successes}\nor\n  0 * ${total}\n)\n/\n${total}`;
}

/**
 * Throws unless `refresh` is a Prometheus duration greater than 0 in one unit:
 * Grafana reads only the first unit of an interval (`'1h30m'` would refresh
 * hourly), and a refresh of 0 does not mean "off".
 */
function checkRefresh(refresh: unknown): void {
  let seconds = 0;
  try {
    seconds = parseDuration(refresh as string, 'refresh');
  } catch {
    // Reported below, with the one-unit rule in the message.
  }
  if (seconds <= 0 || String(refresh).match(/\d+/g)!.length > 1) {
    invalidOption('refresh', refresh, 'a duration greater than 0 in one unit, such as "30s", "5m" or "1h"');
  }
}

/**
 * The GenXAI overview dashboard: agents, tools, LLM calls, memory and
 * workflows, one row each, with `datasource`, `job`, `instance`, `agent_id`,
 * `workflow_id` and `model` variables. Every query comes from the
 * `@genxai/metrics` names.
 */
export function buildOverviewDashboard(options: DashboardOptions = {}): Dashboard {
  if (typeof options !== 'object' || options === null)
    invalidOption('dashboard options', options, 'an object');
  const { uid = 'genxai-overview', title = 'GenXAI Overview', tags = ['genxai', 'agents', 'llm'] } = options;
  const refresh = options.refresh ?? '30s';
  if (typeof uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) {
    invalidOption('uid', uid, 'up to 40 letters, digits, "-" or "_"');
  }
  checkRefresh(refresh);
  const base = [JOB, INSTANCE];
  const agent = [...base, AGENT];
  const workflow = [...base, WORKFLOW];
  const llm = [...base, MODEL];

  const builder = new DashboardBuilder(title)
    .uid(uid)
    .tags(tags)
    .description('Agents, tools, LLM tokens and cost, memory and workflows, from @genxai/metrics.')
    .refresh(refresh)
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .editable()
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(variable('job', 'Job', `label_values({${ANY_GENXAI_METRIC}}, job)`))
    .withVariable(variable('instance', 'Instance', `label_values({${ANY_GENXAI_METRIC}, ${JOB}}, instance)`))
    .withVariable(
      variable(
        LABEL.agentId,
        'Agent',
        `label_values(${series(METRICS.agentExecutionsTotal.name, ...base)}, ${LABEL.agentId})`,
      ),
    )
    .withVariable(
      variable(
        LABEL.workflowId,
        'Workflow',
        `label_values(${series(METRICS.workflowExecutionsTotal.name, ...base)}, ${LABEL.workflowId})`,
      ),
    )
    .withVariable(
      variable(
        LABEL.model,
        'Model',
        `label_values(${series(METRICS.llmRequestsTotal.name, ...base)}, ${LABEL.model})`,
      ),
    );

  const row = (rowTitle: string, panels: (TimeseriesPanelBuilder | StatPanelBuilder)[]) => {
    // An expanded row's panels follow it at the top level; only collapsed rows nest them.
    builder.withRow(new RowBuilder(rowTitle));
    for (const panel of panels) builder.withPanel(panel);
  };

  row('Agents', [
    timeseries({
      title: 'Agent execution rate',
      description: `Agent executions per second, by agent (${METRICS.agentExecutionsTotal.name}).`,
      unit: 'ops',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.agentId], rate(METRICS.agentExecutionsTotal, ...agent)),
          legend: `{{${LABEL.agentId}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Agent success rate',
      description:
        'Share of agent executions that succeeded: successes / all executions, by agent. An agent that fails every time shows 0.',
      unit: 'percentunit',
      width: 8,
      min: 0,
      max: 1,
      queries: [
        {
          expr: successRatio(METRICS.agentExecutionsTotal, [LABEL.agentId], agent),
          legend: `{{${LABEL.agentId}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Active agents',
      description: `Agent executions in progress right now, by agent (${METRICS.agentActiveExecutions.name}).`,
      unit: 'short',
      width: 8,
      stacked: true,
      min: 0,
      queries: [
        {
          expr: sumBy([LABEL.agentId], series(METRICS.agentActiveExecutions.name, ...agent)),
          legend: `{{${LABEL.agentId}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Agent execution duration',
      description:
        'p50, p95 and p99 of agent execution time, from the histogram buckets summed over the selected agents. Exemplars link to traces.',
      unit: 's',
      width: 12,
      queries: quantiles(METRICS.agentExecutionDurationSeconds, agent),
    }),
    timeseries({
      title: 'Error rate',
      description: 'Agent errors and tool errors per second, by error type.',
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.errorType], rate(METRICS.agentErrorsTotal, ...agent)),
          legend: `agent {{${LABEL.errorType}}}`,
        },
        {
          expr: sumBy([LABEL.errorType], rate(METRICS.toolErrorsTotal, ...base)),
          legend: `tool {{${LABEL.errorType}}}`,
        },
      ],
    }),
  ]);

  row('Tools', [
    timeseries({
      title: 'Tool usage',
      description: `Tool calls per second, by tool (${METRICS.toolCallsTotal.name}).`,
      unit: 'ops',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.toolName], rate(METRICS.toolCallsTotal, ...base)),
          legend: `{{${LABEL.toolName}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Tool duration (p95)',
      description: 'p95 of tool execution time, by tool. Exemplars link to traces.',
      unit: 's',
      width: 8,
      queries: [
        {
          expr: histogramQuantile(0.95, series(bucket(METRICS.toolExecutionDurationSeconds), ...base), RATE, [
            LABEL.toolName,
          ]),
          legend: `{{${LABEL.toolName}}}`,
          exemplar: true,
        },
      ],
    }),
    timeseries({
      title: 'Tool errors',
      description: `Failed tool calls per second, by tool and error type (${METRICS.toolErrorsTotal.name}).`,
      unit: 'ops',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.toolName, LABEL.errorType], rate(METRICS.toolErrorsTotal, ...base)),
          legend: `{{${LABEL.toolName}}} {{${LABEL.errorType}}}`,
        },
      ],
    }),
  ]);

  row('LLM', [
    timeseries({
      title: 'LLM token usage',
      description: 'Prompt and completion tokens per second, stacked (their sum is the total).',
      unit: 'suffix: tokens/s',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy(
            [LABEL.tokenType],
            rate(
              METRICS.llmTokensTotal,
              ...llm,
              re(LABEL.tokenType, `${TOKEN_TYPE.prompt}|${TOKEN_TYPE.completion}`),
            ),
          ),
          legend: `{{${LABEL.tokenType}}}`,
        },
      ],
    }),
    timeseries({
      title: 'LLM cost (cumulative)',
      description:
        'Estimated USD spent since each process started, by provider and model. Drops when a process restarts; see "LLM cost in range" for a restart-safe total.',
      unit: 'currencyUSD',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.provider, LABEL.model], series(METRICS.llmCostTotal.name, ...llm)),
          legend: `{{${LABEL.provider}}} {{${LABEL.model}}}`,
        },
      ],
    }),
    stat({
      title: 'LLM cost in range',
      description:
        'Estimated USD spent on LLM calls over the selected time range (increase, so restarts are handled).',
      unit: 'currencyUSD',
      width: 8,
      queries: [
        {
          expr: sumBy([], `increase(${series(METRICS.llmCostTotal.name, ...llm)}[$__range])`),
          legend: 'USD',
          instant: true,
        },
      ],
    }),
    timeseries({
      title: 'LLM requests',
      description: `LLM requests per second, by status (${METRICS.llmRequestsTotal.name}).`,
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.status], rate(METRICS.llmRequestsTotal, ...llm)),
          legend: `{{${LABEL.status}}}`,
        },
      ],
    }),
    timeseries({
      title: 'LLM request duration',
      description: 'p50, p95 and p99 of LLM request time over the selected models. Exemplars link to traces.',
      unit: 's',
      width: 12,
      queries: quantiles(METRICS.llmRequestDurationSeconds, llm),
    }),
  ]);

  row('Memory', [
    timeseries({
      title: 'Memory operations',
      description: `Memory operations per second, by operation and memory type (${METRICS.memoryOperationsTotal.name}).`,
      unit: 'ops',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.operationType, LABEL.memoryType], rate(METRICS.memoryOperationsTotal, ...base)),
          legend: `{{${LABEL.operationType}}} {{${LABEL.memoryType}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Memory operation duration (p95)',
      description: 'p95 of memory operation time, by operation type. Exemplars link to traces.',
      unit: 's',
      width: 8,
      queries: [
        {
          expr: histogramQuantile(
            0.95,
            series(bucket(METRICS.memoryOperationDurationSeconds), ...base),
            RATE,
            [LABEL.operationType],
          ),
          legend: `{{${LABEL.operationType}}}`,
          exemplar: true,
        },
      ],
    }),
    timeseries({
      title: 'Memory size',
      description: `Current size of each agent's memory store (${METRICS.memorySizeBytes.name}).`,
      unit: 'bytes',
      width: 8,
      min: 0,
      queries: [
        {
          expr: sumBy([LABEL.agentId, LABEL.memoryType], series(METRICS.memorySizeBytes.name, ...agent)),
          legend: `{{${LABEL.agentId}}} {{${LABEL.memoryType}}}`,
        },
      ],
    }),
  ]);

  row('Workflows', [
    timeseries({
      title: 'Workflow executions',
      description: `Workflow executions per second, by workflow and status (${METRICS.workflowExecutionsTotal.name}).`,
      unit: 'ops',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.workflowId, LABEL.status], rate(METRICS.workflowExecutionsTotal, ...workflow)),
          legend: `{{${LABEL.workflowId}}} {{${LABEL.status}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Workflow duration',
      description:
        'p50, p95 and p99 of workflow execution time over the selected workflows. Exemplars link to traces.',
      unit: 's',
      width: 8,
      queries: quantiles(METRICS.workflowExecutionDurationSeconds, workflow),
    }),
    timeseries({
      title: 'Workflow node executions',
      description: `Node executions per second, by node and status (${METRICS.workflowNodeExecutionsTotal.name}).`,
      unit: 'ops',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.nodeId, LABEL.status], rate(METRICS.workflowNodeExecutionsTotal, ...workflow)),
          legend: `{{${LABEL.nodeId}}} {{${LABEL.status}}}`,
        },
      ],
    }),
  ]);

  row('Instrumentation', [
    timeseries({
      title: 'Label sets folded into overflow',
      description: `Recordings per second whose label values were folded into the overflow value because a metric reached its label-set cap (${SELF_METRICS.cardinalityOverflowTotal.name}). Anything above zero means some agent, tool or model is hidden.`,
      unit: 'ops',
      width: 24,
      height: 6,
      queries: [
        {
          expr: sumBy([LABEL.metric], rate(SELF_METRICS.cardinalityOverflowTotal, ...base)),
          legend: `{{${LABEL.metric}}}`,
        },
      ],
    }),
  ]);

  const dashboard = builder.build();
  // Ids in reading order, rows included, so they are stable and unique.
  for (const [index, panel] of (dashboard.panels ?? []).entries()) panel.id = index + 1;
  return dashboard;
}

/** {@link buildOverviewDashboard} as the JSON Grafana imports (2-space indent, trailing newline). */
export function renderOverviewDashboard(options: DashboardOptions = {}): string {
  return `${JSON.stringify(buildOverviewDashboard(options), null, 2)}\n`;
}
