import { BOUNDED_LABELS, type MetricDefinition, OVERFLOW_LABEL_VALUE } from './names';

/** A label set as prom-client takes it. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Caps the distinct label sets of one metric. Each known label set maps to
 * one frozen labels object, made once and reused on every later call. Past
 * the cap, a new label set is folded: every label that is not in
 * {@link BOUNDED_LABELS} takes the overflow value, and `onFold` is called.
 * An empty value (an absent OTel attribute, such as `error_type` on a
 * success) stays empty: it adds no cardinality, and folding it would make a
 * success look like an error. Memory is bounded by the cap, whatever the
 * callers send.
 */
export class LabelSetGuard {
  private readonly known = new Map<string, Labels>();
  private readonly folded = new Map<string, Labels>();
  private readonly labelNames: readonly string[];

  constructor(
    definition: MetricDefinition,
    private readonly cap: number,
    private readonly onFold: () => void,
  ) {
    this.labelNames = definition.labelNames;
  }

  /** Number of distinct label sets admitted so far (at most the cap). */
  get size(): number {
    return this.known.size;
  }

  /** The labels object for `values`, given in the metric's label order. */
  resolve(values: readonly string[]): Labels {
    const admitted = this.admit(values);
    if (admitted) return admitted;
    this.onFold();
    const foldedValues = values.map((value, index) =>
      value === '' || BOUNDED_LABELS.has(this.labelNames[index] as never) ? value : OVERFLOW_LABEL_VALUE,
    );
    const foldedKey = foldedValues.join('\u0001');
    let labels = this.folded.get(foldedKey);
    if (!labels) {
      labels = this.build(foldedValues);
      this.folded.set(foldedKey, labels);
    }
    return labels;
  }

  /**
   * The labels object for `values` when the label set is known or there is room for it;
   * `undefined` (and no fold counted) when the metric is at its cap.
   */
  admit(values: readonly string[]): Labels | undefined {
    const key = values.length === 1 ? values[0]! : values.join('\u0001');
    const existing = this.known.get(key);
    if (existing || this.known.size >= this.cap) return existing;
    const labels = this.build(values);
    this.known.set(key, labels);
    return labels;
  }

  private build(values: readonly string[]): Labels {
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, index) => {
      labels[name] = values[index]!;
    });
    return Object.freeze(labels);
  }
}
