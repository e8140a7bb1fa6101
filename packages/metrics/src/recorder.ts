import { errorType, type SafeRecorder, STATUS, type Status, settle, type WarnOnce } from '@genxai/obs-core';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { LabelSetGuard, Labels } from './cardinality';

/**
 * Links a recording to the trace that was active, so Grafana can jump from a
 * latency bucket or a counter to the trace. Written as the OpenMetrics
 * exemplar `{trace_id="…",span_id="…"}`.
 */
export interface Exemplar {
  /** 32 lower-case hex characters, as in W3C `traceparent`. */
  traceId: string;
  /** 16 lower-case hex characters. */
  spanId: string;
}

/** Options every recording takes. */
export interface RecordOptions {
  /** The trace to link this recording to. Ignored on a registry without exemplar support. */
  exemplar?: Exemplar;
}

/**
 * A started operation. Call `succeed` or `fail` once; later calls are
 * ignored, so a `finally` that ends a timer twice does no harm.
 */
export interface OperationTimer<Options extends RecordOptions = RecordOptions> {
  /** Records the operation as a success. */
  succeed(options?: Options): void;
  /** Records the operation as a failure, with `error_type` taken from `error`. */
  fail(error: unknown, options?: Options): void;
  /**
   * Records the operation as cancelled (`status="cancelled"`): a streamed response the consumer
   * stopped reading. Its duration is observed; it is not an error.
   */
  cancel(options?: Options): void;
}

/**
 * Options of {@link OperationRecorder.time}: the recording options for either
 * outcome (`exemplar`, …), plus
 * `onSuccess`.
 */
export type TimeOptions<Result, Options extends RecordOptions = RecordOptions> = Options & {
  /**
   * Extra recording options, computed from the operation's result when it
   * succeeds; they add to, or replace, the options given beside it.
   */
  onSuccess?: (result: Result) => Options | undefined;
};

/** How a timed operation ended, for the recorders that record more at the end. */
export interface Ended {
  /** The operation's duration. */
  readonly seconds: number;
  /** The cleaned `error_type` of a failure; `''` for a success. */
  readonly errorType: string;
  /** The labels of the status counter before `status` (the operation's, then its `agent_id` when attributed). */
  readonly counted: readonly string[];
}

/** A metric together with the guard that caps its label sets. */
export interface Guarded<M> {
  readonly metric: M;
  readonly guard: LabelSetGuard;
  readonly exemplars: boolean;
}

