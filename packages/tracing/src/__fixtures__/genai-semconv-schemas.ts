/**
 * The JSON schemas of the OpenTelemetry GenAI content attributes, as released in semantic-conventions
 * v1.41.1 (tag v1.41.1, commit ead83b9b0fa36540c1642fce46e874f002ac23f1), files
 * `docs/gen-ai/gen-ai-{input-messages,output-messages,system-instructions,tool-definitions}.json`:
 * https://github.com/open-telemetry/semantic-conventions/tree/v1.41.1/docs/gen-ai
 * (Apache-2.0). v1.41.1 is the last release that carries them; from v1.42.0 they live in
 * open-telemetry/semantic-conventions-genai (first release v0.1.0, not followed here yet).
 *
 * Only the validating keywords are kept (`description`, `title` and `default` are dropped); the
 * rest is the released text, unchanged. Regenerate by stripping those three keys from the files.
 */

/** The subset of JSON Schema these files use. */
export interface JsonSchema {
  $defs?: Record<string, JsonSchema>;
  $ref?: string;
  type?: string;
  const?: string;
  enum?: readonly string[];
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  items?: JsonSchema;
  additionalProperties?: boolean;
  format?: string;
}

/** `gen_ai.input.messages`: gen-ai-input-messages.json. */
export const INPUT_MESSAGES_SCHEMA: JsonSchema = {
  $defs: {
    BlobPart: {
      properties: {
        type: {
          const: 'blob',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        content: {
          format: 'binary',
          type: 'string',
        },
      },
      required: ['type', 'modality', 'content'],
      type: 'object',
    },
    ChatMessage: {
      additionalProperties: true,
      properties: {
        role: {
          anyOf: [
            {
              $ref: '#/$defs/Role',
            },
            {
              type: 'string',
            },
          ],
        },
        parts: {
          items: {
            anyOf: [
              {
                $ref: '#/$defs/TextPart',
              },
              {
                $ref: '#/$defs/ToolCallRequestPart',
              },
              {
                $ref: '#/$defs/ToolCallResponsePart',
              },
              {
                $ref: '#/$defs/ServerToolCallPart',
              },
              {
                $ref: '#/$defs/ServerToolCallResponsePart',
              },
              {
                $ref: '#/$defs/BlobPart',
              },
              {
                $ref: '#/$defs/FilePart',
              },
              {
                $ref: '#/$defs/UriPart',
              },
              {
                $ref: '#/$defs/ReasoningPart',
              },
              {
                $ref: '#/$defs/GenericPart',
              },
            ],
          },
          type: 'array',
        },
        name: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
      },
      required: ['role', 'parts'],
      type: 'object',
    },
    FilePart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'file',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        file_id: {
          type: 'string',
        },
      },
      required: ['type', 'modality', 'file_id'],
      type: 'object',
    },
    GenericPart: {
      additionalProperties: true,
      properties: {
        type: {
          type: 'string',
        },
      },
      required: ['type'],
      type: 'object',
    },
    GenericServerToolCall: {
      additionalProperties: true,
      properties: {
        type: {
          type: 'string',
        },
      },
      required: ['type'],
      type: 'object',
    },
    GenericServerToolCallResponse: {
      additionalProperties: true,
      properties: {
        type: {
          type: 'string',
        },
      },
      required: ['type'],
      type: 'object',
    },
    Modality: {
      enum: ['image', 'video', 'audio'],
      type: 'string',
    },
    ReasoningPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'reasoning',
          type: 'string',
        },
        content: {
          type: 'string',
        },
      },
      required: ['type', 'content'],
      type: 'object',
    },
    Role: {
      enum: ['system', 'user', 'assistant', 'tool'],
      type: 'string',
    },
    TextPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'text',
          type: 'string',
        },
        content: {
          type: 'string',
        },
      },
      required: ['type', 'content'],
      type: 'object',
    },
    ToolCallRequestPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'tool_call',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        name: {
          type: 'string',
        },
        arguments: {},
      },
      required: ['type', 'name'],
      type: 'object',
    },
    ToolCallResponsePart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'tool_call_response',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        response: {},
      },
      required: ['type', 'response'],
      type: 'object',
    },
    ServerToolCallPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'server_tool_call',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        name: {
          type: 'string',
        },
        server_tool_call: {
          oneOf: [
            {
              $ref: '#/$defs/GenericServerToolCall',
            },
          ],
        },
      },
      required: ['type', 'name', 'server_tool_call'],
      type: 'object',
    },
    ServerToolCallResponsePart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'server_tool_call_response',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        server_tool_call_response: {
          oneOf: [
            {
              $ref: '#/$defs/GenericServerToolCallResponse',
            },
          ],
        },
      },
      required: ['type', 'server_tool_call_response'],
      type: 'object',
    },
    UriPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'uri',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        uri: {
          type: 'string',
        },
      },
      required: ['type', 'modality', 'uri'],
      type: 'object',
    },
  },
  items: {
    $ref: '#/$defs/ChatMessage',
  },
  type: 'array',
};

