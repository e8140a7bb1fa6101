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
  /** Redacted, truncated content; undefined when capture is off or the value is undefined. */
  capture(value: unknown): string | undefined;
  /** Redacted, truncated text, recorded whatever `enabled` says (for error messages). */
  safeText(text: string): string;
}

/** Stringifies without throwing: circular references, BigInt and throwing getters are tolerated. */
export function safeStringify(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const seen = new WeakSet<object>();
    const text = JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return `${item}n`;
      if (typeof item === 'object' && item !== null) {
        if (seen.has(item)) return '[Circular]';
        seen.add(item);
      }
      return item;
    });
    return text ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return '[unserializable]';
    }
  }
}

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
  return {
    enabled,
    safeText,
    capture(value) {
      if (!enabled || value === undefined) return undefined;
      if (typeof value === 'string') return safeText(value);
      return truncate(safeStringify(redactor.redactValue(value)), maxLength);
    },
  };
}
