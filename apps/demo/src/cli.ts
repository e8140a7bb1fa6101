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
  /** An OpenAI-compatible endpoint to call instead of the embedded server. */
  llmBaseUrl?: string;
  /** The `model` of the planner's and the researcher's chat completions. */
  llmModel: string;
  /** The writer's `model`: by default a second one with the embedded server, so the dashboards compare two. */
  writerModel: string;
  /** Streamed chat completions (`stream: true` with usage), or plain ones. */
  stream: boolean;
}

/** The model the embedded server is asked for when `--llm-model` is not given: one with a price. */
export const DEFAULT_MODEL = 'gpt-4o-mini';
/** The writer's model with the embedded server when neither model is given: a larger one, slower to answer. */
export const DEFAULT_WRITER_MODEL = 'gpt-4.1-mini';

const USAGE = `Usage: pnpm demo [--tasks N] [--seed S] [--port P] [--failure-rate R] [--serve]
                 [--llm-base-url URL --llm-model M] [--writer-model M] [--no-stream]

  --tasks N          workflow runs to simulate (default 10)
  --seed S           seed for a reproducible run (default 42)
  --port P           port of the /metrics server (default 9464; 0 picks a free one)
  --host H           interface of the /metrics server (default 127.0.0.1; 0.0.0.0 lets a
                     Prometheus in a container scrape it)
  --failure-rate R   probability in [0, 1] that the flaky tool fails (default 0.2); the embedded
                     LLM server answers a quarter as many requests with a 429 or a 500
  --log-level L      log level (default: LOG_LEVEL, else info; warn when stdout is a terminal)
  --serve            keep serving /metrics after the workload, until SIGINT or SIGTERM
  --llm-base-url URL
                     an OpenAI-compatible API to call instead of the embedded, simulated server,
                     e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8000/v1 (vLLM);
                     the API key is OPENAI_API_KEY when set, else a placeholder
  --llm-model M      the model to ask for (default ${DEFAULT_MODEL}; required with --llm-base-url)
  --writer-model M   the writer agent's model (default ${DEFAULT_WRITER_MODEL} with the embedded server
                     and no --llm-model, else the --llm-model)
  --no-stream        plain chat completions instead of streamed ones (no time to first token)

Logs go to stdout as JSON lines (pretty on a terminal); progress and the summary go to stderr.
With no OTEL_TRACES_EXPORTER the demo ends with a waterfall of one workflow's trace; with
OTEL_TRACES_EXPORTER=otlp or jaeger (and the OTEL_EXPORTER_* variables) it sends the spans there.
The agents call the LLM through the openai SDK, observed by @genxai/openai: by default an embedded
OpenAI-compatible server on 127.0.0.1 with seeded latency, usage and failures, so no network is needed.`;

/** The --llm-base-url as given, checked: an http(s) URL the SDK can append `/chat/completions` to. */
function baseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const fail = (why: string): never => {
    throw new Error(
      `--llm-base-url must be the http(s) URL of an OpenAI-compatible API, such as http://127.0.0.1:11434/v1; ${why}, got "${value}".\n\n${USAGE}`,
    );
  };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`${url.protocol} is not http: or https:`);
  // The URL is printed at startup; a key belongs in OPENAI_API_KEY.
  if (url.username !== '' || url.password !== '') fail('put credentials in OPENAI_API_KEY, not in the URL');
  if (url.search !== '' || url.hash !== '')
    fail('the SDK appends paths to it, so it takes no query or fragment');
  return value;
}

function model(value: string | undefined, withBaseUrl: boolean, flag = '--llm-model'): string {
  if (value === undefined) {
    if (withBaseUrl)
      throw new Error(
        `--llm-base-url needs --llm-model: the name of a model that server serves (its GET /models lists them), e.g. llama3.2 for Ollama.\n\n${USAGE}`,
      );
    return DEFAULT_MODEL;
  }
  if (value.trim() === '' || value.length > 256 || value.trim() !== value)
    throw new Error(`${flag} must be a model name with no surrounding spaces, got "${value}".\n\n${USAGE}`);
  return value;
}

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
      'llm-base-url': { type: 'string' },
      'llm-model': { type: 'string' },
      'writer-model': { type: 'string' },
      // parseArgs' allowNegative needs Node 22, so `no-stream` is an option of its own.
      'no-stream': { type: 'boolean', default: false },
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
  const llmBaseUrl = baseUrl(values['llm-base-url']);
  const llmModel = model(values['llm-model'], llmBaseUrl !== undefined);
  return {
    tasks: integer('tasks', values.tasks, 10, 1, 100_000),
    seed: integer('seed', values.seed, 42, 0, 2 ** 32 - 1),
    port: integer('port', values.port, 9464, 0, 65535),
    host: values.host ?? '127.0.0.1',
    serve: values.serve ?? false,
    failureRate,
    ...(values['log-level'] === undefined ? {} : { logLevel: values['log-level'] }),
    ...(llmBaseUrl === undefined ? {} : { llmBaseUrl }),
    llmModel,
    writerModel:
      values['writer-model'] !== undefined
        ? model(values['writer-model'], false, '--writer-model')
        : llmBaseUrl === undefined && values['llm-model'] === undefined
          ? DEFAULT_WRITER_MODEL
          : llmModel,
    stream: !values['no-stream'],
  };
}

export { USAGE };
