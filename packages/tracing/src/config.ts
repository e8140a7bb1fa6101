import {
  type Environment,
  invalidOption,
  parseHttpUrl,
  parsePositiveInteger,
  readEnv,
} from '@genxai/obs-core';

// The shared variable rules (blank is unset, digits-only integers, http(s) URLs), also used by the
// logging package's OTLP export.
export { type Environment, parseHttpUrl, parsePositiveInteger, readEnv };

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** Exporters chosen by name. A custom `SpanExporter` object is also accepted where an exporter is asked for. */
export const EXPORTER_NAMES = ['otlp', 'jaeger', 'console', 'none'] as const;

/** An exporter chosen by name: `OTEL_TRACES_EXPORTER` takes the same values. */
export type ExporterName = (typeof EXPORTER_NAMES)[number];

/** The samplers of `OTEL_TRACES_SAMPLER` that this package builds. */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** A sampler chosen by name, as in `OTEL_TRACES_SAMPLER`. */
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** OTLP/HTTP encodings, as in `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/** An OTLP/HTTP encoding. */
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/**
 * The Jaeger agent port for the **binary** Thrift protocol, which
 * `@opentelemetry/exporter-jaeger` sends. Port 6831 takes the *compact*
 * protocol only, and a real agent drops binary datagrams sent there.
 */
export const JAEGER_AGENT_BINARY_PORT = 6832;

/** The Jaeger agent port for the compact Thrift protocol, which this exporter does not speak. */
export const JAEGER_AGENT_COMPACT_PORT = 6831;

/** The OTLP/HTTP traces URL used when none is configured. */
export const DEFAULT_OTLP_TRACES_URL = 'http://localhost:4318/v1/traces';

/** Options of the `jaeger` exporter. Each falls back to its `OTEL_EXPORTER_JAEGER_*` variable. */
export interface JaegerOptions {
  /**
   * A collector URL such as `http://127.0.0.1:14268/api/traces`. When set, spans go over HTTP
   * (Thrift binary) and `host`/`port` are unused. Env: `OTEL_EXPORTER_JAEGER_ENDPOINT`.
   */
  endpoint?: string;
  /** Agent host for UDP. Env: `OTEL_EXPORTER_JAEGER_AGENT_HOST`. @default 'localhost' */
  host?: string;
  /**
   * Agent UDP port. Env: `OTEL_EXPORTER_JAEGER_AGENT_PORT`. The exporter sends binary Thrift,
   * which a Jaeger agent takes on 6832, not 6831 (compact only).
   * @default 6832
   */
  port?: number;
  /** Basic-auth user for the collector endpoint. Env: `OTEL_EXPORTER_JAEGER_USER`. */
  username?: string;
  /** Basic-auth password for the collector endpoint. Env: `OTEL_EXPORTER_JAEGER_PASSWORD`. */
  password?: string;
  /** Largest UDP datagram. @default 65000 */
  maxPacketSize?: number;
}

/** Options of the `otlp` exporter (OTLP over HTTP). */
export interface OtlpOptions {
  /**
   * The full traces URL. Env: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is), else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`.
   * @default 'http://localhost:4318/v1/traces'
   */
  url?: string;
  /**
   * Encoding. Env: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`.
   * gRPC is not offered: Jaeger ≥ 1.35, Tempo and the Collector all take OTLP/HTTP on 4318.
   * @default 'http/protobuf'
   */
  protocol?: OtlpProtocol;
  /** Extra request headers (merged with `OTEL_EXPORTER_OTLP_HEADERS`, which the exporter reads). */
  headers?: Record<string, string>;
  /** Timeout of one export request, retries included. @default 10000 */
  timeoutMillis?: number;
}

/** Sizes and timings of the batch span processor. Each falls back to its `OTEL_BSP_*` variable. */
export interface BatchOptions {
  /**
   * Finished spans held while waiting for export. When full, new spans are dropped and counted
   * in `stats.dropped`: memory stays bounded whatever the exporter does. Env: `OTEL_BSP_MAX_QUEUE_SIZE`.
   * @default 16384
   */
  maxQueueSize?: number;
  /** Spans per export request. Env: `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`. @default 512 */
  maxExportBatchSize?: number;
  /** Delay before a partial batch is sent. Env: `OTEL_BSP_SCHEDULE_DELAY`. @default 5000 */
  scheduledDelayMillis?: number;
  /** How long one export may take before the processor moves on. Env: `OTEL_BSP_EXPORT_TIMEOUT`. @default 30000 */
  exportTimeoutMillis?: number;
}

