// Hostile but realistic input, in every argument of every wrapper: the user's function always runs,
// its result or error reaches the caller unchanged, nothing wrong is recorded, the exposition stays
// valid for promtool, and each problem is reported once.
import { METRICS, renderMetrics } from '@genxai/metrics';
import type { OperationKind, OperationKinds } from '@genxai/obs-core';
import { findSamples, parseExposition, requireBinary, runPromtool } from '@genxai/test-utils';
import { ATTR } from '@genxai/tracing';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Observability } from './setup';
import { setupForTest, type TestSignals } from './test-signals';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
async function setup() {
  const t = await setupForTest();
  cleanups.push(t.obs.shutdown);
  return t;
}

const promtool = requireBinary('promtool');
if (!promtool && process.env.CI === 'true') throw new Error('promtool is required under CI=true');

/** An object every read of which throws. */
const trap = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error('hostile get');
      },
      has() {
        throw new Error('hostile has');
      },
      ownKeys() {
        throw new Error('hostile ownKeys');
      },
      getPrototypeOf() {
        throw new Error('hostile getPrototypeOf');
      },
      getOwnPropertyDescriptor() {
        throw new Error('hostile descriptor');
      },
    },
  );
const throwingGetter = <T extends object>(base: T, key: string) =>
  Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get() {
      throw new TypeError(`cannot read ${key}`);
    },
  }) as T;

type Wrap = (obs: Observability, info: unknown, fn: () => unknown) => Promise<unknown>;
const wrappers: Record<OperationKind, Wrap> = {
  agent: (obs, info, fn) => obs.observeAgent(info as OperationKinds['agent'], fn),
  tool: (obs, info, fn) => obs.observeTool(info as OperationKinds['tool'], fn),
  llm: (obs, info, fn) => obs.observeLLM(info as OperationKinds['llm'], fn),
  memory: (obs, info, fn) => obs.observeMemory(info as OperationKinds['memory'], fn),
  workflow: (obs, info, fn) => obs.observeWorkflow(info as OperationKinds['workflow'], fn),
  node: (obs, info, fn) => obs.observeNode(info as OperationKinds['node'], fn),
};
const validInfo: { [K in OperationKind]: OperationKinds[K] } = {
  agent: { agentId: 'a', role: 'r', task: 't' },
  tool: { toolName: 't', parameters: { q: 1 } },
  llm: { provider: 'openai', model: 'gpt-4o', prompt: 'p' },
  memory: { operationType: 'search', memoryType: 'vector' },
  workflow: { workflowId: 'w' },
  node: { workflowId: 'w', nodeId: 'n' },
};
const firstField: Record<OperationKind, string> = {
  agent: 'agentId',
  tool: 'toolName',
  llm: 'provider',
  memory: 'operationType',
  workflow: 'workflowId',
  node: 'nodeId',
};

/** Asserts the exposition parses and promtool accepts it (exit 0, or 3 for lint warnings only). */
async function expectValidExposition(t: TestSignals) {
  const { body } = await renderMetrics(t.registry, 'prometheus');
  expect(() => parseExposition(body)).not.toThrow();
  if (promtool) {
    const result = runPromtool(promtool, ['check', 'metrics'], body);
    expect([0, 3], `${result.stdout}\n${result.stderr}`).toContain(result.status);
  }
}

const kinds = Object.keys(wrappers) as OperationKind[];

describe('hostile info objects', () => {
  const cases: [string, (kind: OperationKind) => unknown][] = [
    ['a Proxy whose every trap throws', () => trap()],
    [
      'a throwing getter on the identifying field',
      (kind) => throwingGetter(validInfo[kind], firstField[kind]),
    ],
    ['null', () => null],
    ['a number', () => 42],
    ['wrong field types', (kind) => ({ [firstField[kind]]: { nested: true }, prompt: 7, task: 10n })],
    [
      'a 10 KB value with quotes, newlines and control characters',
      (kind) => ({
        ...validInfo[kind],
        [firstField[kind]]: `"x"\n\u0001\\${'v'.repeat(10_000)}`,
      }),
    ],
  ];
  for (const kind of kinds) {
    it.each(cases)(`observe ${kind} with %s still runs fn and returns its result`, async (_name, make) => {
      const t = await setup();
      const result = { unique: Symbol('result') };
      let ran = 0;
      const call = () =>
        wrappers[kind](t.obs, make(kind), () => {
          ran++;
          return result;
        });
      await expect(call()).resolves.toBe(result);
      const afterFirst = [...t.warnings];
      await expect(call()).resolves.toBe(result);
      expect(ran).toBe(2);
      await expectValidExposition(t);
      // Each problem is reported once: the same input again reports nothing new.
      expect(t.warnings).toEqual(afterFirst);
    });
  }

  it('reports a hostile info once however many calls there are', async () => {
    const t = await setup();
    for (let i = 0; i < 50; i++) await t.obs.observeAgent(trap() as never, async () => i);
    const codes = t.warnings.filter((code) => code === 'GENXAI_SPAN_FAILED');
    expect(codes).toHaveLength(1);
  });
});

