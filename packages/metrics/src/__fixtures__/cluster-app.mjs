// Two node:cluster workers record agent executions; the primary prints the aggregated exposition.
import cluster from 'node:cluster';
import {
  createClusterRenderer,
  createMetrics,
  createMetricsRegistry,
  shareMetricsWithPrimary,
} from '../../dist/index.js';

if (cluster.isPrimary) {
  const render = createClusterRenderer();
  const workers = [cluster.fork({ EXECUTIONS: '3' }), cluster.fork({ EXECUTIONS: '4' })];
  let ready = 0;
  for (const worker of workers) {
    worker.on('message', async (message) => {
      if (message !== 'ready' || ++ready < workers.length) return;
      process.stdout.write(await render());
      for (const w of workers) w.kill();
    });
  }
} else {
  const registry = createMetricsRegistry();
  const metrics = createMetrics({ registry });
  shareMetricsWithPrimary(registry);
  for (let i = 0; i < Number(process.env.EXECUTIONS); i++) metrics.agent.start({ agentId: 'a' }).succeed();
  metrics.memory.setSize({ agentId: 'a', memoryType: 'vector' }, 100);
  process.send('ready');
}
