/** True for anything with a callable `then`: promises, thenables, SDK `APIPromise`s. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as PromiseLike<unknown>).then === 'function';
  } catch {
    // A Proxy or getter that throws on `then` is not something we can await.
    return false;
  }
}

/**
 * Runs `fn(state)` and calls `onValue(state, value)` or `onError(state, error)` when it settles,
 * synchronously for a plain value or throw, on settlement for a promise. Returns what `fn` returned
 * (a promise result becomes the chained promise, so a rejection still reaches the caller
 * untouched). `onValue`/`onError` are the caller's to make safe. The `state` argument lets a hot
 * path pass hoisted functions instead of making closures on every call.
 */
export function settle<S, R>(
  state: S,
  fn: (state: S) => R,
  onValue: (state: S, value: unknown) => void,
  onError: (state: S, error: unknown) => void,
): R {
  let result: R;
  try {
    result = fn(state);
  } catch (error) {
    onError(state, error);
    throw error;
  }
  if (isPromiseLike(result)) {
    return (result as PromiseLike<unknown>).then(
      (value) => {
        onValue(state, value);
        return value;
      },
      (error: unknown) => {
        onError(state, error);
        throw error;
      },
    ) as R;
  }
  onValue(state, result);
  return result;
}

/** The message of anything thrown, without throwing itself: an `Error`'s message, a string, or a short description. */
export function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message);
    if (typeof error === 'string') return error;
    if (typeof error === 'object' && error !== null) {
      const message = (error as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    }
    return String(error);
  } catch {
    return 'an unprintable value';
  }
}

/** The W3C trace-flags bit that marks a sampled trace. */
export const TRACE_FLAG_SAMPLED = 0x01;

/** True when a span context's trace flags mark it sampled (its trace is exported). */
export function isSampled(spanContext: { traceFlags: number }): boolean {
  return (spanContext.traceFlags & TRACE_FLAG_SAMPLED) === TRACE_FLAG_SAMPLED;
}