/** `gen_ai.output.messages`: gen-ai-output-messages.json. */
export const OUTPUT_MESSAGES_SCHEMA: JsonSchema = {
  $defs: {
    BlobPart: {
      properties: {
        type: {
          const: 'blob',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        content: {
          format: 'binary',
          type: 'string',
        },
      },
      required: ['type', 'modality', 'content'],
      type: 'object',
    },
    FilePart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'file',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        file_id: {
          type: 'string',
        },
      },
      required: ['type', 'modality', 'file_id'],
      type: 'object',
    },
    FinishReason: {
      enum: ['stop', 'length', 'content_filter', 'tool_call', 'error'],
      type: 'string',
    },
    GenericPart: {
      additionalProperties: true,
      properties: {
        type: {
          type: 'string',
        },
      },
      required: ['type'],
      type: 'object',
    },
    GenericServerToolCall: {
      additionalProperties: true,
      properties: {
        type: {
          type: 'string',
        },
      },
      required: ['type'],
      type: 'object',
    },
    GenericServerToolCallResponse: {
      additionalProperties: true,
      properties: {
        type: {
          type: 'string',
        },
      },
      required: ['type'],
      type: 'object',
    },
    Modality: {
      enum: ['image', 'video', 'audio'],
      type: 'string',
    },
    OutputMessage: {
      additionalProperties: true,
      properties: {
        role: {
          anyOf: [
            {
              $ref: '#/$defs/Role',
            },
            {
              type: 'string',
            },
          ],
        },
        parts: {
          items: {
            anyOf: [
              {
                $ref: '#/$defs/TextPart',
              },
              {
                $ref: '#/$defs/ToolCallRequestPart',
              },
              {
                $ref: '#/$defs/ToolCallResponsePart',
              },
              {
                $ref: '#/$defs/ServerToolCallPart',
              },
              {
                $ref: '#/$defs/ServerToolCallResponsePart',
              },
              {
                $ref: '#/$defs/BlobPart',
              },
              {
                $ref: '#/$defs/FilePart',
              },
              {
                $ref: '#/$defs/UriPart',
              },
              {
                $ref: '#/$defs/ReasoningPart',
              },
              {
                $ref: '#/$defs/GenericPart',
              },
            ],
          },
          type: 'array',
        },
        name: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        finish_reason: {
          anyOf: [
            {
              $ref: '#/$defs/FinishReason',
            },
            {
              type: 'string',
            },
          ],
        },
      },
      required: ['role', 'parts', 'finish_reason'],
      type: 'object',
    },
    ReasoningPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'reasoning',
          type: 'string',
        },
        content: {
          type: 'string',
        },
      },
      required: ['type', 'content'],
      type: 'object',
    },
    Role: {
      enum: ['system', 'user', 'assistant', 'tool'],
      type: 'string',
    },
    TextPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'text',
          type: 'string',
        },
        content: {
          type: 'string',
        },
      },
      required: ['type', 'content'],
      type: 'object',
    },
    ToolCallRequestPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'tool_call',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        name: {
          type: 'string',
        },
        arguments: {},
      },
      required: ['type', 'name'],
      type: 'object',
    },
    ToolCallResponsePart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'tool_call_response',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        response: {},
      },
      required: ['type', 'response'],
      type: 'object',
    },
    ServerToolCallPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'server_tool_call',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        name: {
          type: 'string',
        },
        server_tool_call: {
          oneOf: [
            {
              $ref: '#/$defs/GenericServerToolCall',
            },
          ],
        },
      },
      required: ['type', 'name', 'server_tool_call'],
      type: 'object',
    },
    ServerToolCallResponsePart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'server_tool_call_response',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        server_tool_call_response: {
          oneOf: [
            {
              $ref: '#/$defs/GenericServerToolCallResponse',
            },
          ],
        },
      },
      required: ['type', 'server_tool_call_response'],
      type: 'object',
    },
    UriPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'uri',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        uri: {
          type: 'string',
        },
      },
      required: ['type', 'modality', 'uri'],
      type: 'object',
    },
  },
  items: {
    $ref: '#/$defs/OutputMessage',
  },
  type: 'array',
};

