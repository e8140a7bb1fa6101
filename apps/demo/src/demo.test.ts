import { execFile, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GEN_AI_METRICS, METRICS, STREAM_METRICS, TOKEN_TYPE } from '@genxai/metrics';
import { type Exposition, findSamples, freePort, parseExposition } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { startLlmServer } from './llm-server';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const run = promisify(execFile);
// No tracing configuration and no real API key from the machine running the tests.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_') && !key.startsWith('OPENAI_')),
);

/** The summary's lines, from its heading to the span counts. */
const summaryOf = (stderr: string) =>
  stderr.slice(stderr.indexOf('Metrics summary'), stderr.indexOf('Spans:'));

/** Starts the demo with --serve; resolves with its /metrics text once the workload is done, then stops it. */
async function runServing(
  args: string[],
): Promise<{ exposition: Exposition; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [main, '--port', '0', '--serve', ...args], { env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.resume();
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no serve line in: ${stderr}`)), 30_000);
      child.stderr.on('data', () => {
        const match = /Still serving metrics at (\S+);/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      void exit.then(() => reject(new Error(`the demo exited early: ${stderr}`)));
    });
    const exposition = parseExposition(await (await fetch(url)).text());
    child.kill('SIGTERM');
    return { exposition, stderr, code: await exit };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

const total = (exposition: Exposition, name: string, labels: Record<string, string> = {}) =>
  findSamples(exposition, name, labels).reduce((sum, sample) => sum + sample.value, 0);

/** PromQL's histogram_quantile over every series of `family`, written afresh for the test. */
function histogramQuantile(q: number, exposition: Exposition, family: string): number {
  const counts = new Map<number, number>();
  for (const sample of findSamples(exposition, `${family}_bucket`)) {
    const le = sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(sample.labels.le);
    counts.set(le, (counts.get(le) ?? 0) + sample.value);
  }
  const bounds = [...counts.keys()].sort((a, b) => a - b);
  const rank = q * counts.get(Number.POSITIVE_INFINITY)!;
  let previous = 0;
  for (const bound of bounds) {
    const count = counts.get(bound)!;
    const below = counts.get(previous) ?? 0;
    if (count >= rank)
      return bound === Number.POSITIVE_INFINITY
        ? previous
        : previous + ((bound - previous) * (rank - below)) / (count - below);
    previous = bound;
  }
  throw new Error('no +Inf bucket');
}

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
    expect(stderr).toMatch(
      /^LLM: embedded OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+\/v1 \(simulated, seeded\), model gpt-4o-mini \(the writer: gpt-4\.1-mini\), streamed$/m,
    );
    expect(stderr).toMatch(/^ {6}✗? ?llm\.generate gpt-4o-mini +\d+\.\d ms/m);
    expect(stderr).toMatch(/^ {2}workflow executions {2}4 \(error rate \d+\.\d%\)$/m);
    expect(stderr).toMatch(/^ {2}LLM requests {9}\d+ \(error rate \d+\.\d%\)$/m);
    expect(stderr).toMatch(/^ {2}cached tokens {8}\d+ \(\d+\.\d% of prompt tokens/m);
    expect(stderr).toMatch(/^ {2}time to first token {2}p50 \d+ ms, p95 \d+ ms \(\d+ streams/m);
    expect(stderr).toMatch(/^ {2}LLM cost {13}\$0\.\d{6}$/m);
    expect(stderr).toMatch(/^Ran 4 workflows\. Metrics were served at http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
  });

  it("serves its search tool over MCP from a child process, whose span sits under the agent's tool span", async () => {
    const { stderr } = await run(
      process.execPath,
      [main, '--tasks', '2', '--port', '0', '--failure-rate', '0', '--seed', '3'],
      { env, timeout: 60_000 },
    );
    expect(stderr).toMatch(/^Tools: search is served over MCP \(stdio\) by a child process$/m);
    // The tool server's SERVER span (another process, the same trace) right under the tool span.
    const lines = stderr.split('\n');
    const tool = lines.findIndex((line) => /^ {6}tool\.execute search +\d+\.\d ms/.test(line));
    expect(tool, stderr).toBeGreaterThan(0);
    expect(lines[tool + 1]).toMatch(/^ {8}tools\/call search +\d+\.\d ms/);
  });

  it('is reproducible with --seed', async () => {
    const summary = async (seed: string) => {
      const { stderr } = await run(
        process.execPath,
        [main, '--tasks', '6', '--seed', seed, '--port', '0', '--failure-rate', '0.5'],
        { env },
      );
      // Everything but the time to first token, which is measured on this machine's clock.
      const lines = summaryOf(stderr).split('\n');
      expect(lines.filter((line) => line.startsWith('  time to first token  p50 '))).toHaveLength(1);
      return lines.filter((line) => !line.startsWith('  time to first token')).join('\n');
    };
    const first = await summary('7');
    expect(first).toMatch(/cached tokens {8}[1-9]\d* /);
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
    for (const definition of [...Object.values(METRICS), ...Object.values(STREAM_METRICS)]) {
      const samples = exposition.samples.filter((s) => s.name.startsWith(definition.name));
      expect(samples.length, `${definition.name} has samples`).toBeGreaterThan(0);
    }
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toContain('Metrics were served at');
  });

  it('streams its LLM calls through the SDK, and /metrics and the summary agree on TTFT, cached tokens and errors', async () => {
    const { exposition, stderr, code } = await runServing([
      '--tasks',
      '20',
      '--seed',
      '3',
      '--failure-rate',
      '1',
    ]);
    expect(code).toBe(0);
    const requests = total(exposition, METRICS.llmRequestsTotal.name);
    const succeeded = total(exposition, METRICS.llmRequestsTotal.name, { status: 'success' });
    const failed = total(exposition, METRICS.llmRequestsTotal.name, { status: 'error' });
    expect(requests).toBe(succeeded + failed);
    // Every successful call was streamed and had a first token: one observation each.
    const ttft = STREAM_METRICS.llmTimeToFirstTokenSeconds.name;
    expect(succeeded).toBeGreaterThan(10);
    expect(total(exposition, `${ttft}_count`, { provider: 'openai' })).toBe(succeeded);
    // Two models: the writer's own, which the embedded server makes slower to its first token.
    const ttftOf = (model: string) =>
      total(exposition, `${ttft}_sum`, { model }) / total(exposition, `${ttft}_count`, { model });
    expect(total(exposition, `${ttft}_count`, { model: 'gpt-4o-mini' })).toBeGreaterThan(0);
    expect(total(exposition, `${ttft}_count`, { model: 'gpt-4.1-mini' })).toBeGreaterThan(0);
    expect(ttftOf('gpt-4.1-mini')).toBeGreaterThan(ttftOf('gpt-4o-mini'));
    expect(
      total(exposition, METRICS.llmRequestsTotal.name, { model: 'gpt-4.1-mini', agent_id: 'writer' }),
    ).toBe(total(exposition, METRICS.llmRequestsTotal.name, { model: 'gpt-4.1-mini' }));
    expect(total(exposition, `${ttft}_sum`) / succeeded).toBeGreaterThan(0.01); // the server waits ≥ 10 ms
    // The embedded server's 429s and 500s, as @genxai/openai names them.
    expect(failed).toBeGreaterThan(0);
    const failures = GEN_AI_METRICS.clientOperationDurationSeconds.name;
    expect(total(exposition, `${failures}_count`, { error_type: 'rate_limit_exceeded' })).toBeGreaterThan(0);
    expect(total(exposition, `${failures}_count`, { error_type: 'InternalServerError' })).toBeGreaterThan(0);
    const tokens = (tokenType: string) =>
      total(exposition, METRICS.llmTokensTotal.name, { token_type: tokenType });
    const cached = tokens(TOKEN_TYPE.cacheRead);
    expect(cached).toBeGreaterThan(0);
    expect(cached).toBeLessThan(tokens(TOKEN_TYPE.prompt));

    const summary = summaryOf(stderr);
    expect(summary).toContain(
      `  LLM requests         ${requests} (error rate ${((100 * failed) / requests).toFixed(1)}%)`,
    );
    expect(summary).toContain(
      `  LLM tokens           ${tokens(TOKEN_TYPE.total)} (${tokens(TOKEN_TYPE.prompt)} prompt, ${tokens(TOKEN_TYPE.completion)} completion)`,
    );
    expect(summary).toContain(`  cached tokens        ${cached} (`);
    const ms = (q: number) => (1000 * histogramQuantile(q, exposition, ttft)).toFixed(0);
    expect(summary).toContain(
      `  time to first token  p50 ${ms(0.5)} ms, p95 ${ms(0.95)} ms (${succeeded} streams,`,
    );
  });

  it('with --no-stream makes plain calls: the same seeded usage, and no time to first token', async () => {
    const summary = async (...extra: string[]) => {
      const { stderr } = await run(
        process.execPath,
        [main, '--tasks', '5', '--seed', '4', '--port', '0', ...extra],
        {
          env,
        },
      );
      return stderr;
    };
    const streamed = await summary();
    const plain = await summary('--no-stream');
    expect(plain).toMatch(/^LLM: .*, model gpt-4o-mini \(the writer: gpt-4\.1-mini\), not streamed$/m);
    expect(plain).toContain('  time to first token  none recorded (no streamed responses)');
    const usage = (stderr: string) =>
      summaryOf(stderr)
        .split('\n')
        .filter((line) => /^ {2}(LLM requests|LLM tokens|cached tokens|LLM cost) /.test(line));
    expect(usage(plain)).toHaveLength(4);
    expect(usage(plain)).toEqual(usage(streamed));
  });

  it('with --llm-base-url and --llm-model calls that endpoint instead of the embedded server', async () => {
    const server = await startLlmServer({ seed: 99, recordRequests: true });
    try {
      const { stderr } = await run(
        process.execPath,
        [
          main,
          ...['--tasks', '3', '--port', '0', '--failure-rate', '0'],
          ...['--llm-base-url', server.baseURL, '--llm-model', 'test-model-7b'],
        ],
        { env: { ...env, OPENAI_API_KEY: 'sk-test-from-the-environment' }, timeout: 60_000 },
      );
      expect(stderr).toContain(`LLM: ${server.baseURL}, model test-model-7b, streamed`);
      expect(stderr).not.toContain('embedded');
      // It checked the server answers, and warned that it does not list the model.
      expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
      expect(stderr).toContain(
        `does not list the model "test-model-7b" (it lists gpt-4o-mini, gpt-4.1-mini)`,
      );
      const calls = server.requests.filter((request) => request.path === '/v1/chat/completions');
      expect(calls).toHaveLength(9); // 3 workflows × 3 agents, none failing
      for (const call of calls)
        expect(call).toEqual({
          method: 'POST',
          path: '/v1/chat/completions',
          authorization: 'Bearer sk-test-from-the-environment',
          model: 'test-model-7b',
          stream: true,
          includeUsage: true,
        });
      // Every recorded call is one the test server answered.
      expect(summaryOf(stderr)).toContain('  LLM requests         9 (error rate 0.0%)');
      expect(summaryOf(stderr)).toMatch(/time to first token {2}p50 \d+ ms, p95 \d+ ms \(9 streams/);
    } finally {
      await server.close();
    }
  });

  it.each([
    {
      args: ['--llm-base-url', 'not a url', '--llm-model', 'm'],
      message: 'it is not a URL, got "not a url"',
    },
    {
      args: ['--llm-base-url', 'localhost:11434/v1', '--llm-model', 'm'],
      message: 'localhost: is not http: or https:',
    },
    {
      name: 'a base URL with no model',
      args: ['--llm-base-url', 'http://127.0.0.1:11434/v1'],
      message: '--llm-base-url needs --llm-model',
    },
    { name: 'a blank model', args: ['--llm-model', ' '], message: '--llm-model must be a model name' },
    {
      name: 'a blank writer model',
      args: ['--writer-model', ' '],
      message: '--writer-model must be a model name',
    },
  ])('rejects $name with exit code 2 before starting', async ({ args, message }) => {
    const failure = await run(process.execPath, [main, ...args], { env }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining(message) });
    expect((failure as { stderr: string }).stderr).toContain('Usage: pnpm demo');
    expect((failure as { stderr: string }).stderr).not.toContain('Serving metrics');
  });

  it('fails at startup, before any workflow, when --llm-base-url cannot be reached', async () => {
    const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
    const failure = await run(
      process.execPath,
      [main, '--port', '0', '--llm-base-url', baseUrl, '--llm-model', 'm'],
      {
        env,
      },
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`Cannot reach the LLM at --llm-base-url ${baseUrl}: ECONNREFUSED.`),
    });
    expect((failure as { stderr: string }).stderr).not.toContain('Workflows:');
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
