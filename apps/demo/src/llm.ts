import type { Observability } from '@genxai/observability';
import { instrumentOpenAI } from '@genxai/openai';
import OpenAI from 'openai';
import type { DemoOptions } from './cli';
import { startLlmServer } from './llm-server';

/** Sent when OPENAI_API_KEY is not set: local servers (Ollama, vLLM) ignore the key. */
const PLACEHOLDER_KEY = 'genxai-demo-no-key';

// Of the demo's --failure-rate, the share the embedded server answers with an error: every agent
// calls it, so the same rate as the flaky tool would fail most workflows.
const LLM_ERROR_SHARE = 0.1;

/** The LLM the agents call, and how. */
export interface DemoLlm {
  /** An OpenAI client, observed by `instrumentOpenAI`. */
  client: OpenAI;
  model: string;
  /** The writer agent's model. */
  writerModel: string;
  stream: boolean;
  /** Where the calls go, for the startup line. */
  description: string;
  /** Stops the embedded server, if any. */
  close(): Promise<void>;
}

/** `--llm-base-url` cannot be used: it cannot be reached, or it rejects the key. */
export class LlmEndpointError extends Error {
  override name = 'LlmEndpointError';
}

/**
 * The embedded server (seeded by `--seed`, failing at a share of `--failure-rate`), or the
 * `--llm-base-url` endpoint after a check that it answers, behind an observed OpenAI client.
 * The SDK's retries are off: a retried call would be recorded once, with a latency that has the
 * SDK's jittered backoff in it, and the run would no longer be reproducible.
 */
export async function connectLlm(
  options: Pick<DemoOptions, 'seed' | 'failureRate' | 'llmBaseUrl' | 'llmModel' | 'writerModel' | 'stream'>,
  obs: Observability,
  warn: (line: string) => void,
): Promise<DemoLlm> {
  const mode = options.stream ? 'streamed' : 'not streamed';
  const models =
    options.writerModel === options.llmModel
      ? `model ${options.llmModel}`
      : `model ${options.llmModel} (the writer: ${options.writerModel})`;
  if (options.llmBaseUrl === undefined) {
    const server = await startLlmServer({
      seed: options.seed,
      errorRate: options.failureRate * LLM_ERROR_SHARE,
    });
    // No real credentials for the simulated server, even from the environment.
    const raw = new OpenAI({
      baseURL: server.baseURL,
      apiKey: PLACEHOLDER_KEY,
      organization: null,
      project: null,
      maxRetries: 0,
    });
    try {
      // Opens the connection, so the first workflow's call does not pay for it.
      await raw.models.list();
    } catch (error) {
      await server.close();
      throw error;
    }
    return {
      client: instrumentOpenAI(raw, obs),
      model: options.llmModel,
      writerModel: options.writerModel,
      stream: options.stream,
      description: `embedded OpenAI-compatible server at ${server.baseURL} (simulated, seeded), ${models}, ${mode}`,
      close: () => server.close(),
    };
  }

  const raw = new OpenAI({
    baseURL: options.llmBaseUrl,
    apiKey: process.env.OPENAI_API_KEY || PLACEHOLDER_KEY,
    maxRetries: 0,
  });
  // One request before the workload, so a wrong address fails now rather than every workflow.
  let listed: string[] | undefined;
  try {
    const page = await raw.models.list({ timeout: 10_000 });
    listed = page.data.map((model) => model.id);
  } catch (error) {
    if (error instanceof OpenAI.APIConnectionError)
      throw new LlmEndpointError(
        `Cannot reach the LLM at --llm-base-url ${options.llmBaseUrl}: ${connectionCause(error)}. Is the server running there?`,
      );
    if (error instanceof OpenAI.AuthenticationError)
      throw new LlmEndpointError(
        `The LLM at --llm-base-url ${options.llmBaseUrl} rejected the API key (401)${process.env.OPENAI_API_KEY ? '' : ': set OPENAI_API_KEY'}.`,
      );
    // It answered, so it is there; some OpenAI-compatible servers have no GET /models.
    if (error instanceof OpenAI.NotFoundError)
      warn(
        `Warning: GET ${options.llmBaseUrl.replace(/\/$/, '')}/models answered 404. OpenAI-compatible APIs usually live under /v1 (Ollama: http://127.0.0.1:11434/v1, vLLM: http://127.0.0.1:8000/v1).`,
      );
  }
  if (listed !== undefined && listed.length > 0 && !listed.includes(options.llmModel))
    warn(
      `Warning: ${options.llmBaseUrl} does not list the model "${options.llmModel}" (it lists ${listed
        .slice(0, 10)
        .join(', ')}${listed.length > 10 ? ', …' : ''}).`,
    );
  return {
    client: instrumentOpenAI(raw, obs),
    model: options.llmModel,
    writerModel: options.writerModel,
    stream: options.stream,
    description: `${options.llmBaseUrl}, ${models}, ${mode}`,
    close: async () => {},
  };
}

/** The low-level reason (ECONNREFUSED, ENOTFOUND, a timeout) behind the SDK's connection error. */
function connectionCause(error: InstanceType<typeof OpenAI.APIConnectionError>): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'no answer within 10 s';
  let reason = error.message;
  // The SDK wraps fetch's "fetch failed", which wraps the socket's error.
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    reason = cause.message;
  }
  // fetch refuses the ports of the Fetch standard's "bad port" list (1, 6000, 6665–6669, …).
  return reason === 'bad port' ? 'fetch refuses to connect to this port (a "bad port")' : reason;
}
