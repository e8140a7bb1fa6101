/**
 * Token counts read from an LLM response, in the OpenAI / OTel GenAI
 * convention: input includes cached tokens, output includes reasoning tokens.
 * Only the counts the response carried are set.
 */
export interface ResultUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cachedInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningTokens?: number;
}

/** What an LLM call's result says about itself. */
export interface LlmResultFields {
  /**
   * The completion text: `content` or `text` (the plan's shape), OpenAI's
   * `choices[0].message.content`, or Anthropic's text blocks in `content[]`.
   */
  completion?: string;
  /** The model that answered (`model`). */
  responseModel?: string;
  usage?: ResultUsage;
}

// A token count is a non-negative integer; anything else is treated as absent, never recorded.
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/** The text of OpenAI's `choices[0].message.content` or Anthropic's `content: [{ type: 'text', text }]`. */
function completionText(fields: Record<string, unknown>): string | undefined {
  if (typeof fields.content === 'string') return fields.content;
  if (typeof fields.text === 'string') return fields.text;
  if (Array.isArray(fields.content)) {
    const texts = fields.content
      .map((block) => record(block))
      .filter((block) => block?.type === 'text' && typeof block.text === 'string')
      .map((block) => block!.text as string);
    return texts.length > 0 ? texts.join('') : undefined;
  }
  if (Array.isArray(fields.choices)) {
    const message = record(record(fields.choices[0])?.message);
    if (typeof message?.content === 'string') return message.content;
  }
  return undefined;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

/**
 * Reads the completion, model and token usage from an LLM call's result, in
 * the shapes providers and SDKs return: the plan's `{ content, usage: {
 * prompt_tokens, completion_tokens, total_tokens } }`, OpenAI's
 * `prompt_tokens_details.cached_tokens` and
 * `completion_tokens_details.reasoning_tokens`, Anthropic's `input_tokens`,
 * `output_tokens`, `cache_read_input_tokens` and
 * `cache_creation_input_tokens` (which it counts *outside* `input_tokens`; they
 * are added in here), and camelCase variants (`inputTokens`, `promptTokens`, …).
 * A count that is not a non-negative integer is left out, never passed on.
 * Never throws; `undefined` when nothing is recognised.
 */
export function llmResultFields(result: unknown): LlmResultFields | undefined {
  const fields = record(result);
  if (!fields) return undefined;
  const out: LlmResultFields = {};
  const completion = completionText(fields);
  if (completion !== undefined) out.completion = completion;
  if (typeof fields.model === 'string') out.responseModel = fields.model;
  const u = record(fields.usage);
  if (u) {
    const usage: ResultUsage = {};
    const anthropicCacheRead = count(u.cache_read_input_tokens);
    const anthropicCacheWrite = count(u.cache_creation_input_tokens);
    const isAnthropic = anthropicCacheRead !== undefined || anthropicCacheWrite !== undefined;
    let input =
      count(u.prompt_tokens) ?? count(u.promptTokens) ?? count(u.input_tokens) ?? count(u.inputTokens);
    if (isAnthropic && input !== undefined) input += (anthropicCacheRead ?? 0) + (anthropicCacheWrite ?? 0);
    const output =
      count(u.completion_tokens) ??
      count(u.completionTokens) ??
      count(u.output_tokens) ??
      count(u.outputTokens);
    const cached =
      count(record(u.prompt_tokens_details)?.cached_tokens) ??
      count(record(u.input_tokens_details)?.cached_tokens) ??
      anthropicCacheRead ??
      count(u.cachedInputTokens) ??
      count(u.cachedTokens);
    const cacheWrite = anthropicCacheWrite ?? count(u.cacheWriteInputTokens);
    const reasoning =
      count(record(u.completion_tokens_details)?.reasoning_tokens) ??
      count(record(u.output_tokens_details)?.reasoning_tokens) ??
      count(u.reasoningTokens);
    const total = count(u.total_tokens) ?? count(u.totalTokens);
    if (input !== undefined) usage.inputTokens = input;
    if (output !== undefined) usage.outputTokens = output;
    if (total !== undefined) usage.totalTokens = total;
    else if (input !== undefined && output !== undefined) usage.totalTokens = input + output;
    if (cached !== undefined) usage.cachedInputTokens = cached;
    if (cacheWrite !== undefined) usage.cacheWriteInputTokens = cacheWrite;
    if (reasoning !== undefined) usage.reasoningTokens = reasoning;
    if (Object.keys(usage).length > 0) out.usage = usage;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
