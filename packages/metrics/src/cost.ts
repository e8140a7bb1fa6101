import { invalidOption, type TokenUsage } from '@genxai/obs-core';
import { DEFAULT_PRICES, type ModelPrice } from './prices';

/** Looks a model up in a price table. */
export interface PriceTable {
  /** The price of `model`, or `undefined` when the table does not know it. */
  priceOf(model: string): ModelPrice | undefined;
  /** The cost in USD of one request's usage, as `genxai_llm_cost_total` counts it; undefined for an unknown model. */
  costOf(model: string, usage: TokenUsage): number | undefined;
}

/** Checks one price entry at configuration time. */
function validatePrice(model: string, price: ModelPrice): void {
  const fields = ['input', 'output', 'cachedInput', 'cacheWrite'] as const;
  for (const field of fields) {
    const value = price[field];
    if (value === undefined && (field === 'cachedInput' || field === 'cacheWrite')) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      invalidOption(
        `prices[${JSON.stringify(model)}].${field}`,
        value,
        'a finite number ≥ 0 (USD per million tokens)',
      );
    }
  }
  if (price.longContext) {
    const { aboveInputTokens } = price.longContext;
    if (!Number.isInteger(aboveInputTokens) || aboveInputTokens <= 0) {
      invalidOption(
        `prices[${JSON.stringify(model)}].longContext.aboveInputTokens`,
        aboveInputTokens,
        'a positive integer',
      );
    }
    validatePrice(model, price.longContext);
  }
}

const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;
const VENDOR_PREFIX = /^(models|openai|anthropic|google|mistral|mistralai)\//;

/**
 * The key a model id is looked up under: lower case, without a
 * `models/`-style vendor prefix and without a dated snapshot suffix, so
 * `claude-sonnet-4-5-20250929` and `models/gemini-2.5-pro` find their prices.
 */
export function normalizeModelId(model: string): string {
  return model.trim().toLowerCase().replace(VENDOR_PREFIX, '').replace(SNAPSHOT_SUFFIX, '');
}

/**
 * Builds a price table from the shipped prices and the caller's. An entry in
 * `prices` replaces the shipped entry of the same model; pass
 * `{ replaceDefaults: true }` to use only `prices`.
 *
 * @throws GenxaiObservabilityError when a price is negative, not a number, or missing.
 */
export function createPriceTable(
  prices: Readonly<Record<string, ModelPrice>> = {},
  options: { replaceDefaults?: boolean } = {},
): PriceTable {
  if (typeof prices !== 'object' || prices === null) {
    invalidOption('prices', prices, 'an object mapping model ids to prices');
  }
  const table = new Map<string, ModelPrice>();
  const add = (entries: Readonly<Record<string, ModelPrice>>) => {
    for (const [model, price] of Object.entries(entries)) {
      if (typeof price !== 'object' || price === null) {
        invalidOption(
          `prices[${JSON.stringify(model)}]`,
          price,
          'an object like { input, output, cachedInput? }',
        );
      }
      validatePrice(model, price);
      table.set(normalizeModelId(model), price);
    }
  };
  if (!options.replaceDefaults) add(DEFAULT_PRICES);
  add(prices);
  const priceOf = (model: string) => table.get(model) ?? table.get(normalizeModelId(model));
  return {
    costOf(model, usage) {
      const price = priceOf(model);
      return price === undefined ? undefined : costOf(price, usage);
    },
    priceOf(model) {
      return table.get(model) ?? table.get(normalizeModelId(model));
    },
  };
}

/**
 * The cost in USD of a valid `usage` at `price`: uncached input at `input`,
 * cache reads at `cachedInput`, cache writes at `cacheWrite`, and all output
 * (reasoning included) at `output`.
 */
export function costOf(price: ModelPrice, usage: TokenUsage): number {
  const tier =
    price.longContext && usage.inputTokens > price.longContext.aboveInputTokens ? price.longContext : price;
  const cached = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const uncached = usage.inputTokens - cached - cacheWrite;
  const micro =
    uncached * tier.input +
    cached * (tier.cachedInput ?? tier.input) +
    cacheWrite * (tier.cacheWrite ?? tier.input) +
    usage.outputTokens * tier.output;
  return micro / 1_000_000;
}
