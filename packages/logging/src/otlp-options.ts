import {
  checkOptionNames,
  invalidOption,
  parseHttpUrl,
  parsePositiveInteger,
  readEnv,
} from '@genxai/obs-core';
import { DEFAULT_OTLP_LOGS_URL } from './names';

/** OTLP/HTTP encodings, as in `OTEL_EXPORTER_OTLP_LOGS_PROTOCOL`. */
export const OTLP_LOG_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/** An OTLP/HTTP encoding: protobuf (`@opentelemetry/exporter-logs-otlp-proto`) or JSON (`-http`). */
export type OtlpLogProtocol = (typeof OTLP_LOG_PROTOCOLS)[number];

/** A resource attribute value. */
export type ResourceAttributeValue = string | number | boolean | string[] | number[] | boolean[];

/**
 * Options of the OTLP log export (`createLogger({ otlp })`). Each falls back to its standard
 * `OTEL_*` variable, read from the logger's `env`.
 */
export interface OtlpLogOptions {
  /**
   * The full logs URL. Env: `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` (used as is), else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/logs`.
   * @default 'http://localhost:4318/v1/logs'
   */
  url?: string;
  /**
   * Encoding. Env: `OTEL_EXPORTER_OTLP_LOGS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`.
   * `http/json` needs `@opentelemetry/exporter-logs-otlp-http` instead of `-proto`. gRPC is not
   * offered: the Collector, Loki, Tempo and Jaeger all take OTLP/HTTP on 4318.
   * @default 'http/protobuf'
   */
  protocol?: OtlpLogProtocol;
  /** Extra request headers (merged with `OTEL_EXPORTER_OTLP_HEADERS`, which the exporter reads). */
  headers?: Record<string, string>;
  /**
   * Timeout of one export request. A flush or shutdown of the logger also waits at most this
   * long for the collector. Env: `OTEL_EXPORTER_OTLP_LOGS_TIMEOUT`, else `OTEL_EXPORTER_OTLP_TIMEOUT`.
   * @default 10000
   */
  timeoutMillis?: number;
  /**
   * `service.name` of the resource. Env: `OTEL_SERVICE_NAME`.
   * @default 'unknown_service:node' (OTel's default)
   */
  serviceName?: string;
  /**
   * Extra resource attributes (`deployment.environment.name`, `service.version`, …), merged over
   * OTel's defaults and `OTEL_RESOURCE_ATTRIBUTES`. Pass the same ones as to tracing, so a
   * backend joins the signals on one resource.
   * @default {}
   */
  resource?: Record<string, ResourceAttributeValue>;
}

/** The OTLP log settings after options, env and defaults are merged. */
export interface ResolvedOtlpLogOptions {
  url: string;
  protocol: OtlpLogProtocol;
  headers: Record<string, string> | undefined;
  timeoutMillis: number;
  serviceName: string | undefined;
  resource: Record<string, ResourceAttributeValue>;
}

/** The values of `OTEL_LOGS_EXPORTER` we accept. `console` means the JSON lines, which are always written. */
const LOG_EXPORTER_NAMES = ['otlp', 'console', 'none'] as const;

const DEFAULT_TIMEOUT_MILLIS = 10_000;

const OTLP_OPTION_NAMES = {
  url: true,
  protocol: true,
  headers: true,
  timeoutMillis: true,
  serviceName: true,
  resource: true,
} satisfies Record<keyof OtlpLogOptions, true>;

/**
 * Whether OTLP export is on, and its settings: the `otlp` option wins; without it,
 * `OTEL_LOGS_EXPORTER=otlp` turns it on. Undefined when it is off. Throws on a bad option or
 * variable, naming it.
 */
export function resolveOtlpLogOptions(
  option: boolean | OtlpLogOptions | undefined,
  env: Record<string, string | undefined>,
): ResolvedOtlpLogOptions | undefined {
  let given: OtlpLogOptions;
  if (option === false) return undefined;
  if (option === undefined) {
    if (!otlpFromEnv(env)) return undefined;
    given = {};
  } else if (option === true) {
    given = {};
  } else if (typeof option === 'object' && option !== null && !Array.isArray(option)) {
    checkOptionNames('otlp', option, OTLP_OPTION_NAMES);
    given = option;
  } else {
    return invalidOption('otlp', option, 'true, false or an options object ({ url, headers, … })');
  }
  return {
    url: resolveUrl(given.url, env),
    protocol: resolveProtocol(given.protocol, env),
    headers: checkHeaders(given.headers),
    timeoutMillis: resolveTimeout(given.timeoutMillis, env),
    serviceName: resolveServiceName(given.serviceName, env),
    resource: checkResource(given.resource),
  };
}

