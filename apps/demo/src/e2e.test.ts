// End to end: the demo runs as a user runs it (a child process), and what it emits is checked
// where it lands: a real Prometheus, trace exporters' wire bytes decoded by third-party decoders,
// and its JSON log lines.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { METRICS, STREAM_METRICS } from '@genxai/metrics';
import {
  decodeCollectorBody,
  decodeOtlpProtobuf,
  freePort,
  hex,
  otlpAttributes,
  otlpSpans,
  requireBinary,
  startHttpSink,
  startPrometheus,
  substituteGrafanaMacros,
  type TestPrometheus,
  tagsOf,
  waitFor,
} from '@genxai/test-utils';
import { ATTR } from '@genxai/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANTED_SECRETS } from './secrets';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);
const SECRETS = Object.values(PLANTED_SECRETS);

/** The environment without any tracing configuration of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  return { ...env, LOG_LEVEL: 'debug', NODE_ENV: 'production', ...extra };
}

function parseLogLines(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split('\n').filter((line) => line !== '');
  expect(lines.length).toBeGreaterThan(0);
  return lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`A log line is not JSON: ${line}`);
    }
  });
}

/** The committed dashboards, and the variable values the panels are queried with. */
const DASHBOARDS: Record<string, Record<string, string>> = {
  'genxai_overview.json': {},
  'genxai_agent.json': { agent_id: 'researcher' },
};

interface DashboardJson {
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string; type: string; query?: string | { query?: string } }[] };
}

const readDashboard = (file: string) =>
  JSON.parse(readFileSync(join(root, 'dashboards', file), 'utf8')) as DashboardJson;

const DASHBOARD_PANELS = Object.entries(DASHBOARDS).flatMap(([file, variables]) =>
  readDashboard(file)
    .panels.filter((panel) => panel.type !== 'row')
    .map((panel) => ({
      file,
      title: panel.title,
      targets: (panel.targets ?? []).map((target) => target.expr),
      variables,
    })),
);

const DASHBOARD_VARIABLES = Object.entries(DASHBOARDS).flatMap(([file, variables]) =>
  readDashboard(file)
    .templating.list.filter((variable) => variable.type === 'query')
    .map((variable) => ({
      file,
      name: variable.name,
      query: typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? ''),
      variables,
    })),
);

const prometheusBinary = requireBinary('prometheus');

