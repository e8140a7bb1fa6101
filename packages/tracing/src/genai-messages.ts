/**
 * Converts the request and response shapes of the OpenAI (Chat Completions and Responses),
 * Anthropic Messages and Vercel AI SDK clients into the OpenTelemetry GenAI content-capture
 * structures: `gen_ai.input.messages`, `gen_ai.output.messages`, `gen_ai.system_instructions` and
 * `gen_ai.tool.definitions`. Pure and dependency-free: it reads, never writes, and never throws.
 *
 * Follows OpenTelemetry semantic conventions **v1.41.1** (`docs/gen-ai/gen-ai-input-messages.json`,
 * `gen-ai-output-messages.json`, `gen-ai-system-instructions.json`, `gen-ai-tool-definitions.json`
 * and the `gen_ai.*` registry notes at tag v1.41.1, commit ead83b9b). It is the last release that
 * carries them: v1.42.0 moved the GenAI conventions to open-telemetry/semantic-conventions-genai,
 * (first release v0.1.0, not followed here yet). The one value taken from that repository's unreleased
 * changelog is the `document` modality, which v1.41.1 already allows as a free-form string.
 *
 * Values the model or the tools produced (tool-call arguments, tool responses, parameter schemas,
 * texts) are passed by reference, not copied or validated: serialize the result with a bounded,
 * throw-safe serializer (`boundedJson` in `content.ts`) and redact and truncate after that.
 *
 * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.1/docs/gen-ai/gen-ai-spans.md
 * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.1/docs/gen-ai/non-normative/examples-llm-calls.md
 */

/** A free-form string that keeps the literal members of a union visible to the editor. */
type OpenString = string & Record<never, never>;

/** Who produced a message: the schema's `Role`, or the SDK's own name (`developer`, `function`). */
export type Role = 'system' | 'user' | 'assistant' | 'tool' | OpenString;

/**
 * The general kind of attached data. `document` (PDFs, text files) is not in v1.41.1's enum, which
 * allows any string here; the next GenAI release adds it.
 */
export type Modality = 'image' | 'video' | 'audio' | 'document' | OpenString;

/** Why generation stopped: the schema's `FinishReason`, or the provider's own value when it has none. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_call' | 'error' | OpenString;

/** Text sent to or received from the model. */
export interface TextPart {
  type: 'text';
  content: string;
}

/** A tool call the model asked for. `arguments` is parsed from OpenAI's JSON string when it is short. */
export interface ToolCallRequestPart {
  type: 'tool_call';
  id?: string;
  name: string;
  arguments?: unknown;
}

/** A tool's result sent back to the model. */
export interface ToolCallResponsePart {
  type: 'tool_call_response';
  id?: string;
  response: unknown;
}

/** A tool the provider ran on its side (Anthropic `server_tool_use`, AI SDK provider-executed calls). */
export interface ServerToolCallPart {
  type: 'server_tool_call';
  id?: string;
  name: string;
  server_tool_call: { type: string; arguments?: unknown };
}

/** The result of a tool the provider ran on its side. */
export interface ServerToolCallResponsePart {
  type: 'server_tool_call_response';
  id?: string;
  server_tool_call_response: { type: string; response?: unknown };
}

/** Data sent inline, base64-encoded. */
export interface BlobPart {
  type: 'blob';
  mime_type?: string;
  modality: Modality;
  content: string;
}

/** A file uploaded to the provider beforehand, by its id. */
export interface FilePart {
  type: 'file';
  mime_type?: string;
  modality: Modality;
  file_id: string;
}

/** Data referenced by URI (never a `data:` URL: those become {@link BlobPart}s). */
export interface UriPart {
  type: 'uri';
  mime_type?: string;
  modality: Modality;
  uri: string;
}

/** Reasoning ("thinking") text from the model. */
export interface ReasoningPart {
  type: 'reasoning';
  content: string;
}

/**
 * A part the schema has no type for. Here: a refusal (`{ type: 'refusal', content }`), or the bare
 * `{ type }` of an SDK part that is not converted, so a reader sees that something was there.
 */
export interface GenericPart {
  type: string;
  [key: string]: unknown;
}

/** One part of a message, as the schema's `parts` items. */
export type MessagePart =
  | TextPart
  | ToolCallRequestPart
  | ToolCallResponsePart
  | ServerToolCallPart
  | ServerToolCallResponsePart
  | BlobPart
  | FilePart
  | UriPart
  | ReasoningPart
  | GenericPart;

/** One message of `gen_ai.input.messages` (the schema's `ChatMessage`). */
export interface InputMessage {
  role: Role;
  parts: MessagePart[];
  /** The participant's name (OpenAI's `name`). */
  name?: string;
}

/** One choice of `gen_ai.output.messages`. */
export interface OutputMessage extends InputMessage {
  finish_reason: FinishReason;
}

