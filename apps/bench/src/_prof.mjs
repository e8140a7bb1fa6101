import { umbrella } from '/work/main/apps/bench/src/contenders.mjs';

const kind = process.env.KIND ?? 'logging';
const c = await umbrella('x', {
  [kind]: true,
  ...(kind === 'all' ? { metrics: true, tracing: true, logging: true } : {}),
});
for (let i = 0; i < 5000; i++) await c.run();
const t = performance.now();
for (let i = 0; i < 100000; i++) await c.run();
console.log('us', (((performance.now() - t) / 100000) * 1000).toFixed(1));
await c.shutdown();
