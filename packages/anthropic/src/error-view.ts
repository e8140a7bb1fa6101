/**
 * What the observation records for a failed call. `errorType()` (`error.type`, label `error_type`)
 * reads an error's `code`, else its `name`. `@anthropic-ai/sdk`'s `APIError` has no `code`; it
 * carries `status` and the API's error `type` from the body (`{"type":"error","error":{"type":
 * "rate_limit_error",…}}`): `rate_limit_error`, `overloaded_error`, `api_error`,
 * `invalid_request_error`, … — a fixed, low-cardinality list, and the most telling label. So the
 * observation sees a view of the error whose `code` is that `type`. When there is none (a body
 * without it, `APIConnectionError`, `APIConnectionTimeoutError`, an abort), it reads the `name`:
 * the SDK sets it to the class name; if a version did not, the view's `name` is the class name, as
 * in `@genxai/openai`. Same message, stack and fields through the prototype. The caller always gets
 * the SDK's own error, untouched.
 */
export function errorForRecording(error: unknown): unknown {
  try {
    if (!(error instanceof Error)) return error;
    const { code, type } = error as { code?: unknown; type?: unknown };
    if ((typeof code === 'string' && code !== '') || (typeof code === 'number' && Number.isFinite(code)))
      return error;
    if (typeof type === 'string' && type !== '' && type !== 'error')
      return Object.create(error, { code: { value: type, enumerable: false } });
    const className = error.constructor?.name;
    if (typeof className !== 'string' || className === '' || className === error.name) return error;
    return Object.create(error, { name: { value: className, enumerable: false } });
  } catch {
    // A hostile error (a Proxy, throwing getters) is recorded as it is.
    return error;
  }
}
