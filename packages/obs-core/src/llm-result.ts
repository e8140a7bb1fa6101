import { describeValue } from './errors';
import { messageOf } from './settle';

/**
 * Token counts of one LLM request, in the OpenAI / OTel GenAI convention:
 * `inputTokens` includes `cachedInputTokens` and `cacheWriteInputTokens`, and
 * `outputTokens` includes `reasoningTokens`.
 */
export interface TokenUsage {
  /** Prompt tokens, cached ones included (OTel `gen_ai.usage.input_tokens`). */
  inputTokens: number;
  /** Completion tokens, reasoning tokens included (OTel `gen_ai.usage.output_tokens`). */
  outputTokens: number;
  /** Of `inputTokens`, those read from a prompt cache. @default 0 */
  cachedInputTokens?: number;
  /** Of `inputTokens`, those written to a prompt cache (Anthropic). @default 0 */
  cacheWriteInputTokens?: number;
  /** Of `outputTokens`, those spent on reasoning. Billed as output. @default 0 */
  reasoningTokens?: number;
}

/**
 * What an LLM call's result says about itself, normalized once: metrics, the
 * span and the log lines all receive this one value. Only what the response
 * carried is set.
 */
export interface LlmResult {
  /** Token counts; present only when valid (see {@link usageProblem}). */
  usage?: TokenUsage;
  /** The model that answered (`gen_ai.response.model`). */
  responseModel?: string;
  /** The completion text. */
  completion?: string;
  /** Why generation stopped, one per choice (`gen_ai.response.finish_reasons`): `stop`, `tool_calls`, `end_turn`, … */
  finishReasons?: readonly string[];
  /** The provider's id of the response (`gen_ai.response.id`): `chatcmpl-…`, `msg_…`, `resp_…`. */
  responseId?: string;
  /** The tools the model asked to call, in order (at most {@link MAX_TOOL_CALLS}). */
  toolCalls?: readonly LlmToolCall[];
}

/** A tool call the model asked for: the tool's name, and the call's id where the provider gives one. */
export interface LlmToolCall {
  /** `call_…` (OpenAI), `toolu_…` (Anthropic); what the tool's result must quote. */
  id?: string;
  /** The tool's name. */
  name: string;
}

/** The most tool calls read from one response: a hostile one cannot make the span unbounded. */
export const MAX_TOOL_CALLS = 128;

/** A reader of the caller's own: its fields win over the default reader's, which fills in the rest. */
export type LlmResultReader<Result> = (result: Result) => LlmResult | undefined;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const REQUIRED_COUNTS = ['inputTokens', 'outputTokens'] as const;
const OPTIONAL_COUNTS = ['cachedInputTokens', 'cacheWriteInputTokens', 'reasoningTokens'] as const;

/**
 * Why `usage` cannot be recorded, or `undefined` when it is valid. A valid
 * usage has non-negative integer counts and parts that fit in their totals.
 */
export function usageProblem(usage: unknown): string | undefined {
  if (typeof usage !== 'object' || usage === null)
    return `usage must be an object, got ${describeValue(usage)}`;
  const u = usage as Record<string, unknown>;
  for (const field of REQUIRED_COUNTS) {
    if (!isCount(u[field])) return `usage.${field} must be an integer ≥ 0, got ${describeValue(u[field])}`;
  }
  for (const field of OPTIONAL_COUNTS) {
    if (u[field] !== undefined && !isCount(u[field])) {
      return `usage.${field} must be an integer ≥ 0, got ${describeValue(u[field])}`;
    }
  }
  const {
    inputTokens,
    outputTokens,
    cachedInputTokens = 0,
    cacheWriteInputTokens = 0,
    reasoningTokens = 0,
  } = usage as TokenUsage;
  if (cachedInputTokens + cacheWriteInputTokens > inputTokens) {
    return `usage.cachedInputTokens + cacheWriteInputTokens (${cachedInputTokens + cacheWriteInputTokens}) exceed inputTokens (${inputTokens})`;
  }
  if (reasoningTokens > outputTokens) {
    return `usage.reasoningTokens (${reasoningTokens}) exceed outputTokens (${outputTokens})`;
  }
  return undefined;
}

