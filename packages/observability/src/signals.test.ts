import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const app = fileURLToPath(new URL('./__fixtures__/signals-app.mjs', import.meta.url));

describe('handleSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s flushes spans and logs, then exits 0', async (signal) => {
    const child = spawn(process.execPath, [app], { env: { ...process.env, OTEL_TRACES_EXPORTER: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never ready: ${stderr}`)), 20_000);
      child.stderr.on('data', () => {
        if (stderr.includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // The span is still in the batch queue (5 s delay): only shutdown() can have exported it.
    expect(stderr).not.toContain('exported agent.execute');
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill(signal);
    expect(await exit).toBe(0);
    expect(stderr).toContain('exported agent.execute');
    const line = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({ message: 'Agent execution completed', agent_id: 'a', status: 'success' });
  });
});
