import { invalidOption } from './errors';
import type { LlmResult, LlmToolCall, TokenUsage } from './llm-result';
import { checkUsage, finishReasonText, MAX_TOOL_CALLS, readLlmResult } from './llm-result';
import { checkOptionNames } from './options';

// Chunk shapes checked against the SDK sources: openai 6.49.0 and 7.5.0 (`ChatCompletionChunk`,
// `ResponseStreamEvent`), @anthropic-ai/sdk 0.120.0 (`RawMessageStreamEvent`, which
// `messages.stream()` also yields, and its `MessageStream` usage accumulation), and ai 4.3.19,
// 5.0.244, 6.0.264 and 7.0.77 (`TextStreamPart`, `LanguageModelUsage`).

/** Options of {@link createLlmStreamReader}. */
export interface LlmStreamReaderOptions {
  /**
   * Keep at most this many characters (UTF-16 code units) of the completion text; `0` keeps
   * none. The text stops growing at the limit, so memory stays bounded however long the stream.
   * @default 0
   */
  maxCompletionLength?: number;
}

/**
 * Reads the chunks of one streamed LLM response, as the SDK yields them, into one
 * {@link LlmResult}. Create one per stream.
 */
export interface LlmStreamReader {
  /**
   * Reads one chunk or event. Returns true when it carried output: text, reasoning, a refusal,
   * or a tool call (its name or argument text), for the time to first token. Never throws: a
   * chunk it cannot read, or a getter that throws, loses only that chunk's remaining fields.
   */
  read(chunk: unknown): boolean;
  /**
   * The result so far: `usage` only when the stream reported valid counts (never estimated),
   * the response model and id, the finish reasons (one per choice), and, when
   * `maxCompletionLength` > 0, the first `maxCompletionLength` characters of the completion text.
   */
  result(): LlmResult;
  /** How many chunks carried output (for the time per output chunk). */
  readonly contentChunks: number;
}

type Fields = Record<string, unknown>;

const record = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null ? (value as Fields) : undefined;

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** Validated usage from one provider or SDK usage object, read by readLlmResult's own mapping. */
const usageOf = (usage: unknown): TokenUsage | undefined => readLlmResult({ usage }).usage;

const addCount = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

/** The usage of two steps together, as the AI SDK sums steps into `totalUsage`. */
function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage | undefined {
  const sum = checkUsage({
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: addCount(a.cachedInputTokens, b.cachedInputTokens),
    cacheWriteInputTokens: addCount(a.cacheWriteInputTokens, b.cacheWriteInputTokens),
    reasoningTokens: addCount(a.reasoningTokens, b.reasoningTokens),
  });
  return typeof sum === 'string' ? undefined : sum;
}

// A real stream has a few choices (`n`); this bounds the work and the finish reasons of a hostile one.
const MAX_CHOICES = 128;

// Anthropic's message_delta resends these as cumulative totals: one that is present replaces the
// message_start value, never adds to it (what the SDK's MessageStream does).
const ANTHROPIC_USAGE_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'output_tokens_details',
] as const;

// Responses API deltas of what the model generates. Not `shell_call_output_content.delta`:
// that is the output of the shell the tool ran.
const RESPONSES_OUTPUT_DELTAS: ReadonlySet<string> = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.reasoning_text.delta',
  'response.reasoning_summary_text.delta',
  'response.function_call_arguments.delta',
  'response.custom_tool_call_input.delta',
  'response.mcp_call_arguments.delta',
  'response.code_interpreter_call_code.delta',
  'response.shell_call_command.delta',
  'response.audio.delta',
]);

const STREAM_READER_OPTION_NAMES = { maxCompletionLength: true } satisfies Record<
  keyof LlmStreamReaderOptions,
  true
>;

class StreamReader implements LlmStreamReader {
  readonly #maxCompletionLength: number;
  #contentChunks = 0;
  // Set while reading a chunk, so a getter that throws late keeps what was already seen.
  #chunkHasContent = false;
  #completion = '';
  #completionSeen = false;
  #completionFull = false;
  #usage: TokenUsage | undefined;
  #responseModel: string | undefined;
  #responseId: string | undefined;
  readonly #finishReasons = new Map<number, string>();
  readonly #toolCalls: LlmToolCall[] = [];
  // Anthropic: the raw counts so far, merged from message_start and each message_delta.
  #anthropicUsage: Fields = {};
  // AI SDK: whether tool input arrives in parts (then `tool-call` repeats it), whether the steps
  // summed so far all had valid usage, and whether `finish` gave the total.
  #toolInputStreamed = false;
  #stepsUsageBroken = false;
  #totalUsageSeen = false;

