import {
  type AgentOperation,
  checkOptionNames,
  checkUsage,
  createSafeRecorder,
  createWarnOnce,
  invalidOption,
  type LlmOperation,
  type McpOperation,
  type MemoryOperation,
  type NodeOperation,
  type TokenUsage,
  type WarningHandler,
  type WorkflowOperation,
} from '@genxai/obs-core';
import {
  type Counter,
  collectDefaultMetrics,
  type DefaultMetricsCollectorConfiguration,
  type Gauge,
  type Histogram,
  type RegistryContentType,
} from 'prom-client';
import { LabelSetGuard, type Labels } from './cardinality';
import { costOf, createPriceTable, type PriceTable } from './cost';
import { getOrCreateInstrument, type Instrument } from './instruments';
import { McpRecorder, ToolRecorder } from './mcp';
import {
  GEN_AI_METRICS,
  GEN_AI_TOKEN_TYPE,
  type GenAiMetricKey,
  LABEL,
  MCP_METRICS,
  METRICS,
  type MetricDefinition,
  type MetricKey,
  SELF_METRICS,
  STREAM_METRICS,
  TOKEN_TYPE,
} from './names';
import type { ModelPrice } from './prices';
import {
  addToCounter,
  type Ended,
  exemplarLabels,
  type Guarded,
  labelValue,
  OperationRecorder,
  observeHistogram,
  optionalLabelValue,
  type RecorderContext,
  type RecordOptions,
} from './recorder';
import { getDefaultRegistry, type MetricsRegistry } from './registry';

/** Identifies a memory store, for its size. */
export interface MemorySizeInfo {
  /** Label `agent_id`. */
  agentId: string;
  /** Label `memory_type`. */
  memoryType: string;
}
/** Recording options of an LLM request. */
export interface LlmRecordOptions extends RecordOptions {
  /** The request's token counts; recorded as tokens and priced as cost. */
  usage?: TokenUsage;
  /**
   * The model that answered, as read from the response (`LlmResult.responseModel`):
   * label `gen_ai_response_model` of the GenAI client metrics. Empty when not given.
   */
  responseModel?: string;
  /**
   * A streamed request's time from its start to its first content chunk, in seconds:
   * `genxai_llm_time_to_first_token_seconds` and `gen_ai_client_operation_time_to_first_chunk_seconds`.
   */
  timeToFirstChunkSeconds?: number;
  /**
   * A streamed request's times between consecutive content chunks after the first, in seconds:
   * `gen_ai_client_operation_time_per_output_chunk_seconds`, one observation each (at most 10,000 a request).
   */
  outputChunkSeconds?: readonly number[];
}

/** Observations of one histogram a request takes at most: a stream of many chunks costs a bounded amount. */
const MAX_CHUNK_OBSERVATIONS = 10_000;

/** The GenAI client metrics an LLM recorder records into. */
interface GenAiInstruments {
  readonly tokenUsage: Guarded<Histogram>;
  readonly duration: Guarded<Histogram>;
  readonly timeToFirstChunk: Guarded<Histogram>;
  readonly timePerOutputChunk: Guarded<Histogram>;
}

const isSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

