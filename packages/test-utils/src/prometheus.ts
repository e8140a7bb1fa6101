import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, waitFor } from './ports';

/** One scrape target of a test Prometheus. */
export interface ScrapeTarget {
  job: string;
  /** `host:port`. */
  target: string;
  path?: string;
  /** Basic or bearer credentials the target requires. */
  authorization?: { credentials: string };
}

/** A Prometheus server started for a test, on a free 127.0.0.1 port with a temp data directory. */
export interface TestPrometheus {
  readonly url: string;
  /** Runs an instant query and returns `data.result`. Throws on an API error. */
  query(expression: string, time?: number): Promise<PromResult[]>;
  /** Calls any API path (`/api/v1/rules`, …) and returns `data`. */
  api<T = unknown>(path: string): Promise<T>;
  /** Waits until every target has been scraped once. */
  waitForScrape(): Promise<void>;
  stop(): Promise<void>;
  /** What Prometheus wrote to stderr, for failure messages. */
  logs(): string;
}

/** One series of an instant-query result. */
export interface PromResult {
  metric: Record<string, string>;
  value: [number, string];
}

/** Starts `prometheus` with the given scrape targets and rule files. */
export async function startPrometheus(
  binary: string,
  options: {
    targets: ScrapeTarget[];
    ruleFiles?: string[];
    scrapeInterval?: string;
    evaluationInterval?: string;
    /** `host:port` of Alertmanagers to send alerts to (`alerting.alertmanagers`). */
    alertmanagers?: string[];
  },
): Promise<TestPrometheus> {
  const directory = mkdtempSync(join(tmpdir(), 'genxai-prometheus-'));
  const port = await freePort();
  const config = {
    global: {
      scrape_interval: options.scrapeInterval ?? '1s',
      evaluation_interval: options.evaluationInterval ?? '1s',
    },
    rule_files: options.ruleFiles ?? [],
    ...(options.alertmanagers
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: options.alertmanagers }] }] } }
      : {}),
    scrape_configs: options.targets.map((t) => ({
      job_name: t.job,
      metrics_path: t.path ?? '/metrics',
      static_configs: [{ targets: [t.target] }],
      ...(t.authorization ? { authorization: t.authorization } : {}),
    })),
  };
  const configFile = join(directory, 'prometheus.yml');
  writeFileSync(configFile, stringify(config));
  const daemon = await startDaemon('Prometheus', binary, directory, port, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(directory, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--enable-feature=exemplar-storage',
    '--web.enable-lifecycle',
  ]);
  const { url, stop } = daemon;
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  return {
    url,
    api,
    async query(expression, time) {
      const parameters = new URLSearchParams({ query: expression });
      if (time !== undefined) parameters.set('time', String(time));
      const data = await api<{ resultType: string; result: PromResult[] }>(`/api/v1/query?${parameters}`);
      return data.result;
    },
    async waitForScrape() {
      await waitFor('every target to be scraped', async () => {
        const data = await api<{ activeTargets: { health: string; lastError: string }[] }>('/api/v1/targets');
        return data.activeTargets.length === options.targets.length &&
          data.activeTargets.every((t) => t.health === 'up')
          ? true
          : undefined;
      });
    },
    stop,
    logs: daemon.logs,
  };
}

/** Runs `promtool` with `args` (and `input` on stdin); returns its exit code and output. */
export function runPromtool(
  binary: string,
  args: string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(binary, args, { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `prometheus-pushgateway` on a free 127.0.0.1 port. */
export async function startPushgateway(binary: string): Promise<{ url: string; stop(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'genxai-pushgateway-'));
  const port = await freePort();
  return startDaemon('the Pushgateway', binary, directory, port, [
    `--web.listen-address=127.0.0.1:${port}`,
    `--persistence.file=${join(directory, 'state')}`,
  ]);
}

/**
 * Spawns a Prometheus-family daemon on 127.0.0.1:`port` and waits for its `/-/ready`. `stop()`
 * ends it and removes `directory`.
 */
export async function startDaemon(
  what: string,
  binary: string,
  directory: string,
  port: number,
  args: string[],
): Promise<{ url: string; stop(): Promise<void>; logs(): string }> {
  let stderr = '';
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitFor(`${what} to be ready`, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${stderr}`);
  }
  return { url, stop, logs: () => stderr };
}