// A usage that passed usageProblem here is an instance of this class, so a recorder given one does
// not check it again; `instanceof` costs less than a WeakSet on every call. (A second copy of this
// package has its own class, and checks again.)
class CheckedUsage implements TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningTokens?: number;
  constructor(usage: TokenUsage) {
    this.inputTokens = usage.inputTokens;
    this.outputTokens = usage.outputTokens;
    if (usage.cachedInputTokens !== undefined) this.cachedInputTokens = usage.cachedInputTokens;
    if (usage.cacheWriteInputTokens !== undefined) this.cacheWriteInputTokens = usage.cacheWriteInputTokens;
    if (usage.reasoningTokens !== undefined) this.reasoningTokens = usage.reasoningTokens;
  }
}

/**
 * A validated copy of `usage` (only its known count fields), or the problem
 * that keeps it from being recorded. Never throws, even on hostile getters.
 */
export function checkUsage(usage: unknown): TokenUsage | string {
  if (usage instanceof CheckedUsage) return usage;
  try {
    const problem = usageProblem(usage);
    if (problem !== undefined) return problem;
    return new CheckedUsage(usage as TokenUsage);
  } catch {
    return 'usage could not be read';
  }
}

type Fields = Record<string, unknown>;

const record = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null ? (value as Fields) : undefined;

const count = (value: unknown): number | undefined => (isCount(value) ? value : undefined);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Runs one part of the reading; a throwing getter or Proxy trap loses that part only. */
function part<T>(read: (fields: Fields) => T | undefined, fields: Fields): T | undefined {
  try {
    return read(fields);
  } catch {
    return undefined;
  }
}

/**
 * The completion text: `content`/`text` (the plan's shape, the AI SDK), the Responses API's
 * `output_text`, OpenAI's `choices[0].message.content`, or Anthropic's text blocks in `content[]`.
 */
function completionOf(fields: Fields): string | undefined {
  if (typeof fields.content === 'string') return fields.content;
  const direct = text(fields.text) ?? text(fields.output_text);
  if (direct !== undefined) return direct;
  if (Array.isArray(fields.content)) {
    let joined: string | undefined;
    for (const block of fields.content) {
      const b = record(block);
      if (b?.type === 'text' && typeof b.text === 'string') joined = (joined ?? '') + b.text;
    }
    return joined;
  }
  if (Array.isArray(fields.choices)) return text(record(record(fields.choices[0])?.message)?.content);
  return undefined;
}

/** OpenAI's `choices[].finish_reason`, Anthropic's `stop_reason`, the AI SDK's `finishReason`, the Responses API's `status`. */
function finishReasonsOf(fields: Fields): string[] | undefined {
  if (Array.isArray(fields.choices)) {
    const reasons: string[] = [];
    for (const choice of fields.choices) {
      const reason = text(record(choice)?.finish_reason);
      if (reason !== undefined) reasons.push(reason);
    }
    return reasons.length > 0 ? reasons : undefined;
  }
  const reason =
    text(fields.stop_reason) ??
    finishReasonText(fields.finishReason) ??
    // Only a Responses API object: other results may carry an unrelated `status`.
    (fields.object === 'response' ? text(fields.status) : undefined);
  return reason === undefined ? undefined : [reason];
}

/** A finish reason as text: the AI SDK's model specification v3 gives `{ unified, raw }`. */
export const finishReasonText = (reason: unknown): string | undefined =>
  text(reason) ?? text(record(reason)?.unified);

/**
 * The tool calls a response asks for: OpenAI Chat's `choices[0].message.tool_calls`, the Responses
 * API's `function_call` output items, Anthropic's `tool_use` blocks, the AI SDK's `toolCalls` and
 * its model specification's `tool-call` content parts.
 */
