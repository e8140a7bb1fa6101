import {
  type AgentOperation,
  createLlmStreamReader,
  createSafeRecorder,
  createWarnOnce,
  errorType,
  invalidOption,
  isObservableStream,
  isSampled,
  type LlmOperation,
  type LlmResult,
  type McpOperation,
  type MemoryOperation,
  messageOf,
  type NodeOperation,
  observeStream,
  readLlmResult,
  STATUS,
  settle,
  type ToolOperation,
  type WarningHandler,
  type WorkflowOperation,
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
import { ATTR, SPAN_NAME } from './attributes';
import {
  type ContentCaptureOptions,
  type ContentRecorder,
  createContentRecorder,
  jsonLength,
  MAX_MEASURED_RESULT,
} from './content';
import {
  toFinishReason,
  toInputMessages,
  toOutputMessages,
  toSystemInstructions,
  toToolDefinitions,
} from './genai-messages';
import { writeRequestParameters } from './llm-request';
import {
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROMPT_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_DEFINITIONS,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_PROTOCOL_VERSION,
  ATTR_MCP_RESOURCE_URI,
  ATTR_MCP_SESSION_ID,
  ATTR_NETWORK_TRANSPORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  GEN_AI_OPERATION,
  MCP_TOOLS_CALL,
} from './semconv';

/** The instrumentation scope name of the spans this package creates. */
export const TRACER_NAME = '@genxai/tracing';

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
  /** @default 'seed' ('semconv' with `genAiLatestExperimental`) */
  spanNames?: SpanNaming;
  /**
   * Emit only the GenAI conventions' newest names, as `OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`
   * asks (`setupTracing` reads the variable): span names `{gen_ai.operation.name} {name}` unless
   * `spanNames` says otherwise, and no `gen_ai.system` (the provider's name before v1.37) beside
   * `gen_ai.provider.name`.
   * @default false
   */
  genAiLatestExperimental?: boolean;
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
  withAgentSpan<R>(info: AgentOperation, fn: (span: Span) => R): R;
  /**
   * Runs `fn` in a `tool.execute` span; `tool.result_size` comes from the result. A tool called
   * over MCP (`info.mcp`) gets the MCP conventions' span instead: `tools/call {toolName}`, CLIENT
   * or SERVER, with the `mcp.*` attributes beside the `execute_tool` ones.
   */
  withToolSpan<R>(info: ToolOperation, fn: (span: Span) => R): R;
  /**
   * Runs `fn` in the MCP conventions' span for one request other than a tool call
   * (`tools/list`, `resources/read`, `prompts/get`, …): `{method} {target}`, CLIENT or SERVER.
   */
  withMcpSpan<R>(info: McpOperation, fn: (span: Span) => R): R;
  /**
   * Runs `fn` in an `llm.generate` span. The response is read from the result with
   * `readLlmResult` of `@genxai/obs-core` (OpenAI, Anthropic, the AI SDK and the plan's shape),
   * unless `recordLlmResult` was called on the span.
   */
  withLlmSpan<R>(info: LlmOperation, fn: (span: Span) => R): R;
  /** Runs `fn` in a `memory.<operation>` span. */
  withMemorySpan<R>(info: MemoryOperation, fn: (span: Span) => R): R;
  /** Runs `fn` in a `workflow.execute` span. */
  withWorkflowSpan<R>(info: WorkflowOperation, fn: (span: Span) => R): R;
  /** Runs `fn` in a `node.<id>` span. */
  withNodeSpan<R>(info: NodeOperation, fn: (span: Span) => R): R;
  /**
   * Records an LLM call's normalized result on its `llm.generate` span: tokens, response model,
   * finish reasons, response id, completion length and (with content capture) text, and
   * `gen_ai.output.messages` from `raw` (the SDK's response) when given, else from the completion.
   * The span then does not read the raw result itself.
   */
  recordLlmResult(span: Span, result: LlmResult, raw?: unknown): void;
  /** Method decorator: an `agent.execute` span around each call. */
  traceAgent<This, Args extends unknown[], R>(
    info: InfoFrom<AgentOperation, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: a `tool.execute` span around each call. */
  traceTool<This, Args extends unknown[], R>(
    info: InfoFrom<ToolOperation, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: an `llm.generate` span around each call. */
  traceLlm<This, Args extends unknown[], R>(
    info: InfoFrom<LlmOperation, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: a `memory.<operation>` span around each call. */
  traceMemory<This, Args extends unknown[], R>(
    info: InfoFrom<MemoryOperation, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: a `workflow.execute` span around each call. */
  traceWorkflow<This, Args extends unknown[], R>(
    info: InfoFrom<WorkflowOperation, This, Args>,
  ): MethodDecorator<This, Args, R>;
  /** Method decorator: a `node.<id>` span around each call. */
  traceNode<This, Args extends unknown[], R>(
    info: InfoFrom<NodeOperation, This, Args>,
  ): MethodDecorator<This, Args, R>;
}

/** A field of an `Error` (`name`, `stack`) when it is a string; never throws, even on a Proxy. */
function errorField(error: unknown, field: 'name' | 'stack'): string | undefined {
  try {
    return error instanceof Error && typeof error[field] === 'string' ? error[field] : undefined;
  } catch {
    return undefined;
  }
}

/** The span event of the seed's naming at a streamed response's first content chunk. */
const EVENT_FIRST_TOKEN = 'llm.first_token';

const nowMillis = () => performance.timeOrigin + performance.now();

/** When an SDK span started, in epoch milliseconds, as the SDK measured it; undefined for other spans. */
function spanStartMillis(span: Span): number | undefined {
  try {
    const start = (span as { startTime?: unknown }).startTime;
    if (!Array.isArray(start) || typeof start[0] !== 'number' || typeof start[1] !== 'number')
      return undefined;
    return start[0] * 1000 + start[1] / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * One text message in the conventions' JSON, from text already redacted and cut (`llm.prompt`,
 * `llm.completion`): the same content is not redacted twice. An output message takes its finish
 * reason from the result (`stop` when the response gave none).
 */
function textMessage(role: 'user' | 'assistant', text: string, result?: LlmResult): string {
  const part = `{"role":"${role}","parts":[{"type":"text","content":${JSON.stringify(text)}}]`;
  if (result === undefined) return `[${part}}]`;
  const reason = result.finishReasons?.[0];
  return `[${part},"finish_reason":${JSON.stringify(reason === undefined ? 'stop' : toFinishReason(reason))}}]`;
}

const mcpKind = (info: McpOperation): SpanKind =>
  info.side === 'server' ? SpanKind.SERVER : SpanKind.CLIENT;

/** The MCP conventions' attributes of one request, from the fields it has. */
function writeMcpAttributes(attributes: Attributes, info: McpOperation): void {
  attributes[ATTR_MCP_METHOD_NAME] = info.method;
  if (info.toolName !== undefined) {
    attributes[ATTR_GEN_AI_TOOL_NAME] = info.toolName;
    attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION.EXECUTE_TOOL;
  }
  if (info.promptName !== undefined) attributes[ATTR_GEN_AI_PROMPT_NAME] = info.promptName;
  if (info.resourceUri !== undefined) attributes[ATTR_MCP_RESOURCE_URI] = info.resourceUri;
  if (info.sessionId !== undefined) attributes[ATTR_MCP_SESSION_ID] = info.sessionId;
  if (info.protocolVersion !== undefined) attributes[ATTR_MCP_PROTOCOL_VERSION] = info.protocolVersion;
  if (info.requestId !== undefined && info.requestId !== null)
    attributes[ATTR_JSONRPC_REQUEST_ID] = String(info.requestId);
  if (info.transport !== undefined) attributes[ATTR_NETWORK_TRANSPORT] = info.transport;
  if (info.serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = info.serverAddress;
  if (info.serverPort !== undefined) attributes[ATTR_SERVER_PORT] = info.serverPort;
}

// The tool spans these helpers started, by span, with their tool's name: how `activeToolSpan` knows
// that a GenAI `execute_tool` span already covers a call (the MCP conventions then put the MCP
// attributes on it rather than start a second span). Weak: a span is forgotten with its last reference.
const toolSpans = new WeakMap<Span, string>();

const markToolSpan = (span: Span, info: ToolOperation): void => {
  if (typeof info?.toolName === 'string') toolSpans.set(span, info.toolName);
};

/**
 * The active span when it is a tool span of `@genxai/tracing` (an `observeTool` or `withToolSpan`
 * call), with its tool's name; otherwise undefined.
 */
export function activeToolSpan(): { span: Span; toolName: string } | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const toolName = toolSpans.get(span);
  return toolName === undefined ? undefined : { span, toolName };
}

/** The MCP conventions' attributes of `info`, to add to a span that already covers the request. */
export function mcpAttributes(info: McpOperation): Attributes {
  const attributes: Attributes = {};
  writeMcpAttributes(attributes, info);
  return attributes;
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
  const latest = options.genAiLatestExperimental === true;
  const spanNames = options.spanNames ?? (latest ? 'semconv' : 'seed');
  if (spanNames !== 'seed' && spanNames !== 'semconv')
    invalidOption('spanNames', spanNames, 'one of seed, semconv');
  const semconvNames = spanNames === 'semconv';
  const warnOnce = createWarnOnce(options.onWarning);
  const explicitResults = new WeakSet<Span>();
  // LLM spans whose token counts another span of the same call carries (`spanUsage: false`).
  const usageElsewhere = new WeakSet<Span>();

  // Telemetry work that must never break the caller.
  const safely = createSafeRecorder(warnOnce, 'GENXAI_SPAN_FAILED', '@genxai/tracing');

  const end = (span: Span) => {
    try {
      span.end();
    } catch (error) {
      warnOnce(
        'span-end',
        'GENXAI_SPAN_FAILED',
        `@genxai/tracing: ending a span failed: ${messageOf(error)}`,
      );
    }
  };

  const fail = (span: Span, error: unknown) => {
    // Status first, from constants, so nothing the error does below can leave the span UNSET.
    safely('an error status', () => {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute(ATTR.STATUS, STATUS.error);
    });
    safely('an error', () => {
      const type = errorType(error);
      span.setAttribute(ATTR.ERROR_TYPE, type);
      // Error messages and stacks often quote user input: with content capture off, only the type is kept.
      const message = content.enabled ? content.safeText(messageOf(error)) : undefined;
      span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? type });
      if (message !== undefined) span.setAttribute(ATTR.ERROR_MESSAGE, message);
      const stack = content.enabled ? errorField(error, 'stack') : undefined;
      span.recordException({
        name: errorField(error, 'name') ?? type,
        ...(message === undefined ? {} : { message }),
        ...(stack === undefined ? {} : { stack: content.safeText(stack) }),
      });
    });
  };

  /** A span's name and start options, read from the caller's info. */
  interface Described {
    name: string;
    options: SpanOptions;
  }

  // Ends a span whose function returned: hoisted per kind of result, so a call makes no closure.
  const succeedWith =
    (onResult?: (span: Span, result: unknown) => void) =>
    (span: Span, result: unknown): void => {
      try {
        onResult?.(span, result);
        span.setAttribute(ATTR.STATUS, STATUS.success);
      } catch (error) {
        safely.failed('the result', error);
      }
      end(span);
    };

  const failAndEnd = (span: Span, error: unknown): void => {
    fail(span, error);
    end(span);
  };

  /**
   * Runs `fn` in a span described by `describe(info)`. Reading the caller's info can throw (a
   * getter, a Proxy): then the span gets the kind's plain name and no attributes, it is reported
   * once, and `fn` runs all the same. Nothing here may keep the caller's function from running.
   */
  const run = <I, R>(
    plainName: string,
    kind: SpanKind,
    describe: (info: I) => Described,
    info: I,
    fn: (span: Span) => R,
    onValue: (span: Span, value: unknown) => void,
    onStart?: (span: Span, info: I) => void,
  ): R => {
    let described: Described;
    try {
      described = describe(info);
    } catch (error) {
      warnOnce(
        `info:${plainName}`,
        'GENXAI_SPAN_FAILED',
        `@genxai/tracing: the info of a ${plainName} span could not be read (${messageOf(error)}); ` +
          'the span was recorded without its attributes.',
      );
      described = { name: plainName, options: { kind } };
    }
    return tracer.startActiveSpan(described.name, described.options, (span) => {
      if (onStart !== undefined) {
        try {
          onStart(span, info);
        } catch (error) {
          safely.failed('a tool span', error);
        }
      }
      return settle(span, fn, onValue, failAndEnd);
    });
  };

  // Writes the normalized result, and with content capture on `gen_ai.output.messages`: from the SDK's
  // response (`raw`) when it has a known shape, else from the completion already captured.
  const writeLlmResult = (span: Span, result: LlmResult, raw: unknown) => {
    const attributes: Attributes = {};
    let completion: string | undefined;
    if (result.completion !== undefined) {
      attributes[ATTR.LLM_COMPLETION_LENGTH] = result.completion.length;
      completion = content.capture(result.completion);
      if (completion !== undefined) attributes[ATTR.LLM_COMPLETION] = completion;
    }
    if (content.enabled) {
      const structured = raw === undefined ? undefined : content.captureList(toOutputMessages(raw));
      const output =
        structured ?? (completion === undefined ? undefined : textMessage('assistant', completion, result));
      if (output !== undefined) attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] = output;
    }
    const usage = result.usage;
    if (usage !== undefined && !usageElsewhere.has(span)) {
      attributes[ATTR.LLM_TOKENS_PROMPT] = usage.inputTokens;
      attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.inputTokens;
      attributes[ATTR.LLM_TOKENS_COMPLETION] = usage.outputTokens;
      attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.outputTokens;
      attributes[ATTR.LLM_TOKENS_TOTAL] = usage.inputTokens + usage.outputTokens;
      if (usage.cachedInputTokens !== undefined)
        attributes[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = usage.cachedInputTokens;
      if (usage.cacheWriteInputTokens !== undefined)
        attributes[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = usage.cacheWriteInputTokens;
    }
    if (result.responseModel !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = result.responseModel;
    if (result.responseId !== undefined) attributes[ATTR_GEN_AI_RESPONSE_ID] = result.responseId;
    if (result.finishReasons !== undefined)
      attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [...result.finishReasons];
    const toolCalls = result.toolCalls;
    if (toolCalls !== undefined && toolCalls.length > 0) {
      attributes[ATTR.LLM_TOOL_CALL_NAMES] = toolCalls.map((call) => call.name);
      // Ids only when every call has one, so the two lists stay aligned.
      if (toolCalls.every((call) => call.id !== undefined))
        attributes[ATTR.LLM_TOOL_CALL_IDS] = toolCalls.map((call) => call.id as string);
    }
    span.setAttributes(attributes);
  };

  const recordLlmResult = (span: Span, result: LlmResult, raw?: unknown) =>
    safely('an LLM result', () => {
      explicitResults.add(span);
      writeLlmResult(span, result, raw);
    });

  const succeedPlain = succeedWith();

  const describeAgent = (info: AgentOperation): Described => {
    const attributes: Attributes = {
      [ATTR.AGENT_ID]: info.agentId,
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT,
      [ATTR_GEN_AI_AGENT_ID]: info.agentId,
      [ATTR_GEN_AI_AGENT_NAME]: info.name ?? info.agentId,
    };
    if (info.role !== undefined) attributes[ATTR.AGENT_ROLE] = info.role;
    const task = content.capture(info.task);
    if (task !== undefined) attributes[ATTR.TASK] = task;
    const name = semconvNames
      ? `${GEN_AI_OPERATION.INVOKE_AGENT} ${info.name ?? info.agentId}`
      : SPAN_NAME.AGENT;
    return { name, options: { kind: SpanKind.INTERNAL, attributes } };
  };

  const withAgentSpan = <R>(info: AgentOperation, fn: (span: Span) => R): R =>
    run(SPAN_NAME.AGENT, SpanKind.INTERNAL, describeAgent, info, fn, succeedPlain);

  const toolResultSize = (span: Span, result: unknown) => {
    let size: number | undefined;
    if (typeof result === 'string') size = result.length;
    else if (result instanceof Uint8Array) size = result.byteLength;
    // Measuring other results means serialising them: only when content capture is on, and only up
    // to a bound, past which the size is left out rather than paid for on the caller's time.
    else if (result !== undefined && content.enabled) size = jsonLength(result, MAX_MEASURED_RESULT);
    if (size !== undefined) span.setAttribute(ATTR.TOOL_RESULT_SIZE, size);
    const captured = content.capture(result);
    if (captured !== undefined) span.setAttribute(ATTR_GEN_AI_TOOL_CALL_RESULT, captured);
  };

  const succeedTool = succeedWith(toolResultSize);

  const describeTool = (info: ToolOperation): Described => {
    const attributes: Attributes = {
      [ATTR.TOOL_NAME]: info.toolName,
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL,
      [ATTR_GEN_AI_TOOL_NAME]: info.toolName,
    };
    if (info.callId !== undefined) attributes[ATTR_GEN_AI_TOOL_CALL_ID] = info.callId;
    const parameters = content.capture(info.parameters);
    if (parameters !== undefined) attributes[ATTR.TOOL_PARAMETERS] = parameters;
    const mcp = info.mcp;
    if (mcp !== undefined) {
      writeMcpAttributes(attributes, mcp);
      return { name: `${MCP_TOOLS_CALL} ${info.toolName}`, options: { kind: mcpKind(mcp), attributes } };
    }
    const name = semconvNames ? `${GEN_AI_OPERATION.EXECUTE_TOOL} ${info.toolName}` : SPAN_NAME.TOOL;
    return { name, options: { kind: SpanKind.INTERNAL, attributes } };
  };

  const withToolSpan = <R>(info: ToolOperation, fn: (span: Span) => R): R =>
    run(SPAN_NAME.TOOL, SpanKind.INTERNAL, describeTool, info, fn, succeedTool, markToolSpan);

  const describeMcp = (info: McpOperation): Described => {
    const attributes: Attributes = {};
    writeMcpAttributes(attributes, info);
    const target = info.promptName ?? info.toolName;
    return {
      name: target === undefined ? info.method : `${info.method} ${target}`,
      options: { kind: mcpKind(info), attributes },
    };
  };

  const withMcpSpan = <R>(info: McpOperation, fn: (span: Span) => R): R =>
    run('mcp', SpanKind.CLIENT, describeMcp, info, fn, succeedPlain);

  const llmResult = (span: Span, result: unknown) => {
    if (explicitResults.has(span)) return;
    writeLlmResult(span, readLlmResult(result), result);
  };

  // Content in the conventions' JSON, from the SDK request (or the prompt already captured): with capture on only.
  const writeInputContent = (request: unknown, prompt: string | undefined, attributes: Attributes) => {
    const structured = request === undefined ? undefined : content.captureList(toInputMessages(request));
    const messages = structured ?? (prompt === undefined ? undefined : textMessage('user', prompt));
    if (messages !== undefined) attributes[ATTR_GEN_AI_INPUT_MESSAGES] = messages;
    if (request === undefined) return;
    const system = content.captureList(toSystemInstructions(request));
    if (system !== undefined) attributes[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = system;
    const tools = content.captureList(toToolDefinitions(request));
    if (tools !== undefined) attributes[ATTR_GEN_AI_TOOL_DEFINITIONS] = tools;
  };

  const succeedLlmResult = succeedWith(llmResult);

  // A streamed response: the span lasts as long as the stream (ends, fails or is abandoned), and its
  // result is read from the chunks as they pass, the completion only with content capture on.
  const watchStream = (span: Span, stream: object) => {
    const reader = createLlmStreamReader({ maxCompletionLength: content.enabled ? content.maxLength : 0 });
    const startedAt = spanStartMillis(span);
    let first = true;
    observeStream(stream, {
      onChunk(chunk) {
        if (!reader.read(chunk) || !first) return;
        first = false;
        try {
          if (startedAt !== undefined) {
            const seconds = Math.max(0, (nowMillis() - startedAt) / 1000);
            span.setAttribute(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, seconds);
          }
          span.addEvent(EVENT_FIRST_TOKEN);
        } catch (error) {
          safely.failed('the first chunk', error);
        }
      },
      onEnd(outcome, error) {
        if (outcome === 'error') {
          failAndEnd(span, error);
          return;
        }
        try {
          if (!explicitResults.has(span)) writeLlmResult(span, reader.result(), undefined);
          span.setAttribute(ATTR.STATUS, outcome === 'cancelled' ? STATUS.cancelled : STATUS.success);
        } catch (failure) {
          safely.failed('a stream end', failure);
        }
        end(span);
      },
    });
  };

  const succeedLlm = (span: Span, value: unknown) => {
    if (!isObservableStream(value)) {
      succeedLlmResult(span, value);
      return;
    }
    try {
      watchStream(span, value as object);
    } catch (error) {
      safely.failed('a stream', error);
      end(span);
    }
  };

  const describeLlm = (info: LlmOperation): Described => {
    const given = info.operationName;
    const operation = typeof given === 'string' && given !== '' ? given : GEN_AI_OPERATION.CHAT;
    const attributes: Attributes = {
      [ATTR.LLM_PROVIDER]: info.provider,
      [ATTR.LLM_MODEL]: info.model,
      [ATTR_GEN_AI_OPERATION_NAME]: operation,
      [ATTR_GEN_AI_PROVIDER_NAME]: info.provider,
      [ATTR_GEN_AI_REQUEST_MODEL]: info.model,
    };
    if (!latest) attributes[ATTR_GEN_AI_SYSTEM] = info.provider;
    const prompt = info.prompt;
    let captured: string | undefined;
    if (typeof prompt === 'string') {
      attributes[ATTR.LLM_PROMPT_LENGTH] = prompt.length;
      captured = content.capture(prompt);
      if (captured !== undefined) attributes[ATTR.LLM_PROMPT] = captured;
    }
    const request = info.request;
    const requestStream = request === undefined ? undefined : writeRequestParameters(request, attributes);
    const stream = typeof info.stream === 'boolean' ? info.stream : requestStream;
    if (stream !== undefined) attributes[ATTR_GEN_AI_REQUEST_STREAM] = stream;
    if (content.enabled) writeInputContent(request, captured, attributes);
    const name = semconvNames ? `${operation} ${info.model}` : SPAN_NAME.LLM;
    return { name, options: { kind: SpanKind.CLIENT, attributes } };
  };

  // Read once per call; a hostile info object (a throwing getter) keeps the default.
  const spanUsageElsewhere = (info: LlmOperation): boolean => {
    try {
      return info?.spanUsage === false;
    } catch {
      return false;
    }
  };

  const withLlmSpan = <R>(info: LlmOperation, fn: (span: Span) => R): R =>
    run(
      SPAN_NAME.LLM,
      SpanKind.CLIENT,
      describeLlm,
      info,
      spanUsageElsewhere(info)
        ? (span: Span) => {
            usageElsewhere.add(span);
            return fn(span);
          }
        : fn,
      succeedLlm,
    );

  const describeMemory = (info: MemoryOperation): Described => ({
    name: `${SPAN_NAME.MEMORY_PREFIX}${info.operationType}`,
    options: {
      kind: SpanKind.INTERNAL,
      attributes: { [ATTR.MEMORY_TYPE]: info.memoryType, [ATTR.MEMORY_OPERATION]: info.operationType },
    },
  });

  const withMemorySpan = <R>(info: MemoryOperation, fn: (span: Span) => R): R =>
    run(`${SPAN_NAME.MEMORY_PREFIX}operation`, SpanKind.INTERNAL, describeMemory, info, fn, succeedPlain);

  const describeWorkflow = (info: WorkflowOperation): Described => {
    const workflowName = info.name ?? info.workflowId;
    const attributes: Attributes = {
      [ATTR.WORKFLOW_ID]: info.workflowId,
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_WORKFLOW,
      [ATTR_GEN_AI_WORKFLOW_NAME]: workflowName,
    };
    const name = semconvNames ? `${GEN_AI_OPERATION.INVOKE_WORKFLOW} ${workflowName}` : SPAN_NAME.WORKFLOW;
    return { name, options: { kind: SpanKind.INTERNAL, attributes } };
  };

  const withWorkflowSpan = <R>(info: WorkflowOperation, fn: (span: Span) => R): R =>
    run(SPAN_NAME.WORKFLOW, SpanKind.INTERNAL, describeWorkflow, info, fn, succeedPlain);

  const describeNode = (info: NodeOperation): Described => {
    const attributes: Attributes = { [ATTR.NODE_ID]: info.nodeId, [ATTR.WORKFLOW_ID]: info.workflowId };
    if (info.type !== undefined) attributes[ATTR.NODE_TYPE] = info.type;
    return {
      name: `${SPAN_NAME.NODE_PREFIX}${info.nodeId}`,
      options: { kind: SpanKind.INTERNAL, attributes },
    };
  };

  const withNodeSpan = <R>(info: NodeOperation, fn: (span: Span) => R): R =>
    run(`${SPAN_NAME.NODE_PREFIX}node`, SpanKind.INTERNAL, describeNode, info, fn, succeedPlain);

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
    withMcpSpan,
    withLlmSpan,
    withMemorySpan,
    withWorkflowSpan,
    withNodeSpan,
    recordLlmResult,
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
  const spanContext = span.spanContext();
  if (!isSampled(spanContext) || !trace.isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
