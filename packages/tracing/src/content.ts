import { createRedactor, invalidOption, type RedactionOptions, truncate } from '@genxai/obs-core';

/**
 * How span attributes that hold user content (`task`, `tool.parameters`,
 * `llm.prompt`, `llm.completion`) are recorded.
 */
export interface ContentCaptureOptions {
  /**
   * Record content at all. `false` leaves those attributes out entirely (lengths and token
   * counts are still recorded).
   * @default true
   */
  enabled?: boolean;
  /** Longest recorded value, in characters, after redaction. @default 1024 */
  maxLength?: number;
  /**
   * Extra redaction rules (keys, patterns), added to the defaults: API keys, tokens, passwords,
   * bearer headers, `sk-…` keys, AWS keys and JWTs are replaced by `***REDACTED***`. The same
   * rules and options as the logging package's `redaction`. A huge string is scanned only in a
   * window a little longer than `maxLength`, so its cost does not grow with its size.
   * @default {}
   */
  redaction?: RedactionOptions;
}

/** Turns user content into a safe attribute value, or undefined when capture is off. */
export interface ContentRecorder {
  readonly enabled: boolean;
  /** The longest value recorded, in characters. */
  readonly maxLength: number;
  /** Redacted, truncated content; undefined when capture is off or the value is undefined. */
  capture(value: unknown): string | undefined;
  /** Redacted, truncated text, recorded whatever `enabled` says (for error messages). */
  safeText(text: string): string;
  /**
   * A list (messages, parts, tool definitions) as JSON that always parses: each string redacted
   * and cut at `maxLength`, and, when the whole is longer than the list budget
   * (`16 × maxLength`), the newest items that fit (a conversation's last turns matter most).
   * Undefined when capture is off, the list is empty or not even its last item fits.
   */
  captureList(items: readonly unknown[] | undefined): string | undefined;
}

/** Results whose JSON is longer than this are not measured for `tool.result_size` (1 MiB). */
export const MAX_MEASURED_RESULT = 1_048_576;

/** Deepest nesting serialized; deeper values are written as `"[Truncated]"`. */
const MAX_DEPTH = 64;

const STOP = Symbol('budget');

/**
 * JSON of `value` as `JSON.stringify` writes it (BigInt as `"12n"`, cycles as `"[Circular]"`,
 * unreadable getters and Proxies as `"[Unreadable]"`), but it stops once the text passes `limit`
 * characters: the work is bounded by the limit, not by the value. `complete` is false when the
 * text was cut, or part of the value was replaced.
 */
export function boundedJson(value: unknown, limit: number): { text: string; complete: boolean } {
  const parts: string[] = [];
  let length = 0;
  let complete = true;
  const path: object[] = [];
  const push = (text: string) => {
    parts.push(text);
    length += text.length;
    if (length > limit) throw STOP;
  };
  const write = (item: unknown, depth: number): boolean => {
    if (
      item !== null &&
      typeof item === 'object' &&
      typeof (item as { toJSON?: unknown }).toJSON === 'function'
    )
      item = (item as { toJSON: () => unknown }).toJSON();
    switch (typeof item) {
      case 'string':
        if (item.length > limit - length) {
          complete = false;
          push(JSON.stringify(item.slice(0, limit - length + 1)));
        } else push(JSON.stringify(item));
        return true;
      case 'number':
        push(Number.isFinite(item) ? String(item) : 'null');
        return true;
      case 'boolean':
        push(String(item));
        return true;
      case 'bigint':
        push(`"${item}n"`);
        return true;
      case 'undefined':
      case 'function':
      case 'symbol':
        return false;
    }
    if (item === null) {
      push('null');
      return true;
    }
    const object = item as object;
    if (path.includes(object)) {
      complete = false;
      push('"[Circular]"');
      return true;
    }
    if (depth >= MAX_DEPTH) {
      complete = false;
      push('"[Truncated]"');
      return true;
    }
    path.push(object);
    if (Array.isArray(object)) {
      push('[');
      for (let index = 0; index < object.length; index++) {
        if (index > 0) push(',');
        if (!write(readSafely(object, index), depth + 1)) push('null');
      }
      push(']');
    } else {
      push('{');
      let first = true;
      for (const key of Object.keys(object)) {
        const start = parts.length;
        const startLength = length;
        push(`${first ? '' : ','}${JSON.stringify(key)}:`);
        if (write(readSafely(object, key), depth + 1)) first = false;
        else {
          parts.length = start;
          length = startLength;
        }
      }
      push('}');
    }
    path.pop();
    return true;
  };
  const readSafely = (object: object, key: string | number): unknown => {
    try {
      return (object as Record<string | number, unknown>)[key];
    } catch {
      complete = false;
      return '[Unreadable]';
    }
  };
  try {
    if (!write(value, 0)) return { text: String(value), complete: true };
  } catch (error) {
    if (error !== STOP) {
      // A Proxy whose traps throw, or a toJSON that throws.
      complete = false;
      parts.push('"[Unreadable]"');
    } else complete = false;
  }
  return { text: parts.join(''), complete };
}

/** The length of `value`'s JSON, or undefined when it is longer than `limit` or could not be read whole. */
export function jsonLength(value: unknown, limit: number): number | undefined {
  const { text, complete } = boundedJson(value, limit);
  return complete ? text.length : undefined;
}

/** How many times `maxLength` a captured list (`gen_ai.input.messages`, …) may take in all. */
const LIST_BUDGET_FACTOR = 16;

/** Builds a {@link ContentRecorder}; validation of `maxLength` happens here, at setup. */
export function createContentRecorder(options: ContentCaptureOptions = {}): ContentRecorder {
  const enabled = options.enabled ?? true;
  const maxLength = options.maxLength ?? 1024;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    invalidOption('contentCapture.maxLength', maxLength, 'an integer of at least 1');
  }
  // Built with the capture length, the redactor only scans a window of a huge string (a little
  // longer than what is kept), so a 20 MB parameter costs no more than a short one.
  const redaction = options.redaction ?? {};
  const redactor = createRedactor({
    ...redaction,
    maxStringLength: Math.min(maxLength, redaction.maxStringLength ?? maxLength),
  });
  const safeText = (text: string) => {
    const redacted = redactor.redactValue(text);
    return truncate(typeof redacted === 'string' ? redacted : redactor.redactString(text), maxLength);
  };
  const listBudget = maxLength * LIST_BUDGET_FACTOR;
  return {
    enabled,
    maxLength,
    safeText,
    captureList(items) {
      if (!enabled || items === undefined || items.length === 0) return undefined;
      const redacted = redactor.redactValue(items);
      if (!Array.isArray(redacted)) return undefined;
      // Newest first, each item's JSON bounded by what is left of the budget.
      const kept: string[] = [];
      let length = 2;
      for (let index = redacted.length - 1; index >= 0; index--) {
        const item = redacted[index];
        if (typeof item === 'string' && item.startsWith('…[')) continue; // redactValue's "more items" marker
        const { text, complete } = boundedJson(item, listBudget - length);
        if (!complete || length + text.length + 1 > listBudget) break;
        kept.push(text);
        length += text.length + 1;
      }
      return kept.length === 0 ? undefined : `[${kept.reverse().join(',')}]`;
    },
    capture(value) {
      if (!enabled || value === undefined) return undefined;
      if (typeof value === 'string') return safeText(value);
      // Serialize only what can be kept: a 200k-row object costs no more than a small one.
      const { text } = boundedJson(redactor.redactValue(value), maxLength);
      return text.length > maxLength ? `${text.slice(0, maxLength)}…[truncated]` : text;
    },
  };
}
