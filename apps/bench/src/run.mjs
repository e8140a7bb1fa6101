// `pnpm bench`: the overhead of GenXAI Observability against the raw primitives written by hand and
// against the peers, each case in one process with interleaved rounds. Prints a table of ratios and
// writes results.json. `--smoke` (CI, through `pnpm test`) runs every case briefly and checks that it
// runs and that no contender lost spans; it gates on no number.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floor, spanHelpers, umbrella } from './contenders.mjs';
import { interleaved, pairedRatio } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const smoke = process.argv.includes('--smoke');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const settings = smoke ? { rounds: 2, time: 60, warmup: 40 } : { rounds: 9, time: 500, warmup: 500 };
const results = { machine: machine(), settings, smoke, cases: {} };

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

const wanted = (name) => only === undefined || only.split(',').includes(name);

/** Runs one case: its contenders interleaved, their spans checked, ratios against `baseline`. */
async function runCase(name, title, contenders, baseline) {
  if (!wanted(name)) return;
  const rows = await interleaved(contenders, settings);
  for (const contender of contenders) await contender.check();
  for (const contender of contenders) await contender.shutdown();
  const base = rows.find((row) => row.name === baseline);
  for (const row of rows) {
    // Paired by round: the median of this contender's figure over the baseline's in the same round.
    row.ratio = pairedRatio(row, base);
    row.p99Ratio = row.p99 / base.p99;
  }
  results.cases[name] = { title, baseline, rows };
  print(title, rows);
}

function print(title, rows) {
  console.log(`\n${title}`);
  console.log(
    `${'contender'.padEnd(52)}${'µs'.padStart(9)}${'spread'.padStart(17)}${'ratio'.padStart(8)}${'p99 µs'.padStart(10)}${'p99 ratio'.padStart(11)}`,
  );
  for (const row of rows)
    console.log(
      `${row.name.padEnd(52)}${row.us.toFixed(1).padStart(9)}${`${row.low.toFixed(1)}–${row.high.toFixed(1)}`.padStart(17)}${`${row.ratio.toFixed(2)}×`.padStart(8)}${row.p99.toFixed(1).padStart(10)}${`${row.p99Ratio.toFixed(2)}×`.padStart(11)}`,
    );
}

const ALL = { metrics: true, tracing: true, logging: true };

await runCase(
  'four-operations',
  'One agent execution of four operations (agent, LLM, 2 tools): all three signals against the floor',
  [
    floor('floor: prom-client + OTel SDK + pino by hand', ALL),
    await umbrella('umbrella, all three signals', ALL),
  ],
  'floor: prom-client + OTel SDK + pino by hand',
);
await runCase(
  'tracing-only',
  'Tracing alone: the umbrella against our span helpers and the OTel SDK by hand',
  [
    floor('floor: OTel SDK by hand', { metrics: false, tracing: true, logging: false }),
    spanHelpers('@genxai/tracing span helpers'),
    await umbrella('umbrella, tracing only', { tracing: true }),
  ],
  '@genxai/tracing span helpers',
);
await runCase(
  'metrics-only',
  'Metrics alone',
  [
    floor('floor: prom-client by hand', { metrics: true, tracing: false, logging: false }),
    await umbrella('umbrella, metrics only', { metrics: true }),
  ],
  'floor: prom-client by hand',
);
await runCase(
  'logging-only',
  'Logging alone',
  [
    floor('floor: pino by hand', { metrics: false, tracing: false, logging: true }),
    await umbrella('umbrella, logging only', { logging: true }),
  ],
  'floor: pino by hand',
);

