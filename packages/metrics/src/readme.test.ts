import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GEN_AI_METRICS, METRICS, SELF_METRICS, STREAM_METRICS } from './names';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README metric table', () => {
  it.each([
    ...Object.values(METRICS),
    ...Object.values(SELF_METRICS),
    ...Object.values(GEN_AI_METRICS),
    ...Object.values(STREAM_METRICS),
  ])('documents $name as in names.ts', (definition) => {
    const row = readme
      .split('\n')
      .find((line) => new RegExp(`^\\|\\s*\`${definition.name}\`\\s*\\|`).test(line));
    expect(row, `README has a row for ${definition.name}`).toBeDefined();
    const cells = row!.split('|').map((c) => c.trim());
    expect(cells[2]).toBe(definition.type);
    expect(cells[3]).toBe(definition.labelNames.map((l) => `\`${l}\``).join(', '));
    expect(cells[4]).toBe('buckets' in definition ? definition.buckets.join(', ') : '');
    if ('otel' in definition)
      expect(cells[5]).toBe(`\`${definition.otel.name}\` (\`${definition.otel.unit}\`)`);
  });
});