  constructor(maxCompletionLength: number) {
    this.#maxCompletionLength = maxCompletionLength;
  }

  get contentChunks(): number {
    return this.#contentChunks;
  }

  read(chunk: unknown): boolean {
    this.#chunkHasContent = false;
    try {
      this.#read(chunk);
    } catch {
      // A throwing getter or Proxy trap: the rest of this chunk is lost, the stream is not.
    }
    if (this.#chunkHasContent) this.#contentChunks++;
    return this.#chunkHasContent;
  }

  result(): LlmResult {
    const out: LlmResult = {};
    if (this.#usage !== undefined) out.usage = this.#usage;
    if (this.#responseModel !== undefined) out.responseModel = this.#responseModel;
    if (this.#completionSeen && this.#maxCompletionLength > 0) out.completion = this.#completion;
    if (this.#finishReasons.size > 0) {
      out.finishReasons = [...this.#finishReasons].sort((a, b) => a[0] - b[0]).map(([, reason]) => reason);
    }
    if (this.#responseId !== undefined) out.responseId = this.#responseId;
    if (this.#toolCalls.length > 0) out.toolCalls = [...this.#toolCalls];
    return out;
  }

  #read(chunk: unknown): void {
    if (typeof chunk === 'string') {
      // The AI SDK's textStream, or any iterable of text.
      if (chunk.length > 0) this.#text(chunk);
      return;
    }
    const fields = record(chunk);
    if (fields === undefined) return;
    const type = fields.type;
    if (typeof type === 'string') this.#readEvent(type, fields);
    else if (Array.isArray(fields.choices)) this.#readChatChunk(fields);
  }

  /** Output text: counted as content, and kept up to the limit. */
  #text(piece: string): void {
    this.#chunkHasContent = true;
    this.#completionSeen = true;
    if (this.#completionFull || this.#maxCompletionLength === 0) return;
    const room = this.#maxCompletionLength - this.#completion.length;
    if (piece.length <= room) {
      this.#completion += piece;
      return;
    }
    let kept = this.#completion + piece.slice(0, room);
    // Never end on half a surrogate pair: half an emoji is invalid UTF-16.
    const last = kept.charCodeAt(kept.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) kept = kept.slice(0, -1);
    this.#completion = kept;
    this.#completionFull = true;
  }

  /** Output that is not completion text (reasoning, a refusal, tool input): counted only. */
  #output(piece: unknown): void {
    if (nonEmpty(piece) !== undefined) this.#chunkHasContent = true;
  }

  #meta(model: unknown, id: unknown): void {
    const responseModel = nonEmpty(model);
    if (responseModel !== undefined) this.#responseModel = responseModel;
    const responseId = nonEmpty(id);
    if (responseId !== undefined) this.#responseId = responseId;
  }

  /** A tool call the model asks for, seen where its name first arrives. */
  #toolCall(id: unknown, name: unknown): void {
    const tool = nonEmpty(name);
    if (tool === undefined || this.#toolCalls.length >= MAX_TOOL_CALLS) return;
    const callId = nonEmpty(id);
    this.#toolCalls.push(callId === undefined ? { name: tool } : { id: callId, name: tool });
  }

  #finishReason(index: number, reason: unknown): void {
    const text = nonEmpty(finishReasonText(reason));
    if (text === undefined) return;
    if (this.#finishReasons.size >= MAX_CHOICES && !this.#finishReasons.has(index)) return;
    this.#finishReasons.set(index, text);
  }

  /** OpenAI Chat Completions: `choices[].delta`, and `usage` on the last chunk with `include_usage`. */
  #readChatChunk(chunk: Fields): void {
    this.#meta(chunk.model, chunk.id);
    // Every chunk but the usage one has `usage: null`.
    if (record(chunk.usage) !== undefined) this.#usage = usageOf(chunk.usage);
    const choices = chunk.choices as readonly unknown[];
    const length = Math.min(choices.length, MAX_CHOICES);
    for (let i = 0; i < length; i++) {
      const choice = record(choices[i]);
      if (choice === undefined) continue;
      const index =
        typeof choice.index === 'number' && Number.isSafeInteger(choice.index) && choice.index >= 0
          ? choice.index
          : i;
      const delta = record(choice.delta);
      if (delta !== undefined) {
        const content = nonEmpty(delta.content);
        // The completion is the first choice's, as readLlmResult reads `choices[0]`.
        if (content !== undefined) {
          if (index === 0) this.#text(content);
          else this.#chunkHasContent = true;
        }
        // `reasoning_content` (DeepSeek, vLLM) and `reasoning` (OpenRouter) are not in the SDK types.
        this.#output(delta.refusal);
        this.#output(delta.reasoning_content);
        this.#output(delta.reasoning);
        // A tool call's first delta has its id and name, and often empty arguments.
        if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
          this.#chunkHasContent = true;
          if (index === 0)
            for (const call of delta.tool_calls) {
              const c = record(call);
              if (c !== undefined) this.#toolCall(c.id, record(c.function)?.name);
            }
        }
        if (record(delta.function_call) !== undefined) this.#chunkHasContent = true;
      }
      this.#finishReason(index, choice.finish_reason);
    }
  }

  #readEvent(type: string, event: Fields): void {
    switch (type) {
      // Anthropic Messages.
      case 'message_start': {
        const message = record(event.message);
        if (message === undefined) return;
        this.#meta(message.model, message.id);
        // Its output_tokens is a placeholder: usage is known at message_delta.
        this.#mergeAnthropicUsage(message.usage);
        return;
      }
      case 'content_block_start': {
        const block = record(event.content_block);
        if (block === undefined) return;
        if (block.type === 'text') {
          const text = nonEmpty(block.text);
          if (text !== undefined) this.#text(text);
        } else if (block.type === 'thinking') {
          this.#output(block.thinking);
        } else if (
          block.type === 'tool_use' ||
          block.type === 'server_tool_use' ||
          block.type === 'mcp_tool_use'
        ) {
          // The tool's name is the model's first output of the call, as in OpenAI's first tool-call delta.
          this.#chunkHasContent = true;
          if (block.type === 'tool_use') this.#toolCall(block.id, block.name);
        }
        return;
      }
      case 'content_block_delta': {
        const delta = record(event.delta);
        if (delta === undefined) return;
        if (delta.type === 'text_delta') {
          const text = nonEmpty(delta.text);
          if (text !== undefined) this.#text(text);
        } else if (delta.type === 'input_json_delta') this.#output(delta.partial_json);
        else if (delta.type === 'thinking_delta') this.#output(delta.thinking);
        return;
      }
      case 'message_delta': {
        this.#finishReason(0, record(event.delta)?.stop_reason);
        if (record(event.usage) === undefined) return;
        this.#mergeAnthropicUsage(event.usage);
        this.#usage = usageOf(this.#anthropicUsage);
        return;
      }

      // OpenAI Responses.
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        this.#readResponse(event.response, false);
        return;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        this.#readResponse(event.response, true);
        return;
      case 'response.output_item.added': {
        const item = record(event.item);
        if (item?.type === 'function_call' || item?.type === 'custom_tool_call')
          this.#toolCall(item.call_id, item.name);
        return;
      }

      // AI SDK streamText fullStream: v5+ names first, then v4's.
      case 'text-delta': {
        // `text` (v5+), `textDelta` (v4), `delta` (the provider-level part of v5+).
        const text = nonEmpty(event.text) ?? nonEmpty(event.textDelta) ?? nonEmpty(event.delta);
        if (text !== undefined) this.#text(text);
        return;
      }
      case 'reasoning-delta':
      case 'reasoning':
        this.#output(nonEmpty(event.text) ?? nonEmpty(event.textDelta) ?? nonEmpty(event.delta));
        return;
      case 'tool-input-start':
      case 'tool-call-streaming-start':
        this.#toolInputStreamed = true;
        this.#chunkHasContent = true;
        return;
      case 'tool-input-delta':
        this.#toolInputStreamed = true;
        this.#output(event.delta);
        return;
      case 'tool-call-delta':
        this.#toolInputStreamed = true;
        this.#output(event.argsTextDelta);
        return;
      case 'tool-call':
        // After streamed input it only repeats it; without (a provider that does not stream tool
        // input), it is the call's first output.
        if (!this.#toolInputStreamed) this.#chunkHasContent = true;
        this.#toolCall(event.toolCallId, event.toolName);
        return;
      case 'response-metadata':
        this.#meta(event.modelId, event.id);
        return;
      case 'finish-step':
      case 'step-finish': {
        this.#readSdkResponse(event.response);
        this.#finishReason(0, event.finishReason);
        this.#addStepUsage(event.usage);
        return;
      }
      case 'finish': {
        this.#readSdkResponse(event.response);
        this.#finishReason(0, event.finishReason);
        // `totalUsage` (v5+), `usage` (v4): the sum of all steps, which replaces ours.
        const total = event.totalUsage ?? event.usage;
        if (record(total) === undefined) return;
        this.#totalUsageSeen = true;
        this.#usage = usageOf(total);
        return;
      }
      default:
        if (RESPONSES_OUTPUT_DELTAS.has(type)) {
          if (type === 'response.output_text.delta') {
            const text = nonEmpty(event.delta);
            if (text !== undefined) this.#text(text);
          } else this.#output(event.delta);
        }
    }
  }

  #mergeAnthropicUsage(usage: unknown): void {
    const counts = record(usage);
    if (counts === undefined) return;
    const merged: Fields = { ...this.#anthropicUsage };
    for (const field of ANTHROPIC_USAGE_FIELDS) {
      const value = counts[field];
      if (value !== undefined && value !== null) merged[field] = value;
    }
    this.#anthropicUsage = merged;
  }

  /** The Responses API's `response` object: on every lifecycle event; usage and status when it ends. */
  #readResponse(value: unknown, final: boolean): void {
    const response = record(value);
    if (response === undefined) return;
    this.#meta(response.model, response.id);
    if (!final) return;
    if (record(response.usage) !== undefined) this.#usage = usageOf(response.usage);
    this.#finishReason(0, response.status);
  }

  /** The AI SDK's `response` metadata: `{ id, modelId }`. */
  #readSdkResponse(value: unknown): void {
    const response = record(value);
    if (response !== undefined) this.#meta(response.modelId, response.id);
  }

