import { instrumentClient } from '@genxai/obs-core';
import { GenxaiObservabilityError, type ObserveLlm } from '@genxai/observability';
import { errorForRecording } from './error-view';
import { OBSERVED_METHODS, PROVIDER } from './names';

/** What `instrumentAnthropic` records through: an `Observability` from `setupObservability`, or anything with its `observeLLM`. */
export interface AnthropicObserver {
  observeLLM: ObserveLlm;
}

const SPEC = { provider: PROVIDER, methods: OBSERVED_METHODS, errorForRecording };

/**
 * Wraps an `Anthropic` client instance so that `messages.create` (plain and `stream: true`) is
 * observed: an `llm.generate` span (`chat` in `gen_ai.operation.name`) under the caller's active
 * span, the `genxai_llm_*` and GenAI client metrics with tokens (cache reads and writes included)
 * and cost, and the finish or failure log line. A streamed call is recorded when its stream ends
 * (success, `cancelled` when aborted or left early, or error), with the usage of its
 * `message_start` and `message_delta` events and the time to first token.
 *
 * The wrapped method returns exactly what the SDK returns (the same `APIPromise`, so
 * `.withResponse()` works; errors are the SDK's own classes). `messages.stream()` (the
 * `MessageStream` helper) and everything else pass through to the client, unobserved. The client
 * itself is not changed; call the returned one.
 *
 * @example
 * const client = instrumentAnthropic(new Anthropic(), obs);
 * const reply = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
 */
export function instrumentAnthropic<Client extends object>(
  client: Client,
  observer: AnthropicObserver,
): Client {
  if (typeof client !== 'object' || client === null)
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      `instrumentAnthropic: the client must be an Anthropic client instance (got ${client === null ? 'null' : typeof client}).`,
    );
  if (typeof observer?.observeLLM !== 'function')
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      'instrumentAnthropic: the second argument must be an Observability from setupObservability (or an object ' +
        `with its observeLLM); got ${observer === null ? 'null' : typeof observer}.`,
    );
  return instrumentClient(client, (info, fn) => observer.observeLLM(info, fn), SPEC);
}