const DEFAULT_GEN_AI_OPERATION_NAME = 'chat';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * The registry to create the metrics in. A second `createMetrics` on the same
   * registry reuses its metrics. Exemplars need an OpenMetrics-typed registry
   * (`createMetricsRegistry()`); on prom-client's global `register` they are
   * ignored.
   * @default getDefaultRegistry(), one OpenMetrics registry per process
   */
  registry?: MetricsRegistry;
  /**
   * Most distinct label sets kept per metric. Past it, user-supplied label
   * values (agent, tool, model, workflow, node, error type, …) are folded into
   * `__overflow__` and counted in `genxai_metrics_cardinality_overflow_total`.
   * `Infinity` turns the cap off. The first `createMetrics` on a registry sets it.
   * @default 2000
   */
  maxLabelSetsPerMetric?: number;
  /** Model prices that replace or extend the shipped table (USD per million tokens). */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** Use only `prices`, not the shipped table. @default false */
  replaceDefaultPrices?: boolean;
  /**
   * Also collect prom-client's Node.js default metrics (CPU, memory, event
   * loop lag, GC) into the registry. Pass an object to configure them.
   * @default false
   */
  defaultMetrics?: boolean | Omit<DefaultMetricsCollectorConfiguration<RegistryContentType>, 'register'>;
  /**
   * Where warnings go (bad label values, unknown models, invalid token counts).
   * Each distinct warning is reported once.
   * @default process.emitWarning
   */
  onWarning?: WarningHandler;
  /**
   * Also record every LLM request in the OpenTelemetry GenAI client metrics
   * ({@link GEN_AI_METRICS}: `gen_ai_client_token_usage` and
   * `gen_ai_client_operation_duration_seconds`), beside the `genxai_llm_*`
   * metrics, so OTel GenAI dashboards work on the same scrape. `false`
   * registers none of them.
   * @default true
   * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.1/docs/gen-ai/gen-ai-metrics.md
   */
  genAiSemconvMetrics?: boolean;
}

/**
 * Records token usage and cost of LLM requests, on top of the request metrics,
 * and (unless `genAiSemconvMetrics: false`) the OTel GenAI client metrics.
 */
export class LlmRecorder extends OperationRecorder<LlmOperation, LlmRecordOptions> {
  /** @internal */
  constructor(
    context: RecorderContext,
    instruments: ConstructorParameters<typeof OperationRecorder<LlmOperation, LlmRecordOptions>>[1],
    toValues: (info: LlmOperation) => string[],
    private readonly tokens: Guarded<Counter>,
    private readonly cost: Guarded<Counter>,
    /** The price table costs are computed from. */
    readonly prices: PriceTable,
    private readonly genAi: GenAiInstruments | undefined,
    private readonly timeToFirstToken: Guarded<Histogram>,
    attributedTo: (info: LlmOperation, enclosingAgentId: string | undefined) => string,
  ) {
    super(context, instruments, toValues, attributedTo);
  }

  private readonly started = new Set<Labels>();

  /**
   * The first request of a provider and model also creates its cost series at 0 (when the model
   * has a price), so the first priced request is an increase that `increase()` and `rate()` can
   * see, not the series' first sample. Later requests cost one set lookup.
   */
  protected override onStart(counted: readonly string[]): void {
    // settle(): past the cap the series is the folded one, and the fold is counted when a cost is
    // recorded, not here as well.
    const labels = this.cost.guard.settle(counted);
    if (this.started.has(labels)) return;
    this.started.add(labels);
    if (this.prices.priceOf(labels[LABEL.model] ?? '') !== undefined)
      addToCounter(this.cost, labels, 0, undefined);
  }

  /**
   * Records the tokens of one request (`prompt`, `completion`, `total`) and its
   * cost from the price table, and its `input` and `output` tokens in
   * `gen_ai_client_token_usage`. Invalid counts are reported once and nothing
   * is recorded; an unknown model records tokens, no cost, and warns once.
   */
  recordUsage(info: LlmOperation, usage: TokenUsage, options: Omit<LlmRecordOptions, 'usage'> = {}): void {
    this.context.safely('a metric', () => {
      const given = info ?? ({} as LlmOperation);
      const base = this.toValues(given);
      this.onEnd(given, base, { ...options, usage }, exemplarLabels(options?.exemplar, this.context));
    });
  }

