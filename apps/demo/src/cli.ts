import { parseArgs } from 'node:util';

/** What the demo was asked to do. */
export interface DemoOptions {
  tasks: number;
  seed: number;
  port: number;
  host: string;
  serve: boolean;
  failureRate: number;
  /** Overrides LOG_LEVEL; by default `info`, or `warn` when stdout is a terminal. */
  logLevel?: string;
}

const USAGE = `Usage: pnpm demo [--tasks N] [--seed S] [--port P] [--failure-rate R] [--serve]

  --tasks N          workflow runs to simulate (default 10)
  --seed S           seed for a reproducible run (default 42)
  --port P           port of the /metrics server (default 9464; 0 picks a free one)
  --host H           interface of the /metrics server (default 127.0.0.1; 0.0.0.0 lets a
                     Prometheus in a container scrape it)
  --failure-rate R   probability in [0, 1] that the flaky tool fails (default 0.2)
  --log-level L      log level (default: LOG_LEVEL, else info; warn when stdout is a terminal)
  --serve            keep serving /metrics after the workload, until SIGINT or SIGTERM

Logs go to stdout as JSON lines (pretty on a terminal); progress and the summary go to stderr.
With no OTEL_TRACES_EXPORTER the demo ends with a waterfall of one workflow's trace; with
OTEL_TRACES_EXPORTER=otlp or jaeger (and the OTEL_EXPORTER_* variables) it sends the spans there.`;

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${value}".\n\n${USAGE}`);
  }
  return number;
}

/** Parses the command line; throws with the usage text on bad input. */
export function parseOptions(argv: string[]): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      tasks: { type: 'string' },
      seed: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'failure-rate': { type: 'string' },
      'log-level': { type: 'string' },
      serve: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const failureRate = values['failure-rate'] === undefined ? 0.2 : Number(values['failure-rate']);
  if (!Number.isFinite(failureRate) || failureRate < 0 || failureRate > 1) {
    throw new Error(
      `--failure-rate must be a number from 0 to 1, got "${values['failure-rate']}".\n\n${USAGE}`,
    );
  }
  return {
    tasks: integer('tasks', values.tasks, 10, 1, 100_000),
    seed: integer('seed', values.seed, 42, 0, 2 ** 32 - 1),
    port: integer('port', values.port, 9464, 0, 65535),
    host: values.host ?? '127.0.0.1',
    serve: values.serve ?? false,
    failureRate,
    ...(values['log-level'] === undefined ? {} : { logLevel: values['log-level'] }),
  };
}

export { USAGE };
