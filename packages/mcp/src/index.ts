// Model Context Protocol clients and servers, traced to the OpenTelemetry MCP conventions.

export type { McpOperation } from '@genxai/obs-core';
export type { McpClientOptions } from './client';
export { instrumentMcpClient } from './client';
export type { McpObserver } from './request';
export type { McpServerOptions } from './server';
export { instrumentMcpServer } from './server';