  protected override onEnd(
    info: LlmOperation,
    base: readonly string[],
    options: LlmRecordOptions | undefined,
    exemplar: Record<string, string> | undefined,
    ended?: Ended,
  ): void {
    const genAiBase = this.genAi && this.genAiValues(info, base, options);
    if (genAiBase && ended) {
      const { duration } = this.genAi!;
      const labels = duration.guard.resolve([...genAiBase, ended.errorType]);
      observeHistogram(duration, labels, ended.seconds, exemplar);
    }
    const firstChunk = options?.timeToFirstChunkSeconds;
    if (isSeconds(firstChunk)) {
      const ttft = this.timeToFirstToken;
      observeHistogram(ttft, ttft.guard.resolve(base), firstChunk, exemplar);
      if (genAiBase) {
        const { timeToFirstChunk } = this.genAi!;
        observeHistogram(timeToFirstChunk, timeToFirstChunk.guard.resolve(genAiBase), firstChunk, exemplar);
      }
    }
    const chunks = options?.outputChunkSeconds;
    if (genAiBase && Array.isArray(chunks) && chunks.length > 0) {
      const { timePerOutputChunk } = this.genAi!;
      const labels = timePerOutputChunk.guard.resolve(genAiBase);
      const count = Math.min(chunks.length, MAX_CHUNK_OBSERVATIONS);
      for (let index = 0; index < count; index++) {
        const seconds = chunks[index];
        if (isSeconds(seconds)) observeHistogram(timePerOutputChunk, labels, seconds, undefined);
      }
    }
    if (options?.usage === undefined) return;
    // Usage read by @genxai/obs-core's reader was checked there; anything else is checked here, once.
    const usage = checkUsage(options.usage);
    if (typeof usage === 'string') {
      const problem = usage;
      this.context.warn(
        `usage:${problem.split(' ')[0]}`,
        'GENXAI_METRICS_INVALID_USAGE',
        `@genxai/metrics: ${problem}; this request's tokens and cost were not recorded.`,
      );
      return;
    }
    const { tokens, cost } = this;
    const add = (type: string, value: number) =>
      addToCounter(tokens, tokens.guard.resolve([...base, type]), value, exemplar);
    add(TOKEN_TYPE.prompt, usage.inputTokens);
    add(TOKEN_TYPE.completion, usage.outputTokens);
    add(TOKEN_TYPE.total, usage.inputTokens + usage.outputTokens);
    // Parts of prompt and completion, where the provider reports them: never added to the total.
    if (usage.cachedInputTokens !== undefined) add(TOKEN_TYPE.cacheRead, usage.cachedInputTokens);
    if (usage.cacheWriteInputTokens !== undefined) add(TOKEN_TYPE.cacheWrite, usage.cacheWriteInputTokens);
    if (usage.reasoningTokens !== undefined) add(TOKEN_TYPE.reasoning, usage.reasoningTokens);
    if (genAiBase) {
      // One observation per token type, no total (semconv): summing the types gives it.
      const { tokenUsage } = this.genAi!;
      const observe = (type: string, value: number) =>
        observeHistogram(tokenUsage, tokenUsage.guard.resolve([...genAiBase, type]), value, exemplar);
      observe(GEN_AI_TOKEN_TYPE.input, usage.inputTokens);
      observe(GEN_AI_TOKEN_TYPE.output, usage.outputTokens);
    }
    const model = typeof info?.model === 'string' ? info.model : '';
    const price = this.prices.priceOf(model);
    if (!price) {
      this.context.warn(
        `price:${model}`,
        'GENXAI_METRICS_UNKNOWN_MODEL',
        `@genxai/metrics: no price is known for model ${JSON.stringify(model)}; its tokens are recorded but not its cost. ` +
          'Add it with the `prices` option of createMetrics.',
      );
      return;
    }
    const counted = ended?.counted ?? this.counted(info, base);
    addToCounter(cost, cost.guard.resolve(counted), costOf(price, usage), exemplar);
  }

