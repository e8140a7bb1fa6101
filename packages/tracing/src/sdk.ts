// The OpenTelemetry trace SDK that `setupTracing` builds on, found at run time in whichever line the
// application installed: SDK 2 (`@opentelemetry/sdk-trace` 2.9+ or `@opentelemetry/sdk-trace-base` 2.x,
// `@opentelemetry/api` < 1.10, Node ≥ 18.19) or SDK 3 (`@opentelemetry/sdk-trace` 3.x, api 1.10,
// Node ≥ 22.15). The span helpers
// need only `@opentelemetry/api`; nothing here is loaded until a setup needs it, and never with an
// injected `tracerProvider`.
//
// The SDK packages are optional peer dependencies, so they install beside either line without a
// peer conflict. Each is looked up from this package first (a direct or hoisted install), then from
// the folder of an installed SDK package that depends on it (`@opentelemetry/sdk-node`,
// `@opentelemetry/sdk-trace-node`, …): under pnpm's strict layout, `npm install @opentelemetry/sdk-node`
// alone is enough.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GenxaiObservabilityError } from '@genxai/obs-core';
import type {
  Attributes,
  Context,
  ContextManager,
  HrTime,
  Link,
  MeterProvider,
  SpanContext,
  SpanKind,
  SpanStatus,
  TextMapPropagator,
  TracerProvider,
} from '@opentelemetry/api';

/** The outcome an exporter reports for one batch, as the SDK's `ExportResult`. */
export interface ExportResult {
  /** `0` (success) or `1` (failed), as the SDK's `ExportResultCode`. */
  code: number;
  error?: Error;
}

/** The SDK's `ExportResultCode`, the same in both lines. */
export const EXPORT_RESULT = { SUCCESS: 0, FAILED: 1 } as const;

/** A finished span as the SDK hands it to exporters (the fields both SDK lines have). */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly spanContext: () => SpanContext;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: ReadonlyArray<{ name: string; time: HrTime; attributes?: Attributes }>;
  readonly ended: boolean;
}

/** A span exporter of either SDK line (`OTLPTraceExporter`, `JaegerExporter`, or your own). */
export interface SpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** A span processor of either SDK line. */
export interface SpanProcessor {
  onStart(span: never, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A sampler of either SDK line (`ParentBasedSampler`, …, or your own). */
export interface Sampler {
  shouldSample(...args: never[]): unknown;
  toString(): string;
}

/** Span limits passed to the SDK (attribute count, value length, …). */
export interface SpanLimits {
  attributeValueLengthLimit?: number;
  attributeCountLimit?: number;
  linkCountLimit?: number;
  eventCountLimit?: number;
  attributePerEventCountLimit?: number;
  attributePerLinkCountLimit?: number;
}

/** An SDK `Resource` (from `@opentelemetry/resources` of either line). */
export interface Resource {
  readonly attributes: Attributes;
  merge(other: Resource | null): Resource;
}

/** The provider `setupTracing` builds: the line's SDK tracer provider. */
export interface SdkTracerProvider extends TracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Batch settings, as both lines' `BatchSpanProcessor` take them. */
export interface SdkBatchConfig {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
}

/** The pieces of the trace SDK that `setupTracing` uses, from one line. */
export interface TraceSdk {
  /** The SDK line: 2 or 3. */
  readonly line: 2 | 3;
  /** The trace SDK package loaded. */
  readonly package: '@opentelemetry/sdk-trace' | '@opentelemetry/sdk-trace-base';
  /** Its version. */
  readonly version: string;
  createProvider(config: {
    resource: Resource;
    sampler: Sampler;
    spanProcessors: SpanProcessor[];
    spanLimits?: SpanLimits;
  }): SdkTracerProvider;
  /** A `BatchSpanProcessor` whose queue-full drops are counted through `selfObsMeterProvider`. */
  createBatchProcessor(
    exporter: SpanExporter,
    batch: SdkBatchConfig,
    selfObsMeterProvider: MeterProvider,
  ): SpanProcessor;
  readonly samplers: {
    alwaysOn(): Sampler;
    alwaysOff(): Sampler;
    traceIdRatio(ratio: number): Sampler;
    parentBased(root: Sampler): Sampler;
  };
  readonly resources: {
    /** The SDK's defaults merged with `OTEL_RESOURCE_ATTRIBUTES` / `OTEL_SERVICE_NAME`. */
    fromEnvironment(): Resource;
    fromAttributes(attributes: Attributes): Resource;
  };
  /** W3C trace-context and baggage, composed. */
  createW3CPropagator(): TextMapPropagator;
  createContextManager(): ContextManager;
}

/** Loads a CommonJS module by name; swapped in tests to simulate what is installed. */
export type ModuleLoader = (name: string) => unknown;

const requireFromHere = createRequire(import.meta.url);

// Installed SDK packages whose dependencies hold the pieces we need, for layouts (pnpm) where only
// what the application lists itself is visible from here.
const ANCHORS = [
  '@opentelemetry/sdk-node',
  '@opentelemetry/sdk-trace-node',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/exporter-trace-otlp-proto',
  '@opentelemetry/exporter-trace-otlp-http',
];

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED'
  );
}

