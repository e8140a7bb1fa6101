import type { LlmResultReader } from '@genxai/obs-core';

/** Options of `observeLLM`. */
export interface LlmObserveOptions<Result> {
  /**
   * Reads what the default reader cannot: return any fields of an `LlmResult` (`usage`,
   * `responseModel`, `completion`, `finishReasons`, `responseId`). They replace the default
   * reading's fields of the same name; the rest of the default reading is kept. The parameter is
   * typed from `fn`'s result.
   * @default the reader of `@genxai/obs-core` (OpenAI, Anthropic, the Vercel AI SDK, the plan's shape)
   *
   * @example
   * obs.observeLLM({ provider: 'acme', model }, () => acme.complete(prompt), {
   *   readResult: (r) => ({ usage: { inputTokens: r.meta.in, outputTokens: r.meta.out } }),
   * });
   */
  readResult?: LlmResultReader<Result>;
}
