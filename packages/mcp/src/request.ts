import type { McpOperation } from '@genxai/obs-core';
import type { Observability } from '@genxai/observability';
import { ATTR_RPC_RESPONSE_STATUS_CODE } from '@genxai/tracing';
import type { Span } from '@opentelemetry/api';

/** The method of a tool call. */
export const TOOLS_CALL = 'tools/call';

/** What the MCP wrappers record through: an `Observability` from `setupObservability`. */
export type McpObserver = Pick<Observability, 'observeTool' | 'observeMcp' | 'metrics'>;

/** The fields of one JSON-RPC request the conventions name: its method and its target. */
export function describeRequest(
  request: unknown,
): Pick<McpOperation, 'method' | 'toolName' | 'promptName' | 'resourceUri'> | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const { method, params } = request as { method?: unknown; params?: unknown };
  if (typeof method !== 'string') return undefined;
  const described: Pick<McpOperation, 'method' | 'toolName' | 'promptName' | 'resourceUri'> = { method };
  const name = (params as { name?: unknown } | null | undefined)?.name;
  if (typeof name === 'string') {
    if (method === TOOLS_CALL) described.toolName = name;
    else if (method === 'prompts/get') described.promptName = name;
  }
  const uri = (params as { uri?: unknown } | null | undefined)?.uri;
  if (typeof uri === 'string' && method.startsWith('resources/')) described.resourceUri = uri;
  return described;
}

/**
 * A tool result with `isError: true`: a failure by the conventions (`error.type` `tool_error`), though
 * the JSON-RPC call succeeded. Thrown inside the observed call so that every signal records the
 * failure, and caught outside it: the caller gets the result, as the SDK gives it.
 */
class ToolResultError extends Error {
  readonly code = 'tool_error';
  constructor(readonly result: unknown) {
    super('the MCP tool returned a result with isError: true');
    this.name = 'ToolResultError';
  }
}

export const isToolErrorResult = (result: unknown): boolean =>
  (result as { isError?: unknown } | null | undefined)?.isError === true;

/** The JSON-RPC error code of an `McpError`, on the span as `rpc.response.status_code`. */
export function recordStatusCode(span: Span | undefined, error: unknown): void {
  if (span === undefined) return;
  try {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'number' && Number.isInteger(code))
      span.setAttribute(ATTR_RPC_RESPONSE_STATUS_CODE, String(code));
  } catch {
    // An error whose getters throw keeps its type; the code is left out.
  }
}

/**
 * Runs one MCP request observed: a tool call as the tool operation it is (the `genxai_tool_*`
 * metrics, logs and span, in the MCP conventions' form), any other request as an MCP operation.
 */
export function observeRequest<Result>(
  observer: McpObserver,
  info: McpOperation,
  parameters: unknown,
  run: (span: Span | undefined) => Promise<Result>,
): Promise<Result> {
  if (info.method !== TOOLS_CALL || info.toolName === undefined)
    return observer.observeMcp(info, (span) =>
      run(span).catch((error: unknown) => {
        recordStatusCode(span, error);
        throw error;
      }),
    ) as Promise<Result>;
  return (
    observer.observeTool({ toolName: info.toolName, parameters, mcp: info }, (span) =>
      run(span).then(
        (result) => {
          if (isToolErrorResult(result)) throw new ToolResultError(result);
          return result;
        },
        (error: unknown) => {
          recordStatusCode(span, error);
          throw error;
        },
      ),
    ) as Promise<Result>
  ).catch((error: unknown) => {
    if (error instanceof ToolResultError) return error.result as Result;
    throw error;
  });
}