// End to end, in its own process: one configuration, as a service has, so the JIT sees what it would.
if (wanted('end-to-end')) {
  const child = spawnSync(
    process.execPath,
    [join(here, 'end-to-end.mjs'), JSON.stringify({ settings, smoke })],
    {
      encoding: 'utf8',
      timeout: 900_000,
    },
  );
  if (child.status !== 0) throw new Error(`the end-to-end benchmark failed:\n${child.stderr}`);
  const overhead = JSON.parse(child.stdout.trim().split('\n').at(-1));
  results.cases['end-to-end'] = {
    title: 'End to end: bare, the floor by hand and the umbrella, with 1 / 2.5 / 10 ms of work per execution',
    overhead,
  };
  console.log(`\n${results.cases['end-to-end'].title}`);
  console.log(
    '(wall: against bare in the same round; added: time outside the work against bare, over the work)',
  );
  for (const { workMs, rows } of overhead)
    for (const row of rows)
      console.log(
        `${row.name.padEnd(52)}${row.us.toFixed(1).padStart(9)} µs   outside the work ${row.outsideUs.toFixed(1).padStart(7)} µs   wall ${row.wallOverheadPercent.toFixed(2).padStart(6)} %   added ${row.addedPercent.toFixed(2).padStart(6)} %`,
      );
}

