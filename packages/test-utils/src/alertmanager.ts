import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './ports';
import { startDaemon } from './prometheus';
import { startHttpSink } from './wire';

/** An Alertmanager started for a test, on a free 127.0.0.1 port, with its own storage and no gossip. */
export interface TestAlertmanager {
  readonly url: string;
  /** `127.0.0.1:PORT`, for Prometheus's `alerting.alertmanagers`. */
  readonly address: string;
  /** The config file it runs (YAML), for `amtool check-config`. */
  readonly configFile: string;
  /** GETs `/api/v2/<path>` and returns the JSON. */
  api<T = unknown>(path: string): Promise<T>;
  /** POSTs alerts to `/api/v2/alerts`, as Prometheus does. Throws unless Alertmanager accepts them. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  stop(): Promise<void>;
  /** What Alertmanager wrote to stderr, for failure messages. */
  logs(): string;
}

/** An alert as `POST /api/v2/alerts` takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/**
 * Starts `prometheus-alertmanager` with `config` (an object, or YAML text).
 * `--cluster.listen-address=` (empty) turns clustering off, so parallel tests
 * never gossip with each other.
 */
export async function startAlertmanager(
  binary: string,
  config: Record<string, unknown> | string,
): Promise<TestAlertmanager> {
  const directory = mkdtempSync(join(tmpdir(), 'genxai-alertmanager-'));
  const port = await freePort();
  const configFile = join(directory, 'alertmanager.yml');
  writeFileSync(configFile, typeof config === 'string' ? config : stringify(config));
  const daemon = await startDaemon('Alertmanager', binary, directory, port, [
    `--config.file=${configFile}`,
    `--storage.path=${join(directory, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ]);
  const { url } = daemon;
  return {
    url,
    address: `127.0.0.1:${port}`,
    configFile,
    async api<T>(path: string): Promise<T> {
      const response = await fetch(`${url}/api/v2/${path}`);
      if (!response.ok) throw new Error(`Alertmanager ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!response.ok)
        throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
    },
    stop: daemon.stop,
    logs: daemon.logs,
  };
}

/** One alert of a webhook notification. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/**
 * What Alertmanager's webhook receiver POSTs (payload version 4).
 * @see https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
export interface WebhookNotification {
  version: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
  truncatedAlerts?: number;
}

/**
 * A local HTTP server that takes Alertmanager notifications on any path and
 * keeps them with the path they came to (one path per receiver, say).
 */
export async function startWebhookReceiver() {
  const sink = await startHttpSink((_request, response) => {
    response.writeHead(200).end('ok');
  });
  return {
    url: sink.url,
    /** Every request received so far, in order: its path and its body, parsed as JSON. */
    received(): { path: string; body: unknown }[] {
      return sink.requests.map((request) => ({
        path: request.url,
        body: JSON.parse(request.body.toString('utf8')) as unknown,
      }));
    },
    /** The webhook notifications received on `path`, in order. */
    notifications(path: string): WebhookNotification[] {
      return this.received()
        .filter((request) => request.path === path)
        .map((request) => request.body as WebhookNotification);
    },
    close: sink.close,
  };
}

/** What {@link startWebhookReceiver} returns. */
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
