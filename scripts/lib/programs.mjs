// The programs the smoke tests run in their npm projects, as a user would write them, and the checks on what
// they print. Each program takes its module loading (ESM `import` or CJS `require` lines, see moduleFormats)
// and prints one JSON line last.

import assert from 'node:assert/strict';
import { decodeTraceRequest, SPAN_KIND } from './otlp.mjs';
import { lastJsonLine } from './smoke.mjs';

const majorOf = (version) => Number(String(version).split('.')[0]);

/** The spans by name; fails unless each name is there exactly once. */
function byName(spans, names) {
  assert.deepEqual(
    spans.map((span) => span.name).sort(),
    [...names].sort(),
    `expected exactly the spans ${names.join(', ')}`,
  );
  return Object.fromEntries(spans.map((span) => [span.name, span]));
}

/** Fails unless `spans` form one trace: workflow → agent → llm. */
function assertWorkflowAgentLlmTree(spans) {
  const tree = byName(spans, ['workflow.execute', 'agent.execute', 'llm.generate']);
  const { 'workflow.execute': workflow, 'agent.execute': agent, 'llm.generate': llm } = tree;
  assert.match(workflow.traceId, /^[0-9a-f]{32}$/);
  assert.equal(agent.traceId, workflow.traceId, 'the agent span is in the workflow trace');
  assert.equal(llm.traceId, workflow.traceId, 'the llm span is in the workflow trace');
  assert.ok(!workflow.parentSpanId, 'the workflow span is the root');
  assert.equal(agent.parentSpanId, workflow.spanId, 'the agent span is a child of the workflow span');
  assert.equal(llm.parentSpanId, agent.spanId, 'the llm span is a child of the agent span');
  return tree;
}

// --- setupTracing with the otlp exporter, against a local OTLP/HTTP sink -------------------------------------

/** The completion the llm span's function returns (OpenAI's chat completion shape). */
const COMPLETION = {
  id: 'chatcmpl-smoke',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Lisbon.' } }],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
};

/**
 * `setupTracing({ serviceName, exporter: 'otlp', otlp: { url } })` against a node:http OTLP sink on
 * 127.0.0.1:0; records workflow → agent → llm with the span helpers, shuts down, prints what the sink got.
 */
export const otlpTreeProgram = (load) => `${load}
(async () => {
  const { createServer } = await import('node:http');
  const requests = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method,
        url: request.url,
        contentType: request.headers['content-type'],
        body: Buffer.concat(chunks).toString('base64'),
      });
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = 'http://127.0.0.1:' + server.address().port + '/v1/traces';
  const tracing = setupTracing({ serviceName: 'smoke-otlp', exporter: 'otlp', otlp: { url } });
  const completion = ${JSON.stringify(COMPLETION)};
  const value = await tracing.withWorkflowSpan({ workflowId: 'wf-smoke' }, () =>
    tracing.withAgentSpan({ agentId: 'planner' }, async () =>
      tracing.withLlmSpan({ provider: 'openai', model: 'gpt-4o-mini' }, () => completion),
    ),
  );
  await tracing.shutdown();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const { ended, exported, failed, dropped } = tracing.stats;
  process.stdout.write(
    JSON.stringify({ url, sameValue: value === completion, exporters: tracing.exporters, stats: { ended, exported, failed, dropped }, requests }) + '\\n',
  );
})();
`;