/** A function tool offered to the model. */
export interface FunctionToolDefinition {
  type: 'function';
  name: string;
  /** Only with `details: true`. */
  description?: string;
  /** The JSON Schema of the parameters; only with `details: true`. */
  parameters?: unknown;
}

/** Any other tool (provider built-ins, OpenAI custom tools): its own type and its name. */
export interface GenericToolDefinition {
  type: string;
  name: string;
  description?: string;
}

/** One item of `gen_ai.tool.definitions`. */
export type ToolDefinition = FunctionToolDefinition | GenericToolDefinition;

/** Options of {@link toToolDefinitions}. */
export interface ToolDefinitionOptions {
  /**
   * Also record each tool's description and parameter schema. The conventions advise against it
   * by default, as they can be large.
   * @default false
   */
  details?: boolean;
}

/** Messages (or choices) read from one request or result; later ones are dropped. */
export const MAX_MESSAGES = 1000;
/** Parts read from one message (content blocks, tool calls); later ones are dropped. */
export const MAX_PARTS = 1000;
/** Tool definitions read from one request; later ones are dropped. */
export const MAX_TOOL_DEFINITIONS = 1000;
/** OpenAI's JSON `arguments` strings up to this length are parsed; longer ones are kept as the string. */
export const MAX_PARSED_ARGUMENTS = 65_536;
/** Of binary data (a `Uint8Array` image), only the first this many bytes are base64-encoded into a blob part. */
export const MAX_ENCODED_BYTES = 65_536;

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map([
  // OpenAI Chat Completions
  ['stop', 'stop'],
  ['length', 'length'],
  ['tool_calls', 'tool_call'],
  ['function_call', 'tool_call'],
  ['content_filter', 'content_filter'],
  // Anthropic Messages
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['max_tokens', 'length'],
  ['model_context_window_exceeded', 'length'],
  ['tool_use', 'tool_call'],
  ['refusal', 'content_filter'],
  // Vercel AI SDK
  ['tool-calls', 'tool_call'],
  ['content-filter', 'content_filter'],
  ['error', 'error'],
]);

/**
 * The conventions' finish reason for a provider's: OpenAI's `finish_reason`, Anthropic's
 * `stop_reason` or the AI SDK's `finishReason` (`tool_calls`, `tool_use` and `tool-calls` become
 * `tool_call`; `end_turn` becomes `stop`; …). A value the conventions have no name for (Anthropic's
 * `pause_turn`, the AI SDK's `other`) is returned as is.
 */
export function toFinishReason(reason: string): FinishReason {
  return FINISH_REASONS.get(reason) ?? reason;
}

/**
 * `gen_ai.input.messages` of a request: OpenAI Chat Completions (`messages`), the Responses API
 * (`input`, a string or items), Anthropic Messages (`messages`) or the AI SDK (`messages`, or
 * `prompt` as a string or `ModelMessage[]`); a bare messages array works too. System messages that
 * are part of the history stay here, with their role; separate instructions are
 * {@link toSystemInstructions}. Roles are kept as the SDK gives them (OpenAI's `developer` too).
 * Undefined when no message of the request is recognised; an unreadable message or part is left
 * out. At most {@link MAX_MESSAGES} messages of {@link MAX_PARTS} parts each.
 */
