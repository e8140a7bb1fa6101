// The cost OTLP export adds to a line: createLogger with and without `otlp`, to a local OTLP/HTTP
// sink in this process. Rounds of 2000 lines, below the batch queue (2048), each followed by a
// flush: a longer synchronous loop would fill the queue, and the SDK would drop records cheaply
// (the benchmark trap in TOOLCHAIN.md). Counts the exported records against the lines written.
import { createServer } from 'node:http';
import { createLogger, shutdownLogger } from '../dist/index.js';

const LINES = 2000;
const ROUNDS = 30;

const fields = {
  task: 'research the history of cryptography',
  duration: 1.42,
  tokens_used: 512,
  status: 'success',
  tool: 'web_search',
};

let requests = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    requests++;
    response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/v1/logs`;

let exportFailures = 0;
const make = (otlp) =>
  createLogger({
    env: {},
    destination: { write() {} },
    onWarning: () => exportFailures++,
    ...(otlp ? { otlp: { url } } : {}),
  }).child({ agent_id: 'agent-1', agent_role: 'planner' });

async function measure(logger) {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < LINES; i++) logger.info(fields, 'Agent execution completed');
    best = Math.min(best, Number(process.hrtime.bigint() - start) / LINES);
    await new Promise((resolve) => logger.flush(resolve));
  }
  return best;
}

const plain = make(false);
const exporting = make(true);
await measure(plain);
await measure(exporting);
const base = await measure(plain);
const withOtlp = await measure(exporting);
await shutdownLogger(exporting);
server.close();

console.log(
  `\nOTLP export: info line, 5 fields, ${LINES} lines x best of ${ROUNDS} rounds, flushed between rounds`,
);
console.log(`  createLogger                   ${base.toFixed(1).padStart(8)} ns/line`);
console.log(
  `  createLogger({ otlp })         ${withOtlp.toFixed(1).padStart(8)} ns/line   ${(withOtlp / base).toFixed(2)}x`,
);
if (requests === 0 || exportFailures > 0) {
  throw new Error(`the OTLP contender exported nothing (${requests} requests, ${exportFailures} warnings)`);
}