  /**
   * A step's usage, summed until `finish` gives the total: a stream aborted after a step still
   * reports what its finished steps used. One step without valid usage makes the sum unknown.
   */
  #addStepUsage(value: unknown): void {
    if (this.#totalUsageSeen || this.#stepsUsageBroken) return;
    const step = usageOf(value);
    const sum =
      step === undefined ? undefined : this.#usage === undefined ? step : addUsage(this.#usage, step);
    if (sum === undefined) this.#stepsUsageBroken = true;
    this.#usage = sum;
  }
}

/**
 * Creates a reader for one streamed LLM response. Feed it every chunk the SDK yields, in
 * order, and read the normalized {@link LlmResult} at the end (or at any point). It reads:
 *
 * - OpenAI Chat Completions chunks (`choices[].delta`, `finish_reason` per choice, and `usage`
 *   on the last chunk with `stream_options: { include_usage: true }`);
 * - OpenAI Responses events (`response.output_text.delta` and the other output deltas;
 *   `response.completed` / `incomplete` / `failed` with `usage`, and `status` as the finish reason);
 * - Anthropic Messages events (`message_start`'s input counts with the last `message_delta`'s
 *   cumulative ones, cache reads and writes counted into the input as readLlmResult does);
 * - the Vercel AI SDK's `fullStream` parts, v4 to v7 (`finish`'s total usage, or the finished
 *   steps' usage summed when the stream ends early), and `textStream` or any stream of strings.
 *
 * Usage is set only from the counts the stream reported; invalid ones (see `usageProblem`)
 * leave it out. Tool-call arguments are counted as output but never kept.
 *
 * @throws GenxaiObservabilityError when `maxCompletionLength` is not a non-negative integer,
 * or an option name is unknown.
 *
 * @example
 * const reader = createLlmStreamReader({ maxCompletionLength: 4096 });
 * for await (const chunk of stream) {
 *   if (reader.read(chunk) && firstTokenAt === undefined) firstTokenAt = performance.now();
 * }
 * const { usage, finishReasons, completion } = reader.result();
 */
export function createLlmStreamReader(options: LlmStreamReaderOptions = {}): LlmStreamReader {
  if (typeof options !== 'object' || options === null)
    invalidOption('createLlmStreamReader options', options, 'an object');
  checkOptionNames('createLlmStreamReader', options, STREAM_READER_OPTION_NAMES);
  const maxCompletionLength = options.maxCompletionLength ?? 0;
  if (!Number.isSafeInteger(maxCompletionLength) || maxCompletionLength < 0) {
    invalidOption('maxCompletionLength', maxCompletionLength, 'a non-negative integer');
  }
  return new StreamReader(maxCompletionLength);
}
