// Start-up: the time `require()` of each package takes in a fresh process, against requiring the
// libraries it wraps, and what setting the umbrella up with its defaults adds. Interleaved runs, median.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const PACKAGES = [
  { name: '@genxai/metrics', floor: ['prom-client'] },
  { name: '@genxai/logging', floor: ['pino'] },
  { name: '@genxai/tracing', floor: ['@opentelemetry/api', '@opentelemetry/sdk-trace-base'] },
  {
    name: '@genxai/observability',
    floor: ['prom-client', 'pino', '@opentelemetry/api', '@opentelemetry/sdk-trace-base'],
  },
];

// Prints the milliseconds `require` of the given modules took, and how many modules it loaded.
const program = (modules) => `
const before = Object.keys(require.cache).length;
const started = process.hrtime.bigint();
for (const name of ${JSON.stringify(modules)}) require(name);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ ms, modules: Object.keys(require.cache).length - before }));
`;

function timeRequire(modules) {
  const child = spawnSync(process.execPath, ['-e', program(modules)], { cwd: here, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`require(${modules.join(', ')}) failed:\n${child.stderr}`);
  return JSON.parse(child.stdout);
}

export function startupCase(runs) {
  const rows = [];
  for (const { name, floor } of PACKAGES) {
    const ours = [];
    const theirs = [];
    let loaded;
    for (let run = 0; run < runs; run++) {
      const a = timeRequire([name]);
      ours.push(a.ms);
      loaded = a.modules;
      theirs.push(timeRequire(floor).ms);
    }
    rows.push({
      name,
      ms: median(ours),
      floor: floor.join(' + '),
      floorMs: median(theirs),
      ratio: median(ours) / median(theirs),
      modules: loaded,
    });
  }
  return rows;
}
