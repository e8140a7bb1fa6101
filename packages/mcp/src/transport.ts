/** What the conventions record of a transport: `network.transport`, and the server's address and port. */
export interface TransportFacts {
  transport?: string;
  serverAddress?: string;
  serverPort?: number;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * Reads a transport object of `@modelcontextprotocol/sdk`: the stdio transports are `pipe`, the HTTP
 * ones (Streamable HTTP, SSE) `tcp`, with the client's server URL. An unknown transport gives no facts.
 */
export function transportFacts(transport: unknown): TransportFacts {
  if (typeof transport !== 'object' || transport === null) return {};
  const name = (transport as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== 'string') return {};
  if (name.startsWith('Stdio')) return { transport: 'pipe' };
  if (!/StreamableHTTP|SSE/.test(name)) return {};
  const url = (transport as { _url?: unknown })._url;
  if (!(url instanceof URL)) return { transport: 'tcp' };
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  return {
    transport: 'tcp',
    serverAddress: url.hostname,
    ...(port === undefined ? {} : { serverPort: port }),
  };
}

/** A session id, when the transport has one (Streamable HTTP). */
export function sessionIdOf(transport: unknown): string | undefined {
  const id = (transport as { sessionId?: unknown } | null | undefined)?.sessionId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
