import { errorType, type McpOperation, type ToolOperation } from '@genxai/obs-core';
import type { Histogram } from 'prom-client';
import { LABEL } from './names';
import {
  cleanLabelValue,
  type Ended,
  exemplarLabels,
  type Guarded,
  type OperationInstruments,
  OperationRecorder,
  type OperationTimer,
  observeHistogram,
  optionalLabelValue,
  type RecorderContext,
  type RecordOptions,
} from './recorder';

const JSON_RPC_CODE = /^-?\d+$/;

/**
 * Records the MCP conventions' `mcp_client_operation_duration_seconds` and
 * `mcp_server_operation_duration_seconds`: one observation per MCP request, labelled with its
 * method, tool or prompt, protocol version, transport and, on a failure, `error_type` (the JSON-RPC
 * error code, or `tool_error` for a tool result with `isError`) and `rpc_response_status_code`.
 */
export class McpRecorder {
  /** @internal */
  constructor(
    private readonly context: RecorderContext,
    private readonly histogram: (side: McpOperation['side']) => Guarded<Histogram>,
  ) {}

  /** Starts timing one MCP request. */
  start(info: McpOperation): OperationTimer {
    const startedAt = performance.now();
    let ended = false;
    const end = (type: string, options: RecordOptions | undefined) => {
      if (ended) return;
      ended = true;
      this.record(info, (performance.now() - startedAt) / 1000, type, options);
    };
    return {
      succeed: (options) => end('', options),
      fail: (error, options) => end(cleanLabelValue(errorType(error)), options),
      cancel: (options) => end('cancelled', options),
    };
  }

  /** Records one finished MCP request of `seconds`; `type` is its error type, `''` for a success. */
  record(info: McpOperation, seconds: number, type: string, options?: RecordOptions): void {
    this.context.safely('an MCP metric', () => {
      const target = this.histogram(info.side === 'server' ? 'server' : 'client');
      const optional = (value: unknown, label: string) => optionalLabelValue(value, label, this.context);
      const toolName = optional(info.toolName, LABEL.genAiToolName);
      const values = [
        optional(info.method, LABEL.mcpMethodName),
        toolName === '' ? '' : 'execute_tool',
        toolName,
        optional(info.promptName, LABEL.genAiPromptName),
        optional(info.protocolVersion, LABEL.mcpProtocolVersion),
        optional(info.transport, LABEL.networkTransport),
        type,
        JSON_RPC_CODE.test(type) ? type : '',
      ];
      observeHistogram(
        target,
        target.guard.resolve(values),
        seconds,
        exemplarLabels(options?.exemplar, this.context),
      );
    });
  }
}

/** `genxai_tool_*`, and for a tool called over MCP (`info.mcp`) the MCP operation metric too. */
export class ToolRecorder extends OperationRecorder<ToolOperation> {
  /** @internal */
  constructor(
    context: RecorderContext,
    instruments: OperationInstruments,
    toValues: (info: ToolOperation) => string[],
    private readonly mcp: McpRecorder,
    attributedTo: (info: ToolOperation, enclosingAgentId: string | undefined) => string,
  ) {
    super(context, instruments, toValues, attributedTo);
  }

  protected override onEnd(
    info: ToolOperation,
    _base: readonly string[],
    options: RecordOptions | undefined,
    _exemplar: Record<string, string> | undefined,
    ended?: Ended,
  ): void {
    const mcp = info.mcp;
    if (mcp !== undefined && ended !== undefined)
      this.mcp.record(mcp, ended.seconds, ended.errorType, options);
  }
}