describe.skipIf(!prometheusBinary)('the demo scraped by a real Prometheus', () => {
  let prometheus: TestPrometheus;
  let demo: ChildProcessWithoutNullStreams;
  let stdout = '';
  let stderr = '';
  let directory: string;
  const tasks = 60;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'genxai-e2e-'));
    // The committed rule file, evaluated every second instead of every 30 s so the test need not wait.
    const rules = readFileSync(join(root, 'alerts/genxai_alerts.yml'), 'utf8').replace(
      /interval: 30s/g,
      'interval: 1s',
    );
    writeFileSync(join(directory, 'rules.yml'), rules);
    const port = await freePort();
    // Prometheus first, so it scrapes while the workload runs and rates have something to show.
    prometheus = await startPrometheus(prometheusBinary!, {
      targets: [{ job: 'genxai', target: `127.0.0.1:${port}` }],
      ruleFiles: [join(directory, 'rules.yml')],
    });
    demo = spawn(
      process.execPath,
      [
        main,
        '--serve',
        '--port',
        String(port),
        '--tasks',
        String(tasks),
        '--seed',
        '11',
        '--failure-rate',
        '0.5',
      ],
      { env: cleanEnv() },
    );
    demo.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    demo.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await waitFor(
      'the demo to finish its workload',
      async () => (stderr.includes('Still serving') ? true : undefined),
      {
        timeout: 60_000,
      },
    );
    // Wait for a scrape taken after the last workflow ended, and for two samples in a rate window.
    await waitFor('Prometheus to see every workflow', async () => {
      const result = await prometheus.query(`sum(${METRICS.workflowExecutionsTotal.name})`);
      return Number(result[0]?.value[1]) === tasks ? true : undefined;
    });
    await waitFor('a rate over the scraped samples', async () => {
      const result = await prometheus.query(`rate(${METRICS.workflowExecutionsTotal.name}[1m])`);
      return result.length > 0 ? true : undefined;
    });
  }, 120_000);

  afterAll(async () => {
    if (demo && demo.exitCode === null) demo.kill('SIGKILL');
    await prometheus?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('has data for every metric of the plan, and the time to first token of the streamed LLM calls', async () => {
    for (const definition of [...Object.values(METRICS), ...Object.values(STREAM_METRICS)]) {
      const name = definition.type === 'histogram' ? `${definition.name}_count` : definition.name;
      const result = await prometheus.query(`${name}{job="genxai"}`);
      expect(result.length, `${name} has series`).toBeGreaterThan(0);
    }
  });

  // Every panel of both committed dashboards, each its own test so the report lists what was checked.
  // The agent dashboard drills into one agent: `researcher` calls tools (one of them flaky) and the LLM.
  it.each(DASHBOARD_PANELS)('$file: panel "$title" returns data', async ({ targets, variables }) => {
    expect(targets.length).toBeGreaterThan(0);
    for (const expr of targets) {
      // Windows that hold the whole workload, which ended moments ago.
      const query = substituteGrafanaMacros(expr, '5m', { range: '10m', variables });
      const result = await prometheus.query(query);
      // A value, not only NaN (a ratio of nothing to nothing, a quantile of no observations): a line to draw.
      expect(
        result.filter((sample) => !Number.isNaN(Number(sample.value[1]))).length,
        `${query} → ${JSON.stringify(result)}`,
      ).toBeGreaterThan(0);
    }
  });

  it.each(DASHBOARD_VARIABLES)('$file: variable "$name" offers values', async ({ query, variables }) => {
    const [, selector, label] = /^label_values\((.+), (\w+)\)$/s.exec(query)!;
    // Only series that carry the label: a group by a label no series has would still be one group.
    const withLabel = selector!.endsWith('}')
      ? `${selector!.slice(0, -1)}, ${label}!=""}`
      : `${selector}{${label}!=""}`;
    const result = await prometheus.query(
      `count by (${label}) (${substituteGrafanaMacros(withLabel, '5m', { variables })})`,
    );
    expect(result.length, query).toBeGreaterThan(0);
  });

  it('checks every panel and variable of both dashboards', () => {
    expect(new Set(DASHBOARD_PANELS.map((panel) => panel.file))).toEqual(new Set(Object.keys(DASHBOARDS)));
    expect(DASHBOARD_PANELS.length).toBeGreaterThanOrEqual(30);
    expect(DASHBOARD_VARIABLES.map((variable) => variable.name)).toContain('provider');
  });

  it('loads the alert rules with no evaluation errors', async () => {
    type Rule = { name: string; health: string; lastError?: string };
    const rules = await waitFor('every rule to be evaluated', async () => {
      const data = await prometheus.api<{ groups: { rules: Rule[] }[] }>('/api/v1/rules');
      const all = data.groups.flatMap((group) => group.rules);
      return all.length > 0 && all.every((rule) => rule.health !== 'unknown') ? all : undefined;
    });
    expect(rules.map((rule) => rule.name)).toContain('SlowAgentExecution');
    for (const rule of rules)
      expect({ name: rule.name, health: rule.health, error: rule.lastError ?? '' }).toEqual({
        name: rule.name,
        health: 'ok',
        error: '',
      });
  });

  it('stops on SIGTERM with exit code 0 and logs only parseable, secret-free lines', async () => {
    const exit = new Promise<number | null>((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    expect(await exit).toBe(0);
    const logs = parseLogLines(stdout);
    expect(
      logs.filter(
        (l) => l.message === 'Workflow execution completed' || l.message === 'Workflow execution failed',
      ),
    ).toHaveLength(tasks);
    for (const secret of SECRETS) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  });
});

/** A span decoded from the wire, whatever the protocol. */
interface WireSpan {
  /** The service that sent it: the demo, or its MCP tool server (`genxai-demo-tools`). */
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

describe.each(['otlp', 'jaeger'] as const)('the demo exporting traces over %s', (protocol) => {
  let spans: WireSpan[];
  let logs: Record<string, unknown>[];
  let stderr: string;
  let rawBodies: Buffer[];

  beforeAll(async () => {
    const sink = await startHttpSink();
    try {
      const env: Record<string, string> =
        protocol === 'otlp'
          ? { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sink.url}/v1/traces` }
          : { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_ENDPOINT: `${sink.url}/api/traces` };
      const result = await run(
        process.execPath,
        // Seed 12 has failed tool calls and failed LLM calls (the embedded server's 429s and 500s).
        [main, '--tasks', '6', '--seed', '12', '--failure-rate', '0.5', '--port', '0'],
        {
          env: cleanEnv(env),
          timeout: 60_000,
        },
      );
      stderr = result.stderr;
      logs = parseLogLines(result.stdout);
      rawBodies = sink.requests.map((r) => r.body);
      if (protocol === 'otlp') {
        spans = sink.requests.flatMap((r) =>
          decodeOtlpProtobuf(r.body).resourceSpans.flatMap((resourceSpans) => {
            const service = String(otlpAttributes(resourceSpans.resource.attributes)['service.name']);
            return otlpSpans([{ resourceSpans: [resourceSpans] }]).map((span) => ({
              service,
              traceId: hex(span.traceId),
              spanId: hex(span.spanId),
              parentSpanId: span.parentSpanId?.length ? hex(span.parentSpanId) : '',
              name: span.name,
              attributes: otlpAttributes(span.attributes),
            }));
          }),
        );
      } else {
        spans = sink.requests
          .map((r) => decodeCollectorBody(r.body))
          .flatMap((batch) => batch.spans.map((span) => ({ span, service: batch.process.serviceName })))
          .map(({ span, service }) => ({
            service,
            traceId: span.traceIdHigh.toString('hex') + span.traceIdLow.toString('hex'),
            spanId: span.spanId.toString('hex'),
            parentSpanId: span.parentSpanId.equals(Buffer.alloc(8)) ? '' : span.parentSpanId.toString('hex'),
            name: span.operationName,
            attributes: tagsOf(span),
          }));
      }
    } finally {
      await sink.close();
    }
  }, 90_000);

  it('loses no span: the wire carries every span that ended', () => {
    const match = /Spans: (\d+) ended, (\d+) exported, 0 failed, 0 dropped/.exec(stderr);
    expect(match, stderr).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(50);
    const demoSpans = spans.filter((s) => s.service === 'genxai-demo');
    expect(demoSpans).toHaveLength(Number(match![1]));
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
  });

  it("joins its MCP tool server's spans (another process, the same exporter) to the demo's traces", () => {
    const served = spans.filter((s) => s.service === 'genxai-demo-tools' && s.name === 'tools/call search');
    expect(served.length).toBeGreaterThan(0);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const span of served) {
      const parent = byId.get(span.parentSpanId);
      expect(parent, 'the server span has its parent in the trace').toBeDefined();
      expect(parent).toMatchObject({ service: 'genxai-demo', name: 'tool.execute', traceId: span.traceId });
      expect(parent!.attributes).toMatchObject({
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': 'search',
      });
      expect(span.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'network.transport': 'pipe' });
    }
  });

  it('carries complete workflow → node → agent → llm/tool/memory trees', () => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const children = (span: WireSpan) => spans.filter((s) => s.parentSpanId === span.spanId);
    const workflows = spans.filter((s) => s.name === 'workflow.execute');
    expect(workflows).toHaveLength(6);
    for (const workflow of workflows) {
      expect(workflow.parentSpanId).toBe('');
      expect(workflow.attributes[ATTR.WORKFLOW_ID]).toBe('research_assistant');
      const nodes = children(workflow);
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes[0]!.name).toBe('node.plan');
      for (const node of nodes) {
        expect(node.name).toMatch(/^node\.(plan|research|answer)$/);
        const [agent, ...rest] = children(node);
        expect(rest).toHaveLength(0);
        expect(agent!.name).toBe('agent.execute');
        expect(agent!.attributes).toMatchObject({
          [ATTR.AGENT_ID]: expect.any(String),
          'gen_ai.operation.name': 'invoke_agent',
        });
        const names = children(agent!).map((s) => s.name);
        expect(names).toContain('memory.search');
        const llm = children(agent!).find((s) => s.name === 'llm.generate');
        expect(llm, `${node.name} has an llm.generate span`).toBeDefined();
        // An agent whose LLM call failed stops there; the others go on to their tool.
        if (llm!.attributes.status !== 'error') expect(names).toContain('tool.execute');
      }
    }
    // Recorded by @genxai/openai from the openai SDK's streamed chat completions.
    const llm = spans.find(
      (s) =>
        s.name === 'llm.generate' &&
        s.attributes.status === 'success' &&
        s.attributes['gen_ai.request.model'] === 'gpt-4o-mini',
    )!;
    expect(llm.attributes).toMatchObject({
      [ATTR.LLM_PROVIDER]: 'openai',
      [ATTR.LLM_MODEL]: 'gpt-4o-mini',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.stream': true,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': expect.stringMatching(/^chatcmpl-/),
    });
    expect(Number(llm.attributes['gen_ai.response.time_to_first_chunk'])).toBeGreaterThan(0.005);
    expect(Number(llm.attributes[ATTR.LLM_TOKENS_TOTAL])).toBe(
      Number(llm.attributes[ATTR.LLM_TOKENS_PROMPT]) + Number(llm.attributes[ATTR.LLM_TOKENS_COMPLETION]),
    );
    expect(Number(llm.attributes['gen_ai.usage.input_tokens'])).toBe(
      Number(llm.attributes[ATTR.LLM_TOKENS_PROMPT]),
    );
    const tool = spans.find((s) => s.name === 'tool.execute')!;
    expect(tool.attributes).toMatchObject({
      [ATTR.TOOL_NAME]: expect.any(String),
      'gen_ai.tool.name': expect.any(String),
    });
    expect(byId.size).toBe(spans.length);
  });

  it('records failures on the spans', () => {
    const failedTools = spans.filter(
      (s) => s.name === 'tool.execute' && s.attributes[ATTR.ERROR_TYPE] !== undefined,
    );
    expect(failedTools.length).toBeGreaterThan(0);
    expect(failedTools[0]!.attributes[ATTR.ERROR_TYPE]).toBe('ETIMEDOUT');
    const failedLlm = spans.filter((s) => s.name === 'llm.generate' && s.attributes.status === 'error');
    expect(failedLlm.length).toBeGreaterThan(0);
    for (const span of failedLlm)
      expect(['rate_limit_exceeded', 'InternalServerError']).toContain(span.attributes[ATTR.ERROR_TYPE]);
  });

  it('correlates log lines with spans that were really exported', () => {
    const exported = new Map(spans.map((s) => [s.spanId, s]));
    const inSpans = logs.filter((line) => line.trace_id !== undefined);
    expect(inSpans.length).toBeGreaterThan(50);
    for (const line of inSpans) {
      const span = exported.get(String(line.span_id));
      expect(span, `log line "${String(line.message)}" points at span ${String(line.span_id)}`).toBeDefined();
      expect(span!.traceId).toBe(line.trace_id);
    }
  });

  it('leaks none of the planted secrets into spans or logs', () => {
    const everything = [
      JSON.stringify(spans),
      JSON.stringify(logs),
      stderr,
      ...rawBodies.map((b) => b.toString('latin1')),
    ].join('\n');
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(JSON.stringify(spans)).toContain('***REDACTED***');
  });
});
