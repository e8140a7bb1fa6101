import { handOver } from '@genxai/obs-core';
import { GenxaiObservabilityError, type LlmOperation, type ObserveLlm } from '@genxai/observability';
import { errorForRecording } from './error-view';
import { OBSERVED_METHODS, PROVIDER } from './names';

/** What `instrumentOpenAI` records through: an `Observability` from `setupObservability`, or anything with its `observeLLM`. */
export interface OpenAIObserver {
  observeLLM: ObserveLlm;
}

/** A tree of property names leading to observed methods; a leaf is the method's `gen_ai.operation.name`. */
type MethodTree = { [key: string]: MethodTree | string };

const TREE: MethodTree = {};
for (const [path, operationName] of Object.entries(OBSERVED_METHODS)) {
  const keys = path.split('.');
  let node = TREE;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as MethodTree;
  }
  node[keys.at(-1)!] = operationName;
}

/**
 * openai's embeddings response carries `usage: { prompt_tokens, total_tokens }` and no output count,
 * which the default reader needs; an embedding has no output tokens.
 */
const readEmbeddings = (result: unknown) => {
  const usage = (result as { usage?: { prompt_tokens?: unknown } } | null)?.usage;
  const input = usage?.prompt_tokens;
  return typeof input === 'number' && Number.isInteger(input) && input >= 0
    ? { usage: { inputTokens: input, outputTokens: 0 } }
    : {};
};

const MARK = Symbol.for('genxai.openai.instrumented');

const noop = () => {};

/** `gen_ai.request.*` and labels from the call's first argument, the SDK request as given. */
function operationOf(params: unknown, operationName: string): LlmOperation {
  const request = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
  const model = typeof request.model === 'string' ? request.model : '';
  return { provider: PROVIDER, model, request: params, stream: request.stream === true, operationName };
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/** What the observation waits on: the call's outcome, its errors as `errorForRecording` shows them. */
const recordable = (result: unknown): unknown =>
  isThenable(result)
    ? result.then(
        (value) => value,
        (error: unknown) => {
          throw errorForRecording(error);
        },
      )
    : result;

function observeMethod(
  method: (...args: unknown[]) => unknown,
  owner: object,
  operationName: string,
  observer: OpenAIObserver,
) {
  const observed = function (this: unknown, ...args: unknown[]) {
    let invoked = false;
    let result: unknown;
    let failure: { error: unknown } | undefined;
    // The SDK method runs once, in the resource it belongs to (its private state is there).
    const invoke = () => {
      invoked = true;
      try {
        result = Reflect.apply(method, owner, args);
      } catch (error) {
        failure = { error };
      }
    };
    let observation: Promise<unknown> | undefined;
    try {
      // Called synchronously, so the span starts in the caller's context (under its active span).
      observation = observer.observeLLM(
        operationOf(args[0], operationName),
        () => {
          if (!invoked) invoke();
          if (failure) throw errorForRecording(failure.error);
          return recordable(result);
        },
        operationName === OBSERVED_METHODS['embeddings.create'] ? { readResult: readEmbeddings } : undefined,
      );
      // The observation mirrors the call's outcome; the caller handles the call's own promise.
      observation.catch(noop);
    } catch {
      // Telemetry never breaks the call: the SDK method still runs below.
    }
    if (!invoked) invoke();
    if (failure) throw failure.error;
    // What the SDK returned: its APIPromise, with `.withResponse()` and `.asResponse()`.
    return observation && isThenable(result) ? handOver(result, observation) : result;
  };
  Object.defineProperty(observed, 'name', { value: method.name });
  Object.defineProperty(observed, MARK, { value: true });
  return observed;
}

function proxyOf<T extends object>(target: T, tree: MethodTree, observer: OpenAIObserver): T {
  const cache = new Map<PropertyKey, { value: unknown; wrapped: unknown }>();
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, object);
      const node = typeof key === 'string' && Object.hasOwn(tree, key) ? tree[key] : undefined;
      const cached = cache.get(key);
      if (cached && cached.value === value) return cached.wrapped;
      let wrapped: unknown;
      if (typeof node === 'string' && typeof value === 'function' && !(value as { [MARK]?: true })[MARK])
        wrapped = observeMethod(value as (...args: unknown[]) => unknown, object, node, observer);
      else if (typeof node === 'object' && typeof value === 'object' && value !== null)
        wrapped = proxyOf(value, node, observer);
      // Other methods run on the real object: the SDK keeps private state there.
      else if (typeof value === 'function' && key !== 'constructor') wrapped = value.bind(object);
      else return value === object ? receiver : value;
      cache.set(key, { value, wrapped });
      return wrapped;
    },
  });
}

/**
 * Wraps an `OpenAI` client instance so that `chat.completions.create` (plain and `stream: true`)
 * and `embeddings.create` are observed: an `llm.generate` span (`chat`/`embeddings` in
 * `gen_ai.operation.name`) under the caller's active span, the `genxai_llm_*` and GenAI client
 * metrics with tokens and cost, and the finish or failure log line. A streamed call is recorded
 * when its stream ends (success, `cancelled` when aborted or left early, or error), with the usage
 * of the last chunk (`stream_options: { include_usage: true }`) and the time to first token.
 *
 * The wrapped methods return exactly what the SDK returns (the same `APIPromise`, so
 * `.withResponse()` works; errors are the SDK's own classes). Everything else passes through to
 * the client. The client itself is not changed; call the returned one.
 *
 * @example
 * const client = instrumentOpenAI(new OpenAI(), obs);
 * const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
 */
export function instrumentOpenAI<Client extends object>(client: Client, observer: OpenAIObserver): Client {
  if (typeof client !== 'object' || client === null)
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      `instrumentOpenAI: the client must be an OpenAI client instance (got ${client === null ? 'null' : typeof client}).`,
    );
  if (typeof observer?.observeLLM !== 'function')
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      'instrumentOpenAI: the second argument must be an Observability from setupObservability (or an object ' +
        `with its observeLLM); got ${observer === null ? 'null' : typeof observer}.`,
    );
  return proxyOf(client, TREE, observer);
}
