import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '@genxai/logging';
import {
  type Exemplar,
  type GenxaiMetrics,
  type LlmRecordOptions,
  type OperationTimer,
  type TokenUsage,
  usageProblem,
} from '@genxai/metrics';
import { createSafeRecorder, errorType, llmResultFields, type WarnOnce } from '@genxai/obs-core';
import type { SpanHelpers } from '@genxai/tracing';
import { type Span, TraceFlags } from '@opentelemetry/api';
import { LOG_FIELDS } from './names';
import type {
  AgentOperation,
  LlmObserveOptions,
  LlmOperation,
  MemoryOperation,
  NodeOperation,
  ToolOperation,
  WorkflowOperation,
} from './operations';

/** The signals an observer records into; each may be off. */
export interface Signals {
  metrics?: GenxaiMetrics;
  spans?: SpanHelpers;
  logger?: Logger;
  warn: WarnOnce;
}

/** Runs `fn` as one observed operation, recording metrics, a span and log lines together. */
export type Observe<Info, Options = undefined> = <Result>(
  info: Info,
  fn: (span: Span | undefined) => Result | Promise<Result>,
  ...options: Options extends undefined ? [] : [options?: Options]
) => Promise<Result>;

/** The six wrappers. */
export interface Observers {
  /** An agent execution: active gauge, duration, status and errors; `agent.execute` span; start/finish/failure logs. */
  observeAgent: Observe<AgentOperation>;
  /** A tool call: `tool.execute` span, `genxai_tool_*` metrics, logs. */
  observeTool: Observe<ToolOperation>;
  /** An LLM request: `llm.generate` span with tokens, `genxai_llm_*` metrics with tokens and cost, logs. */
  observeLLM: Observe<LlmOperation, LlmObserveOptions<unknown>>;
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

/** How one kind of operation maps onto the three signals. */
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
  return (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED
    ? { traceId: context.traceId, spanId: context.spanId }
    : undefined;
};

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

  /** The usage of an LLM result, or undefined (reported once) when it carries none that can be recorded. */
  const usageOf = (result: unknown): TokenUsage | undefined => {
    const usage = llmResultFields(result)?.usage;
    if (usage?.inputTokens !== undefined && usage.outputTokens !== undefined) {
      const { totalTokens: _, ...counts } = usage;
      return counts as TokenUsage;
    }
    warn(
      'usage',
      'GENXAI_OBSERVE_NO_USAGE',
      '@genxai/observability: an LLM result had no readable token usage (non-negative integer input and output ' +
        'counts); its tokens and cost were not recorded. Pass { usage: (result) => ({ inputTokens, outputTokens }) } to observeLLM.',
    );
    return undefined;
  };

  function observer<
    Info,
    Options extends { usage?: (result: never) => TokenUsage | undefined } | undefined = undefined,
  >(kind: Kind<Info>, isLlm = false): Observe<Info, Options> {
    const [startMessage, finishMessage, failureMessage] = kind.messages;
    return (<Result>(
      given: Info,
      fn: (span: Span | undefined) => Result | Promise<Result>,
      options?: Options,
    ) => {
      const info = (given ?? {}) as Info;
      const run = async (span: Span | undefined): Promise<Result> => {
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
          safely('the success', () => {
            let usage: TokenUsage | undefined;
            const extract = isLlm ? (options as LlmObserveOptions<Result> | undefined)?.usage : undefined;
            // The default reading is only for metrics and logs: tracing reads the result itself.
            if (extract || (isLlm && (timer !== undefined || log !== undefined))) {
              usage = extract ? extract(result) : usageOf(result);
              if (extract && usage && usageProblem(usage) === undefined && span && spans) {
                spans.recordLlmResponse(span, {
                  usage: {
                    promptTokens: usage.inputTokens,
                    completionTokens: usage.outputTokens,
                    totalTokens: usage.inputTokens + usage.outputTokens,
                  },
                });
              }
            }
            timer?.succeed(usage ? { exemplar, usage } : { exemplar });
            if (log && logger?.isLevelEnabled('info')) {
              loggerOf(log).info(
                {
                  [F.status]: 'success',
                  [F.duration]: (performance.now() - started) / 1000,
                  ...(usage ? { [F.tokensUsed]: usage.inputTokens + usage.outputTokens } : {}),
                },
                finishMessage,
              );
            }
          });
          return result;
        } catch (error) {
          safely('the failure', () => {
            timer?.fail(error, { exemplar });
            if (log && logger?.isLevelEnabled('error')) {
              loggerOf(log).error(
                {
                  [F.status]: 'error',
                  [F.duration]: (performance.now() - started) / 1000,
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
      return (kind.span ? kind.span(info, run) : run(undefined)) as Promise<Result>;
    }) as Observe<Info, Options>;
  }

  return {
    observeAgent: observer<AgentOperation>({
      span:
        spans &&
        ((info, fn) =>
          spans.withAgentSpan({ id: info.agentId, role: info.role, name: info.name, task: info.task }, fn)),
      timer: metrics && ((info) => metrics.agent.start({ agentId: info.agentId })),
      context: (info) =>
        info.role === undefined
          ? { [F.agentId]: info.agentId }
          : { [F.agentId]: info.agentId, [F.agentRole]: info.role },
      startFields: (info) => (info.task === undefined ? undefined : { [F.task]: info.task }),
      messages: ['Starting agent execution', 'Agent execution completed', 'Agent execution failed'],
    }),
    observeTool: observer<ToolOperation>({
      span:
        spans &&
        ((info, fn) =>
          spans.withToolSpan({ name: info.toolName, parameters: info.parameters, callId: info.callId }, fn)),
      timer: metrics && ((info) => metrics.tool.start({ toolName: info.toolName })),
      context: (info) => ({ [F.toolName]: info.toolName }),
      messages: ['Starting tool call', 'Tool call completed', 'Tool call failed'],
    }),
    observeLLM: observer<LlmOperation, LlmObserveOptions<unknown>>(
      {
        span:
          spans &&
          ((info, fn) =>
            spans.withLlmSpan({ provider: info.provider, model: info.model, prompt: info.prompt }, fn)),
        timer: metrics && ((info) => metrics.llm.start({ provider: info.provider, model: info.model })),
        context: (info) => ({ [F.provider]: info.provider, [F.model]: info.model }),
        messages: ['Starting LLM request', 'LLM request completed', 'LLM request failed'],
      },
      true,
    ) as Observers['observeLLM'],
    observeMemory: observer<MemoryOperation>({
      span:
        spans &&
        ((info, fn) => spans.withMemorySpan({ operation: info.operationType, type: info.memoryType }, fn)),
      timer: metrics && ((info) => metrics.memory.start(info)),
      context: (info) => ({ [F.operationType]: info.operationType, [F.memoryType]: info.memoryType }),
      messages: ['Starting memory operation', 'Memory operation completed', 'Memory operation failed'],
    }),
    observeWorkflow: observer<WorkflowOperation>({
      span: spans && ((info, fn) => spans.withWorkflowSpan({ id: info.workflowId, name: info.name }, fn)),
      timer: metrics && ((info) => metrics.workflow.start({ workflowId: info.workflowId })),
      context: (info) => ({ [F.workflowId]: info.workflowId }),
      messages: ['Starting workflow execution', 'Workflow execution completed', 'Workflow execution failed'],
    }),
    observeNode: observer<NodeOperation>({
      span: spans && ((info, fn) => spans.withNodeSpan({ id: info.nodeId, type: info.type }, fn)),
      timer: metrics && ((info) => metrics.node.start({ workflowId: info.workflowId, nodeId: info.nodeId })),
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
