// Interleaved rounds on tinybench: every round runs each contender of a case once, in a rotated
// order, so drift on a shared machine (another process, a thermal step) reaches all of them alike.
// A round's figure is tinybench's mean latency; the result is the median of the rounds, with the
// spread (lowest and highest round) and the median p99 of single executions.
import { Bench } from 'tinybench';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Runs `contenders` ({ name, run }) in `rounds` interleaved rounds of `time` ms (and at least
 * `iterations` runs) each (after a
 * warm-up of `warmup` ms) and returns, per contender, µs per execution (median of the rounds),
 * the spread and the p99.
 */
export async function interleaved(contenders, { rounds, time, warmup, iterations = 16 }) {
  const perRound = new Map(contenders.map((c) => [c.name, { means: [], p99s: [], runs: 0 }]));
  for (const contender of contenders) {
    const bench = new Bench({ time: warmup, iterations: 1, warmupTime: 0, warmupIterations: 0 });
    bench.add(contender.name, contender.run);
    await bench.run();
  }
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const contender of order) {
      // At least `iterations` runs a round (tinybench's default, 64, makes a 200 ms case take 13 s a round).
      const bench = new Bench({ time, iterations, warmupTime: 0, warmupIterations: 0 });
      bench.add(contender.name, contender.run);
      await bench.run();
      const result = bench.tasks[0].result;
      if (result.state !== 'completed') throw new Error(`${contender.name}: ${result.error ?? result.state}`);
      const entry = perRound.get(contender.name);
      entry.means.push(result.latency.mean * 1000);
      entry.p99s.push(result.latency.p99 * 1000);
      entry.runs += result.latency.samplesCount ?? result.latency.samples?.length ?? 0;
    }
  }
  return contenders.map(({ name }) => {
    const { means, p99s, runs } = perRound.get(name);
    return {
      name,
      us: median(means),
      low: Math.min(...means),
      high: Math.max(...means),
      p99: median(p99s),
      rounds: means.length,
      runs,
      means,
    };
  });
}

/**
 * The median over the rounds of `a`'s figure against `b`'s in the same round: each ratio compares two
 * runs made moments apart, so a drift of the machine between rounds cancels out.
 */
export function pairedRatio(a, b) {
  return median(a.means.map((value, round) => value / b.means[round]));
}

export { median };