export function toInputMessages(request: unknown): InputMessage[] | undefined {
  try {
    if (isList(request)) return readHistory(request);
    if (!isRecord(request)) return undefined;
    const messages = get(request, 'messages');
    if (messages !== undefined) return isList(messages) ? readHistory(messages) : undefined;
    const history = get(request, 'input') ?? get(request, 'prompt');
    if (typeof history === 'string') return [{ role: 'user', parts: [{ type: 'text', content: history }] }];
    return isList(history) ? readHistory(history) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `gen_ai.output.messages` of a result, one message per choice: an OpenAI `ChatCompletion`
 * (`choices`), a Responses API `Response` (`output`), an Anthropic `Message` (`content`,
 * `stop_reason`) or an AI SDK `generateText` result (`content` of the last step, else `text` and
 * `toolCalls`; tool results the SDK ran locally are inputs of the next step, not output). The
 * finish reason is mapped by {@link toFinishReason}; `unknown` when the result has none (a
 * partial stream). Undefined for any other shape.
 */
export function toOutputMessages(result: unknown): OutputMessage[] | undefined {
  try {
    if (!isRecord(result)) return undefined;
    const choices = get(result, 'choices');
    if (isList(choices)) return readChoices(choices);
    const output = get(result, 'output');
    if (isList(output) && (get(result, 'object') === 'response' || text(get(result, 'status')) !== undefined))
      return [readResponsesOutput(result, output)];
    const content = get(result, 'content');
    if (isList(content) && (get(result, 'type') === 'message' || get(result, 'stop_reason') !== undefined))
      return [readAnthropicMessage(result, content)];
    if (text(get(result, 'finishReason')) !== undefined) return [readAiSdkResult(result)];
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * `gen_ai.system_instructions` of a request: instructions given apart from the history, as text
 * parts. Anthropic's `system` (a string or text blocks), the Responses API's `instructions`, the
 * AI SDK's `system`/`instructions` (a string or system messages). Undefined when the request has
 * none, as with OpenAI Chat Completions, whose system messages are in the history.
 */
export function toSystemInstructions(request: unknown): MessagePart[] | undefined {
  try {
    if (!isRecord(request)) return undefined;
    const parts: MessagePart[] = [];
    let found = false;
    for (const key of ['system', 'instructions']) {
      const value = get(request, key);
      if (value === undefined || value === null) continue;
      found = true;
      for (const item of isList(value) ? elements(value, MAX_PARTS) : [value]) {
        const content =
          typeof item === 'string' ? item : (text(get(item, 'text')) ?? text(get(item, 'content')));
        if (content !== undefined && parts.length < MAX_PARTS) parts.push({ type: 'text', content });
      }
    }
    return found ? parts : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `gen_ai.tool.definitions` of a request's `tools`: OpenAI Chat Completions
 * (`{ type: 'function', function }`), the Responses API (`{ type: 'function', name }` and
 * built-ins, named by their type), Anthropic (`{ name, input_schema }` and server tools) or the
 * AI SDK's record (name → `{ description, inputSchema }`; the parameters are known only for
 * `jsonSchema()` schemas, not Zod ones). Only type and name unless `details` is on. Undefined
 * when the request has no `tools` list or record. At most {@link MAX_TOOL_DEFINITIONS}.
 */
export function toToolDefinitions(
  request: unknown,
  options: ToolDefinitionOptions = {},
): ToolDefinition[] | undefined {
  try {
    const tools = get(request, 'tools');
    const details = options.details === true;
    if (isList(tools)) {
      const definitions: ToolDefinition[] = [];
      for (const tool of elements(tools, MAX_TOOL_DEFINITIONS)) {
        const definition = safely(() => readListedTool(tool, details));
        if (definition !== undefined) definitions.push(definition);
      }
      return definitions;
    }
    if (!isRecord(tools)) return undefined;
    const definitions: ToolDefinition[] = [];
    for (const name of Object.keys(tools).slice(0, MAX_TOOL_DEFINITIONS)) {
      const definition = safely(() => readAiSdkTool(name, get(tools, name), details));
      if (definition !== undefined) definitions.push(definition);
    }
    return definitions;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading without throwing. Every property read may run a getter or a Proxy trap that throws:
// a throw loses only the value, part or message being read.

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isList(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false; // a revoked Proxy
  }
}

function get(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Fields)[key];
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function safely<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The first `limit` elements of an array, each read on its own; a length past `limit` costs nothing. */
function elements(list: readonly unknown[], limit: number): unknown[] {
  const out: unknown[] = [];
  let length: number;
  try {
    length = Math.min(Number(list.length), limit);
  } catch {
    return out;
  }
  for (let index = 0; index < length; index++) {
    try {
      out.push(list[index]);
    } catch {
      // An unreadable element is left out.
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parts. One converter serves every SDK: their part types do not collide (`text` means the same
// everywhere; `image` and `file` are told apart by their fields).

/** What converting one SDK part gives: a part, several (nested content), or nothing. */
type Converted = MessagePart | readonly MessagePart[] | undefined;

function push(out: MessagePart[], converted: Converted): void {
  if (converted === undefined) return;
  if (!isList(converted)) {
    if (out.length < MAX_PARTS) out.push(converted);
    return;
  }
  for (const part of converted) {
    if (out.length >= MAX_PARTS) return;
    out.push(part);
  }
}

/** Converts SDK parts into `out`; `nested` parts (a tool result's content) do not recurse further. */
function convertParts(list: readonly unknown[], out: MessagePart[], role: string, nested: boolean): void {
  for (const part of elements(list, MAX_PARTS)) {
    if (out.length >= MAX_PARTS) return;
    push(
      out,
      safely(() => convertPart(part, role, nested)),
    );
  }
}

function convertPart(part: unknown, role: string, nested: boolean): Converted {
  if (typeof part === 'string') return textPart(part);
  const type = text(get(part, 'type'));
  if (type === undefined) return undefined;
  switch (type) {
    case 'text': // every SDK
    case 'input_text': // Responses
    case 'output_text':
      return textPart(get(part, 'text'));
    case 'refusal': {
      const content = text(get(part, 'refusal'));
      return content === undefined ? undefined : { type: 'refusal', content };
    }
    case 'reasoning': // AI SDK
      return reasoningPart(get(part, 'text'));
    case 'thinking': // Anthropic
      return reasoningPart(get(part, 'thinking'));
    case 'redacted_thinking': // Anthropic: encrypted, nothing to read
      return undefined;
    case 'image_url': // OpenAI Chat
      return urlPart(text(get(get(part, 'image_url'), 'url')), undefined, 'image');
    case 'input_image': // Responses
      return (
        urlPart(text(get(part, 'image_url')), undefined, 'image') ??
        filePart(get(part, 'file_id'), undefined, 'image')
      );
    case 'input_audio': // OpenAI Chat and Responses
      return audioPart(get(part, 'input_audio'));
    case 'input_file': // Responses
      return (
        filePart(get(part, 'file_id'), undefined, 'document') ??
        urlPart(text(get(part, 'file_url')), undefined, 'document') ??
        dataPart(text(get(part, 'file_data')), undefined, 'document')
      );
    case 'file':
      return fileKindPart(part);
    case 'image': {
      const source = get(part, 'source'); // Anthropic; the AI SDK has `image`
      if (source !== undefined) return convertSource(source, 'image', role, nested);
      return aiSdkData(get(part, 'image'), text(get(part, 'mediaType')), 'image', false);
    }
    case 'document': // Anthropic
      return convertSource(get(part, 'source'), 'document', role, nested);
    case 'tool_use': // Anthropic
      return toolCall(get(part, 'id'), get(part, 'name'), get(part, 'input'));
    case 'server_tool_use':
    case 'mcp_tool_use':
      return serverToolCall(get(part, 'id'), get(part, 'name'), get(part, 'input'));
    case 'tool_result':
      return toolResponse(get(part, 'tool_use_id'), toolContent(get(part, 'content'), role, nested));
    case 'tool-call': {
      // AI SDK; `args` before v5
      const input = get(part, 'input') ?? get(part, 'args');
      const call = get(part, 'providerExecuted') === true ? serverToolCall : toolCall;
      return call(get(part, 'toolCallId'), get(part, 'toolName'), input);
    }
    case 'tool-result': {
      const id = get(part, 'toolCallId');
      const output = aiSdkOutput(get(part, 'output') ?? get(part, 'result'), role, nested);
      // In an assistant message, a tool result is one the provider ran.
      const name = text(get(part, 'toolName'));
      if (role === 'assistant' && name !== undefined) return serverToolResponse(id, name, output);
      return toolResponse(id, output);
    }
    // The AI SDK's tool-output content (`{ type: 'content', value: [...] }`).
    case 'media':
    case 'file-data':
    case 'image-data':
      return dataPart(text(get(part, 'data')), text(get(part, 'mediaType')), fallbackModality(type));
    case 'file-url':
    case 'image-url':
      return urlPart(text(get(part, 'url')), text(get(part, 'mediaType')), fallbackModality(type));
    case 'file-id':
    case 'image-file-id':
    case 'file-reference':
    case 'image-file-reference':
      return referencePart(get(part, 'fileId') ?? get(part, 'reference'), undefined, fallbackModality(type));
    default:
      // Anthropic's server tool results: web_search_tool_result, code_execution_tool_result, …
      if (type.endsWith('_tool_result')) {
        const name = type.slice(0, -'_tool_result'.length);
        return serverToolResponse(get(part, 'tool_use_id'), name, get(part, 'content'));
      }
      return { type };
  }
}

function textPart(content: unknown): TextPart | undefined {
  return typeof content === 'string' ? { type: 'text', content } : undefined;
}

function reasoningPart(content: unknown): ReasoningPart | undefined {
  return typeof content === 'string' ? { type: 'reasoning', content } : undefined;
}

function toolCall(id: unknown, name: unknown, input: unknown): ToolCallRequestPart | undefined {
  if (typeof name !== 'string') return undefined;
  const part: ToolCallRequestPart = { type: 'tool_call', name };
  if (typeof id === 'string') part.id = id;
  if (input !== undefined) part.arguments = input;
  return part;
}

function toolResponse(id: unknown, response: unknown): ToolCallResponsePart {
  const part: ToolCallResponsePart = { type: 'tool_call_response', response };
  if (typeof id === 'string') part.id = id;
  return part;
}

function serverToolCall(id: unknown, name: unknown, input: unknown): ServerToolCallPart | undefined {
  if (typeof name !== 'string') return undefined;
  const part: ServerToolCallPart = { type: 'server_tool_call', name, server_tool_call: { type: name } };
  if (typeof id === 'string') part.id = id;
  if (input !== undefined) part.server_tool_call.arguments = input;
  return part;
}

function serverToolResponse(id: unknown, name: string, response: unknown): ServerToolCallResponsePart {
  const part: ServerToolCallResponsePart = {
    type: 'server_tool_call_response',
    server_tool_call_response: { type: name, response },
  };
  if (typeof id === 'string') part.id = id;
  return part;
}

/** OpenAI's `arguments` JSON string, parsed when short and valid; else the string as it is. */
function parsedArguments(value: unknown): unknown {
  if (typeof value !== 'string' || value.length > MAX_PARSED_ARGUMENTS) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * A tool result's content as the response: a string as is, a single text block as its text, other
 * blocks as converted parts (one level deep: a tool result inside one is only marked). No content
 * is `null`, so the required `response` survives serialization.
 */
function toolContent(content: unknown, role: string, nested: boolean): unknown {
  if (content === undefined) return null;
  if (!isList(content)) return content;
  if (nested) return [{ type: 'tool_result_content' }];
  const parts: MessagePart[] = [];
  convertParts(content, parts, role, true);
  const only = parts.length === 1 ? parts[0] : undefined;
  return only !== undefined && isTextPart(only) ? only.content : parts;
}

function isTextPart(part: MessagePart): part is TextPart {
  return part.type === 'text' && typeof (part as TextPart).content === 'string';
}

/** The AI SDK's `ToolResultOutput`: its `value`, or converted content; other shapes as they are. */
function aiSdkOutput(output: unknown, role: string, nested: boolean): unknown {
  switch (get(output, 'type')) {
    case 'text':
    case 'json':
    case 'error-text':
    case 'error-json':
      return get(output, 'value');
    case 'content':
      return toolContent(get(output, 'value'), role, nested);
    default:
      return output === undefined ? null : output;
  }
}

function fallbackModality(type: string): Modality {
  return type.startsWith('image') ? 'image' : 'document';
}

/** A media type worth recording: a full IANA type, not the AI SDK's bare `image` or `image/*`. */
function mimeTypeOf(mediaType: string | undefined): string | undefined {
  return mediaType?.includes('/') && !mediaType.endsWith('/*') ? mediaType : undefined;
}

function modalityOf(mediaType: string | undefined, fallback: Modality): Modality {
  if (mediaType === undefined) return fallback;
  for (const modality of ['image', 'audio', 'video'] as const) {
    if (mediaType === modality || mediaType.startsWith(`${modality}/`)) return modality;
  }
  return mediaType.includes('/') ? 'document' : fallback;
}

function blobPart(content: string, mediaType: string | undefined, fallback: Modality): BlobPart {
  const part: BlobPart = { type: 'blob', modality: modalityOf(mediaType, fallback), content };
  const mimeType = mimeTypeOf(mediaType);
  if (mimeType !== undefined) part.mime_type = mimeType;
  return part;
}

/** Inline data: a `data:…;base64,` URL's payload, else a string taken as base64 already. */
function dataPart(
  data: string | undefined,
  mediaType: string | undefined,
  fallback: Modality,
): BlobPart | undefined {
  if (data === undefined) return undefined;
  const parsed = parseDataUrl(data);
  if (parsed === undefined) return blobPart(data, mediaType, fallback);
  return blobPart(parsed.content, parsed.mediaType ?? mediaType, fallback);
}

/** `data:image/png;base64,AAAA` → its media type and payload (a slice: the payload is not copied). */
function parseDataUrl(url: string): { mediaType: string | undefined; content: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.slice(0, 256).indexOf(',');
  const header = comma < 0 ? '' : url.slice(5, comma);
  if (!header.endsWith(';base64')) return undefined;
  const mediaType = header.slice(0, -';base64'.length);
  return { mediaType: mediaType === '' ? undefined : mediaType, content: url.slice(comma + 1) };
}

/** A URL: a base64 `data:` URL becomes a blob, as the conventions ask; any other a URI part. */
function urlPart(
  url: string | undefined,
  mediaType: string | undefined,
  fallback: Modality,
): BlobPart | UriPart | undefined {
  if (url === undefined) return undefined;
  if (parseDataUrl(url) !== undefined) return dataPart(url, mediaType, fallback);
  const part: UriPart = { type: 'uri', modality: modalityOf(mediaType, fallback), uri: url };
  const mimeType = mimeTypeOf(mediaType);
  if (mimeType !== undefined) part.mime_type = mimeType;
  return part;
}

function filePart(fileId: unknown, mediaType: string | undefined, fallback: Modality): FilePart | undefined {
  if (typeof fileId !== 'string') return undefined;
  const part: FilePart = { type: 'file', modality: modalityOf(mediaType, fallback), file_id: fileId };
  const mimeType = mimeTypeOf(mediaType);
  if (mimeType !== undefined) part.mime_type = mimeType;
  return part;
}

/** An AI SDK file id: a string, or a provider reference `{ openai: 'file-…' }` with one entry. */
function referencePart(
  reference: unknown,
  mediaType: string | undefined,
  fallback: Modality,
): FilePart | undefined {
  if (typeof reference === 'string') return filePart(reference, mediaType, fallback);
  if (!isRecord(reference)) return undefined;
  // With several providers' ids, which one was sent is not known: the part is left out.
  const ids = Object.values(reference);
  return ids.length === 1 ? filePart(ids[0], mediaType, fallback) : undefined;
}

/** OpenAI's `input_audio` (and a response's `audio`): base64 data of a known format. */
function audioPart(audio: unknown): BlobPart | undefined {
  const data = text(get(audio, 'data'));
  if (data === undefined) return undefined;
  const format = get(audio, 'format');
  const mimeType = format === 'wav' ? 'audio/wav' : format === 'mp3' ? 'audio/mpeg' : undefined;
  return blobPart(data, mimeType, 'audio');
}

/** A `file` part: OpenAI Chat's `{ file: { file_id | file_data } }`, or the AI SDK's (`data`, or a result's `file`). */
function fileKindPart(part: unknown): Converted {
  const file = get(part, 'file');
  if (isRecord(file)) {
    const generated = text(get(file, 'base64')); // an AI SDK result's GeneratedFile
    if (generated !== undefined) return dataPart(generated, text(get(file, 'mediaType')), 'document');
    return (
      filePart(get(file, 'file_id'), undefined, 'document') ??
      dataPart(text(get(file, 'file_data')), undefined, 'document')
    );
  }
  return aiSdkData(get(part, 'data'), text(get(part, 'mediaType')), 'document', false);
}

/**
 * The AI SDK's `DataContent | URL` (a base64 or URL string, bytes, a URL), v7's tagged `FileData`
 * (`{ type: 'data' | 'url' | 'reference' | 'text' }`) or a bare provider reference.
 */
function aiSdkData(
  data: unknown,
  mediaType: string | undefined,
  fallback: Modality,
  tagged: boolean,
): Converted {
  if (typeof data === 'string') {
    if (/^https?:\/\//i.test(data.slice(0, 8))) return urlPart(data, mediaType, fallback);
    return dataPart(data, mediaType, fallback);
  }
  if (data instanceof URL) return urlPart(data.href, mediaType, fallback);
  const bytes = base64Of(data);
  if (bytes !== undefined) return blobPart(bytes, mediaType, fallback);
  if (!isRecord(data) || tagged) return undefined; // a tag's payload is never tagged again
  switch (get(data, 'type')) {
    case 'data':
      return aiSdkData(get(data, 'data'), mediaType, fallback, true);
    case 'url': {
      const url = get(data, 'url');
      return urlPart(url instanceof URL ? url.href : text(url), mediaType, fallback);
    }
    case 'reference':
      return referencePart(get(data, 'reference'), mediaType, fallback);
    case 'text':
      return textPart(get(data, 'text'));
    default:
      return referencePart(data, mediaType, fallback);
  }
}

/** Base64 of the first {@link MAX_ENCODED_BYTES} of a `Uint8Array`/`Buffer`/`ArrayBuffer`, else undefined. */
function base64Of(data: unknown): string | undefined {
  // Buffer.from(buffer, offset, length) is a view: only the encoded string is allocated.
  if (data instanceof ArrayBuffer) {
    return Buffer.from(data, 0, Math.min(data.byteLength, MAX_ENCODED_BYTES)).toString('base64');
  }
  if (data instanceof Uint8Array) {
    const length = Math.min(data.byteLength, MAX_ENCODED_BYTES);
    return Buffer.from(data.buffer, data.byteOffset, length).toString('base64');
  }
  return undefined;
}

/** An Anthropic image or document `source`: base64, url, file, text or nested content. */
function convertSource(source: unknown, fallback: Modality, role: string, nested: boolean): Converted {
  const mediaType = text(get(source, 'media_type'));
  switch (get(source, 'type')) {
    case 'base64':
      return dataPart(text(get(source, 'data')), mediaType, fallback);
    case 'url':
      return urlPart(text(get(source, 'url')), mediaType, fallback);
    case 'file':
      return filePart(get(source, 'file_id'), mediaType, fallback);
    case 'text': // a plain-text document: its text is what the model reads
      return textPart(get(source, 'data'));
    case 'content': {
      const content = get(source, 'content');
      if (typeof content === 'string') return textPart(content);
      if (!isList(content) || nested) return undefined;
      const parts: MessagePart[] = [];
      convertParts(content, parts, role, true);
      return parts;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Messages.

/** Roles of the Responses API's non-message items, which join the message before them. */
const ITEM_ROLE: ReadonlyMap<string, Role> = new Map([
  ['function_call', 'assistant'],
  ['custom_tool_call', 'assistant'],
  ['reasoning', 'assistant'],
  ['function_call_output', 'tool'],
  ['custom_tool_call_output', 'tool'],
]);

function readHistory(list: readonly unknown[]): InputMessage[] | undefined {
  const messages: InputMessage[] = [];
  let recognised = list.length === 0;
  let joinable = false; // whether the last message may take the next item's parts
  for (const item of elements(list, MAX_MESSAGES)) {
    const role = text(get(item, 'role'));
    if (role !== undefined) {
      const message = safely(() => readMessage(item, role));
      if (message !== undefined) {
        messages.push(message);
        recognised = true;
      }
      joinable = false;
      continue;
    }
    const type = text(get(item, 'type'));
    const itemRole = type === undefined ? undefined : (ITEM_ROLE.get(type) ?? itemRoleOf(type));
    if (type === undefined || itemRole === undefined) continue;
    recognised = true;
    const last = messages[messages.length - 1];
    const target: InputMessage = joinable && last?.role === itemRole ? last : { role: itemRole, parts: [] };
    if (target !== last) messages.push(target);
    joinable = true;
    push(
      target.parts,
      safely(() => convertItem(item, type)),
    );
  }
  return recognised ? messages : undefined;
}

/** Built-in tool items (`web_search_call`, …) are the model's; their outputs are the tool's. */
function itemRoleOf(type: string): Role | undefined {
  if (type.endsWith('_call_output')) return 'tool';
  if (type.endsWith('_call')) return 'assistant';
  return undefined;
}

/** One Responses API item that is not a message: a tool call or output, or reasoning. */
function convertItem(item: unknown, type: string): Converted {
  switch (type) {
    case 'function_call':
      return toolCall(get(item, 'call_id'), get(item, 'name'), parsedArguments(get(item, 'arguments')));
    case 'custom_tool_call':
      return toolCall(get(item, 'call_id'), get(item, 'name'), get(item, 'input'));
    case 'function_call_output':
    case 'custom_tool_call_output':
      return toolResponse(get(item, 'call_id'), toolContent(get(item, 'output'), 'tool', false));
    case 'reasoning': {
      const parts: MessagePart[] = [];
      for (const key of ['summary', 'content']) {
        const texts = get(item, key);
        if (isList(texts))
          for (const entry of elements(texts, MAX_PARTS)) push(parts, reasoningPart(get(entry, 'text')));
      }
      return parts;
    }
    default:
      return { type };
  }
}

/** A message with a role, in any SDK's shape. */
function readMessage(message: unknown, role: string): InputMessage | undefined {
  const parts: MessagePart[] = [];
  const content = get(message, 'content');
  const toolCallId = get(message, 'tool_call_id');
  if (typeof toolCallId === 'string' || role === 'function') {
    // OpenAI Chat's tool message (and the legacy function message): the whole content is the response.
    push(parts, toolResponse(toolCallId, toolContent(content, role, false)));
  } else if (typeof content === 'string') push(parts, textPart(content));
  else if (isList(content)) convertParts(content, parts, role, false);
  else if (content !== undefined && content !== null) return undefined;
  readOpenAiExtras(message, parts);
  // No content and nothing beside it: not a message of these SDKs (an AI SDK UIMessage has `parts`).
  if (content === undefined && parts.length === 0) return undefined;
  const result: InputMessage = { role, parts };
  const name = text(get(message, 'name'));
  if (name !== undefined) result.name = name;
  return result;
}

/** OpenAI Chat's assistant fields beside `content`: `refusal`, `tool_calls`, `function_call`, `audio`. */
function readOpenAiExtras(message: unknown, parts: MessagePart[]): void {
  const refusal = text(get(message, 'refusal'));
  if (refusal !== undefined) push(parts, { type: 'refusal', content: refusal });
  const audio = get(message, 'audio');
  if (audio !== undefined && audio !== null) push(parts, audioPart(audio));
  const calls = get(message, 'tool_calls');
  if (isList(calls)) {
    for (const call of elements(calls, MAX_PARTS)) {
      const custom = get(call, 'custom');
      if (isRecord(custom)) push(parts, toolCall(get(call, 'id'), get(custom, 'name'), get(custom, 'input')));
      else {
        const fn = get(call, 'function');
        push(parts, toolCall(get(call, 'id'), get(fn, 'name'), parsedArguments(get(fn, 'arguments'))));
      }
    }
  }
  const legacy = get(message, 'function_call');
  if (isRecord(legacy))
    push(parts, toolCall(undefined, get(legacy, 'name'), parsedArguments(get(legacy, 'arguments'))));
}

// ---------------------------------------------------------------------------------------------
// Results.

function finishReasonOf(reason: unknown): FinishReason {
  return typeof reason === 'string' ? toFinishReason(reason) : 'unknown';
}

function readChoices(choices: readonly unknown[]): OutputMessage[] {
  const messages: OutputMessage[] = [];
  for (const choice of elements(choices, MAX_MESSAGES)) {
    const message = get(choice, 'message');
    const read = safely(() => readMessage(message, text(get(message, 'role')) ?? 'assistant'));
    if (read !== undefined)
      messages.push({ ...read, finish_reason: finishReasonOf(get(choice, 'finish_reason')) });
  }
  return messages;
}

function readAnthropicMessage(result: object, content: readonly unknown[]): OutputMessage {
  const role = text(get(result, 'role')) ?? 'assistant';
  const parts: MessagePart[] = [];
  convertParts(content, parts, role, false);
  return { role, parts, finish_reason: finishReasonOf(get(result, 'stop_reason')) };
}

function readResponsesOutput(result: object, output: readonly unknown[]): OutputMessage {
  const parts: MessagePart[] = [];
  for (const item of elements(output, MAX_PARTS)) {
    const type = text(get(item, 'type'));
    if (type === undefined) continue;
    if (type === 'message') {
      const content = get(item, 'content');
      if (isList(content)) convertParts(content, parts, 'assistant', false);
    } else
      push(
        parts,
        safely(() => convertItem(item, type)),
      );
  }
  return { role: 'assistant', parts, finish_reason: responsesFinishReason(result, parts) };
}

/** The Responses API has a `status`, not a finish reason. */
function responsesFinishReason(result: object, parts: readonly MessagePart[]): FinishReason {
  const status = text(get(result, 'status'));
  switch (status) {
    case 'completed':
      return parts.some((part) => part.type === 'tool_call') ? 'tool_call' : 'stop';
    case 'incomplete': {
      const reason = text(get(get(result, 'incomplete_details'), 'reason'));
      if (reason === 'max_output_tokens') return 'length';
      return reason ?? status;
    }
    case 'failed':
      return 'error';
    default:
      return status ?? 'unknown';
  }
}

function readAiSdkResult(result: object): OutputMessage {
  const parts: MessagePart[] = [];
  const content = get(result, 'content');
  if (isList(content)) {
    for (const part of elements(content, MAX_PARTS)) {
      const type = get(part, 'type');
      // Tool results the SDK ran itself feed the next step; sources annotate the text.
      if ((type === 'tool-result' || type === 'tool-error') && get(part, 'providerExecuted') !== true)
        continue;
      if (type === 'source') continue;
      push(
        parts,
        safely(() => convertPart(part, 'assistant', false)),
      );
    }
  } else {
    // Before v5: no `content`, only the joined fields.
    push(parts, reasoningPart(get(result, 'reasoningText') ?? get(result, 'reasoning')));
    const answer = text(get(result, 'text'));
    if (answer !== undefined && answer !== '') push(parts, textPart(answer));
    const calls = get(result, 'toolCalls');
    if (isList(calls)) {
      for (const call of elements(calls, MAX_PARTS)) {
        push(
          parts,
          toolCall(get(call, 'toolCallId'), get(call, 'toolName'), get(call, 'input') ?? get(call, 'args')),
        );
      }
    }
  }
  // `other` means the SDK had no name for the provider's reason; v6 gives that one.
  const unified = get(result, 'finishReason');
  const raw = text(get(result, 'rawFinishReason'));
  return {
    role: 'assistant',
    parts,
    finish_reason: unified === 'other' && raw !== undefined ? toFinishReason(raw) : finishReasonOf(unified),
  };
}

// ---------------------------------------------------------------------------------------------
// Tool definitions.

function readListedTool(tool: unknown, details: boolean): ToolDefinition | undefined {
  const type = text(get(tool, 'type'));
  const fn = get(tool, 'function');
  if (isRecord(fn))
    return functionTool(get(fn, 'name'), get(fn, 'description'), get(fn, 'parameters'), details); // Chat
  const inputSchema = get(tool, 'input_schema');
  if (inputSchema !== undefined && (type === undefined || type === 'custom')) {
    return functionTool(get(tool, 'name'), get(tool, 'description'), inputSchema, details); // Anthropic
  }
  if (type === 'function')
    return functionTool(get(tool, 'name'), get(tool, 'description'), get(tool, 'parameters'), details); // Responses
  if (type === undefined) return undefined;
  const custom = get(tool, 'custom'); // Chat's custom tools
  const name = text(get(custom, 'name')) ?? text(get(tool, 'name')) ?? type; // Responses built-ins have no name
  const definition: GenericToolDefinition = { type, name };
  const description = text(get(custom, 'description')) ?? text(get(tool, 'description'));
  if (details && description !== undefined) definition.description = description;
  return definition;
}

function functionTool(
  name: unknown,
  description: unknown,
  parameters: unknown,
  details: boolean,
): FunctionToolDefinition | undefined {
  if (typeof name !== 'string') return undefined;
  const definition: FunctionToolDefinition = { type: 'function', name };
  if (details) {
    if (typeof description === 'string') definition.description = description;
    if (parameters !== undefined && parameters !== null) definition.parameters = parameters;
  }
  return definition;
}

function readAiSdkTool(name: string, tool: unknown, details: boolean): ToolDefinition | undefined {
  if (!isRecord(tool)) return undefined;
  const type = get(tool, 'type');
  if (type === 'provider' || type === 'provider-defined') {
    return { type: text(get(tool, 'id')) ?? type, name };
  }
  const schema = get(tool, 'inputSchema') ?? get(tool, 'parameters');
  return functionTool(name, get(tool, 'description'), details ? jsonSchemaOf(schema) : undefined, details);
}

/** The JSON Schema of an AI SDK `jsonSchema()` schema, when it is at hand (not a promise, not Zod). */
function jsonSchemaOf(schema: unknown): unknown {
  const json = get(schema, 'jsonSchema');
  return isRecord(json) && typeof get(json, 'then') !== 'function' ? json : undefined;
}
