import { BOUNDED_LABELS, type MetricDefinition, OVERFLOW_LABEL_VALUE } from './names';

/** A label set as prom-client takes it. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Caps the distinct label sets of one metric. Each known label set maps to
 * one frozen labels object, made once and reused on every later call. Past
 * the cap, a new label set is folded, and `onFold` is called: first only the
 * definition's `foldFirst` labels take the overflow value (an agent past the
 * cap still counts under its model or tool), while such partly folded sets
 * stay under the cap too; then every label that is not in
 * {@link BOUNDED_LABELS}.
 * An empty value (an absent OTel attribute, such as `error_type` on a
 * success) stays empty: it adds no cardinality, and folding it would make a
 * success look like an error. Memory is bounded whatever the callers send:
 * the cap admitted sets, at most the cap again of folded ones, and the few
 * fully folded ones.
 */
export class LabelSetGuard {
  private readonly known = new Map<string, Labels>();
  private readonly folded = new Map<string, Labels>();
  private readonly labelNames: readonly string[];
  private readonly foldFirst: ReadonlySet<string> | undefined;

  constructor(
    definition: MetricDefinition,
    private readonly cap: number,
    private readonly onFold: () => void,
  ) {
    this.labelNames = definition.labelNames;
    this.foldFirst = definition.foldFirst && new Set(definition.foldFirst);
  }

  /** Number of distinct label sets admitted so far (at most the cap). */
  get size(): number {
    return this.known.size;
  }

  /** Number of labels of the metric. */
  get labelCount(): number {
    return this.labelNames.length;
  }

  /** The labels object for `values`, given in the metric's label order. */
  resolve(values: readonly string[]): Labels {
    const admitted = this.admit(values);
    if (admitted) return admitted;
    this.onFold();
    return this.foldedLabels(values);
  }

  /**
   * The labels object `resolve` gives `values`, without counting a fold: for a series created
   * ahead of its first recording (the LLM cost at 0).
   */
  settle(values: readonly string[]): Labels {
    return this.admit(values) ?? this.foldedLabels(values);
  }

  /** The folded labels object of a label set past the cap. */
  private foldedLabels(values: readonly string[]): Labels {
    const { foldFirst } = this;
    // Only where a foldFirst label has a value to fold: otherwise the set would be kept as it came.
    if (foldFirst && values.some((value, index) => value !== '' && foldFirst.has(this.labelNames[index]!))) {
      const partly = this.fold(values, (name) => foldFirst.has(name));
      if (partly) return partly;
    }
    return this.fold(values, (name) => !BOUNDED_LABELS.has(name as never), true)!;
  }

  /**
   * The labels object of `values` with the labels `folds` picks set to the overflow value (an
   * empty value stays empty: it adds no cardinality, and folding it would make a success look like
   * an error). Undefined when that set is new and the folded sets are at the cap, unless `always`.
   */
  private fold(values: readonly string[], folds: (name: string) => boolean, always = false) {
    const foldedValues = values.map((value, index) =>
      value !== '' && folds(this.labelNames[index]!) ? OVERFLOW_LABEL_VALUE : value,
    );
    const foldedKey = foldedValues.join('\u0001');
    let labels = this.folded.get(foldedKey);
    if (!labels) {
      if (!always && this.folded.size >= this.cap) return undefined;
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
