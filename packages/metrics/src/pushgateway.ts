import { createWarnOnce, invalidOption, type WarningHandler } from '@genxai/obs-core';
import { Pushgateway } from 'prom-client';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from './exposition';
import { getDefaultRegistry, type MetricsRegistry } from './registry';

/** Options of {@link pushMetrics}. */
export interface PushMetricsOptions {
  /** Base URL of the Pushgateway, such as `http://127.0.0.1:9091`. */
  url: string;
  /** The `job` grouping key. */
  jobName: string;
  /** More grouping keys, such as `{ instance: 'nightly-eval' }`. */
  groupings?: Record<string, string>;
  /**
   * `push` (PUT) replaces the whole group, `pushAdd` (POST) replaces only the
   * metrics pushed, `delete` removes the group.
   * @default 'push'
   */
  method?: 'push' | 'pushAdd' | 'delete';
  /** The registry to push. @default getDefaultRegistry() */
  registry?: MetricsRegistry;
  /** Request timeout in milliseconds. @default 10000 */
  timeout?: number;
  /** Extra request headers, such as `Authorization`. */
  headers?: Record<string, string>;
  /** Where a failed push is reported. @default process.emitWarning */
  onWarning?: WarningHandler;
}

/** The outcome of a push: it never rejects, so a batch job's exit code is its own. */
export type PushResult = { ok: true } | { ok: false; error: Error };

/**
 * Pushes the registry to a Prometheus Pushgateway, for short-lived batch jobs
 * that a scrape would miss. The body is Prometheus text (exemplars dropped):
 * the Pushgateway rejects OpenMetrics exemplars.
 */
export async function pushMetrics(options: PushMetricsOptions): Promise<PushResult> {
  const { url, jobName, groupings, method = 'push', timeout = 10_000, headers } = options ?? ({} as never);
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) invalidOption('url', url, 'an http(s) URL');
  if (typeof jobName !== 'string' || jobName === '') invalidOption('jobName', jobName, 'a non-empty string');
  if (!['push', 'pushAdd', 'delete'].includes(method))
    invalidOption('method', method, "'push', 'pushAdd' or 'delete'");
  const registry = options.registry ?? getDefaultRegistry();
  const source = {
    metrics: async () => (await renderMetrics(registry, 'prometheus')).body,
    contentType: PROMETHEUS_CONTENT_TYPE,
  };
  const gateway = new Pushgateway(
    url,
    { timeout, headers: { 'Content-Type': source.contentType, ...headers } },
    source as never,
  );
  try {
    await gateway[method]({ jobName, groupings });
    return { ok: true };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    createWarnOnce(options.onWarning)(
      'push',
      'GENXAI_METRICS_PUSH_FAILED',
      `@genxai/metrics: ${method} to ${url} failed: ${failure.message}`,
    );
    return { ok: false, error: failure };
  }
}