// A streamed response of 200 OpenAI chat chunks read by the consumer: bare, and observed by the umbrella
// with all three signals (the span and the umbrella each read every chunk). Per chunk, the difference
// is what observation adds to each chunk the consumer waits for.
if (wanted('stream')) {
  const CHUNKS = 200;
  const chunkOf = (content) => ({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
  const chunks = Array.from({ length: CHUNKS }, (_, i) => chunkOf(`tok${i} `));
  const last = { ...chunkOf(''), choices: [], usage: { prompt_tokens: 12, completion_tokens: CHUNKS } };
  async function* source() {
    for (const chunk of chunks) yield chunk;
    yield last;
  }
  const consume = async (stream) => {
    let n = 0;
    for await (const _ of stream) n++;
    if (n !== CHUNKS + 1) throw new Error(`the consumer saw ${n} chunks`);
  };
  const bare = {
    name: 'bare: for await over the stream',
    run: () => consume(source()),
    check: async () => {},
    shutdown: async () => {},
  };
  const observed = await umbrella('umbrella, all three signals, observing the stream', ALL);
  const { obs } = observed;
  observed.run = async () => {
    observed.executions++;
    await consume(
      await obs.observeLLM({ provider: 'openai', model: 'gpt-4o-mini', stream: true }, async () => source()),
    );
  };
  observed.check = async () => {
    await obs.tracing.forceFlush();
    if (observed.exporter.exported !== observed.executions)
      throw new Error(
        `the stream case exported ${observed.exporter.exported} spans for ${observed.executions} streams`,
      );
  };
  await runCase(
    'stream',
    `A streamed response of ${CHUNKS} chunks, read to its end`,
    [bare, observed],
    bare.name,
  );
  const [b, o] = results.cases.stream.rows;
  results.cases.stream.perChunkNs = ((o.us - b.us) / (CHUNKS + 1)) * 1000;
  console.log(
    `observation adds ${results.cases.stream.perChunkNs.toFixed(0)} ns per chunk (median of the rounds)`,
  );
}

if (wanted('scrape')) {
  const { agentIdsForSeries, scrapeCase } = await import('./scrape.mjs');
  // The stress case (10,000 agent ids), then a registry of about 10,000 series (sample lines).
  const stress = await scrapeCase(smoke ? 500 : 10_000, settings);
  const tenThousandSeries = await scrapeCase(await agentIdsForSeries(10_000), settings);
  for (const scrape of [stress, tenThousandSeries]) {
    const base = scrape.rows[0];
    for (const row of scrape.rows) {
      row.ratio = row.us / base.us;
      row.p99Ratio = row.p99 / base.p99;
    }
    scrape.title = `A scrape of ${scrape.size} agent ids (${scrape.series} series, ${scrape.lines} lines of Prometheus text)`;
    print(scrape.title, scrape.rows);
    const { ratios, biggestGet } = scrape;
    console.log(
      `renderMetrics against prom-client's render of the same text (paired): Prometheus ${ratios.prometheus.toFixed(2)}×, OpenMetrics ${ratios.openMetrics.toFixed(2)}×; Prometheus against registry.metrics(): ${ratios.prometheusToRegistryMetrics.toFixed(2)}×`,
    );
    console.log(
      `the biggest single get(): ${biggestGet.metric} (${biggestGet.values} values), ${biggestGet.ms.toFixed(1)} ms (${biggestGet.lowMs.toFixed(1)}–${biggestGet.highMs.toFixed(1)})`,
    );
    console.log(
      `the longest event-loop stall during one scrape, while recording: ${scrape.maxStallMs.toFixed(1)} ms (median of ${scrape.stallsMs.length} scrapes: ${scrape.stallsMs.map((ms) => ms.toFixed(1)).join(', ')})`,
    );
  }
  results.cases.scrape = { baseline: stress.rows[0].name, ...stress, tenThousandSeries };
}

if (wanted('startup')) {
  const { startupCase } = await import('./startup.mjs');
  const rows = startupCase(smoke ? 1 : 9);
  results.cases.startup = {
    title: 'require() in a fresh process, against the libraries each package wraps',
    rows,
  };
  console.log(`\n${results.cases.startup.title}`);
  console.log(
    `${'package'.padEnd(26)}${'ms'.padStart(8)}${'modules'.padStart(9)}  ${'floor'.padEnd(64)}${'ms'.padStart(8)}${'ratio'.padStart(8)}`,
  );
  for (const row of rows)
    console.log(
      `${row.name.padEnd(26)}${row.ms.toFixed(1).padStart(8)}${String(row.modules).padStart(9)}  ${row.floor.padEnd(64)}${row.floorMs.toFixed(1).padStart(8)}${`${row.ratio.toFixed(2)}×`.padStart(8)}`,
    );
}

// Memory over 1M executions, each with its own agent id, in its own process (--expose-gc).
if (wanted('memory')) {
  const count = smoke ? 40_000 : 1_000_000;
  const child = spawnSync(process.execPath, ['--expose-gc', join(here, 'memory.mjs'), String(count)], {
    encoding: 'utf8',
    timeout: 900_000,
  });
  if (child.status !== 0) throw new Error(`the memory benchmark failed:\n${child.stderr}`);
  const memory = JSON.parse(child.stdout.trim().split('\n').at(-1));
  if (memory.spans !== memory.expectedSpans)
    throw new Error(`the memory benchmark exported ${memory.spans} spans, expected ${memory.expectedSpans}`);
  results.cases.memory = { title: `The heap over ${count} executions with distinct agent ids`, ...memory };
  console.log(`\n${results.cases.memory.title}`);
  for (const { executions, heapMiB } of memory.checkpoints)
    console.log(`${String(executions).padStart(9)} executions: ${heapMiB.toFixed(1)} MiB after a full GC`);
}

// The peers in their own process (OpenLLMetry registers an OpenTelemetry NodeSDK globally).
if (wanted('peers')) {
  const child = spawnSync(process.execPath, [join(here, 'peers.mjs'), JSON.stringify(settings)], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (child.status !== 0) throw new Error(`the peers' benchmark failed:\n${child.stderr}`);
  const rows = JSON.parse(child.stdout.trim().split('\n').at(-1));
  const base = rows[0];
  for (const row of rows) {
    row.ratio = row.us / base.us;
    row.p99Ratio = row.p99 / base.p99;
  }
  const title = 'The same four spans through the peers (ratio to the umbrella, tracing only)';
  results.cases.peers = { title, baseline: base.name, rows };
  print(title, rows);
}

const file = join(here, '..', smoke ? 'results.smoke.json' : 'results.json');
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${smoke ? 'smoke run: every case ran and no spans were lost; ' : ''}results in ${file}`);
