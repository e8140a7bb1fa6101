#!/usr/bin/env node
import { createMetrics, createMetricsRegistry, startMetricsServer } from '@genxai/metrics';
import { parseOptions, USAGE } from './cli';
import { createRandom } from './random';
import { DemoRuntime } from './runtime';
import { summarize } from './summary';

/** Progress on one redrawn line on a terminal, and every tenth of the run otherwise. */
function progress(done: number, total: number, failed: number): void {
  const line = `Workflows: ${done}/${total} (${failed} failed)`;
  if (process.stdout.isTTY) {
    process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
  } else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) {
    console.log(line);
  }
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const registry = createMetricsRegistry();
  const metrics = createMetrics({ registry, defaultMetrics: true });
  let server: Awaited<ReturnType<typeof startMetricsServer>>;
  try {
    server = await startMetricsServer({ registry, port: options.port, host: options.host });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  console.log(`Serving metrics at ${server.url}`);

  const random = createRandom(options.seed);
  const runtime = new DemoRuntime(metrics, random, options.failureRate);
  let failed = 0;
  for (let i = 1; i <= options.tasks; i++) {
    try {
      await runtime.runWorkflow(
        `task ${i}: summarise recent findings on topic ${Math.floor(random() * 100)}`,
      );
    } catch {
      failed++;
    }
    progress(i, options.tasks, failed);
  }
  console.log(await summarize(registry));

  if (options.serve) {
    console.log(`Still serving metrics at ${server.url}; press Ctrl+C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  await server.close();
  console.log(`Metrics were served at ${server.url}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