function otlpFromEnv(env: Record<string, string | undefined>): boolean {
  const value = readEnv(env, 'OTEL_LOGS_EXPORTER');
  if (value === undefined) return false;
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(LOG_EXPORTER_NAMES as readonly string[]).includes(name)) {
      invalidOption(
        'OTEL_LOGS_EXPORTER',
        value,
        `one or more of ${LOG_EXPORTER_NAMES.join(', ')}, separated by commas`,
      );
    }
  }
  // The spec: "none" means no export, whatever else is listed.
  return names.includes('otlp') && !names.includes('none');
}

function resolveUrl(url: unknown, env: Record<string, string | undefined>): string {
  if (url !== undefined) return parseHttpUrl(url, 'otlp.url');
  const logsEndpoint = readEnv(env, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  if (logsEndpoint !== undefined) return parseHttpUrl(logsEndpoint, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  const endpoint = readEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (endpoint === undefined) return DEFAULT_OTLP_LOGS_URL;
  // Appended to the path, so a query string stays a query string.
  const base = new URL(parseHttpUrl(endpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT'));
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/v1/logs`;
  return base.toString();
}

function resolveProtocol(protocol: unknown, env: Record<string, string | undefined>): OtlpLogProtocol {
  const [source, value] =
    protocol !== undefined
      ? ['otlp.protocol', protocol]
      : readEnv(env, 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL') !== undefined
        ? ['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', readEnv(env, 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL')]
        : ['OTEL_EXPORTER_OTLP_PROTOCOL', readEnv(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf'];
  if (!(OTLP_LOG_PROTOCOLS as readonly unknown[]).includes(value)) {
    invalidOption(
      source,
      value,
      `one of ${OTLP_LOG_PROTOCOLS.join(', ')} (gRPC is not offered; use OTLP/HTTP on port 4318)`,
    );
  }
  return value as OtlpLogProtocol;
}

function resolveTimeout(timeoutMillis: unknown, env: Record<string, string | undefined>): number {
  if (timeoutMillis !== undefined) return parsePositiveInteger(timeoutMillis, 'otlp.timeoutMillis');
  for (const name of ['OTEL_EXPORTER_OTLP_LOGS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const value = readEnv(env, name);
    if (value !== undefined) return parsePositiveInteger(value, name);
  }
  return DEFAULT_TIMEOUT_MILLIS;
}

function checkHeaders(headers: unknown): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const valid =
    typeof headers === 'object' &&
    headers !== null &&
    !Array.isArray(headers) &&
    Object.values(headers).every((value) => typeof value === 'string');
  // The values are left out of the message: headers carry credentials.
  if (!valid) invalidOption('otlp.headers', withoutContent(headers), 'an object of string header values');
  return headers as Record<string, string>;
}

function resolveServiceName(
  serviceName: unknown,
  env: Record<string, string | undefined>,
): string | undefined {
  if (serviceName === undefined) return readEnv(env, 'OTEL_SERVICE_NAME');
  if (typeof serviceName !== 'string' || serviceName.trim() === '') {
    invalidOption('otlp.serviceName', serviceName, 'a non-empty string');
  }
  return serviceName;
}

function isAttributeValue(value: unknown): boolean {
  const scalar = (item: unknown) =>
    typeof item === 'string' ||
    typeof item === 'boolean' ||
    (typeof item === 'number' && Number.isFinite(item));
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}

function checkResource(resource: unknown): Record<string, ResourceAttributeValue> {
  if (resource === undefined) return {};
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return invalidOption('otlp.resource', resource, 'an object of resource attributes');
  }
  for (const [key, value] of Object.entries(resource)) {
    if (!isAttributeValue(value)) {
      invalidOption(
        `otlp.resource["${key}"]`,
        value,
        'a string, number or boolean, or an array of one of them',
      );
    }
  }
  return resource as Record<string, ResourceAttributeValue>;
}

/** An object is described without its content; anything else is not shown. */
function withoutContent(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? value : '(a value not shown)';
}
