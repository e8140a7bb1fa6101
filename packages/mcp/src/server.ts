import {
  checkInstrumentArguments,
  createWarnOnce,
  GenxaiObservabilityError,
  type McpOperation,
  type WarningHandler,
} from '@genxai/obs-core';
import { extractTraceContext } from '@genxai/tracing';
import { context } from '@opentelemetry/api';
import { describeRequest, type McpObserver, observeRequest } from './request';
import { transportFacts } from './transport';

/** Options of {@link instrumentMcpServer}. */
export interface McpServerOptions {
  /** Where a problem reading a request is reported (once each). @default process.emitWarning */
  onWarning?: WarningHandler;
}

const MARK = Symbol.for('genxai.mcp.instrumented');

type Handler = (request: unknown, extra: unknown) => unknown;

/** The protocol's `Server` under an `McpServer` (its `server`), or the `Server` itself. */
function protocolServer(server: object): object {
  const inner = (server as { server?: unknown }).server;
  return typeof inner === 'object' && inner !== null && '_requestHandlers' in inner ? inner : server;
}

/**
 * Observes every request an MCP server of `@modelcontextprotocol/sdk` handles (an `McpServer` or a
 * low-level `Server`): a SERVER span per request, named and attributed as the OpenTelemetry MCP
 * conventions say, the child of the client's span when the request's `params._meta` carries a
 * `traceparent` (a client wrapped with `instrumentMcpClient`, in this process or another), and
 * `mcp_server_operation_duration_seconds`. A tool call is recorded as the tool operation it is: the
 * `genxai_tool_*` metrics with its `tool_name`, and the tool log lines with `mcp_method` and
 * `mcp_session_id`. A tool result with `isError: true` (an `McpServer` tool that threw) is a
 * failure with `error.type` `tool_error`; the client still gets the result.
 *
 * The handlers registered before and after the call are all observed (the server object is
 * wrapped, not the module). It returns the same server; a second call does nothing.
 *
 * @example
 * const server = instrumentMcpServer(new McpServer({ name: 'tools', version: '1.0.0' }), obs);
 * server.registerTool('search', { inputSchema: { q: z.string() } }, async ({ q }) => ({ content: [...] }));
 * await server.connect(new StdioServerTransport());
 */
export function instrumentMcpServer<Server extends object>(
  server: Server,
  observer: McpObserver,
  options: McpServerOptions = {},
): Server {
  checkInstrumentArguments(
    'instrumentMcpServer',
    server,
    'an MCP McpServer or Server instance',
    observer,
    'observeTool',
  );
  checkInstrumentArguments(
    'instrumentMcpServer',
    server,
    'an MCP McpServer or Server instance',
    observer,
    'observeMcp',
  );
  const target = protocolServer(server);
  const handlers = (target as { _requestHandlers?: unknown })._requestHandlers;
  if (!(handlers instanceof Map))
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      'instrumentMcpServer: the first argument must be an McpServer or Server of @modelcontextprotocol/sdk 1.x ' +
        '(its request handlers were not found).',
    );
  if ((target as Record<symbol, unknown>)[MARK] === true) return server;
  const warn = createWarnOnce(options.onWarning);
  let protocolVersion: string | undefined;

  const describe = (request: unknown, extra: unknown): McpOperation | undefined => {
    const described = describeRequest(request);
    if (described === undefined) return undefined;
    const info: McpOperation = {
      side: 'server',
      ...described,
      transport: transportFacts((target as { transport?: unknown }).transport).transport,
    };
    if (info.transport === undefined) delete info.transport;
    const { sessionId, requestId } = (extra ?? {}) as { sessionId?: unknown; requestId?: unknown };
    if (typeof sessionId === 'string' && sessionId !== '') info.sessionId = sessionId;
    if (typeof requestId === 'string' || typeof requestId === 'number') info.requestId = requestId;
    const version =
      described.method === 'initialize'
        ? (request as { params?: { protocolVersion?: unknown } }).params?.protocolVersion
        : protocolVersion;
    if (typeof version === 'string') info.protocolVersion = version;
    return info;
  };

  const wrap = (handler: Handler): Handler =>
    function (this: unknown, request, extra) {
      let info: McpOperation | undefined;
      let parent = context.active();
      try {
        info = describe(request, extra);
        const meta = (request as { params?: { _meta?: unknown } }).params?._meta;
        if (typeof meta === 'object' && meta !== null)
          parent = extractTraceContext(meta as Record<string, string>);
      } catch (error) {
        warn(
          'describe',
          'GENXAI_MCP_REQUEST_UNREADABLE',
          `@genxai/mcp: an MCP request could not be read (${String(error)}); it was handled unobserved.`,
        );
      }
      if (info === undefined) return handler.call(this, request, extra);
      const observed = info;
      const parameters = (request as { params?: { arguments?: unknown } }).params?.arguments;
      return context.with(parent, () =>
        observeRequest(observer, observed, parameters, async () => {
          const result = await handler.call(this, request, extra);
          if (observed.method === 'initialize') {
            const version = (result as { protocolVersion?: unknown } | null)?.protocolVersion;
            if (typeof version === 'string') protocolVersion = version;
          }
          return result;
        }),
      );
    };

  for (const [method, handler] of handlers)
    if (typeof handler === 'function') handlers.set(method, wrap(handler as Handler));
  // Handlers registered later (an `McpServer` registers its tools handler with the first tool).
  const set = handlers.set.bind(handlers);
  Object.defineProperty(handlers, 'set', {
    value: (method: unknown, handler: unknown) =>
      set(method, typeof handler === 'function' ? wrap(handler as Handler) : handler),
    configurable: true,
    writable: true,
  });
  Object.defineProperty(target, MARK, { value: true });
  return server;
}
