import type { Observability } from '@genxai/observability';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { DemoLlm } from './llm';
import type { McpTools } from './mcp-tools';
import { PLANTED_SECRETS } from './secrets';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** The tool names the agents call. */
export type ToolName = 'search' | 'calculator' | 'web_fetch';

/** The agents' tools; `web_fetch` fails at the configured rate, `search` is served over MCP by another process. */
export class ToolRegistry {
  constructor(
    private readonly random: () => number,
    private readonly failureRate: number,
    private readonly mcp: McpTools,
  ) {}

  async call(name: ToolName, parameters: Record<string, unknown>): Promise<unknown> {
    switch (name) {
      case 'search':
        return this.mcp.call('search', parameters);
      case 'calculator':
        await sleep(1 + Math.floor(this.random() * 3));
        return String(parameters.expression).length * 7;
      case 'web_fetch':
        await sleep(10 + Math.floor(this.random() * 30));
        if (this.random() < this.failureRate)
          throw new ToolError(`timed out fetching ${String(parameters.url)}`, 'ETIMEDOUT');
        return `<html>${String(parameters.url)}</html>`;
    }
  }
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
    return [...this.entries.values()].filter((v) => v.includes(term)).slice(0, 3);
  }
  get sizeBytes(): number {
    let bytes = 0;
    for (const [key, value] of this.entries) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    return bytes;
  }
}

interface AgentSpec {
  id: string;
  role: string;
  tool: ToolName;
}

const WORKFLOW_ID = 'research_assistant';
const NODES: { id: string; agent: AgentSpec }[] = [
  { id: 'plan', agent: { id: 'planner', role: 'planner', tool: 'calculator' } },
  { id: 'research', agent: { id: 'researcher', role: 'researcher', tool: 'web_fetch' } },
  { id: 'answer', agent: { id: 'writer', role: 'writer', tool: 'search' } },
];

// Bounds what a real model behind --llm-base-url writes per call.
const MAX_TOKENS = 256;

/**
 * The demo's agent runtime: a plan → research → answer workflow whose nodes run
 * agents that call the LLM, tools and memory. The LLM is an OpenAI client observed
 * by `instrumentOpenAI`; the tools and memory are observed with `instrument()` (the `search` tool is
 * served over MCP by a child process, traced with `@genxai/mcp` into the same trace),
 * without changing their code; the workflow, nodes and agents with the `observe*`
 * wrappers.
 */
export class DemoRuntime {
  private readonly tools: ToolRegistry;
  private readonly memory: MemoryStore;

  constructor(
    private readonly obs: Observability,
    private readonly random: () => number,
    failureRate: number,
    private readonly llm: DemoLlm,
    mcp: McpTools,
  ) {
    this.tools = obs.instrument(new ToolRegistry(random, failureRate, mcp), {
      call: { kind: 'tool', info: (_, name, parameters) => ({ toolName: name, parameters }) },
    });
    const memoryInfo = (operationType: string) => ({
      kind: 'memory' as const,
      info: (self: MemoryStore) => ({ operationType, memoryType: self.type }),
    });
    this.memory = obs.instrument(new MemoryStore(), {
      store: memoryInfo('store'),
      retrieve: memoryInfo('retrieve'),
      search: memoryInfo('search'),
    });
  }

  /** Runs one workflow for `task`; resolves with the answer or rejects with the failing node's error. */
  runWorkflow(task: string): Promise<string> {
    return this.obs.observeWorkflow({ workflowId: WORKFLOW_ID }, async () => {
      let context = task;
      for (const node of NODES) {
        context = await this.obs.observeNode(
          { workflowId: WORKFLOW_ID, nodeId: node.id, type: 'agent' },
          () => this.runAgent(node.agent, context),
        );
      }
      return context;
    });
  }

  private runAgent(agent: AgentSpec, task: string): Promise<string> {
    return this.obs.observeAgent({ agentId: agent.id, role: agent.role, task }, async () => {
      const notes = await this.memory.search(task.slice(0, 8));
      // A leaked credential in the prompt, as happens in real agents: it must be redacted everywhere.
      const model = agent.id === 'writer' ? this.llm.writerModel : this.llm.model;
      const content = await this.complete(model, [
        { role: 'system', content: `You are the ${agent.role} of a research assistant. Be brief.` },
        {
          role: 'user',
          content: `Task: ${task}\nNotes: ${notes.join(' ')}\nAuthorization: Bearer ${PLANTED_SECRETS.bearerToken}`,
        },
      ]);
      let toolResult: unknown;
      try {
        toolResult = await this.tools.call(agent.tool, this.toolParameters(agent.tool, task));
      } catch (error) {
        // The researcher falls back to search once in a while; otherwise the agent fails.
        if (agent.tool !== 'web_fetch' || this.random() < 0.5) throw error;
        toolResult = await this.tools.call('search', this.toolParameters('search', task));
      }
      const key = `${agent.id}:${this.random().toString(36).slice(2, 8)}`;
      await this.memory.store(key, `${content.slice(0, 48)} ${String(toolResult).slice(0, 48)}`);
      await this.memory.retrieve(key);
      this.obs.metrics?.memory.setSize(
        { agentId: agent.id, memoryType: this.memory.type },
        this.memory.sizeBytes,
      );
      this.obs.currentLogger()?.debug({ notes: notes.length }, 'Agent used its notes');
      return `${agent.role}: ${content.slice(0, 40)}`;
    });
  }

  /** One chat completion, streamed (read to its end, as an agent does) unless --no-stream. */
  private async complete(model: string, messages: ChatCompletionMessageParam[]): Promise<string> {
    const { client } = this.llm;
    if (!this.llm.stream) {
      const completion = await client.chat.completions.create({ model, messages, max_tokens: MAX_TOKENS });
      return completion.choices[0]?.message.content ?? '';
    }
    const stream = await client.chat.completions.create({
      model,
      messages,
      max_tokens: MAX_TOKENS,
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
    return content;
  }

  private toolParameters(tool: ToolName, task: string): Record<string, unknown> {
    switch (tool) {
      case 'search':
        return { query: task.slice(0, 40), api_key: PLANTED_SECRETS.openAiKey };
      case 'calculator':
        return { expression: `${task.length} * 7` };
      case 'web_fetch':
        return {
          url: `https://demo:${PLANTED_SECRETS.password}@example.com/${task.length}`,
          aws_key: PLANTED_SECRETS.awsAccessKey,
        };
    }
  }
}
