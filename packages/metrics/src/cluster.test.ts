import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseExposition, sampleValue } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { METRICS } from './names';

const run = promisify(execFile);

describe('cluster mode', () => {
  it('sums the counters of two workers in the primary', async () => {
    const app = fileURLToPath(new URL('./__fixtures__/cluster-app.mjs', import.meta.url));
    const { stdout } = await run(process.execPath, [app], { timeout: 30_000 });
    const parsed = parseExposition(stdout);
    expect(parsed.types.get(METRICS.agentExecutionsTotal.name)).toBe('counter');
    expect(sampleValue(parsed, METRICS.agentExecutionsTotal.name, { agent_id: 'a', status: 'success' })).toBe(
      7,
    );
    expect(sampleValue(parsed, METRICS.agentExecutionDurationSeconds.name, { agent_id: 'a' })).toBe(7);
    // Gauges sum by default too: two stores of 100 bytes.
    expect(sampleValue(parsed, METRICS.memorySizeBytes.name, { agent_id: 'a' })).toBe(200);
  });
});
