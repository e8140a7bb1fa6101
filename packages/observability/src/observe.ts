import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '@genxai/logging';
import type { Exemplar, GenxaiMetrics, LlmRecordOptions, OperationTimer, TokenUsage } from '@genxai/metrics';
import { createSafeRecorder, errorType, llmResultFields, type WarnOnce } from '@genxai/obs-core';
import type { SpanHelpers } from '@genxai/tracing';
import { type Span, TraceFlags } from '@opentelemetry/api';
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
  /** Log context bound for the operation and everything inside it; `nested` when inside another observed operation. */
  context: (info: Info, nested: boolean) => Record<string, unknown>;
  /** Extra fields on the start line only. */
  startFields?: (info: Info) => Record<string, unknown> | undefined;
  messages: readonly [start: string, finish: string, failure: string];
}

const exemplarOf = (span: Span | undefined): Exemplar | undefined => {
  if (!span) return undefined;
  const context = span.spanContext();
  return (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED
    ? { traceId: context.traceId, spanId: context.spanId }
    : undefined;
};

function toTokenUsage(result: unknown): TokenUsage | undefined {
  const usage = llmResultFields(result)?.usage;
  if (usage?.inputTokens === undefined || usage.outputTokens === undefined) return undefined;
  const { totalTokens: _, ...counts } = usage;
  return counts as TokenUsage;
}

/** Builds the wrappers over whichever signals are on. */
export function createObservers(signals: Signals): Observers {
  const { metrics, spans, logger, warn } = signals;
  const scope = logger ? new AsyncLocalStorage<Logger>() : undefined;

  // Telemetry must never throw into the operation it observes.
  const safely = createSafeRecorder(warn, 'GENXAI_OBSERVE_FAILED', '@genxai/observability');

  function observer<
    Info,
    Options extends { usage?: (result: never) => TokenUsage | undefined } | undefined = undefined,
  >(kind: Kind<Info>): Observe<Info, Options> {
    const [startMessage, finishMessage, failureMessage] = kind.messages;
    return (<Result>(
      info: Info,
      fn: (span: Span | undefined) => Result | Promise<Result>,
      options?: Options,
    ) => {
      const run = async (span: Span | undefined): Promise<Result> => {
        const exemplar = exemplarOf(span);
        let timer: OperationTimer<LlmRecordOptions> | undefined;
        let log: Logger | undefined;
        const started = performance.now();
        safely('start', () => {
          timer = kind.timer?.(info);
          if (scope && logger) {
            const parent = scope.getStore();
            log = (parent ?? logger).child(kind.context(info, parent !== undefined));
            if (log.isLevelEnabled('debug')) log.debug(kind.startFields?.(info) ?? {}, startMessage);
          }
        });
        const body = () => fn(span);
        try {
          const result = await (log && scope ? scope.run(log, body) : body());
          safely('success', () => {
            let usage: TokenUsage | undefined;
            if (kind === llmKind) {
              const extract = (options as LlmObserveOptions<Result> | undefined)?.usage;
              usage = extract ? extract(result) : toTokenUsage(result);
              if (extract && usage && span && spans) {
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
            log?.info(
              {
                status: 'success',
                duration: (performance.now() - started) / 1000,
                ...(usage ? { tokens_used: usage.inputTokens + usage.outputTokens } : {}),
              },
              finishMessage,
            );
          });
          return result;
        } catch (error) {
          safely('failure', () => {
            timer?.fail(error, { exemplar });
            log?.error(
              {
                status: 'error',
                duration: (performance.now() - started) / 1000,
                error_type: errorType(error),
                err: error,
              },
              failureMessage,
            );
          });
          throw error;
        }
      };
      return (kind.span ? kind.span(info, run) : run(undefined)) as Promise<Result>;
    }) as Observe<Info, Options>;
  }

  const llmKind: Kind<LlmOperation> = {
    span:
      spans &&
      ((info, fn) =>
        spans.withLlmSpan({ provider: info.provider, model: info.model, prompt: info.prompt }, fn)),
    timer: metrics && ((info) => metrics.llm.start({ provider: info.provider, model: info.model })),
    context: (info) => ({ provider: info.provider, model: info.model }),
    messages: ['Starting LLM request', 'LLM request completed', 'LLM request failed'],
  };

  return {
    observeAgent: observer<AgentOperation>({
      span:
        spans &&
        ((info, fn) =>
          spans.withAgentSpan({ id: info.agentId, role: info.role, name: info.name, task: info.task }, fn)),
      timer: metrics && ((info) => metrics.agent.start({ agentId: info.agentId })),
      context: (info) =>
        info.role === undefined
          ? { agent_id: info.agentId }
          : { agent_id: info.agentId, agent_role: info.role },
      startFields: (info) => (info.task === undefined ? undefined : { task: info.task }),
      messages: ['Starting agent execution', 'Agent execution completed', 'Agent execution failed'],
    }),
    observeTool: observer<ToolOperation>({
      span:
        spans &&
        ((info, fn) =>
          spans.withToolSpan({ name: info.toolName, parameters: info.parameters, callId: info.callId }, fn)),
      timer: metrics && ((info) => metrics.tool.start({ toolName: info.toolName })),
      context: (info) => ({ tool_name: info.toolName }),
      messages: ['Starting tool call', 'Tool call completed', 'Tool call failed'],
    }),
    observeLLM: observer<LlmOperation, LlmObserveOptions<unknown>>(llmKind) as Observers['observeLLM'],
    observeMemory: observer<MemoryOperation>({
      span:
        spans &&
        ((info, fn) => spans.withMemorySpan({ operation: info.operationType, type: info.memoryType }, fn)),
      timer: metrics && ((info) => metrics.memory.start(info)),
      context: (info) => ({ operation_type: info.operationType, memory_type: info.memoryType }),
      messages: ['Starting memory operation', 'Memory operation completed', 'Memory operation failed'],
    }),
    observeWorkflow: observer<WorkflowOperation>({
      span: spans && ((info, fn) => spans.withWorkflowSpan({ id: info.workflowId, name: info.name }, fn)),
      timer: metrics && ((info) => metrics.workflow.start({ workflowId: info.workflowId })),
      context: (info) => ({ workflow_id: info.workflowId }),
      messages: ['Starting workflow execution', 'Workflow execution completed', 'Workflow execution failed'],
    }),
    observeNode: observer<NodeOperation>({
      span: spans && ((info, fn) => spans.withNodeSpan({ id: info.nodeId, type: info.type }, fn)),
      timer: metrics && ((info) => metrics.node.start({ workflowId: info.workflowId, nodeId: info.nodeId })),
      // Inside its workflow, the workflow's logger already carries workflow_id.
      context: (info, nested) => ({
        ...(nested ? {} : { workflow_id: info.workflowId }),
        node_id: info.nodeId,
        ...(info.type === undefined ? {} : { node_type: info.type }),
      }),
      messages: ['Starting node execution', 'Node execution completed', 'Node execution failed'],
    }),
    currentLogger: () => scope?.getStore() ?? logger,
  };
}
