import {
  checkInstrumentArguments,
  checkOptionNames,
  invalidOption,
  type LlmOperation,
  type ToolOperation,
} from '@genxai/obs-core';
import type { Observe, ObserveLlm } from '@genxai/observability';
import { trace } from '@opentelemetry/api';
import { errorForRecording } from './error-view';

/**
 * What `instrumentModel` and `instrumentTools` record through: an `Observability` from
 * `setupObservability`, or anything with its `observeLLM` (and `observeTool`, for tools).
 */
export interface AiSdkObserver {
  observeLLM: ObserveLlm;
  observeTool?: Observe<ToolOperation>;
}

/** Options of {@link instrumentModel}. */
export interface InstrumentModelOptions {
  /**
   * The `provider` label and `gen_ai.provider.name`.
   * @default the model's `provider` up to its first dot: `openai` for `openai.chat`, `anthropic` for `anthropic.messages`
   */
  provider?: string;
}

const OPTION_NAMES = { provider: true } as const satisfies Record<keyof InstrumentModelOptions, true>;

// The AI SDK's own model-call spans (`experimental_telemetry`), which carry `gen_ai.usage.*` themselves.
const SDK_MODEL_CALL_SPAN = /^ai\.[A-Za-z]+\.do(?:Generate|Stream|Embed)$/;

/** True when the active span is the AI SDK's own span of this model call. */
function insideSdkModelCallSpan(): boolean {
  try {
    const name = (trace.getActiveSpan() as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && SDK_MODEL_CALL_SPAN.test(name);
  } catch {
    return false;
  }
}

const noop = () => {};

/** An embedding result's usage: `{ tokens }`, all input. */
const readEmbedding = (result: unknown) => {
  const tokens = (result as { usage?: { tokens?: unknown } } | null)?.usage?.tokens;
  return typeof tokens === 'number' && Number.isSafeInteger(tokens) && tokens >= 0
    ? { usage: { inputTokens: tokens, outputTokens: 0 } }
    : {};
};
const EMBEDDING_OPTIONS = { readResult: readEmbedding };

/** A stream the AI SDK reads through its reader, fed by the observed stream's iterator. */
function readableFrom(iterable: AsyncIterable<unknown>): ReadableStream<unknown> {
  let iterator: AsyncIterator<unknown> | undefined;
  return new ReadableStream({
    async pull(controller) {
      iterator ??= iterable[Symbol.asyncIterator]();
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      iterator ??= iterable[Symbol.asyncIterator]();
      await iterator.return?.(reason);
    },
  });
}

type Method = (...args: unknown[]) => unknown;

/** The names of a model's methods that are observed, and what each one is. */
const METHODS = {
  doGenerate: { operationName: 'chat', stream: false },
  doStream: { operationName: 'chat', stream: true },
  doEmbed: { operationName: 'embeddings', stream: false },
} as const;
type ObservedName = keyof typeof METHODS;

/**
 * Runs one model call (`method` on the real model) inside an observation: in the caller's context,
 * so the span nests under the active one; the caller gets the SDK's own value or error, after the
 * observation has seen it (a stream then reaches the SDK through the observation).
 */
function observeCall(
  model: object,
  method: Method,
  args: unknown[],
  name: ObservedName,
  identity: { provider: string; model: string },
  observer: AiSdkObserver,
): unknown {
  const { operationName, stream } = METHODS[name];
  let call: Promise<unknown> | undefined;
  let thrown: { error: unknown } | undefined;
  const invoke = () => {
    try {
      call = Promise.resolve(Reflect.apply(method, model, args));
    } catch (error) {
      thrown = { error };
    }
  };
  let observation: Promise<unknown> | undefined;
  try {
    const info: LlmOperation = { ...identity, operationName, request: args[0], stream };
    if (insideSdkModelCallSpan()) info.spanUsage = false;
    observation = observer.observeLLM(
      info,
      () => {
        if (call === undefined && thrown === undefined) invoke();
        if (thrown) throw errorForRecording(thrown.error);
        return call!.then(
          // A stream call resolves to `{ stream, request, response }`: the observation watches the stream.
          (value) => (stream ? (value as { stream: unknown }).stream : value),
          (error: unknown) => {
            throw errorForRecording(error);
          },
        );
      },
      name === 'doEmbed' ? (EMBEDDING_OPTIONS as never) : undefined,
    );
    observation.then(undefined, noop);
  } catch {
    // Telemetry never breaks the call: the model still runs below.
    observation = undefined;
  }
  if (call === undefined && thrown === undefined) invoke();
  if (thrown) throw thrown.error;
  const sdkCall = call!;
  if (observation === undefined) return sdkCall;
  if (!stream)
    return observation.then(
      () => sdkCall,
      () => sdkCall,
    );
  return observation.then(
    async (observed) => {
      const value = (await sdkCall) as Record<string, unknown>;
      if (observed !== value.stream) return value;
      return { ...value, stream: readableFrom(observed as AsyncIterable<unknown>) };
    },
    () => sdkCall,
  );
}

/** The provider label of a model: its `provider` up to the first dot (`openai.chat` → `openai`). */
function providerOf(model: object): string {
  try {
    const provider = (model as { provider?: unknown }).provider;
    if (typeof provider === 'string' && provider !== '') return provider.split('.')[0]!;
  } catch {
    // A model whose `provider` getter throws is still observed.
  }
  return 'unknown';
}

function modelIdOf(model: object): string {
  try {
    const id = (model as { modelId?: unknown }).modelId;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}

/**
 * Wraps a Vercel AI SDK model (a language model such as `openai('gpt-4o')` or
 * `anthropic('claude-sonnet-4-5')`, or an embedding model such as
 * `openai.embedding('text-embedding-3-small')`) so that every call the AI SDK makes to it is
 * observed: `generateText`, `streamText`, `generateObject`, `streamObject` (each step of a
 * multi-step call is one model call) and `embed`/`embedMany`. Each call is an `llm.generate` span
 * (`chat` or `embeddings` in `gen_ai.operation.name`) under the caller's active span, the
 * `genxai_llm_*` and GenAI client metrics with tokens (cache reads and writes, reasoning) and cost,
 * and the finish or failure log line. A streamed call is recorded when its stream ends (success,
 * `cancelled` when aborted, or error), with the usage of its `finish` part and the time to first
 * token. The tools the model asks for are on the span (`llm.tool_calls.names`, `llm.tool_calls.ids`).
 *
 * Where the AI SDK's own spans are exported too (`experimental_telemetry: { isEnabled: true }`), the
 * span of a call made inside the AI SDK's model-call span leaves out `gen_ai.usage.*`, which that
 * span already carries: a backend that sums usage over a trace counts the call once.
 *
 * The model works as before: the same values, the same errors (the AI SDK's `APICallError`;
 * `error_type` reads its status: `rate_limit`, `server_error`, …), every other property passed
 * through. It wraps the model object, not the module, so it works the same in ESM, CJS and bundles.
 *
 * @throws GenxaiObservabilityError (`GENXAI_INVALID_OPTION`) when `model` is not a model object,
 * `observer` has no `observeLLM`, or an option is unknown or of the wrong type.
 *
 * @example
 * const model = instrumentModel(openai('gpt-4o-mini'), obs);
 * const { text } = await generateText({ model, prompt: 'Hello' });
 */
export function instrumentModel<Model extends object>(
  model: Model,
  observer: AiSdkObserver,
  options: InstrumentModelOptions = {},
): Model {
  checkInstrumentArguments('instrumentModel', model, 'an AI SDK model object', observer);
  if (typeof options !== 'object' || options === null)
    invalidOption('instrumentModel options', options, 'an object');
  checkOptionNames('instrumentModel', options, OPTION_NAMES);
  if (options.provider !== undefined && (typeof options.provider !== 'string' || options.provider === ''))
    invalidOption('instrumentModel options.provider', options.provider, 'a non-empty string');
  const identity = { provider: options.provider ?? providerOf(model), model: modelIdOf(model) };
  const wrapped = new Map<PropertyKey, { method: unknown; observed: unknown }>();
  return new Proxy(model, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof key !== 'string' || !Object.hasOwn(METHODS, key) || typeof value !== 'function')
        return value;
      const cached = wrapped.get(key);
      if (cached?.method === value) return cached.observed;
      const observed = function (this: unknown, ...args: unknown[]) {
        return observeCall(target, value as Method, args, key as ObservedName, identity, observer);
      };
      wrapped.set(key, { method: value, observed });
      return observed;
    },
  });
}

