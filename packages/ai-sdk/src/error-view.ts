// The AI SDK's `APICallError` (`name` `AI_APICallError` for every status) carries the HTTP status
// in `statusCode`; the label needs the kind of failure, not the class.
const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'authentication',
  403: 'permission_denied',
  404: 'not_found',
  408: 'timeout',
  409: 'conflict',
  413: 'request_too_large',
  422: 'bad_request',
  429: 'rate_limit',
  529: 'overloaded',
};

/** The `error_type` of an HTTP status: the table above, `server_error` for other 5xx. */
function kindOf(status: number): string | undefined {
  return BY_STATUS[status] ?? (status >= 500 && status <= 599 ? 'server_error' : undefined);
}

/**
 * What the observation records for a failed model call. `errorType()` (`error.type`, label
 * `error_type`) reads an error's `code`, else its `name`. The AI SDK's `APICallError` has no `code`
 * and one `name` for every failure, so the observation sees a view of it whose `code` is the kind
 * of failure its `statusCode` means: `rate_limit` (429), `server_error` (5xx), `overloaded` (529),
 * `authentication` (401), `bad_request` (400, 422), `timeout` (408), … — low-cardinality, the same
 * for every provider. Other errors (a network failure, an abort, `AI_NoContentGeneratedError`) are
 * recorded as they are. The caller always gets the SDK's own error, untouched.
 */
export function errorForRecording(error: unknown): unknown {
  try {
    if (!(error instanceof Error)) return error;
    const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
    if (typeof code === 'string' && code !== '') return error;
    const kind = typeof statusCode === 'number' ? kindOf(statusCode) : undefined;
    return kind === undefined ? error : Object.create(error, { code: { value: kind, enumerable: false } });
  } catch {
    // A hostile error (a Proxy, throwing getters) is recorded as it is.
    return error;
  }
}