describe('hostile throws', () => {
  const circular = new Error('outer');
  (circular as { cause?: unknown }).cause = circular;
  const throwingMessage = Object.defineProperty(new Error('x'), 'message', {
    get() {
      throw new Error('message getter');
    },
  });
  const throws: [string, () => unknown, string][] = [
    ['a string', () => 'plain string', 'Error'],
    ['a number', () => 42, 'Error'],
    ['null', () => null, 'Error'],
    ['undefined', () => undefined, 'Error'],
    ['a symbol', () => Symbol('s'), 'Error'],
    ['a plain object', () => ({ reason: 'x' }), 'Error'],
    ['an object with a code', () => ({ code: 'ECONNRESET' }), 'ECONNRESET'],
    ['a Proxy whose every trap throws', () => trap(), 'Error'],
    ['an Error whose message getter throws', () => throwingMessage, 'Error'],
    ['an Error with a circular cause', () => circular, 'Error'],
    ['an AggregateError', () => new AggregateError([new Error('a'), 'b'], 'many'), 'AggregateError'],
    ['a frozen TypeError', () => Object.freeze(new TypeError('frozen')), 'TypeError'],
    [
      'an Error with a 10 KB code',
      () => Object.assign(new Error('x'), { code: 'E'.repeat(10_000) }),
      'E'.repeat(256),
    ],
  ];
  it.each(throws)(
    'observeTool rethrows %s unchanged and records it as a failure',
    async (_name, make, type) => {
      const t = await setup();
      const thrown = make();
      let caught: unknown = 'nothing';
      try {
        await t.obs.observeTool({ toolName: 't' }, () => {
          throw thrown;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(thrown);
      const [span] = await t.spans();
      expect(span!.status.code).toBe(SpanStatusCode.ERROR);
      expect(span!.attributes[ATTR.STATUS]).toBe('error');
      const exposition = parseExposition((await renderMetrics(t.registry)).body);
      const errors = findSamples(exposition, METRICS.toolErrorsTotal.name).filter((s) => s.value === 1);
      expect(errors.map((s) => s.labels.error_type)).toEqual([type]);
      await expectValidExposition(t);
    },
  );

  it('rethrows an async rejection with a hostile value unchanged', async () => {
    const t = await setup();
    const thrown = trap();
    await expect(t.obs.observeAgent({ agentId: 'a' }, async () => Promise.reject(thrown))).rejects.toBe(
      thrown,
    );
  });
});

describe('hostile LLM results', () => {
  const results: [string, () => unknown, boolean][] = [
    ['a throwing usage getter', () => throwingGetter({ content: 'x', usage: {} }, 'usage'), false],
    // `then` must be readable, or awaiting the result throws in the caller's own code, observed or not.
    [
      'a Proxy result',
      () =>
        new Proxy(
          {},
          {
            get: (_t, key) => (key === 'then' ? undefined : trap()),
            ownKeys: () => {
              throw new Error('hostile ownKeys');
            },
          },
        ),
      false,
    ],
    ['NaN token counts', () => ({ usage: { prompt_tokens: Number.NaN, completion_tokens: 1 } }), false],
    [
      'Infinity token counts',
      () => ({ usage: { prompt_tokens: Number.POSITIVE_INFINITY, completion_tokens: 1 } }),
      false,
    ],
    ['negative token counts', () => ({ usage: { prompt_tokens: -5, completion_tokens: 1 } }), false],
    [
      'cached tokens above the input',
      () => ({
        usage: { prompt_tokens: 1, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 9 } },
      }),
      false,
    ],
    [
      'a 5 MB completion',
      () => ({ content: 'c'.repeat(5_000_000), usage: { prompt_tokens: 3, completion_tokens: 4 } }),
      true,
    ],
  ];
  it.each(results)(
    'observeLLM with %s returns it and still counts the request',
    async (_name, make, hasUsage) => {
      const t = await setup();
      const result = make();
      await expect(
        t.obs.observeLLM({ provider: 'openai', model: 'gpt-4o' }, async () => result),
      ).resolves.toBe(result);
      const exposition = parseExposition((await renderMetrics(t.registry)).body);
      const requests = findSamples(exposition, METRICS.llmRequestsTotal.name).filter((s) => s.value === 1);
      expect(requests.map((s) => s.labels.status)).toEqual(['success']);
      const tokens = findSamples(exposition, METRICS.llmTokensTotal.name).filter((s) => s.value > 0);
      expect(tokens.length > 0).toBe(hasUsage);
      const finish = t.logs().find((line) => line.message === 'LLM request completed');
      expect(finish?.status).toBe('success');
      await expectValidExposition(t);
    },
  );

  it('a custom reader that throws loses only its own fields', async () => {
    const t = await setup();
    await t.obs.observeLLM(
      { provider: 'openai', model: 'gpt-4o' },
      async () => ({ content: 'x', usage: { prompt_tokens: 3, completion_tokens: 4 } }),
      {
        readResult: (r) => {
          // @ts-expect-error: a user's mistake, reading a field the result does not have
          return { usage: { inputTokens: r.usage.missing.x, outputTokens: 1 } };
        },
      },
    );
    const exposition = parseExposition((await renderMetrics(t.registry)).body);
    const prompt = findSamples(exposition, METRICS.llmTokensTotal.name).find(
      (s) => s.labels.token_type === 'prompt',
    );
    expect(prompt?.value).toBe(3);
    expect(t.warnings.filter((code) => code === 'GENXAI_OBSERVE_BAD_RESULT')).toHaveLength(1);
  });
});

describe('huge payloads', () => {
  it('captures a 200k-row tool result and a 1M-key parameter object in bounded output', async () => {
    const t = await setup();
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `row-${i}` }));
    const wide: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) wide[`k${i}`] = i;
    const work = async () => rows;
    const plainStart = performance.now();
    await work();
    const plainMillis = performance.now() - plainStart;
    const observedStart = performance.now();
    await expect(t.obs.observeTool({ toolName: 'sql', parameters: wide }, work)).resolves.toBe(rows);
    const observedMillis = performance.now() - observedStart;
    // A figure for docs/reliability.md, not an assertion: the cost is bounded by what is kept.
    console.log(
      `huge payloads: plain ${plainMillis.toFixed(2)} ms, observed ${observedMillis.toFixed(1)} ms ` +
        '(a 1M-key parameter object and a 200k-row result)',
    );
    const [span] = await t.spans();
    expect((span!.attributes[ATTR.TOOL_PARAMETERS] as string).length).toBeLessThan(1100);
    // Past the measuring bound the size is left out rather than paid for.
    expect(span!.attributes[ATTR.TOOL_RESULT_SIZE]).toBeUndefined();
  });

  it('measures a result under the bound exactly', async () => {
    const t = await setup();
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: i }));
    await t.obs.observeTool({ toolName: 'sql' }, async () => rows);
    const [span] = await t.spans();
    expect(span!.attributes[ATTR.TOOL_RESULT_SIZE]).toBe(JSON.stringify(rows).length);
  });
});

describe('misspelt options', () => {
  it.each([
    [{ tracng: {} }, /Unknown option "tracng" of setupObservability\. Did you mean "tracing"\?/],
    [{ metrics: { maxLabelSetPerMetric: 5 } }, /Did you mean "maxLabelSetsPerMetric"\?/],
    [{ logging: { levle: 'info' } }, /Unknown option "levle" of createLogger\. Did you mean "level"\?/],
  ])('throw at setup: %j', async (options, message) => {
    await expect(setupForTest(options as never)).rejects.toThrow(message);
  });
});
