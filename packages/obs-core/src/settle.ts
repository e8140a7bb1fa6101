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
 * Runs `fn` and calls `onValue` or `onError` when it settles, synchronously for
 * a plain value or throw, on settlement for a promise. Returns what `fn` returned
 * (a promise result becomes the chained promise, so a rejection still reaches
 * the caller untouched). `onValue`/`onError` are the caller's to make safe.
 */
export function settle<R>(
  fn: () => R,
  onValue: (value: unknown) => void,
  onError: (error: unknown) => void,
): R {
  let result: R;
  try {
    result = fn();
  } catch (error) {
    onError(error);
    throw error;
  }
  if (isPromiseLike(result)) {
    return (result as PromiseLike<unknown>).then(
      (value) => {
        onValue(value);
        return value;
      },
      (error: unknown) => {
        onError(error);
        throw error;
      },
    ) as R;
  }
  onValue(result);
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
