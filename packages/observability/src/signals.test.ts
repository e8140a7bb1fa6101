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

const shutdownApp = fileURLToPath(new URL('./__fixtures__/shutdown-app.mjs', import.meta.url));
const COUNT = 10_000;

/** Runs the app to its end; returns its finish lines and exported span count. */
async function runApp(mode: string) {
  const child = spawn(process.execPath, [shutdownApp, mode, String(COUNT)], {
    env: { ...process.env, OTEL_TRACES_EXPORTER: '' },
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (mode === 'signal' && !signalled && stderr.includes('ready')) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.message === 'Agent execution completed');
  const exported = Number(/exported (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  return { code, lines: lines.length, exported, ms: Math.round(performance.now() - started) };
}

describe(`a process with ${COUNT} spans and ${COUNT} log lines`, () => {
  it.each([
    ['end', 'shutdown() and a natural exit'],
    ['signal', 'SIGTERM with handleSignals'],
    ['flush-exit', 'forceFlush() and process.exit()'],
  ])('loses nothing on %s (%s)', async (mode) => {
    const result = await runApp(mode);
    console.log(`shutdown figures (${mode}):`, result);
    expect(result).toMatchObject({ code: 0, lines: COUNT, exported: COUNT });
  });

  it('on process.exit() without shutdown, keeps every log line and loses only spans still queued', async () => {
    const result = await runApp('exit');
    console.log('shutdown figures (exit without shutdown):', result);
    expect(result.code).toBe(0);
    // Logging writes synchronously by default: no line is lost.
    expect(result.lines).toBe(COUNT);
    expect(result.exported).toBeLessThanOrEqual(COUNT);
  });
});
