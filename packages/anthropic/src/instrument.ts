import { checkInstrumentArguments, instrumentClient, type ObserveLlmCall } from '@genxai/obs-core';
import type { ObserveLlm } from '@genxai/observability';
import { errorForRecording } from './error-view';
import { observeMessageStream } from './message-stream';
import { MESSAGE_STREAM, OBSERVED_METHODS, PROVIDER } from './names';

/** What `instrumentAnthropic` records through: an `Observability` from `setupObservability`, or anything with its `observeLLM`. */
export interface AnthropicObserver {
  observeLLM: ObserveLlm;
}

const SPEC = { provider: PROVIDER, methods: OBSERVED_METHODS, errorForRecording };

// Answered `true` by a `messages` whose `stream` is observed, through every Proxy over it: a client
// wrapped twice records each stream once.
const STREAM_OBSERVED = Symbol.for('genxai.anthropic.message-stream.observed');

function streamObserved(messages: object): boolean {
  try {
    return (messages as { [STREAM_OBSERVED]?: unknown })[STREAM_OBSERVED] === true;
  } catch {
    return false;
  }
}

/** `messages` (as `instrumentClient` gives it) with its `stream` observed; everything else as it was. */
function withObservedStream(messages: object, observe: ObserveLlmCall): object {
  let cached: { value: unknown; wrapped: unknown } | undefined;
  const layer: object = new Proxy(messages, {
    get(target, key) {
      if (key === STREAM_OBSERVED) return true;
      const value = Reflect.get(target, key);
      if (value === target) return layer;
      if (key !== MESSAGE_STREAM.method || typeof value !== 'function') return value;
      // `value` is the SDK's method bound to the real resource, so the `create` inside it is the
      // SDK's own: the stream is recorded once, from its events.
      if (cached === undefined || cached.value !== value)
        cached = { value, wrapped: observeMessageStream(value as (...args: unknown[]) => unknown, observe) };
      return cached.wrapped;
    },
  });
  return layer;
}

/** The client from `instrumentClient`, with `messages.stream()` observed as well. */
function observingStreams<Client extends object>(client: Client, observe: ObserveLlmCall): Client {
  const layers = new WeakMap<object, object>();
  const root: Client = new Proxy(client, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (value === target) return root;
      if (key !== MESSAGE_STREAM.resource || typeof value !== 'object' || value === null) return value;
      if (streamObserved(value)) return value;
      let layer = layers.get(value);
      if (layer === undefined) {
        layer = withObservedStream(value, observe);
        layers.set(value, layer);
      }
      return layer;
    },
  });
  return root;
}

/**
 * Wraps an `Anthropic` client instance so that `messages.create` (plain and `stream: true`) and
 * `messages.stream()` are observed: an `llm.generate` span (`chat` in `gen_ai.operation.name`) under
 * the caller's active span, the `genxai_llm_*` and GenAI client metrics with tokens (cache reads and
 * writes included) and cost, and the finish or failure log line. A streamed call is recorded when
 * its stream ends (success, `cancelled` when aborted or left early, or error), with the usage of its
 * `message_start` and `message_delta` events and the time to first token.
 *
 * `messages.create` returns exactly what the SDK returns (the same `APIPromise`, so
 * `.withResponse()` works; errors are the SDK's own classes). `messages.stream()` returns the SDK's
 * own `MessageStream`, observed through its events however it is read (`for await`, `on('text')`,
 * `finalMessage()`, `done()`, …), and without an `error` or `abort` listener: a failed stream that
 * nobody handles is an unhandled rejection exactly when it would be without this wrapper. Everything
 * else passes through to the client, unobserved. The client itself is not changed; call the returned
 * one.
 *
 * @example
 * const client = instrumentAnthropic(new Anthropic(), obs);
 * const reply = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
 * const text = await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages }).finalText();
 */
export function instrumentAnthropic<Client extends object>(
  client: Client,
  observer: AnthropicObserver,
): Client {
  checkInstrumentArguments('instrumentAnthropic', client, 'an Anthropic client instance', observer);
  const observe: ObserveLlmCall = (info, fn) => observer.observeLLM(info, fn);
  return observingStreams(instrumentClient(client, observe, SPEC), observe);
}
