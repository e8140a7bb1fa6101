import {
  GenxaiObservabilityError,
  handOver,
  invalidOption,
  isPromiseLike,
  messageOf,
  type OperationKind,
  type OperationKinds,
  type WarnOnce,
} from '@genxai/obs-core';
import type { Observers } from './observe';
import type { LlmObserveOptions } from './operations';

// biome-ignore lint/suspicious/noExplicitAny: a method of any signature.
type AnyMethod = (...args: any[]) => unknown;

/** The names of `T`'s methods. */
export type MethodName<T> = { [K in keyof T]: T[K] extends AnyMethod ? K : never }[keyof T] & string;

/** How one method is observed: the kind of operation and its info, from `this` and the call's arguments. */
export type MethodSpec<T, M extends AnyMethod> = {
  [Kind in OperationKind]: {
    kind: Kind;
    info: (self: T, ...args: Parameters<M>) => OperationKinds[Kind];
  } & (Kind extends 'llm' ? LlmObserveOptions<Awaited<ReturnType<M>>> : unknown);
}[OperationKind];

/** Which methods of `T` to observe, and how. */
export type InstrumentSpec<T> = {
  [K in MethodName<T>]?: T[K] extends AnyMethod ? MethodSpec<T, T[K]> : never;
};

/**
 * Wraps methods of an existing object (an agent runtime, a tool registry, an
 * LLM provider, a memory store) in place, so every call is observed: metrics,
 * span and logs, with the arguments and result passed through untouched. The
 * wrapped methods return promises. Returns the same object.
 *
 * @example
 * obs.instrument(provider, {
 *   generate: { kind: 'llm', info: (self, prompt) => ({ provider: 'openai', model: self.model, prompt }) },
 * });
 */
export type Instrument = <T extends object>(target: T, spec: InstrumentSpec<T>) => T;

const MARK = Symbol.for('genxai.observability.instrumented');

/** @internal Builds `instrument` over a set of observers. */
function ignore() {}

export function createInstrument(observers: Observers, warn: WarnOnce): Instrument {
  const observe: Record<
    OperationKind,
    (info: never, fn: () => unknown, options?: never) => Promise<unknown>
  > = {
    agent: observers.observeAgent,
    tool: observers.observeTool,
    llm: observers.observeLLM as never,
    memory: observers.observeMemory,
    workflow: observers.observeWorkflow,
    node: observers.observeNode,
  };
  return (target, spec) => {
    if (typeof target !== 'object' || target === null)
      invalidOption('instrument target', target, 'an object');
    for (const [name, methodSpec] of Object.entries(spec ?? {}) as [
      string,
      MethodSpec<unknown, AnyMethod>,
    ][]) {
      const original = (target as Record<string, unknown>)[name];
      if (typeof original !== 'function') {
        throw new GenxaiObservabilityError(
          'GENXAI_INVALID_OPTION',
          `Cannot instrument ${JSON.stringify(name)}: it is not a method of the target (found ${typeof original}).`,
        );
      }
      if (!methodSpec || !(methodSpec.kind in observe) || typeof methodSpec.info !== 'function') {
        invalidOption(
          `instrument spec of ${JSON.stringify(name)}`,
          methodSpec,
          `{ kind: ${Object.keys(observe).join(' | ')}, info: (self, ...args) => info }`,
        );
      }
      if ((original as { [MARK]?: boolean })[MARK]) continue; // already wrapped: never observe a call twice
      const run = observe[methodSpec.kind];
      const wrapped = function (this: unknown, ...args: unknown[]) {
        let info: unknown;
        try {
          info = methodSpec.info(this, ...(args as never[]));
        } catch (error) {
          // A broken info function must not break the call: observe it with what we can, and say so once.
          warn(
            `instrument:${name}`,
            'GENXAI_OBSERVE_FAILED',
            `@genxai/observability: the info function of instrumented method ${JSON.stringify(name)} threw ` +
              `(${messageOf(error)}); the call was recorded with unknown labels.`,
          );
          info = {};
        }
        const options =
          methodSpec.kind === 'llm'
            ? { readResult: (methodSpec as LlmObserveOptions<unknown>).readResult }
            : undefined;
        // The caller gets exactly what the method returned or threw — an SDK's `APIPromise` keeps
        // `.withResponse()`, a sync method stays sync — and the observation follows it.
        let outcome: { value: unknown } | { error: unknown } | undefined;
        const observation = run(
          info as never,
          () => {
            try {
              const value = (original as AnyMethod).apply(this, args);
              outcome = { value };
              return value;
            } catch (error) {
              outcome = { error };
              throw error;
            }
          },
          options as never,
        );
        // The caller handles the method's own promise or throw; the observation's copy must not be reported.
        observation.then(undefined, ignore);
        if (outcome === undefined) return observation;
        if ('error' in outcome) throw outcome.error;
        // A promise (an SDK's APIPromise) reaches the caller once the observation has its value, so a
        // streamed response is observed before the caller can start reading it.
        return isPromiseLike(outcome.value) ? handOver(outcome.value, observation) : outcome.value;
      };
      Object.defineProperty(wrapped, MARK, { value: true });
      Object.defineProperty(wrapped, 'name', { value: (original as AnyMethod).name });
      (target as Record<string, unknown>)[name] = wrapped;
    }
    return target;
  };
}