function toolCallsOf(fields: Fields): LlmToolCall[] | undefined {
  const calls: LlmToolCall[] = [];
  const add = (id: unknown, name: unknown) => {
    if (typeof name !== 'string' || name === '' || calls.length >= MAX_TOOL_CALLS) return;
    calls.push(typeof id === 'string' && id !== '' ? { id, name } : { name });
  };
  const each = (list: unknown, read: (item: Fields) => void) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const fields = record(item);
      if (fields) read(fields);
      if (calls.length >= MAX_TOOL_CALLS) return;
    }
  };
  if (Array.isArray(fields.choices))
    each(record(record(fields.choices[0])?.message)?.tool_calls, (call) =>
      add(call.id, record(call.function)?.name),
    );
  each(fields.output, (item) => {
    if (item.type === 'function_call' || item.type === 'custom_tool_call') add(item.call_id, item.name);
  });
  if (Array.isArray(fields.toolCalls)) each(fields.toolCalls, (call) => add(call.toolCallId, call.toolName));
  else
    each(fields.content, (block) => {
      if (block.type === 'tool_use') add(block.id, block.name);
      else if (block.type === 'tool-call') add(block.toolCallId, block.toolName);
    });
  return calls.length > 0 ? calls : undefined;
}

/** The usage of the shapes providers and SDKs return, before validation. */
function usageOf(fields: Fields): Partial<TokenUsage> | undefined {
  const u = record(fields.usage);
  if (!u) return undefined;
  const cacheRead = count(u.cache_read_input_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  // Anthropic counts cache reads and writes outside input_tokens; the convention counts them inside.
  const anthropicCache = cacheRead !== undefined || cacheWrite !== undefined;
  // The AI SDK's model specification v3: `inputTokens: { total, cacheRead, cacheWrite }`,
  // `outputTokens: { total, reasoning }`.
  const specInput = record(u.inputTokens);
  const specOutput = record(u.outputTokens);
  let input =
    count(u.prompt_tokens) ??
    count(u.input_tokens) ??
    count(u.inputTokens) ??
    count(specInput?.total) ??
    count(u.promptTokens);
  if (anthropicCache && input !== undefined) input += (cacheRead ?? 0) + (cacheWrite ?? 0);
  const inputDetails =
    record(u.inputTokenDetails) ??
    (specInput && { cacheReadTokens: specInput.cacheRead, cacheWriteTokens: specInput.cacheWrite });
  const outputDetails =
    record(u.outputTokenDetails) ?? (specOutput && { reasoningTokens: specOutput.reasoning });
  const usage: Partial<TokenUsage> = {
    inputTokens: input,
    outputTokens:
      count(u.completion_tokens) ??
      count(u.output_tokens) ??
      count(u.outputTokens) ??
      count(specOutput?.total) ??
      count(u.completionTokens),
    cachedInputTokens:
      count(record(u.prompt_tokens_details)?.cached_tokens) ??
      count(record(u.input_tokens_details)?.cached_tokens) ??
      cacheRead ??
      count(inputDetails?.cacheReadTokens) ??
      count(u.cachedInputTokens),
    cacheWriteInputTokens:
      cacheWrite ?? count(inputDetails?.cacheWriteTokens) ?? count(u.cacheWriteInputTokens),
    reasoningTokens:
      count(record(u.completion_tokens_details)?.reasoning_tokens) ??
      count(record(u.output_tokens_details)?.reasoning_tokens) ??
      count(outputDetails?.reasoningTokens) ??
      count(u.reasoningTokens),
  };
  return usage;
}

/**
 * Reads an LLM call's result, in the shapes providers and SDKs return, into one
 * {@link LlmResult}: the plan's `{ content, usage: { prompt_tokens, completion_tokens } }`;
 * OpenAI Chat Completions (`choices`, `prompt_tokens_details.cached_tokens`,
 * `completion_tokens_details.reasoning_tokens`) and Responses (`output_text`,
 * `input_tokens_details`, `output_tokens_details`); Anthropic Messages (`content[]`,
 * `stop_reason`, `cache_read_input_tokens` and `cache_creation_input_tokens`, added
 * into the input as the convention counts them); the Vercel AI SDK (`text`,
 * `finishReason`, `response.modelId`, `usage.inputTokenDetails`). A count that is
 * not a non-negative integer, or usage whose parts exceed its totals, leaves the
 * usage out. Never throws: a throwing getter loses only its own part.
 */
export function readLlmResult(result: unknown): LlmResult {
  const fields = record(result);
  if (!fields) return {};
  try {
    return readFields(fields, direct);
  } catch {
    // A throwing getter or Proxy trap: read again part by part, so it loses only its own part.
    return readFields(fields, part);
  }
}

/** Runs one part of the reading as is: the fast path, for results whose getters do not throw. */
function direct<T>(read: (fields: Fields) => T | undefined, fields: Fields): T | undefined {
  return read(fields);
}

const modelOf = (fields: Fields) => text(fields.model) ?? text(record(fields.response)?.modelId);
const idOf = (fields: Fields) => text(fields.id) ?? text(record(fields.response)?.id);

// Each part is a function of the fields, passed with them: no closure is made per call.
function readFields(fields: Fields, read: typeof part): LlmResult {
  const out: LlmResult = {};
  const usage = read(usageOf, fields);
  if (usage?.inputTokens !== undefined && usage.outputTokens !== undefined) {
    const valid = checkUsage(usage);
    if (typeof valid !== 'string') out.usage = valid;
  }
  const responseModel = read(modelOf, fields);
  if (responseModel !== undefined) out.responseModel = responseModel;
  const completion = read(completionOf, fields);
  if (completion !== undefined) out.completion = completion;
  const finishReasons = read(finishReasonsOf, fields);
  if (finishReasons !== undefined) out.finishReasons = finishReasons;
  const responseId = read(idOf, fields);
  if (responseId !== undefined) out.responseId = responseId;
  const toolCalls = read(toolCallsOf, fields);
  if (toolCalls !== undefined) out.toolCalls = toolCalls;
  return out;
}

/**
 * The {@link LlmResult} of one call: the default reading, with the fields of the
 * caller's own `reader` (when given) on top, so a custom reader never loses a field
 * the default one would have recorded. A reader that throws, or returns usage that
 * is not valid, is reported through `onProblem` and loses only its own fields.
 */
export function resolveLlmResult<Result>(
  result: Result,
  reader: LlmResultReader<Result> | undefined,
  onProblem: (problem: string) => void,
): LlmResult {
  const read = readLlmResult(result);
  if (reader === undefined) return read;
  let own: LlmResult | undefined;
  try {
    own = reader(result);
  } catch (error) {
    onProblem(`the LLM result reader threw (${messageOf(error)})`);
    return read;
  }
  const ownFields = record(own);
  if (!ownFields) return read;
  const merged: LlmResult = { ...read };
  for (const key of ['responseModel', 'completion', 'responseId'] as const) {
    const value = part((own) => own[key], ownFields);
    if (typeof value === 'string') merged[key] = value;
  }
  const toolCalls = part((own) => own.toolCalls, ownFields);
  if (Array.isArray(toolCalls)) {
    const valid = part(toolCallsOf, {
      toolCalls: toolCalls.map((call) => ({ toolCallId: call?.id, toolName: call?.name })),
    });
    if (valid !== undefined) merged.toolCalls = valid;
  }
  const reasons = part((own) => own.finishReasons, ownFields);
  if (Array.isArray(reasons))
    merged.finishReasons = reasons.filter((r): r is string => typeof r === 'string');
  const ownUsage = part((own) => own.usage, ownFields);
  if (ownUsage !== undefined) {
    const valid = checkUsage(ownUsage);
    if (typeof valid === 'string') onProblem(valid);
    else merged.usage = valid;
  }
  return merged;
}
