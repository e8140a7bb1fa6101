/**
 * USD prices per million tokens for current OpenAI, Anthropic, Google and
 * Mistral models, from the providers' public price lists.
 *
 * Prices change: check the sources and override or extend the table with the
 * `prices` option of `createMetrics` (or `createPriceTable`).
 */

/** The price of one model, in USD per million tokens. */
export interface ModelPrice {
  /** Input (prompt) tokens that were not read from a cache. */
  readonly input: number;
  /** Output (completion) tokens, reasoning tokens included. */
  readonly output: number;
  /**
   * Input tokens read from a prompt cache. When absent, cached tokens are
   * billed at the `input` price (the provider gives no cache discount).
   */
  readonly cachedInput?: number;
  /** Input tokens written to a prompt cache (Anthropic). When absent, billed at `input`. */
  readonly cacheWrite?: number;
  /**
   * Prices for long prompts, where a provider charges more above a prompt
   * size (Gemini 2.5 Pro above 200k tokens). Applies when the request's input
   * tokens exceed `aboveInputTokens`.
   */
  readonly longContext?: Omit<ModelPrice, 'longContext'> & { readonly aboveInputTokens: number };
}

/** When the shipped prices were last checked against the sources. */
export const PRICES_AS_OF = '2025-12-01';

/** Where the shipped prices come from. */
export const PRICE_SOURCES = {
  openai: 'https://openai.com/api/pricing/',
  anthropic: 'https://www.anthropic.com/pricing#api',
  google: 'https://ai.google.dev/gemini-api/docs/pricing',
  mistral: 'https://mistral.ai/pricing#api-pricing',
} as const;

/**
 * The shipped price table, keyed by the provider's model id (lower case,
 * without a dated snapshot suffix: `gpt-4o-2024-08-06` is priced as `gpt-4o`).
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI, standard tier.
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  // Anthropic: cache reads at 0.1× input, 5-minute cache writes at 1.25× input.
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'claude-opus-4-1': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  'claude-opus-4': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-sonnet-4': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-3-7-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, cacheWrite: 1, output: 4 },
  // Google Gemini API, paid tier, text input.
  'gemini-2.5-pro': {
    input: 1.25,
    cachedInput: 0.125,
    output: 10,
    longContext: { aboveInputTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 },
  },
  'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.01, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  // Mistral: no prompt-cache discount.
  'mistral-large-latest': { input: 2, output: 6 },
  'mistral-medium-latest': { input: 0.4, output: 2 },
  'mistral-small-latest': { input: 0.1, output: 0.3 },
  'magistral-medium-latest': { input: 2, output: 5 },
  'codestral-latest': { input: 0.3, output: 0.9 },
  'ministral-8b-latest': { input: 0.1, output: 0.1 },
};
