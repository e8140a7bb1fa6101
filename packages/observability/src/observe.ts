import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '@genxai/logging';
import type { Exemplar, GenxaiMetrics, LlmRecordOptions, OperationTimer } from '@genxai/metrics';
import {
  type AgentOperation,
  createSafeRecorder,
  errorType,
  isSampled,
  type LlmOperation,
  type LlmResult,
  type MemoryOperation,
  type NodeOperation,
  resolveLlmResult,
  STATUS,
  type ToolOperation,
  type WarnOnce,
  type WorkflowOperation,
} from '@genxai/obs-core';
import type { SpanHelpers } from '@genxai/tracing';
import type { Span } from '@opentelemetry/api';
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
   * The logger of the innermost observed operation, carrying its context
   * (`workflow_id`, `node_id`, `agent_id`, …), or the root logger outside one.
   * Undefined when logging is off.
   */
  currentLogger(): Logger | undefined;
}

/** How one kind of operation maps onto the three signals: every signal takes the same `Info`. */
interface Kind<Info> {
  span?: (info: Info, fn: (span: Span) => Promise<unknown>) => Promise<unknown>;
  timer?: (info: Info) => OperationTimer<LlmRecordOptions>;
  /** Log context bound for the operation and everything inside it. */
  context: (info: Info) => Record<string, unknown>;
  /** Extra fields on the start line only. */
  startFields?: (info: Info) => Record<string, unknown> | undefined;
  messages: readonly [start: string, finish: string, failure: string];
}

/**
 * The log context of an observed operation: every enclosing operation's fields
 * merged (the inner one wins, so a key is written once), and the child logger,
 * made only when a line is actually written.
 */
interface LogScope {
  readonly context: Record<string, unknown>;
  logger?: Logger;
}

const F = LOG_FIELDS;

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

/** Builds the wrappers over whichever signals are on. */
export function createObservers(signals: Signals): Observers {
  const { metrics, spans, logger, warn } = signals;
  const scope = logger ? new AsyncLocalStorage<LogScope>() : undefined;
  const loggerOf = (log: LogScope): Logger => {
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

  function observer<Info>(kind: Kind<Info>, isLlm = false) {
    const [startMessage, finishMessage, failureMessage] = kind.messages;
    return <Result>(
      given: Info,
      fn: (span: Span | undefined) => Result | Promise<Result>,
      options?: LlmObserveOptions<unknown>,
    ): Promise<Awaited<Result>> => {
      const info = (given ?? {}) as Info;
      const run = async (span: Span | undefined): Promise<Awaited<Result>> => {
        const exemplar = exemplarOf(span);
        let timer: OperationTimer<LlmRecordOptions> | undefined;
        let log: LogScope | undefined;
        const started = performance.now();
        safely('the start', () => {
          timer = kind.timer?.(info);
          if (scope && logger) {
            log = { context: { ...scope.getStore()?.context, ...kind.context(info) } };
            if (logger.isLevelEnabled('debug'))
              loggerOf(log).debug(kind.startFields?.(info) ?? {}, startMessage);
          }
        });
        const body = () => fn(span);
        try {
          const result = await (log && scope ? scope.run(log, body) : body());
          // Reading the result and recording the outcome are separate steps: a result that cannot
          // be read loses its usage, never the request count, the duration or the finish line.
          let llm: LlmResult | undefined;
          if (isLlm)
            safely('the LLM result', () => {
              llm = readLlm(info as LlmOperation, result, options);
              if (span && spans) spans.recordLlmResult(span, llm, result);
            });
          safely('the success', () => {
            const usage = llm?.usage;
            if (llm === undefined) timer?.succeed({ exemplar });
            else timer?.succeed(llmRecordOptions(exemplar, llm));
            // Literal objects with fixed keys: the finish and failure lines are on every operation's path.
            if (log && logger?.isLevelEnabled('info')) {
              const duration = (performance.now() - started) / 1000;
              loggerOf(log).info(
                usage
                  ? {
                      [F.status]: STATUS.success,
                      [F.duration]: duration,
                      [F.tokensUsed]: usage.inputTokens + usage.outputTokens,
                    }
                  : { [F.status]: STATUS.success, [F.duration]: duration },
                finishMessage,
              );
            }
          });
          return result;
        } catch (error) {
          safely('the failure', () => {
            timer?.fail(error, { exemplar });
            if (log && logger?.isLevelEnabled('error')) {
              const duration = (performance.now() - started) / 1000;
              loggerOf(log).error(
                {
                  [F.status]: STATUS.error,
                  [F.duration]: duration,
                  [F.errorType]: errorType(error),
                  err: error,
                },
                failureMessage,
              );
            }
          });
          throw error;
        }
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
      messages: ['Starting agent execution', 'Agent execution completed', 'Agent execution failed'],
    }),
    observeTool: observer<ToolOperation>({
      span: spans?.withToolSpan,
      timer: metrics && ((info) => metrics.tool.start(info)),
      context: (info) => ({ [F.toolName]: info.toolName }),
      messages: ['Starting tool call', 'Tool call completed', 'Tool call failed'],
    }),
    observeLLM: observer<LlmOperation>(
      {
        span: spans?.withLlmSpan,
        timer: metrics && ((info) => metrics.llm.start(info)),
        context: (info) => ({ [F.provider]: info.provider, [F.model]: info.model }),
        messages: ['Starting LLM request', 'LLM request completed', 'LLM request failed'],
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
      const log = scope?.getStore();
      return log ? loggerOf(log) : logger;
    },
  };
}