/** The batch settings after options, env and defaults are merged. */
export type ResolvedBatchOptions = Required<BatchOptions>;

/** The OTLP settings after options, env and defaults are merged. */
export interface ResolvedOtlpOptions {
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string> | undefined;
  timeoutMillis: number | undefined;
}

/** The Jaeger settings after options, env and defaults are merged. */
export type ResolvedJaegerOptions =
  | { mode: 'collector'; endpoint: string; username?: string; password?: string }
  | { mode: 'agent'; host: string; port: number; maxPacketSize?: number };

/** The exporter names from an option or `OTEL_TRACES_EXPORTER` (a comma-separated list). */
export function parseExporterNames(value: string, source: string): ExporterName[] {
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names.length === 0) invalidOption(source, value, `one of ${EXPORTER_NAMES.join(', ')}`);
  for (const name of names) {
    if (!(EXPORTER_NAMES as readonly string[]).includes(name)) {
      invalidOption(source, value, `one or more of ${EXPORTER_NAMES.join(', ')}, separated by commas`);
    }
  }
  const unique = [...new Set(names)] as ExporterName[];
  // "none" alongside real exporters means nothing useful; the spec says none disables export.
  return unique.includes('none') ? ['none'] : unique;
}

/** A sampler name from an option or `OTEL_TRACES_SAMPLER`. */
export function parseSamplerName(value: unknown, source: string): SamplerName {
  if (typeof value !== 'string')
    invalidOption(source, value, `one of ${SAMPLER_NAMES.join(', ')}, or a Sampler`);
  const name = value.trim().toLowerCase();
  if (!(SAMPLER_NAMES as readonly string[]).includes(name)) {
    invalidOption(source, value, `one of ${SAMPLER_NAMES.join(', ')}`);
  }
  return name as SamplerName;
}

/** A ratio in [0, 1], from a number option or the text of `OTEL_TRACES_SAMPLER_ARG`. */
export function parseRatio(value: string | number, source: string): number {
  // A plain decimal only: Number() would also take "0x1" or "1e0".
  const ratio =
    typeof value === 'number'
      ? value
      : /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    invalidOption(source, value, 'a number from 0 to 1');
  }
  return ratio;
}

/** Merges batch options with `OTEL_BSP_*` and the defaults, validating each. */
export function resolveBatchOptions(options: BatchOptions = {}, env: Environment = {}): ResolvedBatchOptions {
  const pick = (option: keyof BatchOptions, variable: string, fallback: number, min = 1) => {
    const given = options[option];
    if (given !== undefined)
      return parsePositiveInteger(given, `batch.${option}`, Number.MAX_SAFE_INTEGER, min);
    const fromEnv = readEnv(env, variable);
    return fromEnv === undefined
      ? fallback
      : parsePositiveInteger(fromEnv, variable, Number.MAX_SAFE_INTEGER, min);
  };
  const maxQueueSize = pick('maxQueueSize', 'OTEL_BSP_MAX_QUEUE_SIZE', 16_384);
  const maxExportBatchSize = Math.min(
    pick('maxExportBatchSize', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512),
    maxQueueSize,
  );
  return {
    maxQueueSize,
    maxExportBatchSize,
    // A delay of 0 (export as soon as a span ends) is valid.
    scheduledDelayMillis: pick('scheduledDelayMillis', 'OTEL_BSP_SCHEDULE_DELAY', 5000, 0),
    exportTimeoutMillis: pick('exportTimeoutMillis', 'OTEL_BSP_EXPORT_TIMEOUT', 30_000),
  };
}