/** Checks what the OTLP sink received: decoded with the official proto, one workflow → agent → llm trace. */
export function assertOtlpTree(stdout, { sdkMajor }) {
  const result = lastJsonLine(stdout);
  assert.equal(result.sameValue, true, 'withLlmSpan returns the value of the wrapped function');
  assert.deepEqual(result.exporters, [{ name: 'otlp', target: `${result.url} (http/protobuf)` }]);
  assert.deepEqual(result.stats, { ended: 3, exported: 3, failed: 0, dropped: 0 });
  assert.ok(result.requests.length >= 1, 'the OTLP sink received an export request');
  for (const request of result.requests) {
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/traces');
    assert.equal(request.contentType, 'application/x-protobuf');
  }
  const spans = result.requests.flatMap((request) => decodeTraceRequest(Buffer.from(request.body, 'base64')));
  const {
    'workflow.execute': workflow,
    'agent.execute': agent,
    'llm.generate': llm,
  } = assertWorkflowAgentLlmTree(spans);

  assert.equal(SPAN_KIND.SPAN_KIND_CLIENT, 3);
  assert.equal(llm.kind, 3, 'the llm span is CLIENT (3) on the wire');
  assert.equal(llm.kindName, 'SPAN_KIND_CLIENT');
  assert.equal(agent.kindName, 'SPAN_KIND_INTERNAL');
  assert.equal(workflow.kindName, 'SPAN_KIND_INTERNAL');

  assert.equal(llm.attributes['gen_ai.operation.name'], 'chat');
  assert.equal(llm.attributes['gen_ai.provider.name'], 'openai');
  assert.equal(llm.attributes['gen_ai.request.model'], 'gpt-4o-mini');
  assert.equal(llm.attributes['gen_ai.response.model'], COMPLETION.model);
  assert.equal(llm.attributes['gen_ai.response.id'], COMPLETION.id);
  assert.deepEqual(llm.attributes['gen_ai.response.finish_reasons'], ['stop']);
  assert.equal(llm.attributes['gen_ai.usage.input_tokens'], 12);
  assert.equal(llm.attributes['gen_ai.usage.output_tokens'], 3);
  assert.equal(agent.attributes['gen_ai.agent.id'], 'planner');
  assert.equal(agent.attributes['gen_ai.operation.name'], 'invoke_agent');
  assert.equal(workflow.attributes['gen_ai.operation.name'], 'invoke_workflow');
  assert.equal(workflow.attributes['gen_ai.workflow.name'], 'wf-smoke');

  for (const span of spans) {
    assert.equal(span.scope, '@genxai/tracing');
    assert.equal(span.resource['service.name'], 'smoke-otlp');
    assert.equal(span.resource['telemetry.sdk.language'], 'nodejs');
    assert.equal(
      majorOf(span.resource['telemetry.sdk.version']),
      sdkMajor,
      `the spans were made by the SDK ${sdkMajor} line (telemetry.sdk.version ${span.resource['telemetry.sdk.version']})`,
    );
  }
}

// --- setupTracing with an exporter object of the caller's ---------------------------------------------------

/** `setupTracing` with a custom exporter object; prints the exported span names and the SDK version. */
export const customExporterProgram = (load) => `${load}
(async () => {
  const names = [];
  const sdkVersions = new Set();
  const exporter = {
    export(spans, done) {
      for (const span of spans) {
        names.push(span.name);
        sdkVersions.add(span.resource.attributes['telemetry.sdk.version']);
      }
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  const tracing = setupTracing({ serviceName: 'smoke', exporter });
  const value = await tracing.withWorkflowSpan({ workflowId: 'w' }, () => tracing.withAgentSpan({ agentId: 'a' }, async () => 1));
  await tracing.shutdown();
  process.stdout.write(JSON.stringify({ value, names, sdkVersions: [...sdkVersions] }) + '\\n');
})();
`;

export function assertCustomExporter(stdout, { sdkMajor }) {
  const result = lastJsonLine(stdout);
  assert.equal(result.value, 1);
  assert.deepEqual(result.names, ['agent.execute', 'workflow.execute']);
  assert.deepEqual(result.sdkVersions.map(majorOf), [sdkMajor], `made by the SDK ${sdkMajor} line`);
}

// --- the umbrella recording into a started NodeSDK ----------------------------------------------------------

/**
 * A started NodeSDK whose trace exporter keeps what it gets, and
 * `setupObservability({ serviceName, tracing: { tracerProvider } })` recording into it.
 */
