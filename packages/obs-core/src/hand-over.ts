// Handing an SDK's promise back to the caller only once telemetry has seen its value.

/**
 * Returns `call` (an SDK's `APIPromise`, or any thenable) behind a Proxy whose `then`, `catch`,
 * `finally` and `withResponse` wait until `observation` has settled, then deliver the call's own
 * value or error untouched. A streamed response is observed when the observation receives it; a
 * caller iterating it inside `.then(…)` could otherwise take the stream's iterator first, and the
 * request would never end. Everything else (`asResponse`, the SDK's internals) runs on the call
 * itself, bound to it (SDKs keep private state there), and `instanceof` still holds. The waiting
 * promise is made on first use only, so a call nobody awaits produces no rejection of ours.
 */
export function handOver<Call extends PromiseLike<unknown>>(
  call: Call,
  observation: PromiseLike<unknown>,
): Call {
  let delivered: Promise<unknown> | undefined;
  const deliver = () => {
    delivered ??= Promise.resolve(observation).then(
      () => call,
      () => call,
    );
    return delivered;
  };
  const then = (onFulfilled?: (value: unknown) => unknown, onRejected?: (error: unknown) => unknown) =>
    deliver().then(onFulfilled, onRejected);
  const catchError = (onRejected?: (error: unknown) => unknown) => deliver().catch(onRejected);
  const andFinally = (onFinally?: () => void) => deliver().finally(onFinally);
  const withResponse = (call as { withResponse?: unknown }).withResponse;
  const deliveredWithResponse =
    typeof withResponse === 'function' ? () => deliver().then(() => withResponse.call(call)) : undefined;
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(call, {
    get(target, key) {
      if (key === 'then') return then;
      if (key === 'catch') return catchError;
      if (key === 'finally') return andFinally;
      if (key === 'withResponse' && deliveredWithResponse) return deliveredWithResponse;
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(key);
      if (method === undefined) {
        method = value.bind(target);
        bound.set(key, method);
      }
      return method;
    },
  });
}
