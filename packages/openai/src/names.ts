/** The `provider` label and `gen_ai.provider.name` of every call recorded by this package. */
export const PROVIDER = 'openai';

/**
 * The methods observed, as paths from the client, and the OTel `gen_ai.operation.name` of each. The
 * Responses API is a chat operation too: the conventions name the operation, not the endpoint.
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
export const OBSERVED_METHODS = {
  'chat.completions.create': 'chat',
  'responses.create': 'chat',
  'embeddings.create': 'embeddings',
} as const satisfies Record<string, string>;
