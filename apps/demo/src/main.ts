#!/usr/bin/env node
import { createMetricsRegistry } from '@genxai/metrics';
import { type Observability, setupObservability } from '@genxai/observability';
import { parseOptions, USAGE } from './cli';
import { connectLlm, type DemoLlm } from './llm';
import { type McpTools, startMcpTools } from './mcp-tools';
import { createRandom } from './random';
import { DemoRuntime } from './runtime';
import { PLANTED_SECRETS } from './secrets';
import { summarize } from './summary';
import { TraceCapture } from './trace-capture';
import { renderWaterfall } from './waterfall';

/** Human-facing output goes to stderr; stdout carries the JSON log lines. */
const say = (line: string) => process.stderr.write(`${line}\n`);

function progress(done: number, total: number, failed: number): void {
  const line = `Workflows: ${done}/${total} (${failed} failed)`;
  // Redraw one line only when no log lines share the terminal; otherwise print a line every tenth.
  if (process.stderr.isTTY && !process.stdout.isTTY)
    process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
  else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) say(line);
}

function tracesTarget(obs: Observability, capture: TraceCapture | undefined): string {
  if (capture)
    return 'kept in process for the waterfall below (set OTEL_TRACES_EXPORTER=otlp or jaeger to send them)';
  const exporters = obs.tracing?.exporters ?? [];
  return exporters.length === 0
    ? 'not exported'
    : exporters.map((e) => `${e.name} → ${e.target ?? '?'}`).join(', ');
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options === 'help') {
    say(USAGE);
    return 0;
  }

  const configured = process.env.OTEL_TRACES_EXPORTER;
  const capture = configured === undefined || configured === '' ? new TraceCapture() : undefined;
  const logLevel = options.logLevel ?? process.env.LOG_LEVEL ?? (process.stdout.isTTY ? 'warn' : 'info');
  let obs: Observability;
  try {
    obs = await setupObservability({
      serviceName: process.env.OTEL_SERVICE_NAME ?? 'genxai-demo',
      metrics: {
        registry: createMetricsRegistry(),
        defaultMetrics: true,
        server: { port: options.port, host: options.host },
      },
      tracing: capture ? { exporter: capture } : {},
      logging: { level: logLevel, pretty: process.stdout.isTTY === true },
    });
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const metricsUrl = obs.metricsServer?.url ?? '';
  say(`Serving metrics at ${metricsUrl}`);
  say(`Traces: ${tracesTarget(obs, capture)}`);
  let llm: DemoLlm;
  try {
    llm = await connectLlm(options, obs, say);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    await obs.shutdown();
    return 1;
  }
  say(`LLM: ${llm.description}`);
  let mcp: McpTools;
  try {
    mcp = await startMcpTools(obs, options.seed, capture);
  } catch (error) {
    say(`The MCP tool server did not start: ${error instanceof Error ? error.message : String(error)}`);
    await llm.close();
    await obs.shutdown();
    return 1;
  }
  say('Tools: search is served over MCP (stdio) by a child process');

  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const random = createRandom(options.seed);
  const runtime = new DemoRuntime(obs, random, options.failureRate, llm, mcp);
  let failed = 0;
  let done = 0;
  for (let i = 1; i <= options.tasks && !stopping; i++) {
    try {
      await runtime.runWorkflow(
        `task ${i}: summarise findings on topic ${Math.floor(random() * 100)} (account key ${PLANTED_SECRETS.openAiKey})`,
      );
    } catch {
      failed++;
    }
    done = i;
    progress(i, options.tasks, failed);
  }
  await llm.close();
  await mcp.close();

  await obs.tracing?.forceFlush();
  const trace = capture?.pickTrace();
  if (trace) {
    say(`\nOne workflow's trace (${trace.traceId}):`);
    say(renderWaterfall(trace.spans));
  }
  say(`\n${await summarize(obs.metrics!.registry)}`);

  if (options.serve && !stopping) {
    say(`Still serving metrics at ${metricsUrl}; press Ctrl+C to stop.`);
    await new Promise<void>((resolve) => {
      if (stopping) resolve();
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  }
  await obs.shutdown();
  const stats = obs.tracing?.stats;
  if (stats) {
    say(
      `Spans: ${stats.ended} ended, ${stats.exported} exported, ${stats.failed} failed, ${stats.dropped} dropped`,
    );
  }
  say(`Ran ${done} workflows. Metrics were served at ${metricsUrl}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    say(String(error instanceof Error ? (error.stack ?? error.message) : error));
    process.exitCode = 1;
  },
);
