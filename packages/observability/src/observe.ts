import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '@genxai/logging';
import type { Exemplar, GenxaiMetrics, LlmRecordOptions, OperationTimer } from '@genxai/metrics';
import {
  type AgentOperation,
  createLlmStreamReader,
  createSafeRecorder,
  errorType,
  isObservableStream,
  isSampled,
  type LlmOperation,
  type LlmResult,
  type McpOperation,
  type MemoryOperation,
  type NodeOperation,
  observeStream,
  resolveLlmResult,
  STATUS,
  type Status,
  type ToolOperation,
  type WarnOnce,
  type WorkflowOperation,
} from '@genxai/obs-core';
import type { SpanHelpers } from '@genxai/tracing';
import { context, type Span, trace } from '@opentelemetry/api';
import { LOG_FIELDS } from './names';
import type { LlmObserveOptions } from './operations';

/** The signals an observer records into; each may be off. */
export interface Signals {
  metrics?: GenxaiMetrics;
  spans?: SpanHelpers;
  logger?: Logger;
  warn: WarnOnce;
}

/** Runs `fn` as one observed operation, recording metrics, a span and log lines together. */
export type Observe<Info> = <Result>(
  info: Info,
  fn: (span: Span | undefined) => Result | Promise<Result>,
) => Promise<Awaited<Result>>;

/** Runs `fn` as one observed LLM request; the result is read once, and `options.readResult` is typed from it. */
export type ObserveLlm = <Result>(
  info: LlmOperation,
  fn: (span: Span | undefined) => Result | Promise<Result>,
  options?: LlmObserveOptions<Awaited<Result>>,
) => Promise<Awaited<Result>>;

/** The six wrappers. */
export interface Observers {
  /** An agent execution: active gauge, duration, status and errors; `agent.execute` span; start/finish/failure logs. */
  observeAgent: Observe<AgentOperation>;
  /** A tool call: `tool.execute` span, `genxai_tool_*` metrics, logs. */
  observeTool: Observe<ToolOperation>;
  /** An LLM request: `llm.generate` span with tokens, `genxai_llm_*` metrics with tokens and cost, logs. */
  observeLLM: ObserveLlm;
  /** A memory operation: `memory.<operation>` span, `genxai_memory_*` metrics, logs. */
  observeMemory: Observe<MemoryOperation>;
  /** A workflow execution: `workflow.execute` span, `genxai_workflow_*` metrics, logs. */
  observeWorkflow: Observe<WorkflowOperation>;
  /** A node execution: `node.<id>` span, `genxai_workflow_node_executions_total`, logs. */
  observeNode: Observe<NodeOperation>;
  /**
   * An MCP request other than a tool call (`tools/list`, `resources/read`, `prompts/get`, …): the
   * MCP conventions' span, `mcp_{client,server}_operation_duration_seconds`, logs. A tool call over
   * MCP is an `observeTool` whose info carries `mcp`. `@genxai/mcp` calls both.
   */
  observeMcp: Observe<McpOperation>;
  /**
   * The logger of the innermost observed operation, carrying its context
   * (`workflow_id`, `node_id`, `agent_id`, …), or the root logger outside one.
   * Undefined when logging is off.
   */
  currentLogger(): Logger | undefined;
}

/** How one kind of operation maps onto the three signals: every signal takes the same `Info`. */
interface Kind<Info> {
  span?: (info: Info, fn: (span: Span) => Promise<unknown>) => Promise<unknown>;
  /** `agentId`: the agent the operation is counted against (tool calls and LLM requests), from {@link agentOf}. */
  timer?: (info: Info, agentId: string | undefined) => OperationTimer<LlmRecordOptions>;
  /** Log context bound for the operation and everything inside it. */
  context: (info: Info) => Record<string, unknown>;
  /** Extra fields on the start line only. */
  startFields?: (info: Info) => Record<string, unknown> | undefined;
  /**
   * The agent this operation and the ones inside it are counted against, given the enclosing one:
   * an agent execution is its own, a tool call or LLM request names one or inherits it, the
   * server side of an MCP request has none. Without it, the enclosing agent. Never throws.
   */
  agentOf?: (info: Info, enclosing: string | undefined) => string | undefined;
  messages: readonly [start: string, finish: string, failure: string];
}