  /**
   * The labels the GenAI client metrics share, in their order: operation,
   * provider and request model (cleaned as for the `genxai_llm_*` metrics),
   * response model (empty when unknown).
   */
  private genAiValues(
    info: LlmOperation | undefined,
    base: readonly string[],
    options: LlmRecordOptions | undefined,
  ): string[] {
    // The operation's own name (`LlmOperation.operationName`), as the span's gen_ai.operation.name.
    const operationName = info?.operationName;
    const operation =
      operationName === undefined
        ? DEFAULT_GEN_AI_OPERATION_NAME
        : labelValue(operationName, LABEL.genAiOperationName, this.context);
    const response = optionalLabelValue(options?.responseModel, LABEL.genAiResponseModel, this.context);
    return [operation, base[0] ?? '', base[1] ?? '', response];
  }
}

/** Records memory operations and the size of memory stores. */
export class MemoryRecorder extends OperationRecorder<MemoryOperation> {
  /** @internal */
  constructor(
    context: RecorderContext,
    instruments: ConstructorParameters<typeof OperationRecorder<MemoryOperation>>[1],
    toValues: (info: MemoryOperation) => string[],
    private readonly size: Guarded<Gauge>,
  ) {
    super(context, instruments, toValues);
  }

  /** Sets `genxai_memory_size_bytes` for one agent's memory store. */
  setSize(info: MemorySizeInfo, bytes: number): void {
    if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) {
      this.context.warn(
        'memory-size',
        'GENXAI_METRICS_INVALID_SIZE',
        `@genxai/metrics: memory size must be a finite number ≥ 0, got ${String(bytes)}; not recorded.`,
      );
      return;
    }
    this.context.safely('a metric', () => {
      const values = [
        labelValue(info?.agentId, LABEL.agentId, this.context),
        labelValue(info?.memoryType, LABEL.memoryType, this.context),
      ];
      this.size.metric.set(this.size.guard.resolve(values), bytes);
    });
  }
}

/** The recorders `createMetrics` returns. */
export interface GenxaiMetrics {
  /** The registry the metrics live in. */
  readonly registry: MetricsRegistry;
  /** `genxai_agent_*`: executions, errors, duration and active executions. */
  readonly agent: OperationRecorder<AgentOperation>;
  /**
   * `genxai_tool_*`: calls, errors and duration; for a tool called over MCP (`info.mcp`), the MCP
   * operation metric too.
   */
  readonly tool: ToolRecorder;
  /**
   * The MCP conventions' `mcp_client_operation_duration_seconds` and
   * `mcp_server_operation_duration_seconds`, for MCP requests other than tool calls.
   */
  readonly mcp: McpRecorder;
  /**
   * `genxai_llm_*`: requests, duration, tokens and cost; and the OTel
   * `gen_ai_client_token_usage` and `gen_ai_client_operation_duration_seconds`.
   */
  readonly llm: LlmRecorder;
  /** `genxai_memory_*`: operations, duration and store size. */
  readonly memory: MemoryRecorder;
  /** `genxai_workflow_executions_total` and `genxai_workflow_execution_duration_seconds`. */
  readonly workflow: OperationRecorder<WorkflowOperation>;
  /** `genxai_workflow_node_executions_total`. */
  readonly node: OperationRecorder<NodeOperation>;
  /** The underlying prom-client metrics, by key, for anything the recorders don't cover. */
  readonly instruments: Readonly<Record<MetricKey, Instrument>>;
}

const guards = new WeakMap<Instrument, LabelSetGuard>();

const METRICS_OPTION_NAMES = {
  registry: true,
  maxLabelSetsPerMetric: true,
  prices: true,
  replaceDefaultPrices: true,
  defaultMetrics: true,
  onWarning: true,
  genAiSemconvMetrics: true,
} satisfies Record<keyof MetricsOptions, true>;

/**
 * The GenAI client metrics the LLM recorder records. The streaming metrics of
 * {@link GEN_AI_METRICS} (`clientOperationTimeToFirstChunkSeconds`,
 * `clientOperationTimePerOutputChunkSeconds`) join this list with the
 * streaming recorder that records them: registered now, they would put empty
 * families in every scrape, as if streaming calls were measured and none made.
 */
