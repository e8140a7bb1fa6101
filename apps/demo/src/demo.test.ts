import { execFile, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { METRICS } from '@genxai/metrics';
import { parseExposition } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const run = promisify(execFile);
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));

describe('the demo, run as a user runs it', () => {
  it('runs a bounded workload with progress, a waterfall and a summary, and exits 0', async () => {
    const { stderr } = await run(process.execPath, [main, '--tasks', '4', '--port', '0'], {
      env,
      timeout: 60_000,
    });
    expect(stderr).toMatch(/^Serving metrics at http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
    expect(stderr).toMatch(/^Workflows: 4\/4 \(\d+ failed\)$/m);
    expect(stderr).toMatch(/^One workflow's trace \([0-9a-f]{32}\):$/m);
    expect(stderr).toMatch(/^✗? ?workflow\.execute +\d+\.\d ms │[█▒ ]+│$/m);
    expect(stderr).toMatch(/^ {4}✗? ?agent\.execute planner +\d+\.\d ms/m);
    expect(stderr).toMatch(/^ {2}workflow executions {2}4 \(error rate \d+\.\d%\)$/m);
    expect(stderr).toMatch(/^ {2}LLM cost {13}\$0\.\d{6}$/m);
    expect(stderr).toMatch(/^Ran 4 workflows\. Metrics were served at http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
  });

  it('is reproducible with --seed', async () => {
    const summary = async (seed: string) => {
      const { stderr } = await run(
        process.execPath,
        [main, '--tasks', '6', '--seed', seed, '--port', '0', '--failure-rate', '0.5'],
        { env },
      );
      return stderr.slice(stderr.indexOf('Metrics summary'), stderr.indexOf('Spans:'));
    };
    const first = await summary('7');
    expect(first).toContain('workflow executions  6');
    expect(await summary('7')).toBe(first);
    expect(await summary('8')).not.toBe(first);
  });

  it('rejects bad arguments with the usage text and exit code 2', async () => {
    await expect(run(process.execPath, [main, '--tasks', '0'], { env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--tasks must be an integer'),
    });
  });

  it('with --serve keeps serving every metric until SIGTERM, then exits 0', async () => {
    const child = spawn(
      process.execPath,
      [main, '--tasks', '5', '--port', '0', '--serve', '--failure-rate', '0.6'],
      { env },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.resume();
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no serve line in: ${stderr}`)), 30_000);
      child.stderr.on('data', () => {
        const match = /Still serving metrics at (\S+);/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const exposition = parseExposition(await (await fetch(url)).text());
    for (const definition of Object.values(METRICS)) {
      const samples = exposition.samples.filter((s) => s.name.startsWith(definition.name));
      expect(samples.length, `${definition.name} has samples`).toBeGreaterThan(0);
    }
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toContain('Metrics were served at');
  });

  // `script` (util-linux) gives the demo a real pseudo-terminal, as a user's shell does.
  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      console.warn(
        '[skip] `script` (util-linux) is not installed: the terminal test needs a pseudo-terminal.',
      );
      return false;
    }
  })();

  it.skipIf(!hasScript)('on a terminal, writes pretty log lines and line-by-line progress', async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(main)} --tasks 6 --seed 2 --failure-rate 0.6 --port 0`;
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], {
      env: { ...env, TERM: 'xterm' },
      timeout: 60_000,
    });
    const esc = String.fromCharCode(27);
    const plain = stdout.replace(new RegExp(`${esc}\\[[0-9;]*m`, 'g'), '');
    // pino-pretty's layout: "[time] ERROR (genxai-demo): message", then indented fields.
    expect(plain).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] ERROR \(genxai-demo\): Tool call failed\r?$/m);
    expect(plain).toMatch(/^ {4}tool_name: "web_fetch"\r?$/m);
    expect(stdout).toContain(`${esc}[`); // coloured
    expect(plain).not.toMatch(/^\{"level"/m); // no raw JSON on a terminal
    expect(plain).toMatch(/^Workflows: 6\/6 \(\d+ failed\)\r?$/m);
    expect(plain).not.toContain('\rWorkflows');
  });

  it('names the port when it is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(
        run(process.execPath, [main, '--tasks', '1', '--port', String(port)], { env }),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`port ${port} on 127.0.0.1 is already in use`),
      });
    } finally {
      blocker.close();
    }
  });
});