/** Merges OTLP options with `OTEL_EXPORTER_OTLP_*` and the defaults, validating each. */
export function resolveOtlpOptions(options: OtlpOptions = {}, env: Environment = {}): ResolvedOtlpOptions {
  let url: string;
  if (options.url !== undefined) {
    url = parseHttpUrl(options.url, 'otlp.url');
  } else {
    const tracesEndpoint = readEnv(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    const endpoint = readEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    if (tracesEndpoint !== undefined) {
      url = parseHttpUrl(tracesEndpoint, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    } else if (endpoint !== undefined) {
      // Append to the path, so a query string stays a query string.
      const base = new URL(parseHttpUrl(endpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT'));
      base.pathname = `${base.pathname.replace(/\/+$/, '')}/v1/traces`;
      url = base.toString();
    } else {
      url = DEFAULT_OTLP_TRACES_URL;
    }
  }

  const protocolSource =
    options.protocol !== undefined
      ? 'otlp.protocol'
      : readEnv(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined
        ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
        : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol =
    options.protocol ??
    readEnv(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ??
    readEnv(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol)) {
    invalidOption(
      protocolSource,
      protocol,
      `one of ${OTLP_PROTOCOLS.join(', ')} (gRPC is not offered; use OTLP/HTTP on port 4318)`,
    );
  }
  // The exporter reads these itself; a malformed value would be dropped there without a word.
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS']) {
    const headers = readEnv(env, name);
    if (headers !== undefined) checkHeaderList(headers, name);
  }
  const timeoutName =
    readEnv(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') !== undefined
      ? 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'
      : 'OTEL_EXPORTER_OTLP_TIMEOUT';
  const envTimeout = readEnv(env, timeoutName);
  const timeoutMillis =
    options.timeoutMillis !== undefined
      ? parsePositiveInteger(options.timeoutMillis, 'otlp.timeoutMillis')
      : envTimeout !== undefined
        ? parsePositiveInteger(envTimeout, timeoutName)
        : undefined;
  return { url, protocol: protocol as OtlpProtocol, headers: options.headers, timeoutMillis };
}

/**
 * Checks an `OTEL_EXPORTER_OTLP_HEADERS`-style list: comma-separated `key=value` pairs (W3C
 * Baggage syntax, values percent-encoded).
 * @see https://opentelemetry.io/docs/specs/otel/protocol/exporter/#specifying-headers-via-environment-variables
 */
function checkHeaderList(value: string, source: string): void {
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    const key = equals === -1 ? '' : pair.slice(0, equals).trim();
    let valid = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key);
    try {
      decodeURIComponent(pair.slice(equals + 1));
    } catch {
      valid = false;
    }
    // The value is left out of the message: headers carry credentials.
    if (!valid)
      invalidOption(source, '(a value not shown)', 'comma-separated key=value pairs, values percent-encoded');
  }
}

/**
 * A URL fit to print: user name and password replaced by `***`, and every query value too
 * (collectors take API keys in both places).
 */
export function displayUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '') {
      url.username = '***';
      url.password = '';
    }
    for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***');
    return url.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return '(unparseable URL)';
  }
}

/** Merges Jaeger options with `OTEL_EXPORTER_JAEGER_*` and the defaults, validating each. */
export function resolveJaegerOptions(
  options: JaegerOptions = {},
  env: Environment = {},
): ResolvedJaegerOptions {
  const endpointSource = options.endpoint !== undefined ? 'jaeger.endpoint' : 'OTEL_EXPORTER_JAEGER_ENDPOINT';
  // Explicit options beat env vars: an explicit agent host or port means agent mode, whatever the env says.
  const explicitAgent =
    options.endpoint === undefined && (nonEmpty(options.host) !== undefined || options.port !== undefined);
  const endpoint =
    nonEmpty(options.endpoint) ?? (explicitAgent ? undefined : readEnv(env, 'OTEL_EXPORTER_JAEGER_ENDPOINT'));
  if (endpoint !== undefined) {
    const username = options.username ?? readEnv(env, 'OTEL_EXPORTER_JAEGER_USER');
    const password = options.password ?? readEnv(env, 'OTEL_EXPORTER_JAEGER_PASSWORD');
    return {
      mode: 'collector',
      endpoint: parseHttpUrl(endpoint, endpointSource),
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    };
  }
  const host = nonEmpty(options.host) ?? readEnv(env, 'OTEL_EXPORTER_JAEGER_AGENT_HOST') ?? 'localhost';
  const portFromEnv = readEnv(env, 'OTEL_EXPORTER_JAEGER_AGENT_PORT');
  const port =
    options.port !== undefined
      ? parsePositiveInteger(options.port, 'jaeger.port', 65_535)
      : portFromEnv !== undefined
        ? parsePositiveInteger(portFromEnv, 'OTEL_EXPORTER_JAEGER_AGENT_PORT', 65_535)
        : JAEGER_AGENT_BINARY_PORT;
  return {
    mode: 'agent',
    host,
    port,
    ...(options.maxPacketSize === undefined
      ? {}
      : { maxPacketSize: parsePositiveInteger(options.maxPacketSize, 'jaeger.maxPacketSize', 65_507) }),
  };
}
