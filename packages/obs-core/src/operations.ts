/**
 * The six operations GenXAI Observability records, each described once. Every
 * signal package takes these same shapes: `@genxai/metrics` reads their labels,
 * `@genxai/tracing` their span attributes, `@genxai/logging` (through the
 * umbrella) their log context.
 */

/** An agent execution: metric label `agent_id`; span `agent.execute`; log `agent_id`. */
export interface AgentOperation {
  /** Label `agent_id`; span attributes `agent.id` and `gen_ai.agent.id`. */
  agentId: string;
  /** Span attribute `agent.role`; log field `agent_role`. */
  role?: string;
  /** Span attribute `gen_ai.agent.name`. @default agentId */
  name?: string;
  /** The task: user content, recorded redacted and truncated on the span and the start log line. */
  task?: unknown;
}

/** A tool call: label `tool_name`; span `tool.execute`. */
export interface ToolOperation {
  /** Label `tool_name`; span attributes `tool.name` and `gen_ai.tool.name`. */
  toolName: string;
  /** Span attribute `tool.parameters`: user content, recorded redacted and truncated. */
  parameters?: unknown;
  /** Span attribute `gen_ai.tool.call.id`, the id the model gave the call. */
  callId?: string;
  /**
   * Label `agent_id` of `genxai_tool_calls_total`: the agent the call is counted against.
   * `@genxai/observability` fills it from the enclosing `observeAgent` when absent; set it to
   * attribute the call yourself. Absent outside an agent.
   */
  agentId?: string;
  /**
   * The tool is called over the Model Context Protocol (`@genxai/mcp` sets this): the span is the
   * conventions' MCP span (`tools/call {toolName}`, CLIENT or SERVER, `mcp.*` attributes), the log
   * context gains `mcp_method` and `mcp_session_id`, and `mcp_{client,server}_operation_duration_seconds`
   * is recorded beside the tool metrics.
   */
  mcp?: McpOperation;
}

/**
 * One MCP request, sent (`client`) or handled (`server`), as the OpenTelemetry MCP conventions
 * describe it. A `tools/call` is recorded as a {@link ToolOperation} carrying this; every other
 * request on its own (span and `mcp_*_operation_duration_seconds`).
 * @see https://github.com/open-telemetry/semantic-conventions/blob/main/docs/gen-ai/mcp.md
 */
export interface McpOperation {
  /** `client`: the request is sent (a CLIENT span); `server`: it is handled (a SERVER span). */
  side: 'client' | 'server';
  /** `mcp.method.name`: `tools/call`, `tools/list`, `resources/read`, `prompts/get`, … */
  method: string;
  /** `gen_ai.tool.name`, for `tools/call`. */
  toolName?: string;
  /** `gen_ai.prompt.name`, for `prompts/get`. */
  promptName?: string;
  /** `mcp.resource.uri`, for `resources/*` (on the span only: it is not a label). */
  resourceUri?: string;
  /** `mcp.session.id`, when the transport has a session (Streamable HTTP). */
  sessionId?: string;
  /** `mcp.protocol.version`, as negotiated at `initialize`. */
  protocolVersion?: string;
  /** `jsonrpc.request.id`. */
  requestId?: string | number;
  /** `network.transport`: `pipe` for stdio, `tcp` for HTTP. */
  transport?: string;
  /** `server.address` (client side). */
  serverAddress?: string;
  /** `server.port` (client side). */
  serverPort?: number;
}

/** An LLM request: labels `provider`, `model`; span `llm.generate`. */
export interface LlmOperation {
  /** Label `provider` (`openai`, `anthropic`, …); span attributes `llm.provider` and `gen_ai.provider.name`. */
  provider: string;
  /** Label `model`, the model id sent to the provider and the price-table key; span `gen_ai.request.model`. */
  model: string;
  /**
   * Label `agent_id` of `genxai_llm_requests_total` and `genxai_llm_cost_total`: the agent the
   * request and its cost is counted against.
   * `@genxai/observability` fills it from the enclosing `observeAgent` when absent; set it to
   * attribute the request and its cost yourself. Absent outside an agent.
   */
  agentId?: string;
  /** The prompt text: its length (`llm.prompt_length`) and redacted text (`llm.prompt`) go on the span. */
  prompt?: string;
  /**
   * OTel `gen_ai.operation.name`: `chat`, `text_completion`, `generate_content`, `embeddings`, or
   * your own. The span attribute and span name, and label `gen_ai_operation_name` of the GenAI
   * client metrics.
   * @default 'chat'
   */
  operationName?: string;
  /**
   * The request as given to the SDK: OpenAI Chat Completions or Responses parameters, Anthropic
   * Messages parameters, or Vercel AI SDK call options. Its parameters become `gen_ai.request.*`
   * span attributes (`temperature`, `max_tokens`, `top_p`, …); with content capture on, its
   * messages, system instructions and tool definitions become `gen_ai.input.messages`,
   * `gen_ai.system_instructions` and `gen_ai.tool.definitions` in the conventions' JSON.
   * Read once, never changed.
   */
  request?: unknown;
  /** `gen_ai.request.stream`: the response was asked for as a stream. @default request.stream */
  stream?: boolean;
  /**
   * Whether the `llm.generate` span carries the call's token counts (`gen_ai.usage.*`,
   * `llm.tokens.*`). `false` where another span of the same call already carries them (the AI
   * SDK's own model-call span), so a backend that sums usage over a trace counts the call once.
   * Metrics and the log line record the tokens either way.
   * @default true
   */
  spanUsage?: boolean;
}

/** A memory operation: labels `operation_type`, `memory_type`; span `memory.<operationType>`. */
export interface MemoryOperation {
  /** `store`, `retrieve`, `search`, … */
  operationType: string;
  /** `short_term`, `long_term`, `vector`, … */
  memoryType: string;
}

/** A workflow execution: label `workflow_id`; span `workflow.execute`. */
export interface WorkflowOperation {
  /** Label `workflow_id`; span attribute `workflow.id`. */
  workflowId: string;
  /** Span attribute `gen_ai.workflow.name`. @default workflowId */
  name?: string;
}

/** A workflow node execution: labels `workflow_id`, `node_id`; span `node.<nodeId>`. */
export interface NodeOperation {
  /** Label `workflow_id`; span attribute `workflow.id`. */
  workflowId: string;
  /** Label `node_id`; span attribute `node.id` and the span name suffix. */
  nodeId: string;
  /** Span attribute `node.type`; log field `node_type`. */
  type?: string;
}

/** The operations, by kind. */
export interface OperationKinds {
  agent: AgentOperation;
  tool: ToolOperation;
  llm: LlmOperation;
  memory: MemoryOperation;
  workflow: WorkflowOperation;
  node: NodeOperation;
}

/** One of `agent`, `tool`, `llm`, `memory`, `workflow`, `node`. */
export type OperationKind = keyof OperationKinds;
