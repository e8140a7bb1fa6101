import { METRICS, renderMetrics, SELF_METRICS } from '@genxai/metrics';
import { findSamples, parseExposition, sampleValue } from '@genxai/test-utils';
import { ATTR, ATTR_GEN_AI_RESPONSE_ID, ATTR_GEN_AI_RESPONSE_MODEL } from '@genxai/tracing';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { aiSdkResult, anthropicMessage, openaiCompletion } from './__fixtures__/llm-results';
import { setupForTest } from './test-signals';

const SECRET = 'sk-proj-4f9XbQ2mZt7LwR8yKc3VnP6sDh1JgA5e';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
async function setup(...args: Parameters<typeof setupForTest>) {
  const t = await setupForTest(...args);
  cleanups.push(t.obs.shutdown);
  return t;
}

describe('the observe wrappers', () => {
  it('record metrics, a nested span tree and correlated logs for a workflow', async () => {
    const t = await setup();
    const { obs } = t;
    const answer = await obs.observeWorkflow({ workflowId: 'research' }, () =>
      obs.observeNode({ workflowId: 'research', nodeId: 'plan', type: 'agent' }, () =>
        obs.observeAgent({ agentId: 'planner', role: 'planner', task: `use key ${SECRET}` }, async () => {
          await obs.observeMemory({ operationType: 'search', memoryType: 'vector' }, async () => []);
          await obs.observeTool({ toolName: 'search', parameters: { q: 'x', api_key: SECRET } }, async () => [
            'r',
          ]);
          const reply = await obs.observeLLM(
            { provider: 'openai', model: 'gpt-4o-mini', prompt: 'plan it' },
            async () => ({
              content: 'the plan',
              usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
            }),
          );
          obs.currentLogger()?.info({ step: 'inside' }, 'user line');
          return reply.content;
        }),
      ),
    );
    expect(answer).toBe('the plan');

    // Spans: workflow → node → agent → memory/tool/llm, with seed attributes.
    const spans = await t.spans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    const parentOf = (name: string) => {
      const parentId = byName.get(name)!.parentSpanContext?.spanId;
      return spans.find((s) => s.spanContext().spanId === parentId)?.name;
    };
    expect(spans.map((s) => s.name).sort()).toEqual(
      [
        'agent.execute',
        'llm.generate',
        'memory.search',
        'node.plan',
        'tool.execute',
        'workflow.execute',
      ].sort(),
    );
    expect(parentOf('node.plan')).toBe('workflow.execute');
    expect(parentOf('agent.execute')).toBe('node.plan');
    for (const child of ['llm.generate', 'tool.execute', 'memory.search'])
      expect(parentOf(child)).toBe('agent.execute');
    const llm = byName.get('llm.generate')!;
    expect(llm.attributes[ATTR.LLM_TOKENS_TOTAL]).toBe(1200);
    expect(llm.attributes['gen_ai.usage.input_tokens']).toBe(1000);
    expect(byName.get('agent.execute')!.attributes[ATTR.AGENT_ID]).toBe('planner');

    // Metrics, with the LLM cost priced from the table and exemplars pointing at the spans.
    const text = (await renderMetrics(t.registry, 'openmetrics')).body;
    const exposition = parseExposition(text);
    expect(
      sampleValue(exposition, METRICS.agentExecutionsTotal.name, { agent_id: 'planner', status: 'success' }),
    ).toBe(1);
    expect(sampleValue(exposition, METRICS.agentActiveExecutions.name, { agent_id: 'planner' })).toBe(0);
    expect(
      sampleValue(exposition, METRICS.llmTokensTotal.name, { model: 'gpt-4o-mini', token_type: 'total' }),
    ).toBe(1200);
    expect(sampleValue(exposition, METRICS.llmCostTotal.name, { model: 'gpt-4o-mini' })).toBeCloseTo(
      (1000 * 0.15 + 200 * 0.6) / 1e6,
      12,
    );
    expect(
      sampleValue(exposition, METRICS.workflowNodeExecutionsTotal.name, {
        node_id: 'plan',
        status: 'success',
      }),
    ).toBe(1);
    const agentCounter = findSamples(exposition, METRICS.agentExecutionsTotal.name, {
      agent_id: 'planner',
    })[0]!;
    expect(agentCounter.exemplar?.labels).toEqual({
      trace_id: byName.get('agent.execute')!.spanContext().traceId,
      span_id: byName.get('agent.execute')!.spanContext().spanId,
    });

    // Logs: seed-shaped, nested context, trace ids of exported spans, no secret.
    const logs = t.logs();
    const finished = logs.find((l) => l.message === 'Agent execution completed')!;
    expect(finished).toMatchObject({
      level: 'INFO',
      workflow_id: 'research',
      node_id: 'plan',
      agent_id: 'planner',
      agent_role: 'planner',
      status: 'success',
    });
    expect(finished.trace_id).toBe(byName.get('agent.execute')!.spanContext().traceId);
    expect(finished.span_id).toBe(byName.get('agent.execute')!.spanContext().spanId);
    expect(typeof finished.duration).toBe('number');
    expect(logs.find((l) => l.message === 'LLM request completed')).toMatchObject({
      tokens_used: 1200,
      model: 'gpt-4o-mini',
    });
    expect(logs.find((l) => l.message === 'user line')).toMatchObject({
      step: 'inside',
      agent_id: 'planner',
      node_id: 'plan',
    });
    expect(logs.find((l) => l.message === 'Starting agent execution')).toMatchObject({ level: 'DEBUG' });
    const everything = JSON.stringify(logs) + JSON.stringify(spans.map((s) => s.attributes));
    expect(everything).not.toContain(SECRET);
    expect(everything).toContain('***REDACTED***');
    for (const line of logs) expect(Object.keys(line).filter((k) => k === 'workflow_id')).toHaveLength(1);
  });

  it('pass the error through untouched and record it everywhere', async () => {
    const t = await setup();
    const error = Object.assign(new Error(`upstream refused token ${SECRET}`), { code: 'ECONNRESET' });
    await expect(
      t.obs.observeAgent({ agentId: 'a' }, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    await expect(
      t.obs.observeTool({ toolName: 't' }, () => {
        throw 'a string';
      }),
    ).rejects.toBe('a string');

    const spans = await t.spans();
    const agent = spans.find((s) => s.name === 'agent.execute')!;
    expect(agent.status.code).toBe(SpanStatusCode.ERROR);
    expect(agent.attributes[ATTR.ERROR_TYPE]).toBe('ECONNRESET');
    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    expect(
      sampleValue(exposition, METRICS.agentErrorsTotal.name, { agent_id: 'a', error_type: 'ECONNRESET' }),
    ).toBe(1);
    expect(sampleValue(exposition, METRICS.agentActiveExecutions.name, { agent_id: 'a' })).toBe(0);
    expect(
      sampleValue(exposition, METRICS.toolErrorsTotal.name, { tool_name: 't', error_type: 'Error' }),
    ).toBe(1);
    const failure = t.logs().find((l) => l.message === 'Agent execution failed')!;
    expect(failure).toMatchObject({
      level: 'ERROR',
      status: 'error',
      error_type: 'ECONNRESET',
      agent_id: 'a',
    });
    expect(failure.trace_id).toBe(agent.spanContext().traceId);
    expect(JSON.stringify(t.logs())).not.toContain(SECRET);
  });

  it('take token usage from a custom reader, typed from the result, and put it on the span too', async () => {
    const t = await setup();
    await t.obs.observeLLM(
      { provider: 'anthropic', model: 'claude-haiku-4-5' },
      async () => ({ completion: 'x', tokens: { in: 10, out: 4 } }),
      // `r` is typed from fn's result: no cast, and `r.tokens.in` compiles.
      { readResult: (r) => ({ usage: { inputTokens: r.tokens.in, outputTokens: r.tokens.out } }) },
    );
    const span = (await t.spans())[0]!;
    expect(span.attributes[ATTR.LLM_TOKENS_PROMPT]).toBe(10);
    expect(span.attributes[ATTR.LLM_TOKENS_TOTAL]).toBe(14);
    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    expect(sampleValue(exposition, METRICS.llmTokensTotal.name, { token_type: 'prompt' })).toBe(10);
    expect(sampleValue(exposition, METRICS.llmCostTotal.name, { model: 'claude-haiku-4-5' })).toBeCloseTo(
      (10 * 1 + 4 * 5) / 1e6,
      12,
    );
  });

  // With a custom reader, the span used to lose the completion and the response model.
  it.each([
    ['an OpenAI chat completion', openaiCompletion, 'The answer is 42.', 'gpt-4o-2024-08-06'],
    ['an Anthropic message', anthropicMessage, 'The answer is 42.', 'claude-sonnet-4-5-20250929'],
    ['a Vercel AI SDK generateText result', aiSdkResult, 'The answer is 42.', 'gpt-4o-mini-2024-07-18'],
  ])(
    'keep every field of %s that the default reader records when a custom reader is given',
    async (_name, make, completion, responseModel) => {
      const t = await setup();
      await t.obs.observeLLM({ provider: 'p', model: 'gpt-4o' }, async () => make(), {
        readResult: () => ({ usage: { inputTokens: 7, outputTokens: 3 } }),
      });
      const span = (await t.spans())[0]!;
      expect(span.attributes).toMatchObject({
        [ATTR.LLM_COMPLETION]: completion,
        [ATTR.LLM_COMPLETION_LENGTH]: completion.length,
        [ATTR_GEN_AI_RESPONSE_MODEL]: responseModel,
        [ATTR.LLM_TOKENS_PROMPT]: 7,
        [ATTR.LLM_TOKENS_COMPLETION]: 3,
      });
      expect(span.attributes[ATTR_GEN_AI_RESPONSE_ID]).toMatch(/^(chatcmpl-|msg_|aitxt-)/);
      const finish = t.logs().find((l) => l.message === 'LLM request completed')!;
      expect(finish.tokens_used).toBe(10);
    },
  );

  it('work with each signal switched off on its own', async () => {
    const metricsOnly = await setup({ tracing: false, logging: false });
    expect(metricsOnly.obs.tracer).toBeUndefined();
    expect(metricsOnly.obs.logger).toBeUndefined();
    expect(metricsOnly.obs.currentLogger()).toBeUndefined();
    expect(
      await metricsOnly.obs.observeAgent({ agentId: 'm' }, (span) =>
        span === undefined ? 'no span' : 'span',
      ),
    ).toBe('no span');
    const exposition = parseExposition((await renderMetrics(metricsOnly.registry)).body);
    expect(sampleValue(exposition, METRICS.agentExecutionsTotal.name, { agent_id: 'm' })).toBe(1);

    const tracingOnly = await setup({ metrics: false, logging: false });
    expect(tracingOnly.obs.metrics).toBeUndefined();
    await tracingOnly.obs.observeTool({ toolName: 't' }, async () => 1);
    expect((await tracingOnly.spans()).map((s) => s.name)).toEqual(['tool.execute']);

    const loggingOnly = await setup({ metrics: false, tracing: false });
    await loggingOnly.obs.observeMemory({ operationType: 'store', memoryType: 'kv' }, async () => 1);
    expect(loggingOnly.logs().map((l) => l.message)).toEqual([
      'Starting memory operation',
      'Memory operation completed',
    ]);
    expect(loggingOnly.logs()[1]!.trace_id).toBeUndefined();
  });

  it('do not log the start line when debug is off', async () => {
    const lines: string[] = [];
    const quiet = await setup({
      logging: { level: 'info', destination: { write: (l: string) => void lines.push(l) } },
    });
    await quiet.obs.observeNode({ workflowId: 'w', nodeId: 'n' }, async () => 1);
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(['Node execution completed']);
  });

  it('write each context key once when operations of one kind nest, the inner value winning', async () => {
    const t = await setup();
    await t.obs.observeAgent({ agentId: 'outer' }, () =>
      t.obs.observeAgent({ agentId: 'inner' }, async () => t.obs.currentLogger()?.info('nested line')),
    );
    const raw = t.logs();
    const nested = raw.find((l) => l.message === 'nested line')!;
    expect(nested.agent_id).toBe('inner');
    expect(
      raw.find((l) => l.message === 'Agent execution completed' && l.agent_id === 'outer'),
    ).toBeDefined();
  });

  it.each([
    ['all signals', {}],
    ['metrics alone', { tracing: false, logging: false }],
  ] as const)(
    'count tool calls and LLM requests against the enclosing agent, with %s',
    async (_, signals) => {
      const t = await setup(signals);
      const { obs } = t;
      const usage = { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 };
      const llm = (model: string, info: { agentId?: string } = {}) =>
        obs.observeLLM({ provider: 'openai', model, ...info }, async () => ({ usage }));
      const tool = (toolName: string) => obs.observeTool({ toolName }, async () => 1);
      // Two agents at once, each awaiting between steps: neither's calls land on the other.
      const agent = (agentId: string, model: string) =>
        obs.observeAgent({ agentId }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tool('search');
          await llm(model);
          // An agent inside an agent: its calls are its own, and the outer one's resume after it.
          await obs.observeAgent({ agentId: `${agentId}-helper` }, () => llm(model));
          await llm(model);
        });
      await Promise.all([agent('planner', 'gpt-4o-mini'), agent('writer', 'gpt-4o')]);
      await llm('gpt-4o-mini');
      await tool('search');
      // An explicit agentId wins over the enclosing agent.
      await obs.observeAgent({ agentId: 'planner' }, () => llm('gpt-4o', { agentId: 'billing' }));

      const exposition = parseExposition((await renderMetrics(t.registry)).body);
      const requests = (agent_id: string, model: string) =>
        sampleValue(exposition, METRICS.llmRequestsTotal.name, { agent_id, model, status: 'success' });
      expect(requests('planner', 'gpt-4o-mini')).toBe(2);
      expect(requests('planner-helper', 'gpt-4o-mini')).toBe(1);
      expect(requests('writer', 'gpt-4o')).toBe(2);
      expect(requests('writer-helper', 'gpt-4o')).toBe(1);
      expect(requests('billing', 'gpt-4o')).toBe(1);
      expect(requests('planner', 'gpt-4o')).toBeUndefined();
      expect(requests('writer', 'gpt-4o-mini')).toBeUndefined();
      // Outside any agent: no agent, which Prometheus reads as no label.
      expect(requests('', 'gpt-4o-mini')).toBe(1);
      const cost = (agent_id: string, model: string) =>
        sampleValue(exposition, METRICS.llmCostTotal.name, { agent_id, model });
      expect(cost('planner', 'gpt-4o-mini')).toBeCloseTo((2 * (1000 * 0.15 + 200 * 0.6)) / 1e6, 12);
      expect(cost('', 'gpt-4o-mini')).toBeCloseTo((1000 * 0.15 + 200 * 0.6) / 1e6, 12);
      expect(cost('billing', 'gpt-4o')).toBeGreaterThan(0);
      const calls = (agent_id: string) =>
        sampleValue(exposition, METRICS.toolCallsTotal.name, { agent_id, tool_name: 'search' });
      expect([calls('planner'), calls('writer'), calls('')]).toEqual([1, 1, 1]);
      // The histograms and the token counter keep their labels: summed over agents.
      expect(
        sampleValue(exposition, METRICS.llmTokensTotal.name, { model: 'gpt-4o-mini', token_type: 'total' }),
      ).toBe(4 * 1200);
      expect(findSamples(exposition, `${METRICS.llmRequestDurationSeconds.name}_count`)).toHaveLength(2);
    },
  );

  it.each([
    ['all signals', {}],
    ['metrics alone', { tracing: false, logging: false }],
  ] as const)(
    'count the operations inside a tool with its own agentId, and inside an MCP server handler, as theirs, with %s',
    async (_, signals) => {
      const t = await setup(signals);
      const { obs } = t;
      const llm = () => obs.observeLLM({ provider: 'openai', model: 'gpt-4o' }, async () => 'x');
      const server = { side: 'server', method: 'tools/call', toolName: 'lookup' } as const;
      await obs.observeAgent({ agentId: 'planner' }, async () => {
        // A tool run on behalf of another agent: the LLM call inside it is that agent's too.
        await obs.observeTool({ toolName: 'delegate', agentId: 'billing' }, llm);
        // The handling side of MCP requests, in the caller's process: the server's, no agent's.
        await obs.observeTool({ toolName: 'lookup', mcp: server }, llm);
        await obs.observeMcp({ side: 'server', method: 'prompts/get', promptName: 'p' }, llm);
        // A getter that throws on `mcp`: the call is still counted, against the enclosing agent.
        const hostile = new Proxy(
          { toolName: 'odd' },
          {
            get(target, key) {
              if (key === 'mcp') throw new Error('no mcp for you');
              return Reflect.get(target, key);
            },
          },
        );
        await obs.observeTool(hostile as never, async () => 1).catch(() => undefined);
      });
      const exposition = parseExposition((await renderMetrics(t.registry)).body);
      const requests = (agent_id: string) =>
        sampleValue(exposition, METRICS.llmRequestsTotal.name, { agent_id, model: 'gpt-4o' });
      expect([requests('billing'), requests(''), requests('planner')]).toEqual([1, 2, undefined]);
      const calls = (tool_name: string) =>
        findSamples(exposition, METRICS.toolCallsTotal.name, { tool_name });
      expect(calls('delegate').map((s) => s.labels.agent_id)).toEqual(['billing']);
      expect(calls('lookup').map((s) => s.labels.agent_id)).toEqual(['']);
      expect(calls('odd').map((s) => [s.labels.agent_id, s.value])).toEqual([['planner', 1]]);
    },
  );

  it('keep recording when an agent id or an info object is hostile', async () => {
    const t = await setup();
    const hostile = new Proxy(
      { toolName: 't' },
      {
        get(target, key) {
          if (key === 'agentId') throw new Error('no agent for you');
          return Reflect.get(target, key);
        },
      },
    );
    expect(
      await t.obs.observeAgent({ agentId: 42 as never }, async () => {
        await t.obs.observeTool(hostile as never, async () => 'tool ran');
        return t.obs.observeLLM({ provider: 'openai', model: 'gpt-4o' }, async () => 'llm ran');
      }),
    ).toBe('llm ran');
    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    // A number is an agent id as the agent metrics take it; the tool whose agentId getter threw is
    // still counted, against the enclosing agent, and the getter is reported once.
    expect(sampleValue(exposition, METRICS.agentExecutionsTotal.name, { agent_id: '42' })).toBe(1);
    expect(sampleValue(exposition, METRICS.llmRequestsTotal.name, { model: 'gpt-4o', agent_id: '42' })).toBe(
      1,
    );
    expect(sampleValue(exposition, METRICS.toolCallsTotal.name, { tool_name: 't', agent_id: '42' })).toBe(1);
    expect(t.warnings.filter((code) => code !== 'GENXAI_OBSERVE_NO_USAGE')).toEqual([
      'GENXAI_METRICS_BAD_LABEL',
    ]);
    expect(t.logs().filter((line) => line.message === 'Tool call completed')).toHaveLength(1);
  });

  it('treat missing info as unknown labels instead of failing the call', async () => {
    const t = await setup();
    expect(await t.obs.observeAgent(undefined as never, async () => 'ran')).toBe('ran');
    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    expect(
      sampleValue(exposition, METRICS.agentExecutionsTotal.name, { agent_id: 'unknown', status: 'success' }),
    ).toBe(1);
  });

  it('report once an LLM result without readable usage, and record no tokens from it', async () => {
    const t = await setup();
    for (let i = 0; i < 2; i++) {
      await t.obs.observeLLM({ provider: 'openai', model: 'gpt-4o' }, async () => ({
        usage: { prompt_tokens: -1, completion_tokens: 3 },
      }));
    }
    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    expect(findSamples(exposition, METRICS.llmTokensTotal.name)).toEqual([]);
    expect(
      sampleValue(exposition, METRICS.llmRequestsTotal.name, { model: 'gpt-4o', status: 'success' }),
    ).toBe(2);
    expect(t.warnings.filter((w) => w === 'GENXAI_OBSERVE_NO_USAGE')).toHaveLength(1);
    const span = (await t.spans())[0]!;
    // Half a usage is no usage: neither count reaches the span, as neither reaches the metrics.
    expect(span.attributes[ATTR.LLM_TOKENS_PROMPT]).toBeUndefined();
    expect(span.attributes[ATTR.LLM_TOKENS_COMPLETION]).toBeUndefined();
  });
});

describe('setupObservability', () => {
  it('fails setup naming a taken port', async () => {
    const first = await setupForTest({ metrics: { server: { port: 0, host: '127.0.0.1' } } });
    cleanups.push(first.obs.shutdown);
    const port = first.obs.metricsServer!.port;
    await expect(setupForTest({ metrics: { server: { port, host: '127.0.0.1' } } })).rejects.toThrow(
      /already in use/,
    );
  });

  it('rejects a bad section at setup', async () => {
    await expect(setupForTest({ metrics: 'yes' as never })).rejects.toThrow(/Invalid metrics: "yes"/);
    await expect(setupForTest({ logging: { level: 'loud' } })).rejects.toThrow(/loud/);
    await expect(setupForTest({ tracing: { exporter: 'carrier-pigeon' } })).rejects.toThrow(/carrier-pigeon/);
  });

  it('starts the metrics server when asked, and shuts everything down once', async () => {
    const t = await setupForTest({ metrics: { server: { port: 0, host: '127.0.0.1' } } });
    const url = t.obs.metricsServer!.url;
    await t.obs.observeAgent({ agentId: 's' }, async () => 1);
    expect(await (await fetch(url)).text()).toContain(
      'genxai_agent_executions_total{agent_id="s",status="success"} 1',
    );
    const first = t.obs.shutdown();
    expect(t.obs.shutdown()).toBe(first);
    await first;
    await expect(fetch(url)).rejects.toThrow();
    expect((await t.spans()).map((s) => s.name)).toEqual(['agent.execute']);
  });
});

describe('shared redaction options', () => {
  it('apply the extra rules to span content and logs, and logs keep truncating long strings', async () => {
    const lines: string[] = [];
    const t = await setupForTest({
      redaction: { keys: ['employee_number'], patterns: [/\bEMP-\d{6}\b/g] },
      logging: {
        level: 'debug',
        maxStringLength: 64,
        destination: { write: (l: string) => void lines.push(l) },
      },
    });
    cleanups.push(t.obs.shutdown);
    await t.obs.observeAgent({ agentId: 'hr', task: `look up EMP-123456 ${'x'.repeat(200)}` }, async () => {
      t.obs.currentLogger()?.info({ employee_number: 42 }, 'found');
    });
    const spans = await t.spans();
    expect(String(spans[0]!.attributes.task)).toContain('***REDACTED***');
    expect(String(spans[0]!.attributes.task)).not.toContain('EMP-123456');
    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const start = logs.find((l) => l.message === 'Starting agent execution')!;
    expect(String(start.task)).not.toContain('EMP-123456');
    expect(String(start.task).length).toBeLessThan(120);
    expect(logs.find((l) => l.message === 'found')!.employee_number).toBe('***REDACTED***');
  });
});

describe('a failing signal', () => {
  it('never breaks the observed operation: a log destination that throws is reported once', async () => {
    const t = await setupForTest({
      logging: {
        level: 'info',
        destination: {
          write: () => {
            throw new Error('disk full');
          },
        },
      },
    });
    cleanups.push(t.obs.shutdown);
    expect(await t.obs.observeAgent({ agentId: 'a' }, async () => 'still works')).toBe('still works');
    await expect(
      t.obs.observeTool({ toolName: 't' }, async () => {
        throw new TypeError('own error');
      }),
    ).rejects.toBeInstanceOf(TypeError);
    expect(t.warnings.filter((w) => w === 'GENXAI_LOG_FAILED')).toHaveLength(1);
    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    expect(
      sampleValue(exposition, METRICS.agentExecutionsTotal.name, { agent_id: 'a', status: 'success' }),
    ).toBe(1);
    expect((await t.spans()).map((s) => s.name).sort()).toEqual(['agent.execute', 'tool.execute']);
  });
});

describe('tracing alone with a usage extractor', () => {
  it('still puts the extracted usage on the span', async () => {
    const t = await setupForTest({ metrics: false, logging: false });
    cleanups.push(t.obs.shutdown);
    await t.obs.observeLLM({ provider: 'p', model: 'm' }, async () => ({ n: [7, 3] }), {
      readResult: (r) => ({ usage: { inputTokens: r.n[0]!, outputTokens: r.n[1]! } }),
    });
    const [span] = await t.spans();
    expect(span!.attributes[ATTR.LLM_TOKENS_TOTAL]).toBe(10);
    expect(t.warnings).toEqual([]);
  });
});

describe('telemetry health on /metrics', () => {
  it('counts exported and failed spans in genxai_telemetry_spans_total, starting at 0', async () => {
    let fail = false;
    const exporter = {
      export(spans: unknown[], done: (result: { code: number }) => void) {
        done({ code: fail ? 1 : 0 });
      },
      shutdown: async () => {},
    };
    const t = await setupForTest({ tracing: { exporter, env: {} }, logging: false });
    cleanups.push(t.obs.shutdown);
    const before = parseExposition((await renderMetrics(t.registry)).body);
    expect(sampleValue(before, SELF_METRICS.telemetrySpansTotal.name, { outcome: 'dropped' })).toBe(0);
    for (let i = 0; i < 3; i++) await t.obs.observeTool({ toolName: 't' }, async () => i);
    await t.obs.forceFlush();
    fail = true;
    for (let i = 0; i < 2; i++) await t.obs.observeTool({ toolName: 't' }, async () => i);
    await t.obs.forceFlush();
    const after = parseExposition((await renderMetrics(t.registry)).body);
    expect(sampleValue(after, SELF_METRICS.telemetrySpansTotal.name, { outcome: 'exported' })).toBe(3);
    expect(sampleValue(after, SELF_METRICS.telemetrySpansTotal.name, { outcome: 'failed' })).toBe(2);
    expect(t.warnings).toContain('GENXAI_SPAN_EXPORT_FAILED');
  });
});
