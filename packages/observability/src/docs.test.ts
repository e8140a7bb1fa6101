import { readFileSync } from 'node:fs';
import { LOG_KEYS, STRUCTURED_LOGGER_KEY } from '@genxai/logging';
import { METRICS, SELF_METRICS } from '@genxai/metrics';
import * as tracing from '@genxai/tracing';
import { describe, expect, it } from 'vitest';
import { LOG_FIELDS } from './names';

// The guide must name everything the packages emit: a rename without a docs change fails here.
const guidePath = new URL('../../../docs/observability.md', import.meta.url);
const guide = readFileSync(guidePath, 'utf8');
const lines = guide.split('\n');
const cellsOf = (row: string) =>
  row
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
const mentions = (name: string) => guide.includes(`\`${name}`);

describe('docs/observability.md', () => {
  it.each([...Object.values(METRICS), ...Object.values(SELF_METRICS)])(
    'documents $name with its type, labels, buckets and help',
    (definition) => {
      // Biome pads markdown tables, so match the first cell, not the exact spacing.
      const row = lines.find((line) => new RegExp(`^\\|\\s*\`${definition.name}\`\\s*\\|`).test(line));
      expect(row, `a metric table row for ${definition.name}`).toBeDefined();
      const [, type, labels, buckets, help] = cellsOf(row!);
      expect(type).toBe(definition.type);
      expect(labels).toBe(definition.labelNames.map((label) => `\`${label}\``).join(', '));
      expect(buckets).toBe('buckets' in definition ? definition.buckets.join(', ') : '');
      expect(help).toBe(definition.help);
    },
  );

  it.each(Object.values(tracing.ATTR))('documents the span attribute %s', (key) => {
    expect(guide).toContain(`\`${key}\``);
  });

  // MEMORY_PREFIX and NODE_PREFIX are written as `memory.<operation>` and `node.<id>`.
  it.each(Object.values(tracing.SPAN_NAME))('documents the span name %s', (name) => {
    expect(mentions(name), `\`${name}…\` appears in the guide`).toBe(true);
  });

  const semconv: [string, string][] = Object.entries(tracing).flatMap(([constant, key]) =>
    constant.startsWith('ATTR_GEN_AI_') && typeof key === 'string'
      ? [[constant, key] as [string, string]]
      : [],
  );

  it('finds the gen_ai constants to check', () => {
    expect(semconv.length).toBeGreaterThanOrEqual(11);
  });

  it.each(semconv)('documents %s (%s)', (constant, key) => {
    expect(guide).toContain(`\`${constant}\``);
    expect(mentions(key), `\`${key}\` appears in the guide`).toBe(true);
  });

  it.each(Object.values(tracing.GEN_AI_OPERATION))('documents gen_ai.operation.name=%s', (operation) => {
    expect(guide).toContain(`gen_ai.operation.name=${operation}`);
  });

  it.each([...Object.values(LOG_KEYS), STRUCTURED_LOGGER_KEY])(
    'documents the log key %s in the line format table',
    (key) => {
      const row = lines.find((line) => line.startsWith('|') && cellsOf(line)[0]?.includes(`\`${key}\``));
      expect(row, `a log key table row naming ${key}`).toBeDefined();
    },
  );

  it.each(Object.values(LOG_FIELDS))("mentions the wrappers' log field %s", (field) => {
    expect(guide).toContain(`\`${field}\``);
  });

  it('links to the other guides that exist', () => {
    const links = [...guide.matchAll(/\]\(([a-z-]+\.md)(#[^)]*)?\)/g)].map((match) => match[1]!);
    expect(links).toContain('setup.md');
    expect(links).toContain('dashboards-and-alerts.md');
    for (const link of new Set(links)) {
      expect(() => readFileSync(new URL(`../../../docs/${link}`, import.meta.url)), link).not.toThrow();
    }
  });
});
