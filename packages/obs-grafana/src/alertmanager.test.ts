// Alerting end to end, with real components only: the shipped Alertmanager config run by a real
// Alertmanager, and the demo made to fail, scraped by a real Prometheus that evaluates the generated
// rules (test profile) and sends to that Alertmanager, which routes to a webhook receiver here.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  requireBinary,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  type TestAlertmanager,
  type TestPrometheus,
  type WebhookNotification,
  type WebhookReceiver,
  waitFor,
} from '@genxai/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type AlertingRule, buildAlertRules, renderAlertRules } from './alerts';
import type { AlertRulesOptions } from './config';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shippedConfig = join(root, 'deploy/alertmanager/alertmanager.yml');
const alertmanagerBinary = requireBinary('prometheus-alertmanager');
const amtool = requireBinary('amtool');
const prometheusBinary = requireBinary('prometheus');

/** The demo as its users run it; built by `pnpm build` (turbo builds it with the workspace). */
const demoMain = join(root, 'apps/demo/dist/main.js');
function demoBuilt(): boolean {
  if (existsSync(demoMain)) return true;
  const message = `${demoMain} is missing: build the demo first (npx -y pnpm@12.4.2 --filter @genxai/demo... build).`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(message);
  console.warn(`[skip] ${message}`);
  return false;
}

