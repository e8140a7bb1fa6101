/** The `provider` label and `gen_ai.provider.name` of every call recorded by this package. */
export const PROVIDER = 'anthropic';

/**
 * The methods observed, as paths from the client, and the OTel `gen_ai.operation.name` of each.
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
export const OBSERVED_METHODS = {
  'messages.create': 'chat',
} as const satisfies Record<string, string>;

/**
 * The `MessageStream` helper: `messages.stream()`, observed through the helper's own events (it is
 * not wrapped like the methods above, which return an `APIPromise`), and its `gen_ai.operation.name`.
 */
export const MESSAGE_STREAM = { resource: 'messages', method: 'stream', operationName: 'chat' } as const;
