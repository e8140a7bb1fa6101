import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { METRICS } from '@genxai/metrics';
import { parseExposition } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const run = promisify(execFile);

describe('the demo, run as a user runs it', () => {
  it('runs a bounded workload, prints where metrics were served and exits 0', async () => {
    const { stdout } = await run(process.execPath, [main, '--tasks', '4', '--port', '0'], {
      timeout: 60_000,
    });
    expect(stdout).toMatch(/^Serving metrics at http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
    expect(stdout).toMatch(/^Workflows: 4\/4 \(\d+ failed\)$/m);
    expect(stdout).toMatch(/^Metrics were served at http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
  });

  it('is reproducible with --seed', async () => {
    const summary = async (seed: string) => {
      const { stdout } = await run(process.execPath, [
        main,
        '--tasks',
        '6',
        '--seed',
        seed,
        '--port',
        '0',
        '--failure-rate',
        '0.5',
      ]);
      return stdout.slice(stdout.indexOf('Metrics summary'), stdout.indexOf('Metrics were served'));
    };
    const first = await summary('7');
    expect(first).toContain('workflow executions  6');
    expect(await summary('7')).toBe(first);
    expect(await summary('8')).not.toBe(first);
  });

  it('rejects bad arguments with the usage text and exit code 2', async () => {
    await expect(run(process.execPath, [main, '--tasks', '0'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--tasks must be an integer'),
    });
  });

  it('with --serve keeps serving every metric until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [
      main,
      '--tasks',
      '5',
      '--port',
      '0',
      '--serve',
      '--failure-rate',
      '0.6',
    ]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no serve line in: ${stdout}`)), 30_000);
      child.stdout.on('data', () => {
        const match = /Still serving metrics at (\S+);/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const body = await (await fetch(url)).text();
    const exposition = parseExposition(body);
    for (const definition of Object.values(METRICS)) {
      const samples = exposition.samples.filter((s) => s.name.startsWith(definition.name));
      expect(samples.length, `${definition.name} has samples`).toBeGreaterThan(0);
    }
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout).toContain('Metrics were served at');
  });

  it('names the port when it is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(
        run(process.execPath, [main, '--tasks', '1', '--port', String(port)]),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`port ${port} on 127.0.0.1 is already in use`),
      });
    } finally {
      blocker.close();
    }
  });
});
