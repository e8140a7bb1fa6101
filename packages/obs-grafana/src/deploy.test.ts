import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { requireBinary, runPromtool } from '@genxai/test-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ARTIFACT_PATHS } from './artifacts';
import { DEFAULT_ALERT_RULES_CONFIG } from './config';

const root = new URL('../../../', import.meta.url).pathname;
const deploy = join(root, 'deploy');
const read = (path: string) => parse(readFileSync(join(deploy, path), 'utf8'));
const promtool = requireBinary('promtool');

const configs = ['prometheus/prometheus.yml', 'prometheus/prometheus.docker.yml'];

describe('deploy/', () => {
  it.skipIf(!promtool).each(configs)('%s passes `promtool check config`, rules included', (path) => {
    const result = runPromtool(promtool!, ['check', 'config', join(deploy, path)]);
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(0);
    expect(output).toContain('SUCCESS: 1 rule files found');
    expect(output).toContain('SUCCESS: 7 rules found');
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

  it('provisions Prometheus with exemplar links to the Jaeger data source', () => {
    const { datasources } = read('grafana/provisioning/datasources/datasources.yml') as {
      datasources: {
        uid: string;
        type: string;
        url: string;
        isDefault?: boolean;
        jsonData?: Record<string, unknown>;
      }[];
    };
    const prometheus = datasources.find((d) => d.type === 'prometheus')!;
    const jaeger = datasources.find((d) => d.type === 'jaeger')!;
    expect(prometheus).toMatchObject({ url: 'http://prometheus:9090', isDefault: true });
    expect(prometheus.jsonData?.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: jaeger.uid },
    ]);
    expect(jaeger.url).toBe('http://jaeger:16686');
  });

  it('mounts what the provisioning and the Prometheus config expect in compose.yaml', () => {
    const compose = read('compose.yaml') as {
      services: Record<string, { image: string; volumes?: string[]; command?: string[]; ports?: string[] }>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'jaeger', 'prometheus']);
    const { prometheus, grafana, jaeger } = compose.services;
    expect(prometheus!.command).toContain('--config.file=/etc/prometheus/prometheus.docker.yml');
    expect(prometheus!.command).toContain('--enable-feature=exemplar-storage');
    expect(prometheus!.volumes).toEqual(['./prometheus:/etc/prometheus:ro', '../alerts:/alerts:ro']);
    const provider = read('grafana/provisioning/dashboards/dashboards.yml') as {
      providers: { options: { path: string } }[];
    };
    expect(grafana!.volumes).toContain(`../dashboards:${provider.providers[0]!.options.path}:ro`);
    expect(jaeger!.image).toMatch(/^jaegertracing\/all-in-one:/);
    for (const volume of [...prometheus!.volumes!, ...grafana!.volumes!]) {
      expect(existsSync(join(deploy, volume.split(':')[0]!)), volume).toBe(true);
    }
  });
});
