// End to end: the execution with real work in its LLM call (arithmetic for 1, 2.5 or 10 ms), bare and
// with all three signals, in a process of its own; the overhead is the median over the rounds of the
// observed execution against the bare one in the same round. Prints one JSON line.
import { umbrella } from './contenders.mjs';
import { interleaved, pairedRatio } from './harness.mjs';
import { bareExecution, umbrellaExecution } from './workload.mjs';

const { settings, smoke } = JSON.parse(process.argv[2] ?? '{}');
const ALL = { metrics: true, tracing: true, logging: true };
{
  const noop = { check: async () => {}, shutdown: async () => {} };
  const overhead = [];
  for (const workMs of [1, 2.5, 10]) {
    const bare = { name: `bare, ${workMs} ms of work`, run: bareExecution(workMs), ...noop };
    const observed = await umbrella(`umbrella, all three signals, ${workMs} ms of work`, ALL, workMs);
    // A long-running service's steady state: the recording code is optimized by the JIT (a few hundred
    // slow executions alone would measure the interpreter). The same calls, without the work, first.
    const warm = umbrellaExecution(observed.obs, 0);
    const warmRuns = smoke ? 200 : 20_000;
    for (let i = 0; i < warmRuns; i++) await warm();
    observed.executions += warmRuns;
    const rows = await interleaved([bare, observed], {
      ...settings,
      rounds: smoke ? settings.rounds : 21,
      time: Math.max(settings.time, workMs * 40),
    });
    await observed.check();
    await observed.shutdown();
    const [b, o] = rows;
    overhead.push({
      workMs,
      bareUs: b.us,
      observedUs: o.us,
      overheadPercent: (pairedRatio(o, b) - 1) * 100,
      rows,
    });
  }
  process.stdout.write(`${JSON.stringify(overhead)}\n`);
}