export const nodeSdkProgram = (load) => `${load}
(async () => {
  const kept = [];
  const exporter = {
    export(spans, done) {
      for (const span of spans) {
        kept.push({
          name: span.name,
          kind: span.kind,
          traceId: span.spanContext().traceId,
          spanId: span.spanContext().spanId,
          parentSpanId: span.parentSpanContext?.spanId,
          attributes: span.attributes,
          resource: span.resource.attributes,
          scope: span.instrumentationScope.name,
        });
      }
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  const sdk = new NodeSDK({ serviceName: 'host-app', traceExporter: exporter, instrumentations: [] });
  sdk.start();
  const obs = await setupObservability({
    serviceName: 'smoke-umbrella',
    tracing: { tracerProvider: trace.getTracerProvider() },
    logging: { level: 'info' },
  });
  const answer = await obs.observeWorkflow({ workflowId: 'wf-smoke' }, () =>
    obs.observeAgent({ agentId: 'planner' }, () =>
      obs.observeLLM({ provider: 'openai', model: 'gpt-4o-mini' }, async () => ({
        content: 'Lisbon.',
        usage: { prompt_tokens: 1000, completion_tokens: 100 },
      })),
    ),
  );
  await obs.shutdown();
  await sdk.shutdown();
  process.stdout.write(JSON.stringify({ answer, spans: kept }) + '\\n');
})();
`;

/** Our spans reached the NodeSDK's exporter, in one tree, with its resource; the log lines carry the trace id. */
export function assertNodeSdkSpans(stdout, { sdkMajor }) {
  const lines = stdout.trim().split('\n');
  const result = JSON.parse(lines.pop());
  assert.equal(result.answer.content, 'Lisbon.');
  const { 'agent.execute': agent, 'llm.generate': llm } = assertWorkflowAgentLlmTree(result.spans);
  assert.equal(llm.kind, 2, 'the llm span is SpanKind.CLIENT (2 in the API)');
  assert.equal(agent.kind, 0, 'the agent span is SpanKind.INTERNAL');
  assert.equal(llm.attributes['gen_ai.usage.input_tokens'], 1000);
  for (const span of result.spans) {
    assert.equal(span.scope, '@genxai/tracing');
    assert.equal(span.resource['service.name'], 'host-app', "the spans carry the NodeSDK's resource");
    assert.equal(
      majorOf(span.resource['telemetry.sdk.version']),
      sdkMajor,
      `made by the SDK ${sdkMajor} line`,
    );
  }
  const finished = lines
    .map((line) => JSON.parse(line))
    .find((line) => line.message === 'Agent execution completed');
  assert.ok(finished, `a log line "Agent execution completed" in:\n${lines.join('\n')}`);
  assert.equal(finished.agent_id, 'planner');
  assert.equal(finished.trace_id, agent.traceId, 'the log line carries the trace id of the span');
}

// --- the umbrella with its defaults ---------------------------------------------------------------------------

/** `setupObservability()` with no options: metrics in the default registry, JSON logs to stdout. */
export const defaultsProgram = (load) => `${load}
(async () => {
  const obs = await setupObservability();
  const answer = await obs.observeAgent({ agentId: 'planner' }, () =>
    obs.observeLLM({ provider: 'openai', model: 'gpt-4o-mini' }, async () => ({
      content: 'x',
      usage: { prompt_tokens: 1000, completion_tokens: 100 },
    })),
  );
  const { body } = await renderMetrics(obs.metrics.registry);
  await obs.shutdown();
  process.stdout.write(JSON.stringify({ answer, metrics: body, exporters: obs.tracing.exporters }) + '\\n');
})();
`;

export function assertDefaults({ stdout, stderr }) {
  const lines = stdout.trim().split('\n');
  const result = JSON.parse(lines.pop());
  assert.equal(result.answer.content, 'x');
  assert.deepEqual(result.exporters, [], 'no exporter unless one is asked for');
  assert.match(result.metrics, /^genxai_agent_executions_total\{agent_id="planner",status="success"\} 1$/m);
  assert.match(
    result.metrics,
    /^genxai_llm_cost_total\{provider="openai",model="gpt-4o-mini",agent_id="planner"\} 0\.00021$/m,
  );
  const finished = lines
    .map((line) => JSON.parse(line))
    .find((line) => line.message === 'Agent execution completed');
  assert.ok(finished, `a log line "Agent execution completed" in:\n${lines.join('\n')}`);
  assert.equal(finished.level, 'INFO');
  assert.equal(finished.agent_id, 'planner');
  assert.doesNotMatch(stderr, /GENXAI_/, 'no warning with the defaults');
}

// --- no trace SDK installed -------------------------------------------------------------------------------------

