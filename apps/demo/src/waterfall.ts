/** One span, as the waterfall needs it. */
export interface WaterfallSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** Start and end in milliseconds on any common clock. */
  startMs: number;
  endMs: number;
  error?: boolean;
}

/** Options of {@link renderWaterfall}. */
export interface WaterfallOptions {
  /** Width of the bar column in characters. @default 40 */
  width?: number;
  /** Width of the name column. @default 34 */
  nameWidth?: number;
}

/**
 * Renders a span tree as a terminal waterfall: one line per span, indented by
 * depth, in start order, with its duration and a bar placed on the trace's
 * time axis. Spans whose parent is not in the list are roots.
 */
export function renderWaterfall(spans: readonly WaterfallSpan[], options: WaterfallOptions = {}): string {
  if (spans.length === 0) return '(no spans)';
  const width = options.width ?? 40;
  const nameWidth = options.nameWidth ?? 34;
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | undefined, WaterfallSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs);
  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.endMs));
  const total = Math.max(end - start, 1e-9);
  const lines: string[] = [];
  const visit = (span: WaterfallSpan, depth: number) => {
    const label = `${'  '.repeat(depth)}${span.error ? '✗ ' : ''}${span.name}`;
    const name = label.length > nameWidth ? `${label.slice(0, nameWidth - 1)}…` : label.padEnd(nameWidth);
    const from = Math.min(width - 1, Math.floor(((span.startMs - start) / total) * width));
    const to = Math.max(from + 1, Math.min(width, Math.round(((span.endMs - start) / total) * width)));
    const bar = `${' '.repeat(from)}${(span.error ? '▒' : '█').repeat(to - from)}${' '.repeat(width - to)}`;
    lines.push(`${name} ${`${(span.endMs - span.startMs).toFixed(1)} ms`.padStart(10)} │${bar}│`);
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(undefined) ?? []) visit(root, 0);
  return lines.join('\n');
}