/**
 * What an observed operation hands to the operations inside it: its log context (every enclosing
 * operation's fields merged, the inner one winning, so a key is written once) and the child logger,
 * made only when a line is actually written; and the agent execution it is or runs in, which the
 * metrics of tool calls and LLM requests are counted against. One AsyncLocalStorage carries both.
 */
interface Scope {
  readonly context: Record<string, unknown>;
  logger?: Logger;
  readonly agentId: string | undefined;
}

const NO_CONTEXT: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** `info[key]`, read without throwing: a getter that throws reads as absent (the metrics read it again, and report it). */
function field(info: object, key: string): unknown {
  try {
    return (info as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** The operation's own `agentId`, if it names one. */
const ownAgentId = (info: object): string | undefined => field(info, 'agentId') as string | undefined;

/** Whether this is the handling side of an MCP request: it runs for the server, not for the calling agent. */
const isServerSide = (mcp: unknown): boolean =>
  typeof mcp === 'object' && mcp !== null && field(mcp, 'side') === 'server';

const F = LOG_FIELDS;

const LLM_MESSAGES = ['Starting LLM request', 'LLM request completed', 'LLM request failed'] as const;

const exemplarOf = (span: Span | undefined): Exemplar | undefined => {
  if (!span) return undefined;
  const context = span.spanContext();
  return isSampled(context) ? { traceId: context.traceId, spanId: context.spanId } : undefined;
};

/** What the LLM timer records from the normalized result: usage and the model that answered. */
function llmRecordOptions(exemplar: Exemplar | undefined, llm: LlmResult): LlmRecordOptions {
  const options: LlmRecordOptions = { exemplar };
  if (llm.usage !== undefined) options.usage = llm.usage;
  if (llm.responseModel !== undefined) options.responseModel = llm.responseModel;
  return options;
}

/** The log context of an MCP request: its method, and its session when it has one. */
const mcpContext = (info: McpOperation): Record<string, unknown> =>
  info.sessionId === undefined
    ? { [F.mcpMethod]: info.method }
    : { [F.mcpMethod]: info.method, [F.mcpSessionId]: info.sessionId };

const toolOverMcp = (info: ToolOperation): Record<string, unknown> => ({
  [F.toolName]: info.toolName,
  ...mcpContext(info.mcp!),
});

/** Builds the wrappers over whichever signals are on. */
export function createObservers(signals: Signals): Observers {
  const { metrics, spans, logger, warn } = signals;
  // With metrics alone it is entered only where the agent changes, for the attribution.
  const scope = logger || metrics ? new AsyncLocalStorage<Scope>() : undefined;
  const loggerOf = (log: Scope): Logger => {
    log.logger ??= logger!.child(log.context);
    return log.logger;
  };

  // Telemetry must never throw into the operation it observes.
  const safely = createSafeRecorder(warn, 'GENXAI_OBSERVE_FAILED', '@genxai/observability');

  /** Reads an LLM result once, for all three signals; a missing usage is reported once per model. */
  const readLlm = (info: LlmOperation, result: unknown, options: LlmObserveOptions<unknown> | undefined) => {
    const read = resolveLlmResult(result, options?.readResult, (problem) =>
      warn(
        `read-result:${problem.split(' ')[0]}`,
        'GENXAI_OBSERVE_BAD_RESULT',
        `@genxai/observability: ${problem}; the default reading of the LLM result was kept.`,
      ),
    );
    if (read.usage === undefined) {
      const model = typeof info.model === 'string' ? info.model : '';
      warn(
        `usage:${model}`,
        'GENXAI_OBSERVE_NO_USAGE',
        `@genxai/observability: an LLM result of model ${JSON.stringify(model)} had no readable token usage ` +
          '(non-negative integer input and output counts); its tokens and cost were not recorded. ' +
          'Pass { readResult: (result) => ({ usage: { inputTokens, outputTokens } }) } to observeLLM.',
      );
    }
    return read;
  };

  /** What a streamed LLM request carries from its start to the end of its stream. */
  interface StreamedCall {
    info: LlmOperation;
    span: Span | undefined;
    timer: OperationTimer<LlmRecordOptions> | undefined;
    log: Scope | undefined;
    started: number;
    exemplar: Exemplar | undefined;
  }

  // The longest list of chunk intervals kept for a request (the metric takes at most as many).
  const MAX_CHUNK_INTERVALS = 10_000;

  /**
   * Records a streamed LLM request when its stream ends: the timer (success, cancelled or error, with
   * usage, response model, time to first token and the chunk intervals), the span's result, and the
   * finish or failure line — written in the LLM span's context, so it carries that span's ids.
   */
  function watchStream(stream: object, call: StreamedCall): void {
    const reader = createLlmStreamReader();
    let firstChunkAt: number | undefined;
    let lastChunkAt = 0;
    const intervals: number[] = [];
    observeStream(stream, {
      onChunk(chunk) {
        if (!reader.read(chunk)) return;
        const now = performance.now();
        if (firstChunkAt === undefined) firstChunkAt = now;
        else if (intervals.length < MAX_CHUNK_INTERVALS) intervals.push((now - lastChunkAt) / 1000);
        lastChunkAt = now;
      },
      onEnd(outcome, error) {
        const finish = () =>
          safely('a stream end', () => {
            const llm = reader.result();
            // The span reads the same stream itself (its completion too, with content capture on).
            if (outcome === 'error') {
              call.timer?.fail(error, { exemplar: call.exemplar });
              logFailure(call.log, call.started, error, LLM_MESSAGES[2]);
              return;
            }
            if (llm.usage === undefined && outcome === 'success') noStreamUsage(call.info);
            const recorded = llmRecordOptions(call.exemplar, llm);
            if (firstChunkAt !== undefined)
              recorded.timeToFirstChunkSeconds = (firstChunkAt - call.started) / 1000;
            if (intervals.length > 0) recorded.outputChunkSeconds = intervals;
            if (outcome === 'cancelled') call.timer?.cancel(recorded);
            else call.timer?.succeed(recorded);
            logFinish(
              call.log,
              call.started,
              outcome === 'cancelled' ? STATUS.cancelled : STATUS.success,
              llm,
              LLM_MESSAGES[1],
              call.info.model,
            );
          });
        if (call.span) context.with(trace.setSpan(context.active(), call.span), finish);
        else finish();
      },
    });
  }

  /** A streamed response that reported no usage: said once per model, never guessed. */
  const noStreamUsage = (info: LlmOperation) => {
    const model = typeof info.model === 'string' ? info.model : '';
    warn(
      `stream-usage:${model}`,
      'GENXAI_OBSERVE_NO_USAGE',
      `@genxai/observability: a streamed response of model ${JSON.stringify(model)} reported no token usage; its ` +
        'tokens and cost were not recorded. OpenAI sends it with stream_options: { include_usage: true }.',
    );
  };

  // The finish and failure lines: literal objects with fixed keys, on every operation's path.
  const logFinish = (
    log: Scope | undefined,
    started: number,
    status: Status,
    llm: LlmResult | undefined,
    message: string,
    model?: unknown,
  ) => {
    if (!log || !logger?.isLevelEnabled('info')) return;
    const duration = (performance.now() - started) / 1000;
    if (llm === undefined) {
      loggerOf(log).info({ [F.status]: status, [F.duration]: duration }, message);
      return;
    }
    loggerOf(log).info(llmFinishFields(status, duration, llm, model), message);
  };

  // An LLM request's finish line: its tokens (input, output, cached), cost and the model that answered.
  const llmFinishFields = (status: Status, duration: number, llm: LlmResult, model: unknown) => {
    const fields: Record<string, unknown> = { [F.status]: status, [F.duration]: duration };
    const usage = llm.usage;
    if (usage !== undefined) {
      fields[F.tokensUsed] = usage.inputTokens + usage.outputTokens;
      fields[F.inputTokens] = usage.inputTokens;
      fields[F.outputTokens] = usage.outputTokens;
      if (usage.cachedInputTokens !== undefined) fields[F.cachedTokens] = usage.cachedInputTokens;
      const cost = typeof model === 'string' ? metrics?.llm.prices.costOf(model, usage) : undefined;
      if (cost !== undefined) fields[F.costUsd] = cost;
    }
    if (llm.responseModel !== undefined) fields[F.responseModel] = llm.responseModel;
    return fields;
  };

  const logFailure = (log: Scope | undefined, started: number, error: unknown, message: string) => {
    if (!log || !logger?.isLevelEnabled('error')) return;
    const duration = (performance.now() - started) / 1000;
    loggerOf(log).error(
      { [F.status]: STATUS.error, [F.duration]: duration, [F.errorType]: errorType(error), err: error },
      message,
    );
  };

  function observer<Info>(kind: Kind<Info>, isLlm = false) {
    const [startMessage, finishMessage, failureMessage] = kind.messages;
    return <Result>(
      given: Info,
      fn: (span: Span | undefined) => Result | Promise<Result>,
      options?: LlmObserveOptions<unknown>,
    ): Promise<Awaited<Result>> => {
      const info = (given ?? {}) as Info;
      // No async function and no closure per step: this runs on every operation of the application.
      const run = (span: Span | undefined): Promise<Awaited<Result>> => {
        // The exemplar is for the metrics, the start time for the metrics and the log lines.
        const exemplar = metrics ? exemplarOf(span) : undefined;
        let timer: OperationTimer<LlmRecordOptions> | undefined;
        let log: Scope | undefined;
        const started = metrics || logger ? performance.now() : 0;
        try {
          const parent = scope?.getStore();
          const agentId = kind.agentOf ? kind.agentOf(info, parent?.agentId) : parent?.agentId;
          timer = kind.timer?.(info, agentId);
          if (scope && logger) {
            log = { context: { ...parent?.context, ...kind.context(info) }, agentId };
            if (logger.isLevelEnabled('debug'))
              loggerOf(log).debug(kind.startFields?.(info) ?? {}, startMessage);
          } else if (scope && agentId !== parent?.agentId) {
            // Metrics alone: entered only where the agent changes.
            log = { context: NO_CONTEXT, agentId };
          }
        } catch (error) {
          safely.failed('the start', error);
        }
        const fail = (error: unknown): never => {
          try {
            timer?.fail(error, { exemplar });
            logFailure(log, started, error, failureMessage);
          } catch (failure) {
            safely.failed('the failure', failure);
          }
          throw error;
        };
        const succeed = (result: Awaited<Result>): Awaited<Result> => {
          // A streamed response: the request ends when the stream does, not when it is handed over.
          if (isLlm && isObservableStream(result)) {
            try {
              watchStream(result as object, {
                info: info as LlmOperation,
                span,
                timer,
                log,
                started,
                exemplar,
              });
            } catch (error) {
              safely.failed('a stream', error);
            }
            return result;
          }
          // Reading the result and recording the outcome are separate steps: a result that cannot
          // be read loses its usage, never the request count, the duration or the finish line.
          let llm: LlmResult | undefined;
          if (isLlm)
            try {
              llm = readLlm(info as LlmOperation, result, options);
              if (span && spans) spans.recordLlmResult(span, llm, result);
            } catch (error) {
              safely.failed('the LLM result', error);
            }
          try {
            if (llm === undefined) timer?.succeed({ exemplar });
            else timer?.succeed(llmRecordOptions(exemplar, llm));
            logFinish(log, started, STATUS.success, llm, finishMessage, llm && (info as LlmOperation).model);
          } catch (error) {
            safely.failed('the success', error);
          }
          return result;
        };
        let result: Result | Promise<Result>;
        try {
          result = log && scope ? scope.run(log, fn, span) : fn(span);
        } catch (error) {
          // A function that throws at once still gives the caller a rejected promise.
          return Promise.reject(error).catch(fail);
        }
        return Promise.resolve(result).then(succeed, fail) as Promise<Awaited<Result>>;
      };
      return (kind.span ? kind.span(info, run) : run(undefined)) as Promise<Awaited<Result>>;
    };
  }

  return {
    observeAgent: observer<AgentOperation>({
      span: spans?.withAgentSpan,
      timer: metrics && ((info) => metrics.agent.start(info)),
      context: (info) =>
        info.role === undefined
          ? { [F.agentId]: info.agentId }
          : { [F.agentId]: info.agentId, [F.agentRole]: info.role },
      startFields: (info) => (info.task === undefined ? undefined : { [F.task]: info.task }),
      // Its own id, whatever it is (the metrics clean it as they clean the agent's own label); an
      // agent without one still is one, not "outside any agent".
      agentOf: (info) => (ownAgentId(info) ?? '') as string,
      messages: ['Starting agent execution', 'Agent execution completed', 'Agent execution failed'],
    }),
    observeTool: observer<ToolOperation>({
      span: spans?.withToolSpan,
      timer: metrics && ((info, agentId) => metrics.tool.start(info, agentId)),
      // The server side of an MCP call is the server's, not the calling agent's, even in one process.
      agentOf: (info, enclosing) =>
        isServerSide(field(info, 'mcp')) ? ownAgentId(info) : (ownAgentId(info) ?? enclosing),
      context: (info) => (info.mcp === undefined ? { [F.toolName]: info.toolName } : toolOverMcp(info)),
      messages: ['Starting tool call', 'Tool call completed', 'Tool call failed'],
    }),
    observeMcp: observer<McpOperation>({
      span: spans?.withMcpSpan,
      timer: metrics && ((info) => metrics.mcp.start(info)),
      agentOf: (info, enclosing) => (isServerSide(info) ? undefined : enclosing),
      context: mcpContext,
      messages: ['Starting MCP request', 'MCP request completed', 'MCP request failed'],
    }),
    observeLLM: observer<LlmOperation>(
      {
        span: spans?.withLlmSpan,
        timer: metrics && ((info, agentId) => metrics.llm.start(info, agentId)),
        agentOf: (info, enclosing) => ownAgentId(info) ?? enclosing,
        context: (info) => ({ [F.provider]: info.provider, [F.model]: info.model }),
        messages: LLM_MESSAGES,
      },
      true,
    ) as ObserveLlm,
    observeMemory: observer<MemoryOperation>({
      span: spans?.withMemorySpan,
      timer: metrics && ((info) => metrics.memory.start(info)),
      context: (info) => ({ [F.operationType]: info.operationType, [F.memoryType]: info.memoryType }),
      messages: ['Starting memory operation', 'Memory operation completed', 'Memory operation failed'],
    }),
    observeWorkflow: observer<WorkflowOperation>({
      span: spans?.withWorkflowSpan,
      timer: metrics && ((info) => metrics.workflow.start(info)),
      context: (info) => ({ [F.workflowId]: info.workflowId }),
      messages: ['Starting workflow execution', 'Workflow execution completed', 'Workflow execution failed'],
    }),
    observeNode: observer<NodeOperation>({
      span: spans?.withNodeSpan,
      timer: metrics && ((info) => metrics.node.start(info)),
      context: (info) =>
        info.type === undefined
          ? { [F.workflowId]: info.workflowId, [F.nodeId]: info.nodeId }
          : { [F.workflowId]: info.workflowId, [F.nodeId]: info.nodeId, [F.nodeType]: info.type },
      messages: ['Starting node execution', 'Node execution completed', 'Node execution failed'],
    }),
    currentLogger: () => {
      const log = logger && scope?.getStore();
      return log ? loggerOf(log) : logger;
    },
  };
}
