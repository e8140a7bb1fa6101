import {
  checkInstrumentArguments,
  createWarnOnce,
  GenxaiObservabilityError,
  type McpOperation,
  type WarningHandler,
} from '@genxai/obs-core';
import { activeToolSpan, injectTraceHeaders, mcpAttributes } from '@genxai/tracing';
import {
  describeRequest,
  isToolErrorResult,
  type McpObserver,
  observeRequest,
  recordStatusCode,
  TOOLS_CALL,
} from './request';
import { sessionIdOf, transportFacts } from './transport';

/** Options of {@link instrumentMcpClient}. */
export interface McpClientOptions {
  /** Where a problem reading a request is reported (once each). @default process.emitWarning */
  onWarning?: WarningHandler;
}

const MARK = Symbol.for('genxai.mcp.instrumented');

type RequestMethod = (request: unknown, resultSchema?: unknown, options?: unknown) => Promise<unknown>;

/** The request with the active trace context in `params._meta` (`traceparent`, `tracestate`). */
function withTraceContext(request: { params?: unknown }): unknown {
  const params = (typeof request.params === 'object' && request.params !== null ? request.params : {}) as {
    _meta?: unknown;
  };
  const meta = typeof params._meta === 'object' && params._meta !== null ? params._meta : {};
  const carrier = injectTraceHeaders({} as Record<string, string>);
  if (Object.keys(carrier).length === 0) return request;
  return { ...request, params: { ...params, _meta: { ...meta, ...carrier } } };
}

/**
 * Observes every request an MCP `Client` of `@modelcontextprotocol/sdk` sends (`callTool`,
 * `listTools`, `readResource`, `getPrompt`, `initialize`, … all go through its `request`):
 * - a CLIENT span per request, named and attributed as the OpenTelemetry MCP conventions say
 *   (`{mcp.method.name} {target}`, `mcp.method.name`, `mcp.session.id`, `mcp.protocol.version`,
 *   `jsonrpc.request.id`, `network.transport`, `server.address`/`server.port`, `error.type`,
 *   `rpc.response.status_code`), and `mcp_client_operation_duration_seconds`;
 * - a tool call is recorded as the tool operation it is: the `genxai_tool_*` metrics with its
 *   `tool_name`, the tool log lines (with `mcp_method` and `mcp_session_id`), its arguments under
 *   the content-capture rules. When an `observeTool` span of the same tool is already active (the
 *   agent wraps the call itself), the MCP attributes go on that span instead of a second one;
 * - the trace context goes in the request's `params._meta` (`traceparent`, `tracestate`), so a
 *   server wrapped with {@link instrumentMcpServer} continues the trace, in whatever process.
 *
 * A JSON-RPC error response and a tool result with `isError: true` are failures (`error.type` the
 * JSON-RPC code, or `tool_error`). The caller gets exactly what the SDK gives, errors included.
 *
 * The client object itself is wrapped (its `request` method), not the module, so ESM, CommonJS and
 * bundlers all work. Call it before `connect` to record the `initialize` request and the protocol
 * version. It returns the same client; a second call does nothing.
 *
 * @example
 * const client = instrumentMcpClient(new Client({ name: 'agent', version: '1.0.0' }), obs);
 * await client.connect(new StdioClientTransport({ command: 'node', args: ['server.js'] }));
 * const result = await client.callTool({ name: 'search', arguments: { q: 'otel' } });
 */
export function instrumentMcpClient<Client extends object>(
  client: Client,
  observer: McpObserver,
  options: McpClientOptions = {},
): Client {
  checkInstrumentArguments('instrumentMcpClient', client, 'an MCP Client instance', observer, 'observeTool');
  checkInstrumentArguments('instrumentMcpClient', client, 'an MCP Client instance', observer, 'observeMcp');
  const original = (client as { request?: unknown }).request;
  if (typeof original !== 'function')
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      'instrumentMcpClient: the first argument must be an MCP Client instance (it has no request method).',
    );
  if ((client as Record<symbol, unknown>)[MARK] === true) return client;
  const warn = createWarnOnce(options.onWarning);
  const send = original as RequestMethod;
  let protocolVersion: string | undefined;

  const describe = (target: object, request: unknown): McpOperation | undefined => {
    const described = describeRequest(request);
    if (described === undefined) return undefined;
    const transport = (target as { transport?: unknown }).transport;
    const info: McpOperation = { side: 'client', ...described, ...transportFacts(transport) };
    const sessionId = sessionIdOf(transport);
    if (sessionId !== undefined) info.sessionId = sessionId;
    const version =
      protocolVersion ?? (transport as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (typeof version === 'string') info.protocolVersion = version;
    // The id `request` is about to give the message: the SDK numbers requests from a counter.
    const next = (target as { _requestMessageId?: unknown })._requestMessageId;
    if (typeof next === 'number') info.requestId = next;
    return info;
  };

  const request = function (
    this: object,
    message: unknown,
    resultSchema?: unknown,
    requestOptions?: unknown,
  ) {
    let described: McpOperation | undefined;
    try {
      described = describe(this ?? client, message);
    } catch (error) {
      warn(
        'describe',
        'GENXAI_MCP_REQUEST_UNREADABLE',
        `@genxai/mcp: an MCP request could not be read (${String(error)}); it was sent unobserved.`,
      );
    }
    if (described === undefined) return send.call(this, message, resultSchema, requestOptions);
    const info = described;
    const forward = () => {
      let sent = message;
      try {
        sent = withTraceContext(message as { params?: unknown });
      } catch (error) {
        warn(
          'inject',
          'GENXAI_MCP_INJECT_FAILED',
          `@genxai/mcp: the trace context could not be added to a request (${String(error)}).`,
        );
      }
      const reply = send.call(this, sent, resultSchema, requestOptions);
      if (info.method === 'initialize')
        return reply.then((result) => {
          const version = (result as { protocolVersion?: unknown } | null)?.protocolVersion;
          if (typeof version === 'string') protocolVersion = version;
          return result;
        });
      return reply;
    };
    const parameters = (message as { params?: { arguments?: unknown } }).params?.arguments;
    const covering = info.method === TOOLS_CALL ? activeToolSpan() : undefined;
    if (covering !== undefined && covering.toolName === info.toolName) {
      // The agent's own tool span covers this call: the MCP attributes go on it, and no second span.
      const span = covering.span;
      const timer = observer.metrics?.mcp.start(info);
      try {
        span.setAttributes(mcpAttributes(info));
      } catch (error) {
        warn(
          'attributes',
          'GENXAI_MCP_ATTRIBUTES_FAILED',
          `@genxai/mcp: MCP attributes could not be set (${String(error)}).`,
        );
      }
      return forward().then(
        (result) => {
          if (isToolErrorResult(result)) timer?.fail({ code: 'tool_error' });
          else timer?.succeed();
          return result;
        },
        (error: unknown) => {
          timer?.fail(error);
          recordStatusCode(span, error);
          throw error;
        },
      );
    }
    return observeRequest(observer, info, parameters, forward);
  };
  Object.defineProperty(client, 'request', { value: request, configurable: true, writable: true });
  Object.defineProperty(client, MARK, { value: true });
  return client;
}
