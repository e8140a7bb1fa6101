import type { GenxaiMetrics } from '@genxai/metrics';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A deterministic stand-in for an LLM provider: seeded latency, usage from the prompt's length. */
export class SimulatedLlm {
  readonly provider = 'openai';
  readonly model = 'gpt-4o-mini';
  constructor(private readonly random: () => number) {}

  async generate(prompt: string): Promise<{
    content: string;
    usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number };
  }> {
    await sleep(10 + Math.floor(this.random() * 40));
    const inputTokens = Math.ceil(prompt.length / 4);
    const outputTokens = 20 + Math.floor(this.random() * 200);
    const cachedInputTokens = this.random() < 0.3 ? Math.floor(inputTokens / 2) : 0;
    return {
      content: `answer(${prompt.slice(0, 24)}…)`.padEnd(outputTokens * 4, '.'),
      usage: { inputTokens, outputTokens, cachedInputTokens },
    };
  }
}

/** An error with a low-cardinality `code`, as real client libraries throw. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Tools the agents call; `web_fetch` fails at the configured rate. */
export function createTools(random: () => number, failureRate: number) {
  return {
    search: async (query: string) => {
      await sleep(5 + Math.floor(random() * 20));
      return [`result for ${query}`, `another result for ${query}`];
    },
    calculator: async (expression: string) => {
      await sleep(1 + Math.floor(random() * 3));
      return expression.length * 7;
    },
    web_fetch: async (url: string) => {
      await sleep(10 + Math.floor(random() * 30));
      if (random() < failureRate) throw new ToolError(`timed out fetching ${url}`, 'ETIMEDOUT');
      return `<html>${url}</html>`;
    },
  };
}

/** An in-process memory store with store, retrieve and search. */
export class MemoryStore {
  private readonly entries = new Map<string, string>();
  readonly type = 'short_term';

  async store(key: string, value: string): Promise<void> {
    await sleep(1);
    this.entries.set(key, value);
  }
  async retrieve(key: string): Promise<string | undefined> {
    await sleep(1);
    return this.entries.get(key);
  }
  async search(term: string): Promise<string[]> {
    await sleep(2);
    return [...this.entries.values()].filter((v) => v.includes(term));
  }
  get sizeBytes(): number {
    let bytes = 0;
    for (const [key, value] of this.entries) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    return bytes;
  }
}

/** One agent role in the workflow. */
interface AgentSpec {
  id: string;
  role: string;
  tool: 'search' | 'calculator' | 'web_fetch';
}

const NODES: { id: string; type: string; agent: AgentSpec }[] = [
  { id: 'plan', type: 'agent', agent: { id: 'planner', role: 'planner', tool: 'calculator' } },
  { id: 'research', type: 'agent', agent: { id: 'researcher', role: 'researcher', tool: 'web_fetch' } },
  { id: 'answer', type: 'agent', agent: { id: 'writer', role: 'writer', tool: 'search' } },
];

/** The demo's agent runtime: a plan → research → answer workflow, recorded through @genxai/metrics. */
export class DemoRuntime {
  private readonly llm: SimulatedLlm;
  private readonly tools: ReturnType<typeof createTools>;
  private readonly memory = new MemoryStore();

  constructor(
    private readonly metrics: GenxaiMetrics,
    private readonly random: () => number,
    failureRate: number,
  ) {
    this.llm = new SimulatedLlm(random);
    this.tools = createTools(random, failureRate);
  }

  /** Runs one workflow for `task`; resolves with the answer or rejects with the failing node's error. */
  runWorkflow(task: string): Promise<string> {
    const workflowId = 'research_assistant';
    return this.metrics.workflow.time({ workflowId }, async () => {
      let context = task;
      for (const node of NODES) {
        context = await this.metrics.node.time({ workflowId, nodeId: node.id }, () =>
          this.runAgent(node.agent, context),
        );
      }
      return context;
    });
  }

  private runAgent(agent: AgentSpec, task: string): Promise<string> {
    return this.metrics.agent.time({ agentId: agent.id }, async () => {
      const recalled = await this.memoryOp('search', () => this.memory.search(task.slice(0, 8)));
      const prompt = `You are the ${agent.role}. Task: ${task}. Notes: ${recalled.join(' ')}`;
      const response = await this.metrics.llm.time(
        { provider: this.llm.provider, model: this.llm.model },
        () => this.llm.generate(prompt),
        {
          onSuccess: (r) => ({ usage: r.usage }),
        },
      );
      let toolResult: unknown;
      try {
        toolResult = await this.metrics.tool.time({ toolName: agent.tool }, () =>
          this.tools[agent.tool](task),
        );
      } catch (error) {
        // The researcher retries a failed fetch once with search; a second failure fails the agent.
        if (agent.tool !== 'web_fetch' || this.random() < 0.5) throw error;
        toolResult = await this.metrics.tool.time({ toolName: 'search' }, () => this.tools.search(task));
      }
      const key = `${agent.id}:${task.slice(0, 16)}:${this.random().toString(36).slice(2, 6)}`;
      await this.memoryOp('store', () =>
        this.memory.store(key, `${response.content.slice(0, 64)} ${String(toolResult).slice(0, 64)}`),
      );
      await this.memoryOp('retrieve', () => this.memory.retrieve(key));
      this.metrics.memory.setSize({ agentId: agent.id, memoryType: this.memory.type }, this.memory.sizeBytes);
      return `${agent.role}: ${response.content.slice(0, 32)}`;
    });
  }

  private memoryOp<T>(operationType: string, fn: () => Promise<T>): Promise<T> {
    return this.metrics.memory.time({ operationType, memoryType: this.memory.type }, fn);
  }
}
