import { checkInstrumentArguments, instrumentClient } from '@genxai/obs-core';
import type { ObserveLlm } from '@genxai/observability';
import { errorForRecording } from './error-view';
import { OBSERVED_METHODS, PROVIDER } from './names';

/** What `instrumentOpenAI` records through: an `Observability` from `setupObservability`, or anything with its `observeLLM`. */
export interface OpenAIObserver {
  observeLLM: ObserveLlm;
}

/**
 * openai's embeddings response carries `usage: { prompt_tokens, total_tokens }` and no output count,
 * which the default reader needs; an embedding has no output tokens.
 */
const readEmbeddings = (result: unknown) => {
  const usage = (result as { usage?: { prompt_tokens?: unknown } } | null)?.usage;
  const input = usage?.prompt_tokens;
  return typeof input === 'number' && Number.isInteger(input) && input >= 0
    ? { usage: { inputTokens: input, outputTokens: 0 } }
    : {};
};

const SPEC = {
  provider: PROVIDER,
  methods: OBSERVED_METHODS,
  errorForRecording,
  optionsFor: (operationName: string) =>
    operationName === OBSERVED_METHODS['embeddings.create'] ? { readResult: readEmbeddings } : undefined,
};

/**
 * Wraps an `OpenAI` client instance so that `chat.completions.create` and `responses.create` (each
 * plain and `stream: true`) and `embeddings.create` are observed: an `llm.generate` span (`chat` for
 * both chat APIs, `embeddings` in `gen_ai.operation.name`) under the caller's active span, the
 * `genxai_llm_*` and GenAI client metrics with tokens (cached and reasoning ones too) and cost, and
 * the finish or failure log line. The tools the model asked for go in `llm.tool_calls.names` and
 * `llm.tool_calls.ids` (a chat completion's `tool_calls`, a response's `function_call` items). A
 * streamed call is recorded when its stream ends (success, `cancelled` when aborted or left early,
 * or error), with the time to first token and the usage the stream reports: a chat stream's last
 * chunk (`stream_options: { include_usage: true }`), a Responses stream's `response.completed`.
 *
 * The wrapped methods return exactly what the SDK returns (the same `APIPromise`, so
 * `.withResponse()` works; errors are the SDK's own classes). Everything else passes through to
 * the client. The client itself is not changed; call the returned one.
 *
 * @example
 * const client = instrumentOpenAI(new OpenAI(), obs);
 * const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
 * const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'Weather in Lisbon?' });
 */
export function instrumentOpenAI<Client extends object>(client: Client, observer: OpenAIObserver): Client {
  checkInstrumentArguments('instrumentOpenAI', client, 'an OpenAI client instance', observer);
  return instrumentClient(client, (info, fn, options) => observer.observeLLM(info, fn, options), SPEC);
}
