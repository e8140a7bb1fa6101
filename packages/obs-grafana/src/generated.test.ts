import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GEN_AI_METRICS, LABEL, MCP_METRICS, METRICS, SELF_METRICS, STREAM_METRICS } from '@genxai/metrics';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_PATHS, generatedArtifacts } from './artifacts';

const root = new URL('../../../', import.meta.url).pathname;

describe('generated files', () => {
  it.each([...generatedArtifacts()])('%s matches the generator', (path, expected) => {
    let actual: string | undefined;
    try {
      actual = readFileSync(join(root, path), 'utf8');
    } catch {
      actual = undefined;
    }
    expect(
      actual === expected,
      `${path} is ${actual === undefined ? 'missing' : 'out of date'}: run \`pnpm generate\` at the repository root and commit the result.`,
    ).toBe(true);
  });

  it('spells no metric name in the package source: every name comes from @genxai/metrics', () => {
    const names = [
      ...Object.values(METRICS),
      ...Object.values(SELF_METRICS),
      ...Object.values(GEN_AI_METRICS),
      ...Object.values(STREAM_METRICS),
      ...Object.values(MCP_METRICS),
    ].map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        GEN_AI_METRICS.clientOperationDurationSeconds.name,
        STREAM_METRICS.llmTimeToFirstTokenSeconds.name,
        MCP_METRICS.serverOperationDurationSeconds.name,
      ]),
    );
    const sources = readdirSync(new URL('.', import.meta.url)).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
    );
    expect(sources.length).toBeGreaterThan(4);
    for (const file of sources) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const name of names) expect(text.includes(name), `${file} spells ${name}`).toBe(false);
    }
    // ...and the generated dashboards do read them.
    const dashboards = [ARTIFACT_PATHS.dashboard, ARTIFACT_PATHS.agentDashboard]
      .map((path) => readFileSync(join(root, path), 'utf8'))
      .join('\n');
    for (const name of [
      GEN_AI_METRICS.clientOperationDurationSeconds.name,
      STREAM_METRICS.llmTimeToFirstTokenSeconds.name,
      MCP_METRICS.clientOperationDurationSeconds.name,
      MCP_METRICS.serverOperationDurationSeconds.name,
    ]) {
      expect(dashboards, name).toContain(name);
    }
    // The label constants are what the generated files use.
    expect(readFileSync(join(root, 'alerts/genxai_alerts.yml'), 'utf8')).toContain(
      `$labels.${LABEL.agentId}`,
    );
  });
});
