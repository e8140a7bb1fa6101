/**
 * What the observation records for a failed call. `errorType()` (`error.type`, label `error_type`)
 * reads an error's `code`, else its `name`. openai's `APIError` carries the API's `code`
 * (`rate_limit_exceeded`, `insufficient_quota`, `context_length_exceeded`, …), often `null` (a 500
 * says `"code": null`), and no SDK error class sets `name`, so those would all read `Error`. For
 * them the observation sees a view of the error whose `name` is its class name
 * (`InternalServerError`, `APIConnectionError`, `APIConnectionTimeoutError`, …): still
 * low-cardinality, with the same message, stack and fields through its prototype. The caller always
 * gets the SDK's own error, untouched.
 */
export function errorForRecording(error: unknown): unknown {
  try {
    if (!(error instanceof Error)) return error;
    const { code } = error as { code?: unknown };
    if ((typeof code === 'string' && code !== '') || (typeof code === 'number' && Number.isFinite(code)))
      return error;
    const className = error.constructor?.name;
    if (typeof className !== 'string' || className === '' || className === error.name) return error;
    return Object.create(error, { name: { value: className, enumerable: false } });
  } catch {
    // A hostile error (a Proxy, throwing getters) is recorded as it is.
    return error;
  }
}
