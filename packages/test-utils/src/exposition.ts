import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One metric family parsed from the Prometheus text format by a third-party parser. */
export interface ParsedFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: {
    labels?: Record<string, string>;
    value?: string;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }[];
}

/** Parses Prometheus text format 0.0.4 with `parse-prometheus-text-format`, keyed by family name. */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  const families = parsePrometheusTextFormat(text) as ParsedFamily[];
  return new Map(families.map((family) => [family.name, family]));
}

/** The value of the sample of `family` whose labels include `labels`, as a number, or undefined. */
export function sampleValue(
  families: Map<string, ParsedFamily>,
  family: string,
  labels: Record<string, string> = {},
): number | undefined {
  const sample = families
    .get(family)
    ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!sample) return undefined;
  return Number(sample.value ?? sample.count);
}
