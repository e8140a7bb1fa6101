// End to end: the execution with real work in its LLM call (arithmetic for 1, 2.5 or 10 ms), bare,
// with the floor's hand-written telemetry and through the umbrella with all three signals, in a
// process of its own, in interleaved rounds. Two figures per contender:
// - the wall time per execution against the bare one in the same round (the plain figure, but the
//   work itself moves by more than the telemetry costs on this shared machine), and
// - the time per execution spent outside the work (`work.ms` is timed inside `spin`), against the
//   work: what the telemetry adds, without the work's own noise.
// Prints one JSON line.
import { counted, floor, umbrella } from './contenders.mjs';
import { median } from './harness.mjs';
import { bareExecution, umbrellaExecution, work } from './workload.mjs';

const { settings, smoke } = JSON.parse(process.argv[2] ?? '{}');
const ALL = { metrics: true, tracing: true, logging: true };

async function measure(contenders, { rounds, executions }) {
  const figures = contenders.map(() => ({ wallUs: [], outsideUs: [], workUs: [] }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length;
      const work0 = work.ms;
      const started = performance.now();
      for (let i = 0; i < executions; i++) await contenders[index].run();
      const wall = performance.now() - started;
      const spent = work.ms - work0;
      figures[index].wallUs.push((wall / executions) * 1000);
      figures[index].outsideUs.push(((wall - spent) / executions) * 1000);
      figures[index].workUs.push((spent / executions) * 1000);
    }
  }
  return figures;
}

const overhead = [];
for (const workMs of [1, 2.5, 10]) {
  const bare = counted(`bare, ${workMs} ms of work`, bareExecution(workMs));
  const hand = floor(`floor, all three signals by hand, ${workMs} ms of work`, { ...ALL, workMs });
  const observed = await umbrella(`umbrella, all three signals, ${workMs} ms of work`, ALL, workMs);
  // A long-running service's steady state: the recording code is optimized by the JIT (a few hundred
  // slow executions alone would measure the interpreter). The same calls, without the work, first.
  const warmRuns = smoke ? 200 : 20_000;
  const warmUmbrella = umbrellaExecution(observed.obs, 0);
  const warmFloor = floor('warm-up', ALL);
  for (let i = 0; i < warmRuns; i++) {
    await warmUmbrella();
    await warmFloor.run();
  }
  observed.executions += warmRuns;
  await warmFloor.check();
  await warmFloor.shutdown();
  const contenders = [bare, hand, observed];
  const figures = await measure(contenders, {
    rounds: smoke ? 2 : 21,
    executions: smoke ? 3 : Math.max(10, Math.round(400 / workMs)),
  });
  await hand.check();
  await observed.check();
  await hand.shutdown();
  await observed.shutdown();
  const [b] = figures;
  const rows = contenders.map((contender, index) => {
    const f = figures[index];
    return {
      name: contender.name,
      us: median(f.wallUs),
      outsideUs: median(f.outsideUs),
      workUs: median(f.workUs),
      // Paired by round: each compares two runs made moments apart.
      wallOverheadPercent: (median(f.wallUs.map((value, round) => value / b.wallUs[round])) - 1) * 100,
      addedPercent:
        median(f.outsideUs.map((value, round) => (value - b.outsideUs[round]) / f.workUs[round])) * 100,
    };
  });
  overhead.push({ workMs, rows });
}
process.stdout.write(`${JSON.stringify(overhead)}\n`);
