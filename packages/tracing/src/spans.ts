import {
  createSafeRecorder,
  createWarnOnce,
  errorType,
  invalidOption,
  llmResultFields,
  type WarningHandler,
} from '@genxai/obs-core';
import {
  type Attributes,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { ATTR, SPAN_NAME, STATUS } from './attributes';
import {
  type ContentCaptureOptions,
  type ContentRecorder,
  createContentRecorder,
  safeStringify,
} from './content';
import {
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  GEN_AI_OPERATION,
} from './semconv';

/** The instrumentation scope name of the spans this package creates. */
export const TRACER_NAME = '@genxai/tracing';

/** What an `agent.execute` span records. */
export interface AgentSpanInfo {
  /** `agent.id` and `gen_ai.agent.id`. */
  id: string;
  /** `agent.role`. */
  role?: string;
  /** `gen_ai.agent.name`, and the name in semconv span names. @default id */
  name?: string;
  /** `task`: user content, recorded redacted and truncated (see content capture). */
  task?: unknown;
}

/** What a `tool.execute` span records. */
export interface ToolSpanInfo {
  /** `tool.name` and `gen_ai.tool.name`. */
  name: string;
  /** `tool.parameters`: user content, recorded redacted and truncated. */
  parameters?: unknown;
  /** `gen_ai.tool.call.id`, the id the model gave the call. */
  callId?: string;
}

/** What an `llm.generate` span records when it starts. */
export interface LlmSpanInfo {
  /** `llm.provider` and `gen_ai.provider.name` (e.g. `openai`, `anthropic`). */
  provider: string;
  /** `llm.model` and `gen_ai.request.model`. */
  model: string;
  /** The prompt: its length goes to `llm.prompt_length`, its text (redacted) to `llm.prompt`. */
  prompt?: string;
  /** `llm.prompt_length` when the prompt text is not given. */
  promptLength?: number;
}

/** Token counts, in the seed's names. */
export interface LlmUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

/** What an `llm.generate` span records when the response arrives. */
export interface LlmResponseInfo {
  /** The completion: its length goes to `llm.completion_length`, its text (redacted) to `llm.completion`. */
  completion?: string;
  /** `llm.completion_length` when the text is not given. */
  completionLength?: number;
  /** `llm.tokens.*`, `gen_ai.usage.input_tokens` and `gen_ai.usage.output_tokens`. */
  usage?: LlmUsage;
  /** `gen_ai.response.model`. */
  responseModel?: string;
}

/** What a `memory.<operation>` span records. */
export interface MemorySpanInfo {
  /** `memory.operation` and the span name suffix: `store`, `retrieve`, `search`, … */
  operation: string;
  /** `memory.type`: `short_term`, `long_term`, `vector`, … */
  type: string;
}

/** What a `workflow.execute` span records. */
export interface WorkflowSpanInfo {
  /** `workflow.id`. */
  id: string;
  /** `gen_ai.workflow.name`. @default id */
  name?: string;
}

/** What a `node.<id>` span records. */
export interface NodeSpanInfo {
  /** `node.id` and the span name suffix. */
  id: string;
  /** `node.type`. */
  type?: string;
}

/**
 * Span names: `'seed'` uses the plan's names (`agent.execute`, `llm.generate`, …);
 * `'semconv'` uses the OTel GenAI names (`invoke_agent {name}`, `execute_tool {name}`,
 * `chat {model}`, `invoke_workflow {name}`). Memory and node spans keep the seed names.
 */
export type SpanNaming = 'seed' | 'semconv';

/** Options of {@link createSpanHelpers}. */
export interface SpanHelpersOptions {
  /** The tracer to use. Takes precedence over `tracerProvider`. */
  tracer?: Tracer;
  /**
   * Where to get the tracer from when `tracer` is not given.
   * @default the global provider of `@opentelemetry/api` (`trace.getTracerProvider()`)
   */
  tracerProvider?: TracerProvider;
  /** Content capture (`task`, `tool.parameters`, prompt and completion text). Safe by default: redacted and truncated. */
  contentCapture?: ContentCaptureOptions;
  /** @default 'seed' */
  spanNames?: SpanNaming;
  /** Where a problem inside telemetry is reported (once per kind). @default process warnings */
  onWarning?: WarningHandler;
}

/** Derives span info from a decorated method's `this` and arguments. */
export type InfoFrom<Info, This, Args extends unknown[]> = Info | ((self: This, ...args: Args) => Info);

/** A TS 5 standard method decorator. */
export type MethodDecorator<This, Args extends unknown[], Return> = (
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) => (this: This, ...args: Args) => Return;

/**
 * Wrappers that run a function inside a span for each GenXAI operation. Spans
 * nest through the active context (workflow → node → agent → llm/tool/memory):
 * no parent is passed by hand. Works with sync and async functions; the
 * function's own error is rethrown untouched.
 */
export interface SpanHelpers {
  /** The tracer the spans come from. */
  readonly tracer: Tracer;
  /** Runs `fn` in an `agent.execute` span. */
  withAgentSpan<R>(info: AgentSpanInfo, fn: (span: Span) => R): R;
  /** Runs `fn` in a `tool.execute` span; `tool.result_size` comes from the result. */
  withToolSpan<R>(info: ToolSpanInfo, fn: (span: Span) => R): R;
  /**
   * Runs `fn` in an `llm.generate` span. The response is read from a result shaped like
   * `{ content, usage: { prompt_tokens, completion_tokens, total_tokens }, model }` (camelCase
   * and `input_tokens`/`output_tokens` too), unless `recordLlmResponse` was called.
   */
  withLlmSpan<R>(info: LlmSpanInfo, fn: (span: Span) => R): R;
  /** Runs `fn` in a `memory.<operation>` span. */
  withMemorySpan<R>(info: MemorySpanInfo, fn: (span: Span) => R): R;
  /** Runs `fn` in a `workflow.execute` span. */
  withWorkflowSpan<R>(info: WorkflowSpanInfo, fn: (span: Span) => R): R;
  /** Runs `fn` in a `node.<id>` span. */
  withNodeSpan<R>(info: NodeSpanInfo, fn: (span: Span) => R): R;
  /** Records an LLM response on an `llm.generate` span (tokens, completion length and text). */
  recordLlmResponse(span: Span, response: LlmResponseInfo): void;
  /** Method decorator: an `agent.execute` span around each call. */
  traceAgent<This, Args extends unknown[], R>(
    info: InfoFrom<AgentSpanInfo, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: a `tool.execute` span around each call. */
  traceTool<This, Args extends unknown[], R>(
    info: InfoFrom<ToolSpanInfo, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: an `llm.generate` span around each call. */
  traceLlm<This, Args extends unknown[], R>(
    info: InfoFrom<LlmSpanInfo, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: a `memory.<operation>` span around each call. */
  traceMemory<This, Args extends unknown[], R>(
    info: InfoFrom<MemorySpanInfo, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: a `workflow.execute` span around each call. */
  traceWorkflow<This, Args extends unknown[], R>(
    info: InfoFrom<WorkflowSpanInfo, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: a `node.<id>` span around each call. */
  traceNode<This, Args extends unknown[], R>(
    info: InfoFrom<NodeSpanInfo, This, Args>,
  ): MethodDecorator<This, Args, R>;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** Reads the completion, model and token usage from an LLM call's result (the shared reader of @genxai/obs-core). */
export function llmResponseFromResult(result: unknown): LlmResponseInfo | undefined {
  const fields = llmResultFields(result);
  if (fields === undefined) return undefined;
  const response: LlmResponseInfo = {};
  if (fields.completion !== undefined) response.completion = fields.completion;
  if (fields.responseModel !== undefined) response.responseModel = fields.responseModel;
  if (fields.usage !== undefined) {
    const { inputTokens, outputTokens, totalTokens } = fields.usage;
    const usage: LlmUsage = {};
    if (inputTokens !== undefined) usage.promptTokens = inputTokens;
    if (outputTokens !== undefined) usage.completionTokens = outputTokens;
    if (totalTokens !== undefined) usage.totalTokens = totalTokens;
    response.usage = usage;
  }
  return response;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (typeof error === 'string') return error;
  return safeStringify(error);
}

/**
 * Creates the span helpers. `setupTracing` returns a set bound to its own
 * provider; call this directly to use a provider you already have (an
 * injected `tracerProvider`, or NodeSDK's global one).
 */
export function createSpanHelpers(options: SpanHelpersOptions = {}): SpanHelpers {
  const tracer =
    options.tracer ?? (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  const content: ContentRecorder = createContentRecorder(options.contentCapture);
  const spanNames = options.spanNames ?? 'seed';
  if (spanNames !== 'seed' && spanNames !== 'semconv')
    invalidOption('spanNames', spanNames, 'one of seed, semconv');
  const semconvNames = spanNames === 'semconv';
  const warnOnce = createWarnOnce(options.onWarning);
  const explicitResponses = new WeakSet<Span>();

  // Telemetry work that must never break the caller.
  const safely = createSafeRecorder(warnOnce, 'GENXAI_SPAN_FAILED', '@genxai/tracing');

  const fail = (span: Span, error: unknown) =>
    safely('an error', () => {
      const type = errorType(error);
      // Error messages and stacks often quote user input: with content capture off, only the type is kept.
      const message = content.enabled ? content.safeText(messageOf(error)) : undefined;
      span.setAttributes({
        [ATTR.STATUS]: STATUS.ERROR,
        [ATTR.ERROR_TYPE]: type,
        ...(message === undefined ? {} : { [ATTR.ERROR_MESSAGE]: message }),
      });
      const stack =
        content.enabled && error instanceof Error && typeof error.stack === 'string'
          ? error.stack
          : undefined;
      span.recordException({
        name: error instanceof Error ? error.name : type,
        ...(message === undefined ? {} : { message }),
        ...(stack === undefined ? {} : { stack: content.safeText(stack) }),
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? type });
    });

  const run = <R>(
    name: string,
    spanOptions: SpanOptions,
    fn: (span: Span) => R,
    onResult?: (span: Span, result: unknown) => void,
  ): R =>
    tracer.startActiveSpan(name, spanOptions, (span) => {
      const succeed = (result: unknown) => {
        safely('the result', () => {
          onResult?.(span, result);
          span.setAttribute(ATTR.STATUS, STATUS.SUCCESS);
        });
        span.end();
      };
      let result: R;
      try {
        result = fn(span);
      } catch (error) {
        fail(span, error);
        span.end();
        throw error;
      }
      if (isPromiseLike(result)) {
        return result.then(
          (value) => {
            succeed(value);
            return value;
          },
          (error: unknown) => {
            fail(span, error);
            span.end();
            throw error;
          },
        ) as R;
      }
      succeed(result);
      return result;
    });

  const writeLlmResponse = (span: Span, response: LlmResponseInfo) => {
    const attributes: Attributes = {};
    const completionLength = response.completion?.length ?? response.completionLength;
    if (completionLength !== undefined) attributes[ATTR.LLM_COMPLETION_LENGTH] = completionLength;
    const completion = content.capture(response.completion);
    if (completion !== undefined) attributes[ATTR.LLM_COMPLETION] = completion;
    const usage = response.usage;
    if (usage?.promptTokens !== undefined) {
      attributes[ATTR.LLM_TOKENS_PROMPT] = usage.promptTokens;
      attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.promptTokens;
    }
    if (usage?.completionTokens !== undefined) {
      attributes[ATTR.LLM_TOKENS_COMPLETION] = usage.completionTokens;
      attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.completionTokens;
    }
    const total =
      usage?.totalTokens ??
      (usage?.promptTokens !== undefined && usage.completionTokens !== undefined
        ? usage.promptTokens + usage.completionTokens
        : undefined);
    if (total !== undefined) attributes[ATTR.LLM_TOKENS_TOTAL] = total;
    if (response.responseModel !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = response.responseModel;
    span.setAttributes(attributes);
  };

  const recordLlmResponse = (span: Span, response: LlmResponseInfo) =>
    safely('an LLM response', () => {
      explicitResponses.add(span);
      writeLlmResponse(span, response);
    });

  const withAgentSpan = <R>(info: AgentSpanInfo, fn: (span: Span) => R): R => {
    const attributes: Attributes = {
      [ATTR.AGENT_ID]: info.id,
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT,
      [ATTR_GEN_AI_AGENT_ID]: info.id,
      [ATTR_GEN_AI_AGENT_NAME]: info.name ?? info.id,
    };
    if (info.role !== undefined) attributes[ATTR.AGENT_ROLE] = info.role;
    const task = content.capture(info.task);
    if (task !== undefined) attributes[ATTR.TASK] = task;
    const name = semconvNames ? `${GEN_AI_OPERATION.INVOKE_AGENT} ${info.name ?? info.id}` : SPAN_NAME.AGENT;
    return run(name, { kind: SpanKind.INTERNAL, attributes }, fn);
  };

  const toolResultSize = (span: Span, result: unknown) => {
    let size: number | undefined;
    if (typeof result === 'string') size = result.length;
    else if (result instanceof Uint8Array) size = result.byteLength;
    // Measuring other results means serialising them: only when content capture is on.
    else if (result !== undefined && content.enabled) size = safeStringify(result).length;
    if (size !== undefined) span.setAttribute(ATTR.TOOL_RESULT_SIZE, size);
  };

  const withToolSpan = <R>(info: ToolSpanInfo, fn: (span: Span) => R): R => {
    const attributes: Attributes = {
      [ATTR.TOOL_NAME]: info.name,
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL,
      [ATTR_GEN_AI_TOOL_NAME]: info.name,
    };
    if (info.callId !== undefined) attributes[ATTR_GEN_AI_TOOL_CALL_ID] = info.callId;
    const parameters = content.capture(info.parameters);
    if (parameters !== undefined) attributes[ATTR.TOOL_PARAMETERS] = parameters;
    const name = semconvNames ? `${GEN_AI_OPERATION.EXECUTE_TOOL} ${info.name}` : SPAN_NAME.TOOL;
    return run(name, { kind: SpanKind.INTERNAL, attributes }, fn, toolResultSize);
  };

  const llmResult = (span: Span, result: unknown) => {
    if (explicitResponses.has(span)) return;
    const response = llmResponseFromResult(result);
    if (response !== undefined) writeLlmResponse(span, response);
  };

  const withLlmSpan = <R>(info: LlmSpanInfo, fn: (span: Span) => R): R => {
    const attributes: Attributes = {
      [ATTR.LLM_PROVIDER]: info.provider,
      [ATTR.LLM_MODEL]: info.model,
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.CHAT,
      [ATTR_GEN_AI_PROVIDER_NAME]: info.provider,
      [ATTR_GEN_AI_REQUEST_MODEL]: info.model,
    };
    const promptLength = info.prompt?.length ?? info.promptLength;
    if (promptLength !== undefined) attributes[ATTR.LLM_PROMPT_LENGTH] = promptLength;
    const prompt = content.capture(info.prompt);
    if (prompt !== undefined) attributes[ATTR.LLM_PROMPT] = prompt;
    const name = semconvNames ? `${GEN_AI_OPERATION.CHAT} ${info.model}` : SPAN_NAME.LLM;
    return run(name, { kind: SpanKind.CLIENT, attributes }, fn, llmResult);
  };

  const withMemorySpan = <R>(info: MemorySpanInfo, fn: (span: Span) => R): R =>
    run(
      `${SPAN_NAME.MEMORY_PREFIX}${info.operation}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: { [ATTR.MEMORY_TYPE]: info.type, [ATTR.MEMORY_OPERATION]: info.operation },
      },
      fn,
    );

  const withWorkflowSpan = <R>(info: WorkflowSpanInfo, fn: (span: Span) => R): R => {
    const workflowName = info.name ?? info.id;
    const attributes: Attributes = {
      [ATTR.WORKFLOW_ID]: info.id,
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_WORKFLOW,
      [ATTR_GEN_AI_WORKFLOW_NAME]: workflowName,
    };
    const name = semconvNames ? `${GEN_AI_OPERATION.INVOKE_WORKFLOW} ${workflowName}` : SPAN_NAME.WORKFLOW;
    return run(name, { kind: SpanKind.INTERNAL, attributes }, fn);
  };

  const withNodeSpan = <R>(info: NodeSpanInfo, fn: (span: Span) => R): R => {
    const attributes: Attributes = { [ATTR.NODE_ID]: info.id };
    if (info.type !== undefined) attributes[ATTR.NODE_TYPE] = info.type;
    return run(`${SPAN_NAME.NODE_PREFIX}${info.id}`, { kind: SpanKind.INTERNAL, attributes }, fn);
  };

  function decorator<Info>(wrap: <R>(info: Info, fn: (span: Span) => R) => R) {
    return <This, Args extends unknown[], R>(
      infoFrom: InfoFrom<Info, This, Args>,
    ): MethodDecorator<This, Args, R> =>
      (method) =>
        function (this: This, ...args: Args): R {
          let info: Info;
          try {
            info =
              typeof infoFrom === 'function'
                ? (infoFrom as (self: This, ...args: Args) => Info)(this, ...args)
                : infoFrom;
          } catch (error) {
            warnOnce(
              'decorator-info',
              'GENXAI_SPAN_FAILED',
              `A tracing decorator's info function threw (${messageOf(error)}); the method ran without a span.`,
            );
            return method.apply(this, args);
          }
          return wrap(info, () => method.apply(this, args));
        };
  }

  return {
    tracer,
    withAgentSpan,
    withToolSpan,
    withLlmSpan,
    withMemorySpan,
    withWorkflowSpan,
    withNodeSpan,
    recordLlmResponse,
    traceAgent: decorator(withAgentSpan),
    traceTool: decorator(withToolSpan),
    traceLlm: decorator(withLlmSpan),
    traceMemory: decorator(withMemorySpan),
    traceWorkflow: decorator(withWorkflowSpan),
    traceNode: decorator(withNodeSpan),
  };
}

/**
 * The trace and span ids of the active span, for metric exemplars and log
 * correlation; undefined when there is no active span or it is not sampled
 * (an exemplar pointing at a trace that was never exported is useless).
 */
export function getActiveTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  if ((traceFlags & 1) === 0 || !trace.isSpanContextValid(span.spanContext())) return undefined;
  return { traceId, spanId };
}
