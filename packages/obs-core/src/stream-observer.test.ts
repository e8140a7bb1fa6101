import { describe, expect, it } from 'vitest';
import {
  isAbortError,
  isObservableStream,
  observeStream,
  recordStreamErrorsAs,
  type StreamOutcome,
} from './stream-observer';

function recorder() {
  const chunks: unknown[] = [];
  const ends: [StreamOutcome, unknown][] = [];
  return {
    chunks,
    ends,
    observer: {
      onChunk: (chunk: unknown) => chunks.push(chunk),
      onEnd: (o: StreamOutcome, e: unknown) => ends.push([o, e]),
    },
  };
}

async function* numbers(count: number, failAt?: number) {
  for (let index = 0; index < count; index++) {
    if (index === failAt) throw new RangeError('stream broke');
    yield { index };
  }
}

// Like the SDKs' Stream: a class with a private field, methods that use it, and extra properties.
class SdkStream {
  #source: () => AsyncGenerator<{ index: number }>;
  controller = new AbortController();
  constructor(source: () => AsyncGenerator<{ index: number }>) {
    this.#source = source;
  }
  [Symbol.asyncIterator]() {
    return this.#source();
  }
  tee() {
    return [new SdkStream(this.#source), new SdkStream(this.#source)];
  }
}

describe('observeStream', () => {
  it('passes every chunk through unchanged, to the same object, and ends with success', async () => {
    const { chunks, ends, observer } = recorder();
    const stream = new SdkStream(() => numbers(3));
    const observed = observeStream(stream, observer);
    expect(observed).toBe(stream);
    expect(observed).toBeInstanceOf(SdkStream);
    const seen: unknown[] = [];
    for await (const chunk of observed) seen.push(chunk);
    expect(seen).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }]);
    expect(chunks).toEqual(seen);
    expect(ends).toEqual([['success', undefined]]);
    // Private fields and methods still work on the observed object.
    expect(observed.tee()).toHaveLength(2);
    expect(observed.controller).toBeInstanceOf(AbortController);
  });

  it('reports a failure halfway as error, with what the stream threw, which still reaches the consumer', async () => {
    const { chunks, ends, observer } = recorder();
    const observed = observeStream(numbers(5, 2), observer);
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const chunk of observed) seen.push(chunk);
      })(),
    ).rejects.toThrow('stream broke');
    expect(seen).toHaveLength(2);
    expect(chunks).toHaveLength(2);
    expect(ends).toHaveLength(1);
    expect(ends[0]![0]).toBe('error');
    expect(ends[0]![1]).toBeInstanceOf(RangeError);
  });

  it('gives the observers the error view set for the stream; the consumer still gets the error itself', async () => {
    const { ends, observer } = recorder();
    const stream = new SdkStream(() => numbers(3, 1));
    recordStreamErrorsAs(stream, (error) => ({ viewOf: error, code: 'overloaded_error' }));
    observeStream(stream, observer);
    let thrown: unknown;
    try {
      for await (const _ of stream) {
        // read on
      }
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RangeError);
    expect(ends).toHaveLength(1);
    expect(ends[0]![0]).toBe('error');
    expect(ends[0]![1]).toEqual({ viewOf: thrown, code: 'overloaded_error' });
    // A view that throws leaves the error as it is.
    const other = recorder();
    const second = new SdkStream(() => numbers(3, 0));
    recordStreamErrorsAs(second, () => {
      throw new Error('view bug');
    });
    observeStream(second, other.observer);
    await expect(async () => {
      for await (const _ of second) {
        // read on
      }
    }).rejects.toThrow('stream broke');
    expect(other.ends[0]![1]).toBeInstanceOf(RangeError);
  });

  it('reports a consumer that breaks out as cancelled, and closes the source', async () => {
    const { ends, observer } = recorder();
    let closed = false;
    async function* source() {
      try {
        yield 1;
        yield 2;
        yield 3;
      } finally {
        closed = true;
      }
    }
    for await (const chunk of observeStream(source(), observer)) if (chunk === 2) break;
    expect(ends).toEqual([['cancelled', undefined]]);
    expect(closed).toBe(true);
  });

  it('reports an abort (AbortError, APIUserAbortError) as cancelled', async () => {
    const { ends, observer } = recorder();
    const controller = new AbortController();
    async function* source() {
      yield 1;
      controller.abort();
      throw controller.signal.reason;
    }
    await expect(
      (async () => {
        for await (const _ of observeStream(source(), observer)) {
          // read on
        }
      })(),
    ).rejects.toThrow();
    expect(ends.map(([outcome]) => outcome)).toEqual(['cancelled']);
    class APIUserAbortError extends Error {}
    expect(isAbortError(new APIUserAbortError('Request was aborted.'))).toBe(true);
    expect(isAbortError(new Error('x'))).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
  });

  it("reports a stream that ends after its own controller aborted (as OpenAI's Stream does) as cancelled", async () => {
    const { ends, observer } = recorder();
    const stream = new SdkStream(() => numbers(3));
    const observed = observeStream(stream, observer);
    for await (const chunk of observed) {
      if ((chunk as { index: number }).index === 0) stream.controller.abort();
    }
    expect(ends).toEqual([['cancelled', undefined]]);
  });

  it('adds no chunk of its own and reads nothing ahead', async () => {
    let pulled = 0;
    async function* source() {
      for (let index = 0; index < 3; index++) {
        pulled++;
        yield index;
      }
    }
    const iterator = observeStream(source(), recorder().observer)[Symbol.asyncIterator]();
    expect(pulled).toBe(0);
    await iterator.next();
    expect(pulled).toBe(1);
  });

  it('never lets an observer that throws break the stream', async () => {
    const observed = observeStream(numbers(2), {
      onChunk() {
        throw new Error('telemetry bug');
      },
      onEnd() {
        throw new Error('telemetry bug');
      },
    });
    const seen: unknown[] = [];
    for await (const chunk of observed) seen.push(chunk);
    expect(seen).toHaveLength(2);
  });

  it('recognises async iterables, not arrays, strings or plain objects, and survives hostile ones', () => {
    expect(isObservableStream(numbers(1))).toBe(true);
    expect(isObservableStream(new SdkStream(() => numbers(1)))).toBe(true);
    expect(isObservableStream(new ReadableStream())).toBe(true);
    expect(isObservableStream([1, 2])).toBe(false);
    expect(isObservableStream('text')).toBe(false);
    expect(isObservableStream({ content: 'x' })).toBe(false);
    expect(isObservableStream(null)).toBe(false);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(isObservableStream(hostile)).toBe(false);
  });

  it('ends at once, untouched, when the stream is frozen', async () => {
    const { ends, observer } = recorder();
    const frozen = Object.freeze(new SdkStream(() => numbers(1)));
    expect(observeStream(frozen, observer)).toBe(frozen);
    expect(ends).toEqual([['success', undefined]]);
  });
});