/** `gen_ai.system_instructions`: gen-ai-system-instructions.json. */
export const SYSTEM_INSTRUCTIONS_SCHEMA: JsonSchema = {
  $defs: {
    BlobPart: {
      properties: {
        type: {
          const: 'blob',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        content: {
          format: 'binary',
          type: 'string',
        },
      },
      required: ['type', 'modality', 'content'],
      type: 'object',
    },
    FilePart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'file',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        file_id: {
          type: 'string',
        },
      },
      required: ['type', 'modality', 'file_id'],
      type: 'object',
    },
    GenericPart: {
      additionalProperties: true,
      properties: {
        type: {
          type: 'string',
        },
      },
      required: ['type'],
      type: 'object',
    },
    Modality: {
      enum: ['image', 'video', 'audio'],
      type: 'string',
    },
    ReasoningPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'reasoning',
          type: 'string',
        },
        content: {
          type: 'string',
        },
      },
      required: ['type', 'content'],
      type: 'object',
    },
    TextPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'text',
          type: 'string',
        },
        content: {
          type: 'string',
        },
      },
      required: ['type', 'content'],
      type: 'object',
    },
    ToolCallRequestPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'tool_call',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        name: {
          type: 'string',
        },
        arguments: {},
      },
      required: ['type', 'name'],
      type: 'object',
    },
    ToolCallResponsePart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'tool_call_response',
          type: 'string',
        },
        id: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        response: {},
      },
      required: ['type', 'response'],
      type: 'object',
    },
    UriPart: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'uri',
          type: 'string',
        },
        mime_type: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        modality: {
          anyOf: [
            {
              $ref: '#/$defs/Modality',
            },
            {
              type: 'string',
            },
          ],
        },
        uri: {
          type: 'string',
        },
      },
      required: ['type', 'modality', 'uri'],
      type: 'object',
    },
  },
  items: {
    anyOf: [
      {
        $ref: '#/$defs/TextPart',
      },
      {
        $ref: '#/$defs/ToolCallRequestPart',
      },
      {
        $ref: '#/$defs/ToolCallResponsePart',
      },
      {
        $ref: '#/$defs/BlobPart',
      },
      {
        $ref: '#/$defs/FilePart',
      },
      {
        $ref: '#/$defs/UriPart',
      },
      {
        $ref: '#/$defs/ReasoningPart',
      },
      {
        $ref: '#/$defs/GenericPart',
      },
    ],
  },
  type: 'array',
};

/** `gen_ai.tool.definitions`: gen-ai-tool-definitions.json. */
export const TOOL_DEFINITIONS_SCHEMA: JsonSchema = {
  $defs: {
    FunctionToolDefinition: {
      additionalProperties: true,
      properties: {
        type: {
          const: 'function',
          type: 'string',
        },
        name: {
          type: 'string',
        },
        description: {
          anyOf: [
            {
              type: 'string',
            },
            {
              type: 'null',
            },
          ],
        },
        parameters: {
          anyOf: [
            {
              $ref: 'http://json-schema.org/draft-07/schema#',
            },
            {
              type: 'null',
            },
          ],
        },
      },
      required: ['type', 'name'],
      type: 'object',
    },
    GenericToolDefinition: {
      additionalProperties: true,
      properties: {
        type: {
          type: 'string',
        },
        name: {
          type: 'string',
        },
      },
      required: ['type', 'name'],
      type: 'object',
    },
  },
  items: {
    anyOf: [
      {
        $ref: '#/$defs/FunctionToolDefinition',
      },
      {
        $ref: '#/$defs/GenericToolDefinition',
      },
    ],
  },
  type: 'array',
};
