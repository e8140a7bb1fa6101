import { messageOf } from './settle';

/** Receives each warning that telemetry reports instead of throwing into the host. */
export type WarningHandler = (warning: { code: string; message: string }) => void;

/** Emits a Node process warning, so `--no-warnings` and `process.on('warning')` apply. */
export const processWarningHandler: WarningHandler = ({ code, message }) => {
  process.emitWarning(message, { code });
};

/**
 * A reporter that passes each distinct `key` to `handler` once and ignores the
 * repeats, so a problem on a hot path is reported once, not per call.
 * A handler that throws is ignored: reporting never breaks the caller.
 */
export interface WarnOnce {
  (key: string, code: string, message: string): void;
  /** Number of distinct keys reported so far. */
  readonly size: number;
}

/**
 * Creates a {@link WarnOnce}. Each warning code has its own budget of `limitPerCode` distinct
 * keys: past it, further new keys of that code are dropped silently, so memory stays bounded,
 * and one noisy kind of problem (a warning per unknown model name) never silences the others.
 *
 * @param handler where warnings go. @default processWarningHandler
 * @param limitPerCode how many distinct keys to remember per code. @default 100
 */
export function createWarnOnce(
  handler: WarningHandler = processWarningHandler,
  limitPerCode = 100,
): WarnOnce {
  const seen = new Map<string, Set<string>>();
  let size = 0;
  const warn = (key: string, code: string, message: string) => {
    let keys = seen.get(code);
    if (!keys) {
      keys = new Set();
      seen.set(code, keys);
    }
    if (keys.has(key) || keys.size >= limitPerCode) return;
    keys.add(key);
    size++;
    try {
      handler({ code, message });
    } catch {
      // A failing warning handler must not turn a warning into a crash.
    }
  };
  Object.defineProperty(warn, 'size', { get: () => size });
  return warn as WarnOnce;
}

/** Runs telemetry work so that a throw is reported instead of reaching the host's code. */
export interface SafeRecorder {
  (what: string, record: () => void): void;
  /** Reports a throw caught elsewhere (a hot path's own try/catch) exactly as the recorder would. */
  failed(what: string, error: unknown): void;
}

/**
 * Creates a {@link SafeRecorder}: `record` runs, and a throw from it is reported
 * once per `what` (with `code`) through `warn`, never rethrown. Telemetry never
 * throws into the host application.
 *
 * @param source the package that reports, such as `@genxai/metrics`.
 */
export function createSafeRecorder(warn: WarnOnce, code: string, source: string): SafeRecorder {
  const failed = (what: string, error: unknown) =>
    warn(`${code}:${what}`, code, `${source}: recording ${what} failed and was skipped: ${messageOf(error)}`);
  const recorder = ((what: string, record: () => void) => {
    try {
      record();
    } catch (error) {
      failed(what, error);
    }
  }) as SafeRecorder;
  recorder.failed = failed;
  return recorder;
}