/** What every recorder shares: how to warn, and whether exemplars work. */
export interface RecorderContext {
  readonly warn: WarnOnce;
  readonly safely: SafeRecorder;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const MAX_LABEL_VALUE_LENGTH = 256;

const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * A label value fit for the exposition, at most 256 UTF-16 units: control characters (C0, C1)
 * written as visible `\uXXXX` escapes (the label-set key joins values with U+0001, and exposition
 * parsers reject the rest), lone surrogates replaced by U+FFFD, and never cut inside a pair.
 */
export function cleanLabelValue(value: string): string {
  let clean = true;
  // Only what is kept needs checking: the first 256 units, and one more for a pair cut at the end.
  const checked = Math.min(value.length, MAX_LABEL_VALUE_LENGTH + 1);
  for (let i = 0; i < checked && clean; i++) {
    const code = value.charCodeAt(i);
    if (isControl(code) || isHighSurrogate(code) || isLowSurrogate(code)) clean = false;
  }
  if (clean) return value.length > MAX_LABEL_VALUE_LENGTH ? value.slice(0, MAX_LABEL_VALUE_LENGTH) : value;
  let out = '';
  for (let i = 0; i < value.length && out.length < MAX_LABEL_VALUE_LENGTH; i++) {
    const code = value.charCodeAt(i);
    let piece: string;
    if (isControl(code)) piece = `\\u${code.toString(16).padStart(4, '0')}`;
    else if (isHighSurrogate(code) && isLowSurrogate(value.charCodeAt(i + 1))) {
      piece = value.slice(i, i + 2);
      i++;
    } else if (isHighSurrogate(code) || isLowSurrogate(code)) piece = '\ufffd';
    else piece = value[i]!;
    if (out.length + piece.length > MAX_LABEL_VALUE_LENGTH) break;
    out += piece;
  }
  return out;
}

/**
 * The label value of an optional field (an OTel attribute that may be absent):
 * the cleaned string, or `''` when absent or empty. Anything but a string is
 * reported once and recorded as `''`.
 */
export function optionalLabelValue(value: unknown, label: string, context: RecorderContext): string {
  if (typeof value === 'string') return value === '' ? '' : cleanLabelValue(value);
  if (value === undefined || value === null) return '';
  context.warn(
    `label:${label}`,
    'GENXAI_METRICS_BAD_LABEL',
    `@genxai/metrics: label ${label} got ${typeof value}; recorded as empty.`,
  );
  return '';
}

/** Turns anything a caller passes into a label value without throwing. */
export function labelValue(value: unknown, label: string, context: RecorderContext): string {
  if (typeof value === 'string' && value !== '') return cleanLabelValue(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  context.warn(
    `label:${label}`,
    'GENXAI_METRICS_BAD_LABEL',
    `@genxai/metrics: label ${label} got ${value === '' ? 'an empty string' : typeof value}; recorded as "unknown".`,
  );
  return 'unknown';
}

/** The exemplar labels for `exemplar`, or undefined when absent or malformed. */
export function exemplarLabels(
  exemplar: Exemplar | undefined,
  context: RecorderContext,
): Record<string, string> | undefined {
  if (exemplar === undefined) return undefined;
  const { traceId, spanId } = exemplar as Partial<Exemplar>;
  if (
    typeof traceId === 'string' &&
    typeof spanId === 'string' &&
    HEX32.test(traceId) &&
    HEX16.test(spanId)
  ) {
    return { trace_id: traceId, span_id: spanId };
  }
  context.warn(
    'exemplar',
    'GENXAI_METRICS_BAD_EXEMPLAR',
    '@genxai/metrics: an exemplar needs a 32-hex traceId and a 16-hex spanId; recorded without it.',
  );
  return undefined;
}

/** Adds `value` to a guarded counter, with an exemplar when supported. */
export function addToCounter(
  target: Pick<Guarded<Counter>, 'metric' | 'exemplars'>,
  labels: Labels,
  value: number,
  exemplar: Record<string, string> | undefined,
): void {
  if (target.exemplars) {
    target.metric.inc({ labels, value, exemplarLabels: exemplar });
  } else {
    target.metric.inc(labels, value);
  }
}

/** Observes `value` in a guarded histogram, with an exemplar when supported. */
export function observeHistogram(
  target: Guarded<Histogram>,
  labels: Labels,
  value: number,
  exemplar: Record<string, string> | undefined,
): void {
  if (target.exemplars) {
    target.metric.observe({ labels, value, exemplarLabels: exemplar });
  } else {
    target.metric.observe(labels, value);
  }
}

/** The instruments one kind of operation records into. */
export interface OperationInstruments {
  /** Counter with the operation's labels plus `status`. */
  total: Guarded<Counter>;
  /** Histogram with the operation's labels. */
  duration?: Guarded<Histogram>;
  /** Gauge with the operation's labels, up while the operation runs. */
  active?: Guarded<Gauge>;
  /** Counter with the operation's labels plus `error_type`. */
  errors?: Guarded<Counter>;
}

/**
 * Records one kind of operation (agent execution, tool call, …): the active
 * gauge, the duration, the status counter and the error counter, in one
 * place, so a caller cannot forget the gauge's `dec()` when the work throws.
 */
export class OperationRecorder<Info, Options extends RecordOptions = RecordOptions> {
  /** @internal */
  constructor(
    protected readonly context: RecorderContext,
    private readonly instruments: OperationInstruments,
    protected readonly toValues: (info: Info) => string[],
    /**
     * The `agent_id` the status counter (and the LLM cost) is attributed to, after the operation's
     * labels: set for tool calls and LLM requests, whose counters carry it. Never throws.
     */
    private readonly attributedTo?: (info: Info, enclosingAgentId: string | undefined) => string,
  ) {}

  /** The labels of the status counter before `status`: the operation's, and its agent when attributed. */
  protected counted(info: Info, base: readonly string[], enclosingAgentId?: string): readonly string[] {
    return this.attributedTo ? [...base, this.attributedTo(info, enclosingAgentId)] : base;
  }

  /**
   * Starts timing an operation: the active gauge goes up now and down when the
   * returned timer ends.
   *
   * @param enclosingAgentId For tool calls and LLM requests, whose counters carry `agent_id`: the
   *   agent execution the operation runs in, used when `info` names no `agentId`.
   *   `@genxai/observability` passes the enclosing `observeAgent`'s. Ignored by the other recorders.
   */
  start(info: Info, enclosingAgentId?: string): OperationTimer<Options> {
    const startedAt = performance.now();
    let base: string[] | undefined;
    let counted: readonly string[] = [];
    let activeLabels: Labels | undefined;
    this.context.safely('a metric', () => {
      const given = info ?? ({} as Info);
      base = this.toValues(given);
      counted = this.counted(given, base, enclosingAgentId);
      this.onStart(counted);
      const { active } = this.instruments;
      if (active) {
        activeLabels = active.guard.resolve(base);
        active.metric.inc(activeLabels);
      }
    });
    // Reading the operation's fields threw (reported once): it is counted under "unknown", as a
    // missing field is, never under labels half made.
    const own = base ?? this.unknownValues();
    if (base === undefined) counted = this.attributedTo ? [...own, ''] : own;
    let ended = false;
    const end = (status: Status, error: unknown, options: Options | undefined) => {
      if (ended) return;
      ended = true;
      const seconds = (performance.now() - startedAt) / 1000;
      this.context.safely('a metric', () => {
        const { active, duration, total, errors } = this.instruments;
        const exemplar = exemplarLabels(options?.exemplar, this.context);
        if (active && activeLabels) active.metric.dec(activeLabels);
        if (duration) observeHistogram(duration, duration.guard.resolve(own), seconds, exemplar);
        addToCounter(total, total.guard.resolve([...counted, status]), 1, exemplar);
        const type = status === STATUS.error ? cleanLabelValue(errorType(error)) : '';
        if (errors && status === STATUS.error) {
          addToCounter(errors, errors.guard.resolve([...own, type]), 1, exemplar);
        }
        this.onEnd(info, own, options, exemplar, { seconds, errorType: type, counted });
      });
    };
    return {
      succeed: (options) => end(STATUS.success, undefined, options),
      fail: (error, options) => end(STATUS.error, error, options),
      cancel: (options) => end(STATUS.cancelled, undefined, options),
    };
  }

  /**
   * Times `fn`, sync or async, and records its outcome. The result and any
   * error pass through untouched.
   */
  time<Result>(
    info: Info,
    fn: () => Result,
    options: TimeOptions<Awaited<Result>, Options> = {} as TimeOptions<Awaited<Result>, Options>,
  ): Result {
    const timer = this.start(info);
    const { onSuccess, ...given } = options ?? {};
    const failOptions = (Object.keys(given).length > 0 ? given : undefined) as Options | undefined;
    const succeed = (value: Awaited<Result>) => {
      let extra: Options | undefined;
      try {
        extra = onSuccess?.(value);
      } catch {
        extra = undefined;
      }
      timer.succeed({ ...failOptions, ...extra } as Options);
    };
    return settle(
      undefined,
      fn,
      (_, value) => succeed(value as Awaited<Result>),
      (_, error) => timer.fail(error, failOptions),
    );
  }

  /** `unknown` for each of the operation's own labels: the status counter's, less `status` and `agent_id`. */
  private unknownValues(): string[] {
    const own = this.instruments.total.guard.labelCount - 1 - (this.attributedTo ? 1 : 0);
    return Array.from({ length: own }, () => 'unknown');
  }

  /** Hook for recorders that record more at the start (the LLM cost series), with the counted labels. */
  protected onStart(_counted: readonly string[]): void {}

  /**
   * Hook for recorders that record more at the end (LLM usage and the GenAI
   * client metrics). `ended` is absent when usage is recorded on its own.
   */
  protected onEnd(
    _info: Info,
    _base: readonly string[],
    _options: Options | undefined,
    _exemplar: Record<string, string> | undefined,
    _ended?: Ended,
  ): void {}
}
