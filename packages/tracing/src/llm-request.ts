import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
} from './semconv';

/** Stop sequences kept on a span; the conventions have no limit, a span needs one. */
const MAX_STOP_SEQUENCES = 16;
const MAX_STOP_SEQUENCE_LENGTH = 256;

// Each attribute and the request keys the SDKs spell it with: OpenAI Chat Completions and Responses,
// Anthropic Messages, and the Vercel AI SDK's call options (v4 `maxTokens`, v5+ `maxOutputTokens`).
const NUMBER_PARAMETERS: ReadonlyArray<readonly [attribute: string, keys: readonly string[]]> = [
  [ATTR_GEN_AI_REQUEST_TEMPERATURE, ['temperature']],
  [
    ATTR_GEN_AI_REQUEST_MAX_TOKENS,
    ['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'maxOutputTokens', 'maxTokens'],
  ],
  [ATTR_GEN_AI_REQUEST_TOP_P, ['top_p', 'topP']],
  [ATTR_GEN_AI_REQUEST_TOP_K, ['top_k', 'topK']],
  [ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, ['frequency_penalty', 'frequencyPenalty']],
  [ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, ['presence_penalty', 'presencePenalty']],
  [ATTR_GEN_AI_REQUEST_SEED, ['seed']],
];
const STOP_KEYS = ['stop', 'stop_sequences', 'stopSequences'];

/** A property of an object the caller gave us; a getter or Proxy that throws reads as undefined. */
export function readProperty(source: unknown, key: string): unknown {
  if ((typeof source !== 'object' && typeof source !== 'function') || source === null) return undefined;
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function firstDefined(source: unknown, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = readProperty(source, key);
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/**
 * Writes the `gen_ai.request.*` parameters of an SDK request (OpenAI, Anthropic or AI SDK shape)
 * into `attributes`: finite numbers only, stop sequences as a bounded string array, the choice
 * count only when it is not 1. Returns the request's `stream` flag when it has one. Never throws.
 */
export function writeRequestParameters(request: unknown, attributes: Attributes): boolean | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  for (const [attribute, keys] of NUMBER_PARAMETERS) {
    const value = firstDefined(request, keys);
    if (typeof value === 'number' && Number.isFinite(value)) attributes[attribute] = value;
  }
  const stop = firstDefined(request, STOP_KEYS);
  const sequences =
    typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop.slice(0, MAX_STOP_SEQUENCES) : [];
  const kept = sequences
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.slice(0, MAX_STOP_SEQUENCE_LENGTH));
  if (kept.length > 0) attributes[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = kept;
  const choices = readProperty(request, 'n');
  if (typeof choices === 'number' && Number.isInteger(choices) && choices !== 1) {
    attributes[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = choices;
  }
  const stream = readProperty(request, 'stream');
  return typeof stream === 'boolean' ? stream : undefined;
}
