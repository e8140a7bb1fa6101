import {
  GEN_AI_METRICS,
  LABEL,
  MCP_METRICS,
  METRICS,
  SELF_METRICS,
  SPAN_OUTCOME,
  STATUS,
  STREAM_METRICS,
  TOKEN_TYPE,
} from '@genxai/metrics';
import { invalidOption, parseDuration } from '@genxai/obs-core';
import { PanelBuilder as BarGaugePanelBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  BarGaugeDisplayMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  StackingMode,
  VizLegendOptionsBuilder,
  VizOrientation,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  type Panel,
  QueryVariableBuilder,
  RowBuilder,
  type VariableModel,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { AlertName } from './alerts';
import {
  bucket,
  count,
  eq,
  histogramQuantile,
  maxBy,
  ne,
  or,
  ratioOrZero,
  re,
  series,
  sumBy,
  topk,
  withLabel,
} from './promql';

/** Options of {@link buildOverviewDashboard} and {@link buildAgentDashboard}. */
export interface DashboardOptions {
  /**
   * The dashboard uid; keep it stable so links and provisioning survive regeneration.
   * @default 'genxai-overview' (overview), 'genxai-agent' (agent)
   */
  uid?: string;
  /** @default 'GenXAI Overview' (overview), 'GenXAI Agent' (agent) */
  title?: string;
  /**
   * Each dashboard links to the others tagged `genxai` (keeping the time range and the variables,
   * so the overview's `agent_id` opens in the agent dashboard): keep that tag to keep the links.
   * @default ['genxai', 'agents', 'llm'] (overview), ['genxai', 'agents'] (agent)
   */
  tags?: string[];
  /**
   * Auto-refresh interval: one number and one unit (`ms`, `s`, `m`, `h`, `d`,
   * `w`, `y`), since Grafana reads only the first. @default '30s'
   */
  refresh?: string;
}

/** The one rate window every panel uses; Grafana sizes it from the scrape interval and the zoom. */
const RATE = '$__rate_interval';
/** The window of the "in range" panels: the dashboard's time range. */
const RANGE = '$__range';
/** `${name}`: a Grafana variable in a place (a link, a data source) where `$name` is ambiguous. */
const ref = (name: string) => `\${${name}}`;
const DATASOURCE = { type: 'prometheus', uid: ref('datasource') };
/** Prometheus's own per-target series (labels job, instance), not a GenXAI metric. */
const SCRAPE_DURATION = 'scrape_duration_seconds';
/** Type-checked, so renaming the alert breaks the build rather than the description. */
const SPANS_LOST: AlertName = 'GenxaiSpansLost';
/** The tag the dashboards find each other by, for their links. */
const LINK_TAG = 'genxai';
/** The label the MCP panels add to tell the client's series from the server's. */
const MCP_SIDE = 'side';

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
/** The agent dashboard's one agent, matched exactly: a single-value variable is not regex-escaped. */
const ONE_AGENT = eq(LABEL.agentId, `$${LABEL.agentId}`);
const WORKFLOW = re(LABEL.workflowId, `$${LABEL.workflowId}`);
const PROVIDER = re(LABEL.provider, `$${LABEL.provider}`);
const MODEL = re(LABEL.model, `$${LABEL.model}`);
/** The same two variables on the OTel GenAI metrics, whose labels carry the same values. */
const GEN_AI_PROVIDER = re(LABEL.genAiProviderName, `$${LABEL.provider}`);
const GEN_AI_MODEL = re(LABEL.genAiRequestModel, `$${LABEL.model}`);
const BASE = [JOB, INSTANCE];
const LLM = [...BASE, PROVIDER, MODEL];

// Option checks and variables, shared by every dashboard.

const UID = /^[a-zA-Z0-9_-]{1,40}$/;
const UID_RULE = 'up to 40 letters, digits, "-" or "_"';

/** What a dashboard builder defaults to when the options leave it out. */
interface DashboardDefaults {
  uid: string;
  title: string;
  tags: string[];
}

type ResolvedOptions = Required<DashboardOptions>;

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

/** The options with `defaults` filled in, or a GenxaiObservabilityError naming the bad value. */
function resolveOptions(options: DashboardOptions, defaults: DashboardDefaults): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    invalidOption('dashboard options', options, 'an object');
  const { uid = defaults.uid, title = defaults.title, tags = defaults.tags } = options;
  const refresh = options.refresh ?? '30s';
  if (typeof uid !== 'string' || !UID.test(uid)) invalidOption('uid', uid, UID_RULE);
  checkRefresh(refresh);
  return { uid, title, tags, refresh };
}

