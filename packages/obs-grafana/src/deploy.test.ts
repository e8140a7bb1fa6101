import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { requireBinary, runPromtool } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALERT_NAMES, type AlertingRule, buildAlertRules, SLOS } from './alerts';
import { ARTIFACT_PATHS } from './artifacts';
import { DEFAULT_ALERT_RULES_CONFIG } from './config';

const root = new URL('../../../', import.meta.url).pathname;
const deploy = join(root, 'deploy');
const read = (path: string) => parse(readFileSync(join(deploy, path), 'utf8'));
const promtool = requireBinary('promtool');
const amtool = requireBinary('amtool');
const generated = buildAlertRules().groups[0]!.rules;
const alerting = generated.filter((rule): rule is AlertingRule => rule.alert !== undefined);

const configs = ['prometheus/prometheus.yml', 'prometheus/prometheus.docker.yml'];

describe('deploy/', () => {
  it.skipIf(!promtool).each(configs)('%s passes `promtool check config`, rules included', (path) => {
    const result = runPromtool(promtool!, ['check', 'config', join(deploy, path)]);
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(0);
    expect(output).toContain('SUCCESS: 1 rule files found');
    expect(output).toContain(`SUCCESS: ${generated.length} rules found`);
  });

  it.each(configs)('%s sends its alerts to the Alertmanager of the same setup', (path) => {
    const config = read(path) as {
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    expect(config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets))).toEqual([
      // compose.yaml's service name in the container network; the Debian package's default port here.
      path.includes('docker') ? 'alertmanager:9093' : '127.0.0.1:9093',
    ]);
  });

  it.each(configs)('%s scrapes the job the alert selector names and loads the generated rules', (path) => {
    const config = read(path) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(DEFAULT_ALERT_RULES_CONFIG.selector).toBe(`job="${config.scrape_configs[0]!.job_name}"`);
    const target = config.scrape_configs[0]!.static_configs[0]!.targets[0];
    expect(target).toBe(path.includes('docker') ? 'host.docker.internal:9464' : '127.0.0.1:9464');
    expect(resolve(dirname(join(deploy, path)), config.rule_files[0]!)).toBe(
      join(root, ARTIFACT_PATHS.alerts),
    );
  });

  it('provisions one Prometheus per trace backend, so the $datasource variable picks where exemplars link', () => {
    const { datasources } = read('grafana/provisioning/datasources/datasources.yml') as {
      datasources: {
        uid: string;
        type: string;
        url: string;
        isDefault?: boolean;
        jsonData?: { exemplarTraceIdDestinations?: { name: string; datasourceUid: string }[] };
      }[];
    };
    const prometheus = datasources.filter((d) => d.type === 'prometheus');
    const jaeger = datasources.find((d) => d.type === 'jaeger')!;
    const tempo = datasources.find((d) => d.type === 'tempo')!;
    expect(jaeger.url).toBe('http://jaeger:16686');
    expect(tempo).toMatchObject({ uid: 'tempo', url: 'http://tempo:3200' });
    // The same Prometheus twice; the default links exemplars to Jaeger, which compose runs.
    expect(
      prometheus.map((d) => [d.uid, d.url, d.isDefault === true, d.jsonData?.exemplarTraceIdDestinations]),
    ).toEqual([
      ['prometheus', 'http://prometheus:9090', true, [{ name: 'trace_id', datasourceUid: jaeger.uid }]],
      ['prometheus-tempo', 'http://prometheus:9090', false, [{ name: 'trace_id', datasourceUid: tempo.uid }]],
    ]);
    // compose runs every provisioned backend but Tempo, and the file says so.
    const services = Object.keys((read('compose.yaml') as { services: Record<string, unknown> }).services);
    expect(
      [...new Set(datasources.map((d) => new URL(d.url).hostname))].filter(
        (host) => !services.includes(host),
      ),
    ).toEqual(['tempo']);
    expect(readFileSync(join(deploy, 'grafana/provisioning/datasources/datasources.yml'), 'utf8')).toMatch(
      /compose runs no Tempo/,
    );
    // Both dashboards read any Prometheus data source through $datasource.
    for (const path of [ARTIFACT_PATHS.dashboard, ARTIFACT_PATHS.agentDashboard]) {
      const dashboard = JSON.parse(readFileSync(join(root, path), 'utf8')) as {
        templating: { list: { name: string; type: string; query?: unknown }[] };
      };
      expect(dashboard.templating.list[0], path).toMatchObject({
        name: 'datasource',
        type: 'datasource',
        query: 'prometheus',
      });
    }
  });

  it('mounts what the provisioning and the Prometheus config expect in compose.yaml', () => {
    const compose = read('compose.yaml') as {
      services: Record<
        string,
        { image: string; volumes?: string[]; command?: string[]; ports?: string[]; depends_on?: string[] }
      >;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'grafana', 'jaeger', 'prometheus']);
    const { prometheus, grafana, jaeger, alertmanager } = compose.services;
    expect(alertmanager!.image).toMatch(/^prom\/alertmanager:v0\.\d+\.\d+$/);
    expect(alertmanager!.command).toEqual([
      '--config.file=/etc/alertmanager/alertmanager.yml',
      '--storage.path=/alertmanager',
      '--cluster.listen-address=',
    ]);
    expect(alertmanager!.volumes).toEqual(['./alertmanager:/etc/alertmanager:ro']);
    expect(alertmanager!.ports).toEqual(['9093:9093']);
    expect(prometheus!.depends_on).toContain('alertmanager');
    // The Slack URL file is read from the mounted folder, whose secrets/ git ignores.
    const chat = (read('alertmanager/alertmanager.yml') as AlertmanagerConfig).receivers.find(
      (r) => r.name === 'chat',
    )!;
    const urlFile = chat.slack_configs![0]!.api_url_file!;
    expect(urlFile.startsWith('/etc/alertmanager/secrets/')).toBe(true);
    expect(readFileSync(join(deploy, 'alertmanager/secrets/.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(prometheus!.command).toContain('--config.file=/etc/prometheus/prometheus.docker.yml');
    expect(prometheus!.command).toContain('--enable-feature=exemplar-storage');
    expect(prometheus!.volumes).toEqual(['./prometheus:/etc/prometheus:ro', '../alerts:/alerts:ro']);
    const provider = read('grafana/provisioning/dashboards/dashboards.yml') as {
      providers: { options: { path: string } }[];
    };
    expect(grafana!.volumes).toContain(`../dashboards:${provider.providers[0]!.options.path}:ro`);
    expect(jaeger!.image).toMatch(/^jaegertracing\/all-in-one:/);
    for (const volume of [...prometheus!.volumes!, ...grafana!.volumes!, ...alertmanager!.volumes!]) {
      expect(existsSync(join(deploy, volume.split(':')[0]!)), volume).toBe(true);
    }
  });

  it.skipIf(!amtool)('alertmanager/alertmanager.yml passes `amtool check-config`', () => {
    const result = spawnSync(amtool!, ['check-config', join(deploy, 'alertmanager/alertmanager.yml')], {
      encoding: 'utf8',
    });
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(0);
    expect(output).toContain('SUCCESS');
    expect(output).toContain(' - 2 inhibit rules');
    expect(output).toContain(' - 2 receivers');
  });

  it.skipIf(!amtool)(
    'routes every generated alert by its severity: critical pages, warning goes to chat',
    () => {
      const routed = (labels: Record<string, string>) => {
        const result = spawnSync(
          amtool!,
          [
            'config',
            'routes',
            'test',
            `--config.file=${join(deploy, 'alertmanager/alertmanager.yml')}`,
            ...Object.entries(labels).map(([name, value]) => `${name}=${value}`),
          ],
          { encoding: 'utf8' },
        );
        expect(result.status, result.stderr).toBe(0);
        return result.stdout.trim();
      };
      expect(alerting.map((rule) => rule.labels.severity)).toContain('critical');
      expect(alerting.map((rule) => rule.labels.severity)).toContain('warning');
      for (const rule of alerting) {
        const receiver = routed({ alertname: rule.alert, job: 'genxai', ...rule.labels });
        expect(receiver, rule.alert).toBe(rule.labels.severity === 'critical' ? 'page' : 'chat');
      }
      // An alert without a severity still reaches someone.
      expect(routed({ alertname: 'SomethingElse' })).toBe('chat');
    },
  );

  it('groups by alert and job, and inhibits the GenXAI alerts while the endpoint is down', () => {
    const config = read('alertmanager/alertmanager.yml') as AlertmanagerConfig;
    expect(config.route.group_by).toEqual(['alertname', 'job']);
    const [whileDown, whileFastBurn] = config.inhibit_rules;
    expect(whileDown!.source_matchers).toEqual(['alertname="GenxaiMetricsEndpointDown"']);
    // Every alert the rules generate but the endpoint one, so a new alert cannot be forgotten here.
    expect(whileDown!.target_matchers).toEqual([
      'severity="warning"',
      `alertname=~"${ALERT_NAMES.filter((name) => name !== 'GenxaiMetricsEndpointDown').join('|')}"`,
    ]);
    const regex = (matcher: string) => new RegExp(`^(?:${/=~"(.+)"$/.exec(matcher)![1]})$`);
    const [source, target] = [
      regex(whileFastBurn!.source_matchers[0]!),
      regex(whileFastBurn!.target_matchers[0]!),
    ];
    for (const slo of Object.values(SLOS)) {
      expect([source.test(slo.fastBurn), target.test(slo.fastBurn)], slo.fastBurn).toEqual([true, false]);
      expect([source.test(slo.slowBurn), target.test(slo.slowBurn)], slo.slowBurn).toEqual([false, true]);
    }
    // The labels compared are on every SLO alert: `job` from the ratios, `slo` from the rule.
    expect(whileFastBurn!.equal).toEqual(['job', 'slo']);
    for (const rule of alerting.filter((r) => r.alert.includes('ErrorBudget'))) {
      expect(rule.labels.slo, rule.alert).toMatch(/\S/);
      expect(rule.expr, rule.alert).toMatch(/^job:/);
    }
  });
});

/** The parts of an Alertmanager config the tests read. */
interface AlertmanagerConfig {
  route: { receiver: string; group_by: string[]; routes: { matchers: string[]; receiver: string }[] };
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[];
  receivers: {
    name: string;
    webhook_configs?: { url: string; send_resolved?: boolean }[];
    slack_configs?: { api_url_file?: string; send_resolved?: boolean }[];
  }[];
}