/** One way through the shipped routing: short timers, and every receiver a webhook to `url`/<name>, or as `receiver` says. */
function shippedConfigFor(
  url: string,
  receiver: (name: string, original: Record<string, unknown>) => Record<string, unknown> = (name) => ({
    name,
    webhook_configs: [{ url: `${url}/${name}`, send_resolved: true }],
  }),
) {
  const config = parse(readFileSync(shippedConfig, 'utf8')) as {
    global: Record<string, unknown>;
    route: Route;
    receivers: Record<string, unknown>[];
  };
  type Route = Record<string, unknown> & { routes?: Route[] };
  const quick = (route: Route) => {
    // Notify a second after an alert arrives or changes, not after the shipped 10s to 5m.
    Object.assign(route, { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' });
    for (const child of route.routes ?? []) quick(child);
  };
  quick(config.route);
  config.global.resolve_timeout = '5s';
  config.receivers = config.receivers.map((r) => receiver(String(r.name), r));
  return config;
}

function checkConfig(file: string) {
  const result = spawnSync(amtool!, ['check-config', file], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** The generated alerting rule named `name`, from `options`. */
function generatedRule(name: string, options: AlertRulesOptions = {}): AlertingRule {
  const rule = buildAlertRules(options).groups[0]!.rules.find((r) => r.alert === name);
  if (!rule || rule.alert === undefined) throw new Error(`No generated alert ${name}`);
  return rule as AlertingRule;
}

describe.skipIf(!alertmanagerBinary || !amtool)(
  'the shipped Alertmanager config, run by a real Alertmanager',
  () => {
    let receiver: WebhookReceiver;
    let alertmanager: TestAlertmanager;
    let directory: string;

    /**
     * An alert as Prometheus would send it for the generated rule `name`, with `labels` of its
     * series (and a description already expanded, as Prometheus expands the template).
     */
    const alertOf = (name: string, labels: Record<string, string> = {}) => {
      const rule = generatedRule(name);
      return {
        labels: { alertname: name, ...rule.labels, ...labels },
        annotations: { ...rule.annotations, description: `${name} for ${JSON.stringify(labels)}.` },
      };
    };
    const state = async (alertname: string, labels: Record<string, string> = {}) => {
      const alerts =
        await alertmanager.api<
          { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[]
        >('alerts');
      return alerts.find(
        (a) =>
          a.labels.alertname === alertname && Object.entries(labels).every(([k, v]) => a.labels[k] === v),
      )?.status;
    };
    /** Waits until Alertmanager has processed the alert (active, or suppressed) and returns its status. */
    const settled = (alertname: string, labels: Record<string, string> = {}) =>
      waitFor(`${alertname} to be processed`, async () => {
        const status = await state(alertname, labels);
        return status && status.state !== 'unprocessed' ? status : undefined;
      });
    const slackMessages = () =>
      receiver
        .received()
        .filter((r) => r.path === '/slack')
        .map(
          (r) =>
            r.body as { channel: string; attachments: { title: string; title_link: string; text: string }[] },
        );

    beforeAll(async () => {
      receiver = await startWebhookReceiver();
      directory = mkdtempSync(join(tmpdir(), 'genxai-alertmanager-test-'));
      // The Slack receiver as shipped (its templates included), its URL file pointing here.
      const slackUrlFile = join(directory, 'slack-webhook-url');
      writeFileSync(slackUrlFile, `${receiver.url}/slack`);
      const config = shippedConfigFor(receiver.url, (name, original) =>
        name === 'chat'
          ? {
              ...original,
              slack_configs: (original.slack_configs as Record<string, unknown>[]).map((slack) => ({
                ...slack,
                api_url_file: slackUrlFile,
              })),
            }
          : { name, webhook_configs: [{ url: `${receiver.url}/${name}`, send_resolved: true }] },
      );
      // Alerts posted without an end stay active for the whole test, as Prometheus keeps resending them.
      config.global.resolve_timeout = '1h';
      alertmanager = await startAlertmanager(alertmanagerBinary!, config);
    });

    afterAll(async () => {
      await alertmanager?.stop();
      await receiver?.close();
      if (directory) rmSync(directory, { recursive: true, force: true });
    });

    it('passes `amtool check-config` as this test runs it', () => {
      const { status, output } = checkConfig(alertmanager.configFile);
      expect(status, output).toBe(0);
      expect(output).toContain('SUCCESS');
    });

    it('posts a warning to Slack with its summary, description and runbook, and a critical alert to the pager webhook; inhibits GenXAI warnings while the endpoint is down', async () => {
      // 1. A warning, alone: the Slack receiver renders it.
      const tool = alertOf('HighToolErrorRate', { tool_name: 'web_search' });
      await alertmanager.postAlerts([tool]);
      const [message] = await waitFor('the Slack message', async () => {
        const messages = slackMessages();
        return messages.length > 0 ? messages : undefined;
      });
      expect(message!.channel).toBe('#genxai-alerts');
      expect(message!.attachments[0]!.title).toBe('[FIRING:1] HighToolErrorRate');
      expect(message!.attachments[0]!.title_link).toBe(tool.annotations.runbook_url);
      expect(message!.attachments[0]!.text).toBe(
        // One block of three lines per alert.
        `*${tool.annotations.summary}*\n${tool.annotations.description}\n<${tool.annotations.runbook_url}|Runbook>\n`,
      );

      // 2. A fast burn mutes the slow burn of the same objective and job, not another objective's.
      const slo = (name: string, objective: string) => alertOf(name, { job: 'genxai', slo: objective });
      await alertmanager.postAlerts([
        slo('AgentErrorBudgetFastBurn', 'agent_executions'),
        slo('AgentErrorBudgetSlowBurn', 'agent_executions'),
        slo('LLMErrorBudgetSlowBurn', 'llm_requests'),
      ]);
      expect((await settled('AgentErrorBudgetSlowBurn')).state).toBe('suppressed');
      expect((await settled('LLMErrorBudgetSlowBurn')).state).toBe('active');
      expect((await settled('AgentErrorBudgetFastBurn')).state).toBe('active');

      // 3. The endpoint is down: it pages, with the webhook's JSON.
      const down = alertOf('GenxaiMetricsEndpointDown', { job: 'genxai', instance: '127.0.0.1:9464' });
      await alertmanager.postAlerts([down]);
      const page = await waitFor('the page', async () =>
        receiver.notifications('/page').find((n) => n.groupLabels.alertname === 'GenxaiMetricsEndpointDown'),
      );
      expect(page).toMatchObject({
        version: '4',
        status: 'firing',
        receiver: 'page',
        groupLabels: { alertname: 'GenxaiMetricsEndpointDown', job: 'genxai' },
      });
      expect(page.alerts).toHaveLength(1);
      expect(page.alerts[0]).toMatchObject({
        status: 'firing',
        labels: down.labels,
        annotations: down.annotations,
      });

      // While it fires, another GenXAI warning is muted; a warning of another system is not.
      await alertmanager.postAlerts([
        alertOf('HighLLMFailureRate', { provider: 'openai', model: 'gpt-4o-mini' }),
        { labels: { alertname: 'DiskFillingUp', severity: 'warning', job: 'node' } },
      ]);
      const muted = await settled('HighLLMFailureRate');
      expect(muted.state).toBe('suppressed');
      expect(muted.inhibitedBy).toHaveLength(1);
      expect((await settled('DiskFillingUp')).state).toBe('active');
      await waitFor('the other system’s warning in Slack', async () =>
        slackMessages().some((m) => m.attachments[0]!.title.includes('DiskFillingUp')) ? true : undefined,
      );
      const titles = slackMessages().map((m) => m.attachments[0]!.title);
      expect(titles.filter((title) => /HighLLMFailureRate|AgentErrorBudgetSlowBurn/.test(title))).toEqual([]);
      // Routing by severity: nothing critical went to chat, nothing else was paged.
      expect(titles.some((title) => /FastBurn|EndpointDown/.test(title))).toBe(false);
      expect(new Set(receiver.notifications('/page').map((n) => n.groupLabels.alertname))).toEqual(
        new Set(['AgentErrorBudgetFastBurn', 'GenxaiMetricsEndpointDown']),
      );
    });
  },
);

describe.skipIf(!alertmanagerBinary || !amtool || !prometheusBinary || !demoBuilt())(
  'end to end: the failing demo, a real Prometheus with the test profile, the shipped routing, a webhook',
  () => {
    let receiver: WebhookReceiver;
    let alertmanager: TestAlertmanager;
    let prometheus: TestPrometheus;
    let directory: string;
    let port: number;
    let demo: ChildProcess | undefined;
    let demoLog = '';
    /** The endpoint alert waits a minute: the failing demo's restart as a healthy one takes a scrape or two. */
    const options: AlertRulesOptions = { profile: 'test', metricsEndpointDown: { for: '1m' } };

    /** Starts the demo on `port`, failing every flaky tool call (`failureRate` 1) or none (0); resolves once it serves. */
    async function startDemo(failureRate: number) {
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
      const child = spawn(
        process.execPath,
        [demoMain, '--tasks', '100000', '--port', String(port), '--failure-rate', String(failureRate)],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, LOG_LEVEL: 'error' } },
      );
      child.stderr!.on('data', (chunk: Buffer) => {
        demoLog = (demoLog + chunk.toString()).slice(-5000);
      });
      demo = child;
      await waitFor(`the demo (failure rate ${failureRate}) to serve /metrics`, async () => {
        if (child.exitCode !== null) throw new Error(`the demo exited: ${demoLog}`);
        return (await fetch(`http://127.0.0.1:${port}/metrics`)).ok ? true : undefined;
      });
    }
    async function stopDemo() {
      const child = demo;
      demo = undefined;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const all = () => [...receiver.notifications('/page'), ...receiver.notifications('/chat')];
    const firing = (path: string, alertname: string) =>
      waitFor(
        `a firing ${alertname} at ${path}`,
        async () =>
          receiver
            .notifications(path)
            .find(
              (n) => n.groupLabels.alertname === alertname && n.alerts.some((a) => a.status === 'firing'),
            ),
        { timeout: 45_000 },
      );
    const failureMessage = () =>
      `\nnotifications: ${JSON.stringify(all().map((n) => [n.receiver, n.status, n.groupLabels]))}` +
      `\nAlertmanager: ${alertmanager.logs().slice(-2000)}\ndemo: ${demoLog.slice(-1000)}`;

    beforeAll(async () => {
      receiver = await startWebhookReceiver();
      alertmanager = await startAlertmanager(alertmanagerBinary!, shippedConfigFor(receiver.url));
      directory = mkdtempSync(join(tmpdir(), 'genxai-alerting-e2e-'));
      const ruleFile = join(directory, 'genxai_alerts.yml');
      writeFileSync(ruleFile, renderAlertRules(options));
      port = await freePort();
      prometheus = await startPrometheus(prometheusBinary!, {
        targets: [{ job: 'genxai', target: `127.0.0.1:${port}` }],
        ruleFiles: [ruleFile],
        alertmanagers: [alertmanager.address],
      });
      await startDemo(1);
      // The alerts the other tests read: a warning (to chat) and a critical SLO burn (paged).
      try {
        await firing('/chat', 'HighToolErrorRate');
        await firing('/page', 'AgentErrorBudgetFastBurn');
      } catch (error) {
        throw new Error(`${String(error)}${failureMessage()}`);
      }
    }, 90_000);

    afterAll(async () => {
      await stopDemo();
      await prometheus?.stop();
      await alertmanager?.stop();
      await receiver?.close();
      if (directory) rmSync(directory, { recursive: true, force: true });
    });

    it('runs a config that passes `amtool check-config`', () => {
      const { status, output } = checkConfig(alertmanager.configFile);
      expect(status, output).toBe(0);
      expect(output).toContain('SUCCESS');
    });

    it('delivers a warning to chat with its labels, annotations and runbook URL', async () => {
      const rule = generatedRule('HighToolErrorRate', options);
      const notification = await firing('/chat', 'HighToolErrorRate');
      expect(notification).toMatchObject({ version: '4', receiver: 'chat', status: 'firing' });
      // Grouped by alertname and job; this alert sums by tool, so it has no job label.
      expect(notification.groupLabels).toEqual({ alertname: 'HighToolErrorRate' });
      // Only web_fetch fails (--failure-rate 1 is the flaky tool's).
      expect(notification.alerts.map((a) => a.labels)).toEqual([
        { alertname: 'HighToolErrorRate', ...rule.labels, tool_name: 'web_fetch' },
      ]);
      const { annotations } = notification.alerts[0]!;
      expect(annotations.summary).toBe(rule.annotations.summary);
      expect(annotations.runbook_url).toBe(rule.annotations.runbook_url);
      expect(annotations.runbook_url).toMatch(/^https:\/\/.+#hightoolerrorrate$/);
      // The template filled in: all web_fetch calls fail.
      expect(annotations.description).toBe(
        'Tool web_fetch fails 100% of its calls (threshold 10% over 20s).',
      );
    });

    it('pages the fast burn of the agent SLO, grouped by alertname and job', async () => {
      const rule = generatedRule('AgentErrorBudgetFastBurn', options);
      const notification = await firing('/page', 'AgentErrorBudgetFastBurn');
      expect(notification).toMatchObject({
        receiver: 'page',
        groupLabels: { alertname: 'AgentErrorBudgetFastBurn', job: 'genxai' },
      });
      expect(notification.alerts.map((a) => a.labels)).toEqual([
        { alertname: 'AgentErrorBudgetFastBurn', job: 'genxai', ...rule.labels },
      ]);
      const { annotations } = notification.alerts[0]!;
      expect({ summary: annotations.summary, runbook_url: annotations.runbook_url }).toEqual({
        summary: rule.annotations.summary,
        runbook_url: rule.annotations.runbook_url,
      });
      expect(annotations.description).toMatch(
        /^\d+(\.\d+)?% of the agent executions of job genxai failed over the last 1m, and more than 14\.4% over the last 5s too: /,
      );
    });

    it('puts every failing agent in one notification per alert, and routes by severity only', async () => {
      const grouped = await waitFor(
        'one HighErrorRate notification with several agents',
        async () =>
          receiver
            .notifications('/chat')
            .find(
              (n) =>
                n.groupLabels.alertname === 'HighErrorRate' &&
                new Set(n.alerts.filter((a) => a.status === 'firing').map((a) => a.labels.agent_id)).size >=
                  2,
            ),
        { timeout: 45_000 },
      );
      expect(grouped.groupLabels).toEqual({ alertname: 'HighErrorRate' });
      expect(grouped.commonLabels).toEqual({ alertname: 'HighErrorRate', severity: 'warning' });
      const groupKeys = new Set(
        receiver
          .notifications('/chat')
          .filter((n) => n.groupLabels.alertname === 'HighErrorRate')
          .map((n) => n.groupKey),
      );
      expect(groupKeys.size).toBe(1);
      const severities = (notifications: WebhookNotification[]) =>
        new Set(notifications.flatMap((n) => n.alerts.map((a) => a.labels.severity)));
      expect(severities(receiver.notifications('/page'))).toEqual(new Set(['critical']));
      expect(severities(receiver.notifications('/chat'))).toEqual(new Set(['warning']));
    });

    it('sends `resolved` once the failures stop: the failing demo replaced by a healthy one', async () => {
      await stopDemo();
      await startDemo(0);
      const resolved = (path: string, alertname: string) =>
        waitFor(
          `${alertname} resolved at ${path}`,
          async () =>
            receiver
              .notifications(path)
              .find((n) => n.groupLabels.alertname === alertname && n.status === 'resolved'),
          { timeout: 45_000 },
        );
      try {
        // The SLO's 5s short window clears first; the tool's 20s window later.
        const burn = await resolved('/page', 'AgentErrorBudgetFastBurn');
        const tool = await resolved('/chat', 'HighToolErrorRate');
        for (const [notification, fired] of [
          [burn, await firing('/page', 'AgentErrorBudgetFastBurn')],
          [tool, await firing('/chat', 'HighToolErrorRate')],
        ] as const) {
          expect(notification.groupKey).toBe(fired.groupKey);
          expect(notification.alerts.map((a) => [a.status, a.labels, a.annotations.runbook_url])).toEqual(
            fired.alerts.map((a) => ['resolved', a.labels, a.annotations.runbook_url]),
          );
          expect(Date.parse(notification.alerts[0]!.endsAt)).toBeGreaterThan(
            Date.parse(notification.alerts[0]!.startsAt),
          );
        }
      } catch (error) {
        throw new Error(`${String(error)}${failureMessage()}`);
      }
      // The restart stayed under the endpoint alert's `for`.
      expect(all().some((n) => n.groupLabels.alertname === 'GenxaiMetricsEndpointDown')).toBe(false);
    }, 90_000);
  },
);