function variable(name: string, label: string, query: string, { single = false } = {}) {
  const builder = new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(!single)
    .includeAll(!single);
  return single ? builder : builder.allValue('.*');
}

const labelValues = (metric: { name: string }, label: string) =>
  `label_values(${series(metric.name, ...BASE)}, ${label})`;

/** The query variables, by what they pick; each dashboard takes the ones it filters on. */
const VARIABLES = {
  job: () => variable('job', 'Job', `label_values({${ANY_GENXAI_METRIC}}, job)`),
  instance: () => variable('instance', 'Instance', `label_values({${ANY_GENXAI_METRIC}, ${JOB}}, instance)`),
  provider: () => variable(LABEL.provider, 'Provider', labelValues(METRICS.llmRequestsTotal, LABEL.provider)),
  model: () => variable(LABEL.model, 'Model', labelValues(METRICS.llmRequestsTotal, LABEL.model)),
  agent: (options: { single?: boolean } = {}) =>
    variable(LABEL.agentId, 'Agent', labelValues(METRICS.agentExecutionsTotal, LABEL.agentId), options),
  workflow: () =>
    variable(LABEL.workflowId, 'Workflow', labelValues(METRICS.workflowExecutionsTotal, LABEL.workflowId)),
};

// Panels.

interface Query {
  expr: string;
  legend: string;
  exemplar?: boolean;
  /** One value at the end of the range (stat and bar gauge panels) instead of a series. */
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

/** The settings every panel kind shares; the panel builders have the same methods but no common type. */
interface CommonPanelBuilder<Self> extends cog.Builder<Panel> {
  title(title: string): Self;
  description(description: string): Self;
  datasource(datasource: typeof DATASOURCE): Self;
  unit(unit: string): Self;
  gridPos(gridPos: { x: number; y: number; w: number; h: number }): Self;
  targets(targets: cog.Builder<cog.Dataquery>[]): Self;
  min(min: number): Self;
  max(max: number): Self;
}

function configure<P extends CommonPanelBuilder<P>>(panel: P, spec: PanelSpec): P {
  panel
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    // x = y = 0: the dashboard builder places the panel after the previous one.
    .gridPos({ x: 0, y: 0, w: spec.width, h: spec.height ?? 8 })
    .targets(spec.queries.map(target));
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  return panel;
}

function timeseries(spec: PanelSpec) {
  const panel = configure(new TimeseriesPanelBuilder(), spec)
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
  return panel;
}

const lastValue = () => new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

function stat(spec: PanelSpec) {
  return configure(new StatPanelBuilder(), spec).graphMode(BigValueGraphMode.Area).reduceOptions(lastValue());
}

/** One horizontal bar per series of an instant query, such as a top 10. */
function barGauge(spec: PanelSpec) {
  return configure(new BarGaugePanelBuilder(), { min: 0, ...spec })
    .orientation(VizOrientation.Horizontal)
    .displayMode(BarGaugeDisplayMode.Gradient)
    .reduceOptions(lastValue());
}

// Query shapes.

const rate = (metric: string | { name: string }, ...selectors: string[]) =>
  `rate(${series(typeof metric === 'string' ? metric : metric.name, ...selectors)}[${RATE}])`;

const increase = (metric: { name: string }, ...selectors: string[]) =>
  `increase(${series(metric.name, ...selectors)}[${RANGE}])`;

const legendOf = (labels: readonly string[]) => labels.map((label) => `{{${label}}}`).join(' ');

/** p50, p95 and p99 (or `levels`) of a histogram per `by`, with exemplars. */
function quantiles(
  metric: { name: string },
  selectors: string[],
  by: readonly string[] = [],
  levels: readonly number[] = [0.5, 0.95, 0.99],
): Query[] {
  return levels.map((quantile) => ({
    expr: histogramQuantile(quantile, series(bucket(metric), ...selectors), RATE, by),
    legend: [`p${quantile * 100}`, legendOf(by)].filter((part) => part !== '').join(' '),
    exemplar: true,
  }));
}

/** The p95 of a histogram per `by`, legend `prefix` and the `by` labels, with exemplars. */
function p95(metric: { name: string }, selectors: string[], by: readonly string[]): Query {
  return {
    expr: histogramQuantile(0.95, series(bucket(metric), ...selectors), RATE, by),
    legend: legendOf(by),
    exemplar: true,
  };
}

/**
 * The share of a counter's rate whose series match `part`, out of those that
 * match `whole` (all of them by default), per `by`; 0, not a missing line,
 * where no series matches `part`.
 */
function share(
  metric: { name: string },
  by: readonly string[],
  selectors: string[],
  part: string,
  whole = '',
): string {
  return ratioOrZero(
    sumBy(by, rate(metric, ...selectors, part)),
    sumBy(by, rate(metric, ...selectors, whole)),
  );
}

const successRatio = (metric: { name: string }, by: readonly string[], selectors: string[]) =>
  share(metric, by, selectors, eq(LABEL.status, STATUS.success));

const errorRatio = (metric: { name: string }, by: readonly string[], selectors: string[]) =>
  share(metric, by, selectors, eq(LABEL.status, STATUS.error));

// Dashboards.

type PanelBuilders = cog.Builder<Panel>[];

interface DashboardContent {
  description: string;
  /** The query variables after `datasource`, in order. */
  variables: cog.Builder<VariableModel>[];
  /** Row titles and the panels under each, in order. */
  rows: [string, PanelBuilders][];
}

/** A dashboard from resolved options and its content; one code path for every GenXAI dashboard. */
function assemble(options: ResolvedOptions, content: DashboardContent): Dashboard {
  const builder = new DashboardBuilder(options.title)
    .uid(options.uid)
    .tags(options.tags)
    .description(content.description)
    .refresh(options.refresh)
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .editable()
    .link(
      new DashboardLinkBuilder('GenXAI dashboards')
        .type(DashboardLinkType.Dashboards)
        .tags([LINK_TAG])
        .asDropdown(true)
        .keepTime(true)
        .includeVars(true),
    )
    .withVariable(
      new DatasourceVariableBuilder('datasource')
        .label('Data source')
        .description(
          "The Prometheus to read. Exemplars link to the trace data source this one's exemplarTraceIdDestinations names: provision one Prometheus data source per trace backend (Jaeger, Tempo) and pick here.",
        )
        .type('prometheus'),
    );
  for (const query of content.variables) builder.withVariable(query);
  for (const [title, panels] of content.rows) {
    // An expanded row's panels follow it at the top level; only collapsed rows nest them.
    builder.withRow(new RowBuilder(title));
    for (const panel of panels) builder.withPanel(panel);
  }
  const dashboard = builder.build();
  // Ids in reading order, rows included, so they are stable and unique.
  for (const [index, panel] of (dashboard.panels ?? []).entries()) panel.id = index + 1;
  return dashboard;
}

const render = (dashboard: Dashboard) => `${JSON.stringify(dashboard, null, 2)}\n`;

/**
 * The GenXAI overview dashboard: agents, tools, LLM calls and cost, memory,
 * workflows, MCP and the telemetry's own health, one row each, with
 * `datasource`, `job`, `instance`, `provider`, `model`, `agent_id`
 * and `workflow_id` variables. Every query comes from the `@genxai/metrics`
 * names.
 */
export function buildOverviewDashboard(options: DashboardOptions = {}): Dashboard {
  const resolved = resolveOptions(options, {
    uid: 'genxai-overview',
    title: 'GenXAI Overview',
    tags: ['genxai', 'agents', 'llm'],
  });
  const agent = [...BASE, AGENT];
  const workflow = [...BASE, WORKFLOW];
  const genAi = [...BASE, GEN_AI_PROVIDER, GEN_AI_MODEL];
  const mcp = [
    { side: 'client', metric: MCP_METRICS.clientOperationDurationSeconds },
    { side: 'server', metric: MCP_METRICS.serverOperationDurationSeconds },
  ];

  const agents = [
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
          expr: sumBy([LABEL.errorType], rate(METRICS.toolErrorsTotal, ...BASE)),
          legend: `tool {{${LABEL.errorType}}}`,
        },
      ],
    }),
  ];

  const tools = [
    timeseries({
      title: 'Tool usage',
      description: `Tool calls per second, by tool (${METRICS.toolCallsTotal.name}).`,
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.toolName], rate(METRICS.toolCallsTotal, ...BASE)),
          legend: `{{${LABEL.toolName}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Tool error rate',
      description: `Share of tool calls that failed: errors / all calls, by tool (${METRICS.toolCallsTotal.name}, ${LABEL.status}="${STATUS.error}"). A tool that never failed shows 0.`,
      unit: 'percentunit',
      width: 12,
      min: 0,
      max: 1,
      queries: [
        { expr: errorRatio(METRICS.toolCallsTotal, [LABEL.toolName], BASE), legend: `{{${LABEL.toolName}}}` },
      ],
    }),
    timeseries({
      title: 'Tool duration (p95)',
      description: 'p95 of tool execution time, by tool. Exemplars link to traces.',
      unit: 's',
      width: 12,
      queries: [p95(METRICS.toolExecutionDurationSeconds, BASE, [LABEL.toolName])],
    }),
    timeseries({
      title: 'Tool errors',
      description: `Failed tool calls per second, by tool and error type (${METRICS.toolErrorsTotal.name}).`,
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.toolName, LABEL.errorType], rate(METRICS.toolErrorsTotal, ...BASE)),
          legend: `{{${LABEL.toolName}}} {{${LABEL.errorType}}}`,
        },
      ],
    }),
  ];

  const tokenTypes = [
    TOKEN_TYPE.prompt,
    TOKEN_TYPE.completion,
    TOKEN_TYPE.cacheRead,
    TOKEN_TYPE.cacheWrite,
    TOKEN_TYPE.reasoning,
  ];
  const llm = [
    timeseries({
      title: 'LLM requests',
      description: `LLM requests per second, by status (${METRICS.llmRequestsTotal.name}).`,
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.status], rate(METRICS.llmRequestsTotal, ...LLM)),
          legend: `{{${LABEL.status}}}`,
        },
      ],
    }),
    timeseries({
      title: 'LLM error rate by provider and model',
      description: `Share of LLM requests that failed: errors / all requests, by provider and model (${METRICS.llmRequestsTotal.name}, ${LABEL.status}="${STATUS.error}"). A model that never failed shows 0.`,
      unit: 'percentunit',
      width: 12,
      min: 0,
      max: 1,
      queries: [
        {
          expr: errorRatio(METRICS.llmRequestsTotal, [LABEL.provider, LABEL.model], LLM),
          legend: `{{${LABEL.provider}}} {{${LABEL.model}}}`,
        },
      ],
    }),
    timeseries({
      title: 'LLM request duration',
      description: 'p50, p95 and p99 of LLM request time over the selected models. Exemplars link to traces.',
      unit: 's',
      width: 12,
      queries: quantiles(METRICS.llmRequestDurationSeconds, LLM),
    }),
    timeseries({
      title: 'LLM latency by provider and model',
      description: `p95 of LLM request time, by provider and model (${METRICS.llmRequestDurationSeconds.name}). Exemplars link to traces.`,
      unit: 's',
      width: 12,
      queries: [p95(METRICS.llmRequestDurationSeconds, LLM, [LABEL.provider, LABEL.model])],
    }),
    timeseries({
      title: 'Time to first token',
      description: `p50 and p95 of the time from the start of a streamed LLM request to its first content chunk, by model (${STREAM_METRICS.llmTimeToFirstTokenSeconds.name}). Only streamed requests record it. Exemplars link to traces.`,
      unit: 's',
      width: 12,
      queries: quantiles(STREAM_METRICS.llmTimeToFirstTokenSeconds, LLM, [LABEL.model], [0.5, 0.95]),
    }),
    timeseries({
      title: 'LLM errors by type',
      description: `Failed LLM operations per second, by error type, so rate limits and timeouts show as their own types (${count(GEN_AI_METRICS.clientOperationDurationSeconds)}, ${LABEL.errorType}!=""). Needs the OTel GenAI metrics, genAiSemconvMetrics (on by default).`,
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy(
            [LABEL.errorType],
            rate(count(GEN_AI_METRICS.clientOperationDurationSeconds), ...genAi, ne(LABEL.errorType, '')),
          ),
          legend: `{{${LABEL.errorType}}}`,
        },
      ],
    }),
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
              ...LLM,
              re(LABEL.tokenType, `${TOKEN_TYPE.prompt}|${TOKEN_TYPE.completion}`),
            ),
          ),
          legend: `{{${LABEL.tokenType}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Tokens by type',
      description: `Tokens per second of each type, not stacked because they overlap: ${TOKEN_TYPE.cacheRead} and ${TOKEN_TYPE.cacheWrite} are parts of ${TOKEN_TYPE.prompt}, ${TOKEN_TYPE.reasoning} is a part of ${TOKEN_TYPE.completion} (${METRICS.llmTokensTotal.name}).`,
      unit: 'suffix: tokens/s',
      width: 8,
      queries: [
        {
          expr: sumBy(
            [LABEL.tokenType],
            rate(METRICS.llmTokensTotal, ...LLM, re(LABEL.tokenType, tokenTypes.join('|'))),
          ),
          legend: `{{${LABEL.tokenType}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Prompt cache hit ratio',
      description: `Share of prompt tokens read from the provider's prompt cache: ${TOKEN_TYPE.cacheRead} / ${TOKEN_TYPE.prompt} tokens, by model. A model with no cache reads shows 0.`,
      unit: 'percentunit',
      width: 8,
      min: 0,
      max: 1,
      queries: [
        {
          expr: share(
            METRICS.llmTokensTotal,
            [LABEL.model],
            LLM,
            eq(LABEL.tokenType, TOKEN_TYPE.cacheRead),
            eq(LABEL.tokenType, TOKEN_TYPE.prompt),
          ),
          legend: `{{${LABEL.model}}}`,
        },
      ],
    }),
  ];

  const cost = [
    timeseries({
      title: 'LLM cost (cumulative)',
      description:
        'Estimated USD spent since each process started, by provider and model. Drops when a process restarts; see "LLM cost in range" for a restart-safe total.',
      unit: 'currencyUSD',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.provider, LABEL.model], series(METRICS.llmCostTotal.name, ...LLM)),
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
      queries: [{ expr: sumBy([], increase(METRICS.llmCostTotal, ...LLM)), legend: 'USD', instant: true }],
    }),
    stat({
      title: 'Cost per workflow run',
      description: `All estimated LLM cost in the time range (of the selected providers and models) divided by all workflow runs in the range (${METRICS.workflowExecutionsTotal.name}). Cost is not labelled by workflow, so the workflow filter does not apply, and LLM calls outside workflows count too. No value when the range has no workflow run.`,
      unit: 'currencyUSD',
      width: 8,
      queries: [
        {
          // `> 0`: a range without a run shows no value, not a division by zero.
          expr: `${sumBy([], increase(METRICS.llmCostTotal, ...LLM))}\n/\n(${sumBy([], increase(METRICS.workflowExecutionsTotal, ...BASE))} > 0)`,
          legend: 'USD per run',
          instant: true,
        },
      ],
    }),
    barGauge({
      title: 'Cost per model (top 10)',
      description:
        'The 10 providers and models with the highest estimated USD cost over the selected time range.',
      unit: 'currencyUSD',
      width: 12,
      queries: [
        {
          expr: topk(10, sumBy([LABEL.provider, LABEL.model], increase(METRICS.llmCostTotal, ...LLM))),
          legend: `{{${LABEL.provider}}} {{${LABEL.model}}}`,
          instant: true,
        },
      ],
    }),
    barGauge({
      title: 'Cost per agent (top 10)',
      description: `The 10 agents with the highest estimated USD cost of LLM calls over the selected time range. Cost of LLM calls made outside any agent (no ${LABEL.agentId}) is not in it; "LLM cost in range" has it.`,
      unit: 'currencyUSD',
      width: 12,
      queries: [
        {
          expr: topk(
            10,
            sumBy([LABEL.agentId], increase(METRICS.llmCostTotal, ...LLM, AGENT, ne(LABEL.agentId, ''))),
          ),
          legend: `{{${LABEL.agentId}}}`,
          instant: true,
        },
      ],
    }),
  ];

  const memory = [
    timeseries({
      title: 'Memory operations',
      description: `Memory operations per second, by operation and memory type (${METRICS.memoryOperationsTotal.name}).`,
      unit: 'ops',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.operationType, LABEL.memoryType], rate(METRICS.memoryOperationsTotal, ...BASE)),
          legend: `{{${LABEL.operationType}}} {{${LABEL.memoryType}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Memory operation duration (p95)',
      description: 'p95 of memory operation time, by operation type. Exemplars link to traces.',
      unit: 's',
      width: 8,
      queries: [p95(METRICS.memoryOperationDurationSeconds, BASE, [LABEL.operationType])],
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
  ];

  const workflows = [
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
  ];

  /** One expression over both sides of MCP, each series labelled with its side. */
  const bothSides = (expression: (metric: { name: string }) => string) =>
    or(...mcp.map(({ side, metric }) => withLabel(expression(metric), MCP_SIDE, side)));
  const mcpPanels = [
    timeseries({
      title: 'MCP request duration (p95)',
      description: `p95 of MCP request time by method, as the client sees it (${MCP_METRICS.clientOperationDurationSeconds.name}) and as the server does (${MCP_METRICS.serverOperationDurationSeconds.name}), one query so it has data when only one side is scraped. Exemplars link to traces.`,
      unit: 's',
      width: 12,
      queries: [
        {
          expr: bothSides((metric) =>
            histogramQuantile(0.95, series(bucket(metric), ...BASE), RATE, [LABEL.mcpMethodName]),
          ),
          legend: `{{${MCP_SIDE}}} {{${LABEL.mcpMethodName}}}`,
          exemplar: true,
        },
      ],
    }),
    timeseries({
      title: 'MCP requests',
      description:
        'MCP requests per second, by side, method and error type (empty for a success), from the _count of the duration histograms.',
      unit: 'ops',
      width: 12,
      queries: [
        {
          expr: bothSides((metric) =>
            sumBy([LABEL.mcpMethodName, LABEL.errorType], rate(count(metric), ...BASE)),
          ),
          legend: `{{${MCP_SIDE}}} {{${LABEL.mcpMethodName}}} {{${LABEL.errorType}}}`,
        },
      ],
    }),
  ];

  const telemetry = [
    timeseries({
      title: 'Label sets folded into overflow',
      description: `Recordings per second whose label values were folded into the overflow value because a metric reached its label-set cap (${SELF_METRICS.cardinalityOverflowTotal.name}). Anything above zero means some agent, tool or model is hidden.`,
      unit: 'ops',
      width: 8,
      height: 6,
      queries: [
        {
          expr: sumBy([LABEL.metric], rate(SELF_METRICS.cardinalityOverflowTotal, ...BASE)),
          legend: `{{${LABEL.metric}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Spans by outcome',
      description: `Sampled spans per second the tracing pipeline finished with, by outcome (${SELF_METRICS.telemetrySpansTotal.name}). ${SPAN_OUTCOME.failed} or ${SPAN_OUTCOME.dropped} above zero means lost traces; the ${SPANS_LOST} alert fires on it.`,
      unit: 'ops',
      width: 8,
      height: 6,
      queries: [
        {
          expr: sumBy([LABEL.outcome], rate(SELF_METRICS.telemetrySpansTotal, ...BASE)),
          legend: `{{${LABEL.outcome}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Scrape duration',
      description: `How long Prometheus takes to scrape each instance's /metrics (${SCRAPE_DURATION}). Growing towards the scrape timeout means too many series.`,
      unit: 's',
      width: 8,
      height: 6,
      min: 0,
      queries: [{ expr: maxBy(['instance'], series(SCRAPE_DURATION, ...BASE)), legend: '{{instance}}' }],
    }),
  ];

  return assemble(resolved, {
    description:
      'Agents, tools, LLM latency, errors, tokens and cost, memory, workflows, MCP and telemetry health, from @genxai/metrics.',
    variables: [
      VARIABLES.job(),
      VARIABLES.instance(),
      VARIABLES.provider(),
      VARIABLES.model(),
      VARIABLES.agent(),
      VARIABLES.workflow(),
    ],
    rows: [
      ['Agents', agents],
      ['Tools', tools],
      ['LLM', llm],
      ['Cost', cost],
      ['Memory', memory],
      ['Workflows', workflows],
      ['MCP', mcpPanels],
      ['Telemetry health', telemetry],
    ],
  });
}

/** {@link buildOverviewDashboard} as the JSON Grafana imports (2-space indent, trailing newline). */
export function renderOverviewDashboard(options: DashboardOptions = {}): string {
  return render(buildOverviewDashboard(options));
}

/**
 * The GenXAI agent dashboard: one agent, picked in the single-value
 * `agent_id` variable — its executions, errors, tool calls, LLM requests and
 * cost, and memory. Same options as {@link buildOverviewDashboard}; tools,
 * LLM requests and cost are those the agent's executions made.
 */
export function buildAgentDashboard(options: DashboardOptions = {}): Dashboard {
  const resolved = resolveOptions(options, {
    uid: 'genxai-agent',
    title: 'GenXAI Agent',
    tags: ['genxai', 'agents'],
  });
  const agent = [...BASE, ONE_AGENT];
  const agentLlm = [...LLM, ONE_AGENT];

  const executions = [
    timeseries({
      title: 'Executions by status',
      description: `The agent's executions per second, by status (${METRICS.agentExecutionsTotal.name}).`,
      unit: 'ops',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.status], rate(METRICS.agentExecutionsTotal, ...agent)),
          legend: `{{${LABEL.status}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Success ratio',
      description: `Share of the agent's executions that succeeded: successes / all executions. 0, not missing, when every execution fails.`,
      unit: 'percentunit',
      width: 8,
      min: 0,
      max: 1,
      queries: [{ expr: successRatio(METRICS.agentExecutionsTotal, [], agent), legend: 'success' }],
    }),
    timeseries({
      title: 'Active executions',
      description: `The agent's executions in progress (${METRICS.agentActiveExecutions.name}).`,
      unit: 'short',
      width: 8,
      min: 0,
      queries: [{ expr: sumBy([], series(METRICS.agentActiveExecutions.name, ...agent)), legend: 'active' }],
    }),
    timeseries({
      title: 'Execution duration',
      description: `p50, p95 and p99 of the agent's execution time (${METRICS.agentExecutionDurationSeconds.name}). Exemplars link to traces.`,
      unit: 's',
      width: 12,
      queries: quantiles(METRICS.agentExecutionDurationSeconds, agent),
    }),
    timeseries({
      title: 'Errors by type',
      description: `The agent's errors per second, by error type (${METRICS.agentErrorsTotal.name}).`,
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.errorType], rate(METRICS.agentErrorsTotal, ...agent)),
          legend: `{{${LABEL.errorType}}}`,
        },
      ],
    }),
  ];

  const tools = [
    timeseries({
      title: 'Tool calls by tool and status',
      description: `Tool calls per second made by the agent's executions, by tool and status (${METRICS.toolCallsTotal.name}).`,
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy([LABEL.toolName, LABEL.status], rate(METRICS.toolCallsTotal, ...agent)),
          legend: `{{${LABEL.toolName}}} {{${LABEL.status}}}`,
        },
      ],
    }),
    timeseries({
      title: 'Tool error ratio by tool',
      description: `Share of the agent's tool calls that failed, by tool. A tool that never failed shows 0.`,
      unit: 'percentunit',
      width: 12,
      min: 0,
      max: 1,
      queries: [
        {
          expr: errorRatio(METRICS.toolCallsTotal, [LABEL.toolName], agent),
          legend: `{{${LABEL.toolName}}}`,
        },
      ],
    }),
  ];

  const llm = [
    timeseries({
      title: 'LLM requests by provider, model and status',
      description: `LLM requests per second made by the agent's executions, by provider, model and status (${METRICS.llmRequestsTotal.name}).`,
      unit: 'ops',
      width: 12,
      stacked: true,
      queries: [
        {
          expr: sumBy(
            [LABEL.provider, LABEL.model, LABEL.status],
            rate(METRICS.llmRequestsTotal, ...agentLlm),
          ),
          legend: `{{${LABEL.provider}}} {{${LABEL.model}}} {{${LABEL.status}}}`,
        },
      ],
    }),
    timeseries({
      title: 'LLM cost per hour, by model',
      description: `Estimated USD an hour the agent's LLM calls cost at the current rate, by provider and model (3600 × the rate of ${METRICS.llmCostTotal.name}).`,
      unit: 'currencyUSD',
      width: 8,
      stacked: true,
      queries: [
        {
          expr: `3600 * ${sumBy([LABEL.provider, LABEL.model], rate(METRICS.llmCostTotal, ...agentLlm))}`,
          legend: `{{${LABEL.provider}}} {{${LABEL.model}}}`,
        },
      ],
    }),
    stat({
      title: 'Cost in range',
      description: `Estimated USD the agent's LLM calls cost over the selected time range (increase, so restarts are handled).`,
      unit: 'currencyUSD',
      width: 4,
      queries: [
        { expr: sumBy([], increase(METRICS.llmCostTotal, ...agentLlm)), legend: 'USD', instant: true },
      ],
    }),
  ];

  const memory = [
    timeseries({
      title: 'Memory size',
      description: `Current size of the agent's memory stores, by memory type (${METRICS.memorySizeBytes.name}).`,
      unit: 'bytes',
      width: 24,
      height: 6,
      min: 0,
      queries: [
        {
          expr: sumBy([LABEL.memoryType], series(METRICS.memorySizeBytes.name, ...agent)),
          legend: `{{${LABEL.memoryType}}}`,
        },
      ],
    }),
  ];

  return assemble(resolved, {
    description:
      'One agent, picked in the Agent variable: its executions, errors, tool calls, LLM requests and cost, and memory, from @genxai/metrics.',
    variables: [
      VARIABLES.job(),
      VARIABLES.instance(),
      VARIABLES.provider(),
      VARIABLES.model(),
      // One agent at a time: this dashboard drills into it.
      VARIABLES.agent({ single: true }),
    ],
    rows: [
      ['Executions', executions],
      ['Tools', tools],
      ['LLM', llm],
      ['Memory', memory],
    ],
  });
}

/** {@link buildAgentDashboard} as the JSON Grafana imports (2-space indent, trailing newline). */
export function renderAgentDashboard(options: DashboardOptions = {}): string {
  return render(buildAgentDashboard(options));
}
