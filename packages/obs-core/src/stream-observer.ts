// Observing a streamed LLM response without changing what the consumer sees.
//
// The stream object the SDK returned is handed back as is — same object, same class, same methods,
// private fields intact — with its own async iterator replaced by one that passes every chunk
// through, unchanged and unbuffered, and tells the observer about it. Nothing is read ahead: the
// consumer's pace is the stream's pace. (A Proxy would break the SDKs' private fields, and a new
// object would lose `controller`, `tee()`, `toReadableStream()` and the SDKs' own helpers.)

/** How an observed stream ended. */
export type StreamOutcome = 'success' | 'error' | 'cancelled';

/** What an observer hears about a stream. Its callbacks must not throw; a throw is swallowed. */
export interface StreamObserver {
  /** Each chunk, as the consumer receives it, before the consumer sees it. */
  onChunk(chunk: unknown): void;
  /**
   * Once, when the stream ends: `success` when it ran out, `error` when it threw (`error` is what it
   * threw), `cancelled` when the consumer stopped early (broke out of the loop, called `return()`) or
   * the stream was aborted (an `AbortError`, or the SDKs' `APIUserAbortError`).
   */
  onEnd(outcome: StreamOutcome, error: unknown): void;
}

/** True for an error that means "aborted by the caller", not a failure. */
export function isAbortError(error: unknown): boolean {
  try {
    if (typeof error !== 'object' || error === null) return false;
    const name = (error as { name?: unknown }).name;
    const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
    return (
      name === 'AbortError' ||
      name === 'APIUserAbortError' ||
      constructorName === 'APIUserAbortError' ||
      constructorName === 'AbortError'
    );
  } catch {
    return false;
  }
}

function asyncIteratorOf(value: unknown): (() => AsyncIterator<unknown>) | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    const method = (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator];
    return typeof method === 'function' ? (method as () => AsyncIterator<unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True for a streamed result this module can observe: an async iterable object (an SDK `Stream`,
 * an async generator, a `ReadableStream`), not a plain array, string or Map.
 */
export function isObservableStream(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return asyncIteratorOf(value) !== undefined;
}

/** True when an SDK stream's own `controller` (OpenAI's and Anthropic's `Stream`) was aborted. */
function wasAborted(stream: object): boolean {
  try {
    const signal = (stream as { controller?: { signal?: { aborted?: unknown } } }).controller?.signal;
    return signal?.aborted === true;
  } catch {
    return false;
  }
}

// What the observers of a stream record for an error it throws (an SDK's error, seen with its API's
// error type), set by the SDK package that returned the stream. The consumer gets the error itself.
const errorViews = new WeakMap<object, (error: unknown) => unknown>();

/**
 * Tells every observer of `stream` (the span's and the umbrella's) to record an error it throws as
 * `view(error)`, as they record a failed call's error: the SDK packages map an SDK's error classes
 * to a low-cardinality `error_type` this way. The consumer still gets the error itself.
 */
export function recordStreamErrorsAs(stream: object, view: (error: unknown) => unknown): void {
  try {
    errorViews.set(stream, view);
  } catch {
    // A stream that cannot be a WeakMap key is observed with its errors as they are.
  }
}

function recordedError(stream: object, error: unknown): unknown {
  const view = errorViews.get(stream);
  if (view === undefined) return error;
  try {
    return view(error);
  } catch {
    return error;
  }
}

/** Runs a callback of the observer; a throw inside telemetry never reaches the consumer. */
function quietly(run: () => void): void {
  try {
    run();
  } catch {
    // The observer reports its own problems; it must not break the stream.
  }
}

/**
 * Observes `stream` (see {@link isObservableStream}) and returns the same object: iterating it
 * yields exactly the chunks it would have yielded, and `observer` hears each one and the end.
 * Only the first iteration is observed (the SDKs' streams can be iterated once). A stream whose
 * iterator cannot be replaced (a frozen object) is returned untouched and ends the observation at
 * once (`success`, nothing read).
 */
export function observeStream<T extends object>(stream: T, observer: StreamObserver): T {
  const original = asyncIteratorOf(stream);
  if (original === undefined) return stream;
  let observed = false;
  let ended = false;
  const end = (outcome: StreamOutcome, error: unknown) => {
    if (ended) return;
    ended = true;
    quietly(() => observer.onEnd(outcome, error));
  };
  function iterate(this: unknown): AsyncIterator<unknown> {
    const inner = original!.call(this === undefined ? stream : this);
    if (observed) return inner;
    observed = true;
    const finish = (result: IteratorResult<unknown>) => {
      // An SDK stream aborted through its own controller may just end: that is a cancel, not a success.
      if (result.done) end(wasAborted(stream) ? 'cancelled' : 'success', undefined);
      else quietly(() => observer.onChunk(result.value));
      return result;
    };
    const fail = (error: unknown): never => {
      if (isAbortError(error)) end('cancelled', error);
      else end('error', recordedError(stream, error));
      throw error;
    };
    const iterator: AsyncIterableIterator<unknown> = {
      [Symbol.asyncIterator]() {
        return iterator;
      },
      next: (...args: [] | [unknown]) => inner.next(...args).then(finish, fail),
      return: (value?: unknown) => {
        // The consumer stopped early: a `break`, or a `return()` of its own.
        end('cancelled', undefined);
        return inner.return === undefined
          ? Promise.resolve({ done: true as const, value })
          : inner.return(value).then((result) => result, fail);
      },
      ...(inner.throw === undefined
        ? {}
        : {
            throw: (error?: unknown) => inner.throw!(error).then(finish, (thrown: unknown) => fail(thrown)),
          }),
    };
    return iterator;
  }
  try {
    Object.defineProperty(stream, Symbol.asyncIterator, {
      configurable: true,
      enumerable: false,
      writable: true,
      value: iterate,
    });
  } catch {
    end('success', undefined);
  }
  return stream;
}