type ToolExecute = (input: unknown, options?: { toolCallId?: unknown }) => unknown;

const isAsyncIterable = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/**
 * Wraps each tool of an AI SDK tool set (the `tools` of `generateText`/`streamText`) so that every
 * execution the AI SDK runs is observed: a `tool.execute` span (`gen_ai.tool.call.id` is the model's
 * call id) under the LLM call's caller, so what the tool does nests under it, the `genxai_tool_*`
 * metrics and the tool's log lines. Tools without `execute` (client-side tools) pass through. The
 * tool set itself is not changed.
 *
 * A tool whose `execute` returns an async iterable (preliminary results) is given to the AI SDK as
 * it is; its span covers the call, not the iteration.
 *
 * @example
 * const result = await generateText({ model, tools: instrumentTools({ weather }, obs), prompt });
 */
export function instrumentTools<Tools extends Record<string, object>>(
  tools: Tools,
  observer: AiSdkObserver,
): Tools {
  checkInstrumentArguments('instrumentTools', tools, 'an object of AI SDK tools', observer, 'observeTool');
  const observeTool = observer.observeTool!;
  const out: Record<string, object> = {};
  for (const [toolName, tool] of Object.entries(tools)) {
    const execute = (tool as { execute?: unknown } | null)?.execute;
    if (typeof execute !== 'function') {
      out[toolName] = tool;
      continue;
    }
    out[toolName] = {
      ...tool,
      execute(this: unknown, input: unknown, options?: { toolCallId?: unknown }) {
        let result: unknown;
        let thrown: { error: unknown } | undefined;
        let ran = false;
        const run = () => {
          ran = true;
          try {
            result = Reflect.apply(execute as ToolExecute, tool, [input, options]);
          } catch (error) {
            thrown = { error };
          }
        };
        let observation: Promise<unknown> | undefined;
        try {
          const callId = options?.toolCallId;
          const info: ToolOperation = { toolName, parameters: input };
          if (typeof callId === 'string') info.callId = callId;
          observation = observeTool(info, () => {
            if (!ran) run();
            if (thrown) throw thrown.error;
            return isAsyncIterable(result) ? undefined : result;
          });
          observation.then(undefined, noop);
        } catch {
          // Telemetry never breaks the tool.
          observation = undefined;
        }
        if (!ran) run();
        if (thrown) throw thrown.error;
        if (observation === undefined || isAsyncIterable(result)) return result;
        return observation.then(
          () => result,
          () => result,
        );
      },
    };
  }
  return out as Tools;
}