/**
 * Only @opentelemetry/api and @genxai/tracing: `setupTracing()` warns once and the helpers still run the
 * wrapped functions; asking for an exporter (by option, by object, by OTEL_TRACES_EXPORTER) throws.
 */
export const noSdkProgram = (load) => `${load}
(async () => {
  const warnings = [];
  process.on('warning', (warning) => {
    if (String(warning.code).startsWith('GENXAI_')) warnings.push({ code: warning.code, message: warning.message });
  });
  const tracing = setupTracing({ serviceName: 'no-sdk' });
  const syncValue = tracing.withAgentSpan({ agentId: 'a' }, () => 41 + 1);
  const asyncValue = await tracing.withWorkflowSpan({ workflowId: 'w' }, () =>
    tracing.withAgentSpan({ agentId: 'a' }, () =>
      tracing.withLlmSpan({ provider: 'openai', model: 'gpt-4o-mini' }, async () => ({ content: 'hi' })),
    ),
  );
  const boom = new Error('boom');
  let rethrown = false;
  try {
    tracing.withAgentSpan({ agentId: 'a' }, () => {
      throw boom;
    });
  } catch (error) {
    rethrown = error === boom;
  }
  await tracing.forceFlush();
  await tracing.shutdown();
  const attempts = {
    otlp: () => setupTracing({ serviceName: 'no-sdk', exporter: 'otlp' }),
    custom: () => setupTracing({ exporter: { export: (spans, done) => done({ code: 0 }), shutdown: async () => {} } }),
    env: () => {
      process.env.OTEL_TRACES_EXPORTER = 'otlp';
      try {
        return setupTracing();
      } finally {
        delete process.env.OTEL_TRACES_EXPORTER;
      }
    },
  };
  const missing = {};
  for (const [name, attempt] of Object.entries(attempts)) {
    try {
      attempt();
      missing[name] = { threw: false };
    } catch (error) {
      missing[name] = {
        threw: true,
        code: error.code,
        marked: error[Symbol.for('genxai.observability.error')] === true,
        message: error.message,
      };
    }
  }
  await new Promise((resolve) => setImmediate(resolve)); // process warnings are dispatched on a later tick
  process.stdout.write(JSON.stringify({ syncValue, asyncValue, rethrown, warnings, missing }) + '\\n');
})();
`;

/** Checks the no-SDK program's output; returns the GENXAI_MISSING_PEER message of `exporter: 'otlp'`. */
export function assertNoSdk({ stdout, stderr }, { installLine }) {
  const result = lastJsonLine(stdout);
  assert.equal(result.syncValue, 42, 'a helper returns the value of a sync function');
  assert.deepEqual(
    result.asyncValue,
    { content: 'hi' },
    'a helper resolves to the value of an async function',
  );
  assert.equal(result.rethrown, true, "the wrapped function's own error is rethrown untouched");
  assert.deepEqual(
    result.warnings.map((warning) => warning.code),
    ['GENXAI_NO_TRACE_SDK'],
    `setupTracing() with no SDK warns GENXAI_NO_TRACE_SDK once, and nothing else: ${JSON.stringify(result.warnings)}`,
  );
  assert.match(result.warnings[0].message, installLine);
  assert.equal(stderr.match(/GENXAI_NO_TRACE_SDK/g)?.length, 1, `printed once on stderr:\n${stderr}`);
  for (const [name, outcome] of Object.entries(result.missing)) {
    assert.equal(outcome.threw, true, `asking for an exporter (${name}) without an SDK throws`);
    assert.equal(outcome.code, 'GENXAI_MISSING_PEER', `${name}: ${outcome.message}`);
    assert.equal(outcome.marked, true, `${name}: a GenxaiObservabilityError`);
    assert.match(outcome.message, installLine, `${name}: the message has the install line`);
  }
  return result.missing.otlp.message;
}

/** The packages an install hint names after its `npm install`, as a user would copy them. */
export function installSpecsIn(message) {
  const from = message.indexOf('npm install ');
  assert.ok(from >= 0, `an "npm install" line in: ${message}`);
  const specs = message.slice(from).match(/@opentelemetry\/[a-z0-9-]+(?:@[^\s,;)]+)?/g) ?? [];
  return [...new Set(specs.map((spec) => spec.replace(/\.$/, '')))];
}
