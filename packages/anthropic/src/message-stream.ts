// Observing `messages.stream()`: the SDK's `MessageStream` helper, an event emitter that runs the
// request itself (an unobserved `messages.create(…, stream: true)` on the real resource). It is
// observed through its own public events, never through its iterator, and without an `error` or
// `abort` listener: those, and the helper's promise-returning methods, are how the SDK decides
// whether a failure nobody handles becomes an unhandled rejection. Ours must not take part.
import type { LlmOperation, ObserveLlmCall } from '@genxai/obs-core';
import { errorForRecording } from './error-view';
import { MESSAGE_STREAM, PROVIDER } from './names';

/** The public members of the SDK's `MessageStream` that the observation uses. */
interface MessageStreamEvents {
  on(event: 'streamEvent' | 'end', listener: (event?: unknown) => void): unknown;
  done(): PromiseLike<void>;
  readonly controller?: { readonly signal?: EventTarget & { readonly aborted?: boolean } };
  readonly aborted?: unknown;
  readonly errored?: unknown;
}

type FeedEnd = { failed: false } | { failed: true; error: unknown };

/**
 * The raw events of one `MessageStream`, as the async iterable that `observeLLM` watches as the
 * streamed result (its usage reader, time to first token, the end). Only the observation reads
 * it; the user's stream is left to the user. A waiting read is settled in the same turn as the
 * event or end that settles it, so the observation ends within a microtask or two of the stream.
 */
class EventFeed implements AsyncIterable<unknown> {
  readonly #events: unknown[] = [];
  #end: FeedEnd | undefined;
  #waiting: { resolve(step: IteratorResult<unknown>): void; reject(error: unknown): void } | undefined;

  push(event: unknown): void {
    if (this.#end) return;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) waiting.resolve({ done: false, value: event });
    else this.#events.push(event);
  }

  end(): void {
    this.#finish({ failed: false });
  }

  fail(error: unknown): void {
    this.#finish({ failed: true, error });
  }

  #finish(end: FeedEnd): void {
    if (this.#end) return;
    this.#end = end;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) this.#settle(end, waiting.resolve, waiting.reject);
  }

  #settle(end: FeedEnd, resolve: (step: IteratorResult<unknown>) => void, reject: (error: unknown) => void) {
    if (end.failed) reject(end.error);
    else resolve({ done: true, value: undefined });
  }

  #next(): Promise<IteratorResult<unknown>> {
    if (this.#events.length > 0) return Promise.resolve({ done: false, value: this.#events.shift() });
    return new Promise((resolve, reject) => {
      if (this.#end) this.#settle(this.#end, resolve, reject);
      else this.#waiting = { resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return { next: () => this.#next() };
  }
}

/** Reads the feed to its end, through the iterator `observeLLM` installed on it. */
async function readToEnd(feed: EventFeed): Promise<void> {
  try {
    const events = feed[Symbol.asyncIterator]();
    for (let step = await events.next(); step.done !== true; step = await events.next()) {
      // Each event is seen by the observation's iterator; nothing to do with it here.
    }
  } catch {
    // The failure was recorded; the user hears of it from their own MessageStream.
  }
}

// What the feed ends with when the stream was aborted: the observation records it as `cancelled`.
const aborted = () => new DOMException('The MessageStream was aborted.', 'AbortError');

const isMessageStop = (event: unknown) =>
  typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'message_stop';

/**
 * Feeds the stream's raw events and its outcome into a new feed. Undefined when `stream` has not
 * the helper's `on` and `done` (an SDK this package does not know). Never throws.
 *
 * Nothing here counts as handling a failure: the SDK makes a failure nobody handles an unhandled
 * rejection unless an `error` (or `abort`) listener is registered or `done()`, `finalMessage()`,
 * `emitted()`, … was called before it failed. The feed listens to `streamEvent`, `end` and the
 * stream's own abort signal only, and calls `done()` only once the stream has ended, when that
 * decision is already made.
 */
function feedOf(stream: unknown): EventFeed | undefined {
  try {
    const helper = stream as Partial<MessageStreamEvents>;
    const { on, done } = helper;
    if (typeof on !== 'function' || typeof done !== 'function') return undefined;
    const feed = new EventFeed();
    // Every raw SSE event from `message_start` on, whichever way the user reads the stream. At
    // `message_stop` the message and its usage are complete: the request is recorded then, before
    // the SDK resolves `done()` / `finalMessage()` and the caller resumes.
    on.call(stream, 'streamEvent', (event: unknown) => {
      feed.push(event);
      if (isMessageStop(event)) feed.end();
    });
    // `stream.abort()`, the caller's `signal` and a `break` out of `for await` all abort this
    // controller: recorded as `cancelled` at once.
    const signal = helper.controller?.signal;
    if (signal?.aborted === true) feed.fail(aborted());
    else signal?.addEventListener?.('abort', () => feed.fail(aborted()), { once: true });
    // `end` follows every outcome. An error is read from `done()`, which is safe now (see above);
    // the error is recorded a few microtasks after the SDK reports it.
    on.call(stream, 'end', () => {
      try {
        const { aborted: wasAborted, errored } = helper;
        if (wasAborted === true) feed.fail(aborted());
        else if (errored === false) feed.end();
        else
          done.call(stream).then(
            () => feed.end(),
            (error: unknown) => feed.fail(errorForRecording(error)),
          );
      } catch {
        // The stream ended; how is unknown.
        feed.end();
      }
    });
    return feed;
  } catch {
    return undefined;
  }
}

/** The operation of one `messages.stream(params)` call. */
function operationOf(params: unknown): LlmOperation {
  const request = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
  const model = typeof request.model === 'string' ? request.model : '';
  return {
    provider: PROVIDER,
    model,
    request: params,
    stream: true,
    operationName: MESSAGE_STREAM.operationName,
  };
}

/**
 * Wraps the SDK's `messages.stream` (bound to its resource) so that each call is one observed LLM
 * request: it starts in the caller's context, and ends when the returned `MessageStream` ends, fails
 * or is aborted. The wrapper returns the SDK's `MessageStream` itself and throws the SDK's own errors.
 */
export function observeMessageStream(method: (...args: unknown[]) => unknown, observe: ObserveLlmCall) {
  const stream = function stream(this: unknown, ...args: unknown[]): unknown {
    let invoked = false;
    let result: unknown;
    let failure: { error: unknown } | undefined;
    let feed: EventFeed | undefined;
    const invoke = (watched: boolean) => {
      invoked = true;
      try {
        result = Reflect.apply(method, this, args);
      } catch (error) {
        failure = { error };
        return;
      }
      if (watched) feed = feedOf(result);
    };
    try {
      // Called synchronously, so the span starts in the caller's context (under its active span).
      const observation = observe(operationOf(args[0]), () => {
        if (!invoked) invoke(true);
        if (failure) throw errorForRecording(failure.error);
        // A stream without the helper's events is recorded as one that reported nothing.
        if (feed === undefined) {
          feed = new EventFeed();
          feed.end();
        }
        return feed;
      });
      // Once the observation has its watch on the feed, the feed is read to the stream's end.
      const read = () => {
        if (feed !== undefined) void readToEnd(feed);
      };
      observation.then(read, read);
      if (!invoked) invoke(true);
    } catch {
      // Telemetry never breaks the call: the SDK method still runs below.
    }
    if (!invoked) invoke(false);
    if (failure) throw failure.error;
    return result;
  };
  Object.defineProperty(stream, 'name', { value: MESSAGE_STREAM.method });
  return stream;
}
