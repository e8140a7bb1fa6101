/** One sample line of a text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The OpenMetrics exemplar after ` # `, if any. */
  exemplar?: { labels: Record<string, string>; value: number };
}

/** Metric families (from `# TYPE`) and samples of a Prometheus 0.0.4 or OpenMetrics text exposition. */
export interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

function parseLabels(text: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (i < text.length && text[i] !== '}') {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq).trim();
    if (text[eq + 1] !== '"') throw new Error(`Bad label value in: ${text}`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        j++;
        value += text[j] === 'n' ? '\n' : text[j];
      } else value += text[j];
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return { labels, end: i + 1 };
}

/**
 * Parses a text exposition strictly: every line must be a comment, blank, or
 * `name{labels} value [timestamp] [# {exemplar} value [timestamp]]`. Throws on anything else.
 */
export function parseExposition(text: string): Exposition {
  const exposition: Exposition = { types: new Map(), help: new Map(), samples: [] };
  for (const line of text.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      exposition.types.set(name!, type!);
      continue;
    }
    if (line.startsWith('# HELP ')) {
      const rest = line.slice(7);
      const space = rest.indexOf(' ');
      exposition.help.set(rest.slice(0, space), rest.slice(space + 1));
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!match) throw new Error(`Not a sample line: ${line}`);
    const name = match[0];
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest, 0);
      labels = parsed.labels;
      rest = rest.slice(parsed.end);
    }
    const [valuePart, exemplarPart] = rest.split(' # ');
    const value = Number(valuePart!.trim().split(' ')[0]);
    if (Number.isNaN(value) && !/nan/i.test(valuePart!)) throw new Error(`Bad value in: ${line}`);
    const sample: Sample = { name, labels, value };
    if (exemplarPart) {
      const parsed = parseLabels(exemplarPart, 0);
      sample.exemplar = {
        labels: parsed.labels,
        value: Number(exemplarPart.slice(parsed.end).trim().split(' ')[0]),
      };
    }
    exposition.samples.push(sample);
  }
  return exposition;
}

/** Samples named `name` whose labels include `labels`. */
export function findSamples(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): Sample[] {
  return exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/**
 * The value of the one sample of `family` matching `labels`: counters are read
 * from `family` itself, histograms from `family_count`. Undefined when absent.
 */
export function sampleValue(
  exposition: Exposition,
  family: string,
  labels: Record<string, string> = {},
): number | undefined {
  const name = exposition.samples.some((s) => s.name === `${family}_count`) ? `${family}_count` : family;
  const found = findSamples(exposition, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
