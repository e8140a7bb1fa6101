// Observing an LLM SDK's client instance (not its module): a Proxy over the client and the resources
// on the way to the observed methods, so it works the same in ESM, CJS and bundled applications.
import { GenxaiObservabilityError } from './errors';
import { handOver } from './hand-over';
import type { LlmOperation } from './operations';
import { isObservableStream, recordStreamErrorsAs } from './stream-observer';

/** Records one LLM call: the umbrella's `observeLLM`, or anything with its signature. */
export type ObserveLlmCall = (info: LlmOperation, fn: () => unknown, options?: never) => PromiseLike<unknown>;

/** What an SDK package tells {@link instrumentClient}. */
export interface ClientInstrumentation {
  /** The `provider` label and `gen_ai.provider.name` of every call: `openai`, `anthropic`, … */
  provider: string;
  /** The observed methods, as paths from the client (`chat.completions.create`), and each one's `gen_ai.operation.name`. */
  methods: Readonly<Record<string, string>>;
  /** What the recording sees of an SDK error (the caller always gets the error itself). */
  errorForRecording?(error: unknown): unknown;
  /** Extra options for the observation of one operation (a result reader for embeddings, …). */
  optionsFor?(operationName: string): unknown;
}

/** A tree of property names leading to observed methods; a leaf is the method's operation name. */
type MethodTree = { [key: string]: MethodTree | string };

function treeOf(methods: Readonly<Record<string, string>>): MethodTree {
  const tree: MethodTree = {};
  for (const [path, operationName] of Object.entries(methods)) {
    const keys = path.split('.');
    let node = tree;
    for (const key of keys.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as MethodTree;
    }
    node[keys.at(-1)!] = operationName;
  }
  return tree;
}

const MARK = Symbol.for('genxai.sdk-client.observed');

const noop = () => {};

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/** The operation from the call's first argument, the SDK request as given. */
function operationOf(provider: string, params: unknown, operationName: string): LlmOperation {
  const request = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
  const model = typeof request.model === 'string' ? request.model : '';
  return { provider, model, request: params, stream: request.stream === true, operationName };
}

function observeMethod(
  method: (...args: unknown[]) => unknown,
  owner: object,
  operationName: string,
  observe: ObserveLlmCall,
  spec: ClientInstrumentation,
) {
  const asRecorded = spec.errorForRecording ?? ((error: unknown) => error);
  // What the observation waits on: the call's outcome, its errors as the recording sees them.
  const recordable = (result: unknown): unknown =>
    isThenable(result)
      ? result.then(
          (value) => {
            // A stream's errors come later, while it is read: its observers see them as the SDK's.
            if (spec.errorForRecording && isObservableStream(value))
              recordStreamErrorsAs(value as object, asRecorded);
            return value;
          },
          (error: unknown) => {
            throw asRecorded(error);
          },
        )
      : result;
  const observed = function (this: unknown, ...args: unknown[]) {
    let invoked = false;
    let result: unknown;
    let failure: { error: unknown } | undefined;
    // The SDK method runs once, on the resource it belongs to (its private state is there).
    const invoke = () => {
      invoked = true;
      try {
        result = Reflect.apply(method, owner, args);
      } catch (error) {
        failure = { error };
      }
    };
    let observation: PromiseLike<unknown> | undefined;
    try {
      // Called synchronously, so the span starts in the caller's context (under its active span).
      observation = observe(
        operationOf(spec.provider, args[0], operationName),
        () => {
          if (!invoked) invoke();
          if (failure) throw asRecorded(failure.error);
          return recordable(result);
        },
        spec.optionsFor?.(operationName) as never,
      );
      // The observation mirrors the call's outcome; the caller handles the call's own promise.
      observation.then(undefined, noop);
    } catch {
      // Telemetry never breaks the call: the SDK method still runs below.
    }
    if (!invoked) invoke();
    if (failure) throw failure.error;
    // What the SDK returned (its APIPromise, with `.withResponse()`), handed over once observed.
    return observation && isThenable(result) ? handOver(result, observation) : result;
  };
  Object.defineProperty(observed, 'name', { value: method.name });
  Object.defineProperty(observed, MARK, { value: true });
  return observed;
}

function proxyOf<T extends object>(
  target: T,
  tree: MethodTree,
  observe: ObserveLlmCall,
  spec: ClientInstrumentation,
): T {
  const cache = new Map<PropertyKey, { value: unknown; wrapped: unknown }>();
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, object);
      const node = typeof key === 'string' && Object.hasOwn(tree, key) ? tree[key] : undefined;
      const cached = cache.get(key);
      if (cached && cached.value === value) return cached.wrapped;
      let wrapped: unknown;
      if (typeof node === 'string' && typeof value === 'function' && !(value as { [MARK]?: true })[MARK])
        wrapped = observeMethod(value as (...args: unknown[]) => unknown, object, node, observe, spec);
      else if (typeof node === 'object' && typeof value === 'object' && value !== null)
        wrapped = proxyOf(value, node, observe, spec);
      // Other methods run on the real object: the SDK keeps private state there.
      else if (typeof value === 'function' && key !== 'constructor') wrapped = value.bind(object);
      else return value === object ? receiver : value;
      cache.set(key, { value, wrapped });
      return wrapped;
    },
  });
}

/**
 * Wraps an SDK client instance so that the `spec.methods` are observed through `observe`, each call
 * once, in the caller's context; everything else passes through, bound to the real client. The
 * wrapped methods return exactly what the SDK returns (its `APIPromise`, handed over once the
 * observation has its value, so a stream is observed before the caller reads it) and throw the
 * SDK's own errors. The client itself is not changed.
 */
export function instrumentClient<Client extends object>(
  client: Client,
  observe: ObserveLlmCall,
  spec: ClientInstrumentation,
): Client {
  return proxyOf(client, treeOf(spec.methods), observe, spec);
}

const kindOf = (value: unknown) => (value === null ? 'null' : typeof value);

/**
 * The setup check of an SDK package's entry point: `target` (the client, model or tool set) must be
 * an object, and `observer` must have `method` (an `Observability` from `setupObservability` has it).
 * @throws GenxaiObservabilityError (`GENXAI_INVALID_OPTION`) naming `entry` and what it got.
 */
export function checkInstrumentArguments(
  entry: string,
  target: unknown,
  expected: string,
  observer: unknown,
  method: 'observeLLM' | 'observeTool' | 'observeMcp' = 'observeLLM',
): void {
  if (typeof target !== 'object' || target === null)
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      `${entry}: the first argument must be ${expected} (got ${kindOf(target)}).`,
    );
  if (typeof (observer as Record<string, unknown> | null)?.[method] !== 'function')
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      `${entry}: the second argument must be an Observability from setupObservability (or an object with its ` +
        `${method}); got ${kindOf(observer)}.`,
    );
}