const RECORDED_GEN_AI_METRICS = [
  'clientTokenUsage',
  'clientOperationDurationSeconds',
  'clientOperationTimeToFirstChunkSeconds',
  'clientOperationTimePerOutputChunkSeconds',
] as const satisfies readonly GenAiMetricKey[];

/** prom-client changes `inc`/`observe` to take `{ labels, value, exemplarLabels }` when exemplars are on. */
const supportsExemplars = (metric: Instrument) =>
  (metric as { enableExemplars?: boolean }).enableExemplars === true;

/**
 * Creates (or, on a registry that already has them, reuses) the 17 GenXAI
 * metrics and returns typed recorders for them.
 *
 * @example
 * const metrics = createMetrics({ registry: createMetricsRegistry() });
 * const answer = await metrics.agent.time({ agentId: 'planner' }, () => runAgent(task));
 */
export function createMetrics(options: MetricsOptions = {}): GenxaiMetrics {
  if (typeof options !== 'object' || options === null)
    invalidOption('createMetrics options', options, 'an object');
  checkOptionNames('createMetrics', options, METRICS_OPTION_NAMES);
  const registry = options.registry ?? getDefaultRegistry();
  if (typeof registry?.getSingleMetric !== 'function' || typeof registry.metrics !== 'function') {
    invalidOption('registry', registry, 'a prom-client Registry');
  }
  const cap = options.maxLabelSetsPerMetric ?? 2000;
  if (!(cap === Number.POSITIVE_INFINITY || (Number.isInteger(cap) && cap >= 1))) {
    invalidOption('maxLabelSetsPerMetric', cap, 'an integer ≥ 1, or Infinity');
  }
  const genAiSemconvMetrics = options.genAiSemconvMetrics ?? true;
  if (typeof genAiSemconvMetrics !== 'boolean') {
    invalidOption('genAiSemconvMetrics', genAiSemconvMetrics, 'true or false');
  }
  const prices = createPriceTable(options.prices, { replaceDefaults: options.replaceDefaultPrices });
  const warn = createWarnOnce(options.onWarning);
  const context: RecorderContext = {
    warn,
    safely: createSafeRecorder(warn, 'GENXAI_METRICS_RECORD_FAILED', '@genxai/metrics'),
  };

  const overflowCounter = getOrCreateInstrument(registry, SELF_METRICS.cardinalityOverflowTotal) as Counter;
  const overflow = { metric: overflowCounter, exemplars: supportsExemplars(overflowCounter) };
  const instruments = {} as Record<MetricKey, Instrument>;
  const guardedInstrument = (definition: MetricDefinition): Guarded<never> => {
    const metric = getOrCreateInstrument(registry, definition);
    let guard = guards.get(metric);
    if (!guard) {
      const foldLabels = { metric: definition.name };
      guard = new LabelSetGuard(definition, cap, () => addToCounter(overflow, foldLabels, 1, undefined));
      guards.set(metric, guard);
      // Start every series at 0, so `rate()` and the dashboard show 0 rather than no data.
      addToCounter(overflow, foldLabels, 0, undefined);
    }
    return { metric: metric as never, guard, exemplars: supportsExemplars(metric) };
  };
  const guarded = {} as Record<MetricKey, Guarded<never>>;
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    guarded[key] = guardedInstrument(METRICS[key]);
    instruments[key] = guarded[key].metric;
  }
  const g = <M>(key: MetricKey) => guarded[key] as Guarded<M>;
  let genAi: GenAiInstruments | undefined;
  if (genAiSemconvMetrics) {
    const [tokenUsage, duration, timeToFirstChunk, timePerOutputChunk] = RECORDED_GEN_AI_METRICS.map((key) =>
      guardedInstrument(GEN_AI_METRICS[key]),
    ) as Guarded<Histogram>[];
    genAi = {
      tokenUsage: tokenUsage!,
      duration: duration!,
      timeToFirstChunk: timeToFirstChunk!,
      timePerOutputChunk: timePerOutputChunk!,
    };
  }

  if (options.defaultMetrics) {
    const config = options.defaultMetrics === true ? {} : options.defaultMetrics;
    if (!registry.getSingleMetric(`${config.prefix ?? ''}process_cpu_user_seconds_total`)) {
      collectDefaultMetrics({ ...config, register: registry as never });
    }
  }

  const label = (value: unknown, name: string) => labelValue(value, name, context);
  /**
   * The agent a tool call or LLM request is counted against: its own `agentId`, else the enclosing
   * agent execution's, cleaned as `genxai_agent_*` clean it; '' (absent) outside any agent.
   */
  const attributedAgent = (info: { agentId?: unknown }, enclosing: string | undefined): string => {
    let own: unknown;
    try {
      own = info.agentId;
    } catch {
      context.warn(
        `label:${LABEL.agentId}`,
        'GENXAI_METRICS_BAD_LABEL',
        `@genxai/metrics: reading agentId threw; the call is counted against the enclosing agent, if any.`,
      );
    }
    const agent = own === undefined ? enclosing : own;
    return agent === undefined ? '' : label(agent, LABEL.agentId);
  };
  // Registered with the first MCP request: a service without MCP gets no empty families.
  const mcpHistograms: Partial<Record<McpOperation['side'], Guarded<Histogram>>> = {};
  const mcp = new McpRecorder(context, (side) => {
    mcpHistograms[side] ??= guardedInstrument(
      side === 'server'
        ? MCP_METRICS.serverOperationDurationSeconds
        : MCP_METRICS.clientOperationDurationSeconds,
    ) as Guarded<Histogram>;
    return mcpHistograms[side];
  });
  return {
    registry,
    instruments,
    agent: new OperationRecorder<AgentOperation>(
      context,
      {
        total: g<Counter>('agentExecutionsTotal'),
        duration: g<Histogram>('agentExecutionDurationSeconds'),
        active: g<Gauge>('agentActiveExecutions'),
        errors: g<Counter>('agentErrorsTotal'),
      },
      (info) => [label(info.agentId, LABEL.agentId)],
    ),
    tool: new ToolRecorder(
      context,
      {
        total: g<Counter>('toolCallsTotal'),
        duration: g<Histogram>('toolExecutionDurationSeconds'),
        errors: g<Counter>('toolErrorsTotal'),
      },
      (info) => [label(info.toolName, LABEL.toolName)],
      mcp,
      attributedAgent,
    ),
    mcp,
    llm: new LlmRecorder(
      context,
      { total: g<Counter>('llmRequestsTotal'), duration: g<Histogram>('llmRequestDurationSeconds') },
      (info) => [label(info.provider, LABEL.provider), label(info.model, LABEL.model)],
      g<Counter>('llmTokensTotal'),
      g<Counter>('llmCostTotal'),
      prices,
      genAi,
      guardedInstrument(STREAM_METRICS.llmTimeToFirstTokenSeconds) as Guarded<Histogram>,
      attributedAgent,
    ),
    memory: new MemoryRecorder(
      context,
      {
        total: g<Counter>('memoryOperationsTotal'),
        duration: g<Histogram>('memoryOperationDurationSeconds'),
      },
      (info) => [label(info.operationType, LABEL.operationType), label(info.memoryType, LABEL.memoryType)],
      g<Gauge>('memorySizeBytes'),
    ),
    workflow: new OperationRecorder<WorkflowOperation>(
      context,
      {
        total: g<Counter>('workflowExecutionsTotal'),
        duration: g<Histogram>('workflowExecutionDurationSeconds'),
      },
      (info) => [label(info.workflowId, LABEL.workflowId)],
    ),
    node: new OperationRecorder<NodeOperation>(
      context,
      { total: g<Counter>('workflowNodeExecutionsTotal') },
      (info) => [label(info.workflowId, LABEL.workflowId), label(info.nodeId, LABEL.nodeId)],
    ),
  };
}