/**
 * The default loader: this package first, then each installed anchor's folder. A module that is
 * found but fails to load rethrows: that is a broken install, not a missing one.
 */
export function loadOptionalPeer(name: string): unknown {
  try {
    return requireFromHere(name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  for (const anchor of ANCHORS) {
    if (anchor === name) continue;
    let anchorPath: string;
    try {
      anchorPath = requireFromHere.resolve(anchor);
    } catch {
      continue;
    }
    try {
      return createRequire(anchorPath)(name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  const missing = new Error(`Cannot find module '${name}'`) as Error & { code: string };
  missing.code = 'MODULE_NOT_FOUND';
  throw missing;
}

/** Where the main entry of `name` resolves from here, or undefined when it is not installed. */
function resolvedPath(name: string): string | undefined {
  try {
    return requireFromHere.resolve(name);
  } catch {
    for (const anchor of ANCHORS) {
      try {
        return createRequire(requireFromHere.resolve(anchor)).resolve(name);
      } catch {
        // not under this anchor
      }
    }
    return undefined;
  }
}

/** The version of an installed package, read from its package.json, or undefined. */
export function installedVersion(name: string): string | undefined {
  const entry = resolvedPath(name);
  if (entry === undefined) return undefined;
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === name && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here: go up
    }
  }
  return undefined;
}

function major(version: string | undefined): number | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  return match === null ? undefined : Number(match[1]);
}

/** True when this Node.js can run SDK 3 (it needs 22.15 or later). */
function nodeRunsSdk3(nodeVersion: string): boolean {
  const [nodeMajor = 0, nodeMinor = 0] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  return nodeMajor > 22 || (nodeMajor === 22 && nodeMinor >= 15);
}

/** The install lines that give `setupTracing` an SDK, for the error and the docs. */
export function sdkInstallHint(nodeVersion = process.versions.node): string {
  return nodeRunsSdk3(nodeVersion)
    ? 'npm install @opentelemetry/sdk-node (SDK 3 on this Node.js), or the lighter ' +
        '@opentelemetry/sdk-trace @opentelemetry/context-async-hooks, plus ' +
        '@opentelemetry/exporter-trace-otlp-proto for the otlp exporter'
    : 'npm install @opentelemetry/api@1.9 @opentelemetry/sdk-trace@2 @opentelemetry/context-async-hooks@2, plus ' +
        '@opentelemetry/exporter-trace-otlp-proto@0.223 for the otlp exporter (SDK 2: SDK 3 needs Node.js 22.15 or later)';
}

/** Raised when no trace SDK can be found. */
export class MissingSdkError extends GenxaiObservabilityError {
  constructor(what: string, cause?: unknown) {
    super(
      'GENXAI_MISSING_PEER',
      `${what} needs an OpenTelemetry trace SDK, and none is installed. Install one: ${sdkInstallHint()}. ` +
        'Or pass tracerProvider: an existing provider (a started NodeSDK) needs no SDK of ours.',
      cause === undefined ? undefined : { cause },
    );
  }
}

interface SdkTraceBase {
  BasicTracerProvider: new (config: Record<string, unknown>) => SdkTracerProvider;
  BatchSpanProcessor: new (exporter: SpanExporter, config: Record<string, unknown>) => SpanProcessor;
  AlwaysOnSampler: new () => Sampler;
  AlwaysOffSampler: new () => Sampler;
  TraceIdRatioBasedSampler: new (ratio: number) => Sampler;
  ParentBasedSampler: new (config: { root: Sampler }) => Sampler;
}

interface SdkTrace {
  TracerProvider: new (config: Record<string, unknown>) => SdkTracerProvider;
  BatchSpanProcessor: new (config: Record<string, unknown>) => SpanProcessor;
  AlwaysOnSampler: new () => Sampler;
  AlwaysOffSampler: new () => Sampler;
  TraceIdRatioBasedSampler: new (ratio: number) => Sampler;
  ParentBasedSampler: new (config: { root: Sampler }) => Sampler;
}

interface CoreModule {
  CompositePropagator: new (config: { propagators: TextMapPropagator[] }) => TextMapPropagator;
  W3CTraceContextPropagator: new () => TextMapPropagator;
  W3CBaggagePropagator: new () => TextMapPropagator;
}

interface ResourcesModule {
  defaultResource(): Resource;
  detectResources(config: { detectors: unknown[] }): Resource;
  envDetector: unknown;
  resourceFromAttributes(attributes: Attributes): Resource;
}

interface ContextAsyncHooksModule {
  AsyncLocalStorageContextManager: new () => ContextManager;
}

/** Which trace SDK package to load: `@opentelemetry/sdk-trace` (2.9+ and 3.x), else `@opentelemetry/sdk-trace-base` (2.x). */
export function choosePackage(installed: {
  sdkTrace?: string | undefined;
  sdkTraceBase?: string | undefined;
}): { name: '@opentelemetry/sdk-trace' | '@opentelemetry/sdk-trace-base'; version: string } | undefined {
  if (installed.sdkTrace !== undefined)
    return { name: '@opentelemetry/sdk-trace', version: installed.sdkTrace };
  if (installed.sdkTraceBase !== undefined) {
    return { name: '@opentelemetry/sdk-trace-base', version: installed.sdkTraceBase };
  }
  return undefined;
}

function loadTraceSdk(
  load: ModuleLoader,
  chosen: { name: '@opentelemetry/sdk-trace' | '@opentelemetry/sdk-trace-base'; version: string },
): TraceSdk {
  const core = load('@opentelemetry/core') as CoreModule;
  const resources = load('@opentelemetry/resources') as ResourcesModule;
  const hooks = load('@opentelemetry/context-async-hooks') as ContextAsyncHooksModule;
  const common = {
    line: (major(chosen.version) === 3 ? 3 : 2) as 2 | 3,
    package: chosen.name,
    version: chosen.version,
    resources: {
      fromEnvironment: () =>
        resources.defaultResource().merge(resources.detectResources({ detectors: [resources.envDetector] })),
      fromAttributes: (attributes: Attributes) => resources.resourceFromAttributes(attributes),
    },
    createW3CPropagator: () =>
      new core.CompositePropagator({
        propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
      }),
    createContextManager: () => new hooks.AsyncLocalStorageContextManager(),
  };
  if (chosen.name === '@opentelemetry/sdk-trace') {
    // The single trace SDK package: 2.9 and later, and every 3.x.
    const sdk = load(chosen.name) as SdkTrace;
    return {
      ...common,
      createProvider: (config) => new sdk.TracerProvider(config),
      createBatchProcessor: (exporter, batch, selfObsMeterProvider) =>
        new sdk.BatchSpanProcessor({ exporter, ...batch, selfObsMeterProvider }),
      samplers: samplersOf(sdk),
    };
  }
  // SDK 2 before the single package (or an install that has only sdk-trace-base / sdk-trace-node).
  const sdk = load(chosen.name) as SdkTraceBase;
  return {
    ...common,
    createProvider: (config) => new sdk.BasicTracerProvider(config),
    createBatchProcessor: (exporter, batch, selfObsMeterProvider) =>
      new sdk.BatchSpanProcessor(exporter, { ...batch, selfObsMeterProvider }),
    samplers: samplersOf(sdk),
  };
}

function samplersOf(sdk: SdkTraceBase | SdkTrace): TraceSdk['samplers'] {
  return {
    alwaysOn: () => new sdk.AlwaysOnSampler(),
    alwaysOff: () => new sdk.AlwaysOffSampler(),
    traceIdRatio: (ratio) => new sdk.TraceIdRatioBasedSampler(ratio),
    parentBased: (root) => new sdk.ParentBasedSampler({ root }),
  };
}

let cached: TraceSdk | undefined;

/**
 * The trace SDK of the installed line, loaded once. Throws a `GENXAI_MISSING_PEER`
 * {@link GenxaiObservabilityError} naming the install line when no SDK (or a piece of it) is
 * installed. `load` and `versions` are for tests.
 */
export function traceSdk(
  what = 'setupTracing',
  options: {
    load?: ModuleLoader;
    versions?: { sdkTrace?: string | undefined; sdkTraceBase?: string | undefined };
  } = {},
): TraceSdk {
  const testing = options.load !== undefined || options.versions !== undefined;
  if (cached !== undefined && !testing) return cached;
  const chosen = choosePackage(options.versions ?? installedTraceSdks());
  if (chosen === undefined) throw new MissingSdkError(what);
  let sdk: TraceSdk;
  try {
    sdk = loadTraceSdk(options.load ?? loadOptionalPeer, chosen);
  } catch (error) {
    if (isNotFound(error)) throw new MissingSdkError(what, error);
    throw error;
  }
  if (!testing) cached = sdk;
  return sdk;
}

function installedTraceSdks() {
  return {
    sdkTrace: installedVersion('@opentelemetry/sdk-trace'),
    sdkTraceBase: installedVersion('@opentelemetry/sdk-trace-base'),
  };
}
