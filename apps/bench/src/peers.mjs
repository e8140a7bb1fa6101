// The peers on the same four spans, in their own process (OpenLLMetry starts an OpenTelemetry NodeSDK
// and registers it globally), interleaved with the umbrella. Prints one JSON line of results.
// Neither peer makes a network call here: each exports to a counting exporter, OpenLLMetry with its
// prompt sync off and no API key, Langfuse through a tracer provider of ours.
import { setLangfuseTracerProvider, startActiveObservation } from '@langfuse/tracing';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import * as traceloop from '@traceloop/node-server-sdk';
import { counted, umbrella } from './contenders.mjs';
import { interleaved } from './harness.mjs';
import { BATCH, countingExporter, LLM_RESULT, TASK } from './workload.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const { rounds = 7, time = 400, warmup = 300 } = options;

const peer = (name, exporter, flush, execute) => counted(name, execute, exporter, flush);

// Langfuse: one observation per operation, each with the input and output the umbrella records.
const langfuseExporter = countingExporter();
const langfuseProvider = new NodeTracerProvider({
  spanProcessors: [new BatchSpanProcessor(langfuseExporter, BATCH)],
});
setLangfuseTracerProvider(langfuseProvider);
const { prompt_tokens: input, completion_tokens: output } = LLM_RESULT.usage;
const langfuse = peer(
  'peer: Langfuse (@langfuse/tracing 5.11)',
  langfuseExporter,
  () => langfuseProvider.forceFlush(),
  () =>
    startActiveObservation(
      'agent.execute',
      async (agent) => {
        agent.update({ input: TASK, metadata: { agentId: 'planner', role: 'planner' } });
        await startActiveObservation(
          'llm.generate',
          async (generation) => {
            generation.update({ model: 'gpt-4o-mini', input: TASK });
            const result = await (async () => LLM_RESULT)();
            generation.update({
              output: result.content,
              usageDetails: { input, output, total: input + output },
            });
          },
          { asType: 'generation' },
        );
        for (const [tool, parameters, result] of [
          ['search', { q: 'report' }, 'found'],
          ['fetch', { url: 'doc' }, 'doc'],
        ])
          await startActiveObservation(
            'tool.execute',
            async (span) => {
              span.update({ input: parameters, metadata: { tool } });
              span.update({ output: await (async () => result)() });
            },
            { asType: 'tool' },
          );
        agent.update({ output: 'done' });
        return 'done';
      },
      { asType: 'agent' },
    ),
);

// OpenLLMetry: its agent, LLM call and tool wrappers, with the request and response reported.
const traceloopExporter = countingExporter();
traceloop.initialize({
  appName: 'bench',
  exporter: traceloopExporter,
  // Its batch processor has the SDK's default queue (2048) and drops spans in a tight loop: a simple
  // processor exports each span at once, to a synchronous exporter.
  disableBatch: true,
  silenceInitializationMessage: true,
  traceloopSyncEnabled: false,
  instrumentModules: {},
  logLevel: 'error',
});
const openllmetry = peer(
  'peer: OpenLLMetry (@traceloop/node-server-sdk 0.27)',
  traceloopExporter,
  () => traceloop.forceFlush(),
  () =>
    traceloop.withAgent({ name: 'planner', inputParameters: [TASK] }, async () => {
      await traceloop.withLLMCall({ vendor: 'openai', type: 'chat' }, async ({ span }) => {
        span.reportRequest({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: TASK }] });
        const result = await (async () => LLM_RESULT)();
        span.reportResponse({
          model: 'gpt-4o-mini',
          usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
          completions: [{ finish_reason: 'stop', message: { role: 'assistant', content: result.content } }],
        });
        return result;
      });
      await traceloop.withTool({ name: 'search', inputParameters: [{ q: 'report' }] }, async () => 'found');
      await traceloop.withTool({ name: 'fetch', inputParameters: [{ url: 'doc' }] }, async () => 'doc');
      return 'done';
    }),
);

const contenders = [
  await umbrella('umbrella, tracing only', { tracing: true }),
  await umbrella('umbrella, all three signals', { metrics: true, tracing: true, logging: true }),
  langfuse,
  openllmetry,
];
const results = await interleaved(contenders, { rounds, time, warmup });
for (const contender of contenders) await contender.check();
for (const contender of contenders) await contender.shutdown();
process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);
