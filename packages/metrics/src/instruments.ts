import { GenxaiObservabilityError } from '@genxai/obs-core';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricDefinition } from './names';
import { isOpenMetricsRegistry, type MetricsRegistry } from './registry';

/** A prom-client metric of any of the three kinds this package uses. */
export type Instrument = Counter | Gauge | Histogram;

const KIND_CHECK: Record<MetricDefinition['type'], (metric: object) => boolean> = {
  counter: (metric) => 'inc' in metric && !('set' in metric) && !('observe' in metric),
  gauge: (metric) => 'set' in metric,
  histogram: (metric) => 'observe' in metric && 'zero' in metric,
};

/**
 * Returns the metric of `definition` in `registry`, creating it the first
 * time. A second call, from a hot reload, a test or a second copy of this
 * package, gets the same instrument instead of prom-client's "already
 * registered" error. A different metric already holding the name is a
 * configuration error.
 */
export function getOrCreateInstrument(registry: MetricsRegistry, definition: MetricDefinition): Instrument {
  const existing = registry.getSingleMetric(definition.name) as
    | (Instrument & { labelNames?: string[] })
    | undefined;
  if (existing) {
    const labels = existing.labelNames ?? [];
    const sameLabels =
      labels.length === definition.labelNames.length &&
      definition.labelNames.every((l) => labels.includes(l));
    if (!KIND_CHECK[definition.type](existing) || !sameLabels) {
      throw new GenxaiObservabilityError(
        'GENXAI_METRIC_CONFLICT',
        `The registry already holds a metric named ${definition.name} with other labels or another type ` +
          `(labels [${labels.join(', ')}]; expected a ${definition.type} with [${definition.labelNames.join(', ')}]).`,
      );
    }
    return existing;
  }
  const common = {
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labelNames],
    registers: [registry],
  };
  const enableExemplars = isOpenMetricsRegistry(registry);
  switch (definition.type) {
    case 'counter':
      return new Counter({ ...common, enableExemplars });
    case 'gauge':
      return new Gauge(common);
    case 'histogram':
      return new Histogram({ ...common, buckets: [...(definition.buckets ?? [])], enableExemplars });
  }
}
