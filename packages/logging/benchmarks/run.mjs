// Races createLogger against raw pino writing to the same discarding stream, in one process.
// Run with `pnpm bench` after a build. Prints ns a line and the ratio to raw pino.
import pino from 'pino';
import { createLogger } from '../dist/index.js';

const ITERATIONS = 200_000;
const ROUNDS = 5;

// A discarding destination: pino's cost, not the syscall's (see TOOLCHAIN.md).
const sink = () => ({ write() {} });

const fields = {
  task: 'research the history of cryptography',
  duration: 1.42,
  tokens_used: 512,
  status: 'success',
  tool: 'web_search',
};

function rawPino() {
  return pino({ messageKey: 'message', timestamp: pino.stdTimeFunctions.isoTime }, sink()).child({
    agent_id: 'agent-1',
    agent_role: 'planner',
  });
}

function ours(options = {}) {
  return createLogger({ env: {}, destination: sink(), ...options }).child({
    agent_id: 'agent-1',
    agent_role: 'planner',
  });
}

// The application's own pino logger, injected: its format, our redaction and trace correlation.
function injected() {
  const app = pino({ messageKey: 'message', timestamp: pino.stdTimeFunctions.isoTime }, sink());
  return createLogger({ logger: app }).child({ agent_id: 'agent-1', agent_role: 'planner' });
}

function measure(logger, call) {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) call(logger, i);
    const ns = Number(process.hrtime.bigint() - start) / ITERATIONS;
    best = Math.min(best, ns);
  }
  return best;
}

const cases = [
  ['info line, 5 fields', (logger) => logger.info(fields, 'Agent execution completed')],
  ['info line, message only', (logger) => logger.info('Agent execution completed')],
  ['debug line, debug off', (logger) => logger.debug(fields, 'Building prompt')],
];

const contenders = [
  ['raw pino', rawPino],
  ['createLogger', () => ours()],
  ['createLogger, redaction off', () => ours({ redaction: false })],
  ['createLogger({ logger })', injected],
];

// Warm up every path once so the JIT sees them all before timing.
for (const [, make] of contenders) for (const [, call] of cases) measure(make(), call);

console.log(`${ITERATIONS} calls x best of ${ROUNDS} rounds, discarding destination\n`);
for (const [label, call] of cases) {
  const base = measure(rawPino(), call);
  console.log(label);
  for (const [name, make] of contenders) {
    const ns = name === 'raw pino' ? base : measure(make(), call);
    console.log(
      `  ${name.padEnd(30)} ${ns.toFixed(1).padStart(8)} ns/line   ${(ns / base).toFixed(2)}x raw pino`,
    );
  }
}

// A sanity check that the contenders really wrote lines (a benchmark that logs nothing looks great).
let written = 0;
const counting = createLogger({ env: {}, destination: { write: () => written++ } });
for (let i = 0; i < 10; i++) counting.info(fields, 'x');
if (written !== 10) throw new Error(`createLogger wrote ${written} of 10 lines`);

await import('./otlp.mjs');
