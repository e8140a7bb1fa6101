/**
 * A low-cardinality name for an error, used as the `error_type` label and the
 * `error.type` span attribute: the error's `code`, else its `name`, else
 * `'Error'`. Never the message. Non-`Error` throws (`throw "x"`, `throw null`)
 * give `'Error'`, and so does an error whose `code` or `name` cannot be read. Never throws.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/attributes-registry/error/
 */
export function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  try {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof code === 'number' && Number.isFinite(code)) return String(code);
    if (typeof name === 'string' && name !== '') return name;
  } catch {
    // A thrown Proxy or an error with throwing getters still has a type.
  }
  return 'Error';
}
