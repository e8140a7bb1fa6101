import { createWarnOnce, invalidOption, type WarningHandler } from '@genxai/obs-core';
import {
  type Attributes,
  type ContextManager,
  context,
  createContextKey,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import {
  type BatchOptions,
  displayUrl,
  type Environment,
  type ExporterName,
  JAEGER_AGENT_COMPACT_PORT,
  type JaegerOptions,
  type OtlpOptions,
  parseExporterNames,
  parsePositiveInteger,
  parseRatio,
  parseSamplerName,
  readEnv,
  resolveBatchOptions,
  resolveJaegerOptions,
  resolveOtlpOptions,
  type SamplerName,
} from './config';
import type { ContentCaptureOptions } from './content';
import { createConsoleExporter, createJaegerExporter, createOtlpExporter, isSpanExporter } from './exporters';
import {
  createBatchProcessor,
  createEndedCounter,
  createStats,
  type TracingStats,
  untilDeadline,
} from './processor';
import {
  MissingSdkError,
  type Resource,
  type Sampler,
  type SdkTracerProvider,
  type SpanExporter,
  type SpanLimits,
  type SpanProcessor,
  sdkInstallHint,
  type TraceSdk,
  traceSdk,
} from './sdk';
import {
  createSpanHelpers,
  type SpanHelpers,
  type SpanHelpersOptions,
  type SpanNaming,
  TRACER_NAME,
} from './spans';

/** Options of {@link setupTracing}. Explicit options beat environment variables. */
export interface TracingOptions {
  /**
   * Record into a provider the application already has (a NodeSDK's `trace.getTracerProvider()`,
   * or one shared with Sentry or Datadog) instead of building ours. Then no provider, exporter,
   * processor, sampler or context manager is made and no global is touched; the options that
   * configure our own provider (`exporter`, `jaeger`, `otlp`, `batch`, `sampler`, `sampleRatio`,
   * `resource`, `serviceName`, `serviceVersion`, `spanLimits`, `registerGlobal`, `onDrop`, `env`)
   * throw when given with it. `shutdown()` never shuts this provider down.
   * @default undefined (a NodeTracerProvider of our own)
   */
  tracerProvider?: TracerProvider;
  /** `service.name` of the resource. Env: `OTEL_SERVICE_NAME`. @default 'unknown_service:node' (OTel's default) */
  serviceName?: string;
  /** `service.version` of the resource. */
  serviceVersion?: string;
  /**
   * Where spans go: `'otlp'` (OTLP/HTTP, protobuf by default), `'jaeger'` (UDP agent or HTTP
   * collector; needs the optional peer `@opentelemetry/exporter-jaeger`), `'console'`, `'none'`,
   * several names (array or comma list), or your own `SpanExporter`.
   * Env: `OTEL_TRACES_EXPORTER`.
   * @default 'none' (nothing is sent anywhere you did not name)
   */
  exporter?: ExporterName | ExporterName[] | string | SpanExporter;
  /** Settings of the `jaeger` exporter. */
  jaeger?: JaegerOptions;
  /** Settings of the `otlp` exporter. */
  otlp?: OtlpOptions;
  /**
   * A sampler name or your own `Sampler`. Env: `OTEL_TRACES_SAMPLER`.
   * @default 'parentbased_always_on'
   */
  sampler?: SamplerName | Sampler;
  /** Ratio for the `*traceidratio` samplers, from 0 to 1. Env: `OTEL_TRACES_SAMPLER_ARG`. @default 1 */
  sampleRatio?: number;
  /** Extra resource attributes, or a `Resource`; merged over the defaults and `OTEL_RESOURCE_ATTRIBUTES`. */
  resource?: Resource | Attributes;
  /** Queue and batch sizes; the queue is bounded. */
  batch?: BatchOptions;
  /** Span limits passed to the SDK (attribute count, value length, …). */
  spanLimits?: SpanLimits;
  /**
   * The bound of `shutdown()`: it resolves once every ended span is accounted for
   * (`exported + failed + dropped`), or after this many milliseconds, when the spans still being
   * exported are counted as failed. With `tracerProvider`, it bounds the flush instead.
   * @default batch.exportTimeoutMillis + 1000 (31000 with the default batch options and with `tracerProvider`)
   */
  shutdownTimeoutMillis?: number;
  /**
   * Also register the provider as the global `@opentelemetry/api` tracer provider, with the W3C
   * trace-context and baggage propagator, so third-party instrumentation uses it. Off by
   * default: the helpers use this provider directly. (An AsyncLocalStorage context manager is
   * registered globally either way when none is, since span nesting needs one.)
   *
   * Never replaces what the application registered: when a global tracer provider (a started
   * NodeSDK, or another `setupTracing`) or propagator already exists, it is left alone, a
   * `GENXAI_GLOBAL_TAKEN` warning is reported once, and the helpers keep recording through this
   * provider. `shutdown()` unregisters only globals that are still ours.
   * @default false
   */
  registerGlobal?: boolean;
  /** Content capture of task, tool parameters, prompt and completion. @default redacted, truncated to 1024 */
  contentCapture?: ContentCaptureOptions;
  /** Seed span names or the GenAI semconv names. @default 'seed' */
  spanNames?: SpanNaming;
  /** Where problems (dropped spans, failed exports, port traps) are reported, once each. @default process warnings */
  onWarning?: WarningHandler;
  /** Called with the number of spans dropped from a full queue, each time it happens. */
  onDrop?: (count: number) => void;
  /** The environment to read `OTEL_*` variables from. @default process.env */
  env?: Environment;
}

/** One configured exporter, for a start-up summary. */
export interface ExporterDescription {
  /** `otlp`, `jaeger`, `console` or `custom`. */
  name: string;
  /** Where spans go, e.g. `http://localhost:4318/v1/traces (http/protobuf)` or `udp://localhost:6832`. */
  target?: string;
}

/** What {@link setupTracing} returns: the provider, its tracer, the span helpers and the lifecycle. */
export interface Tracing extends SpanHelpers {
  /** The tracer the helpers use. */
  readonly tracer: Tracer;
  /**
   * The provider the helpers use: our `NodeTracerProvider`, or the injected `tracerProvider` as
   * given. Pass it to instrumentations that take a `tracerProvider`.
   */
  readonly provider: TracerProvider;
  /**
   * Live counts of exported, failed and dropped spans. `undefined` with an injected
   * `tracerProvider`: its pipeline is not ours, so we cannot count it.
   */
  readonly stats: TracingStats | undefined;
  /** The exporters this setup made (empty for `none`, and with an injected `tracerProvider`). */
  readonly exporters: readonly ExporterDescription[];
  /**
   * Exports every finished span now (with an injected `tracerProvider`, through its
   * `forceFlush()` when it has one). Never rejects: a failure is reported through `onWarning`.
   */
  forceFlush(): Promise<void>;
  /**
   * Flushes every finished span, then closes the exporters. Never rejects. Idempotent.
   * Call it before the process exits. With an injected `tracerProvider` it flushes, then stops
   * the helpers from recording; the provider itself is left running.
   */
  shutdown(): Promise<void>;
}

/** What {@link setupTracing} returns when it builds the provider itself. */
type OwnTracing = Tracing & { readonly provider: SdkTracerProvider; readonly stats: TracingStats };

// Where @opentelemetry/api 1.x keeps its registered globals (one slot per API, shared by every
// copy of the API). Read to tell "none registered" from "someone else's", without provoking
// the API's duplicate-registration diag errors.
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

function registeredGlobal(name: 'trace' | 'context' | 'propagation'): unknown {
  return (globalThis as Record<symbol, Record<string, unknown> | undefined>)[API_GLOBALS]?.[name];
}

// The API's no-op provider: what the global proxy delegates to when no SDK is registered.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();

/** The real provider behind the global proxy, or undefined when none is registered. */
function globalTracerProvider(): TracerProvider | undefined {
  const global = trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  const delegate = typeof global.getDelegate === 'function' ? global.getDelegate() : global;
  return delegate === NOOP_TRACER_PROVIDER ? undefined : delegate;
}

let contextManagerUsers = 0;
let ownContextManager: ContextManager | undefined;

// Span nesting through the active context needs a global context manager.
// Install ours only when no other is registered, and remove it when the last
// tracing set-up that needed it shuts down, if it is still the global one.
function acquireContextManager(sdk: TraceSdk) {
  contextManagerUsers++;
  if (registeredGlobal('context') !== undefined) return;
  const manager = sdk.createContextManager().enable();
  if (context.setGlobalContextManager(manager)) ownContextManager = manager;
  else manager.disable();
}

function releaseContextManager() {
  contextManagerUsers = Math.max(0, contextManagerUsers - 1);
  if (contextManagerUsers > 0 || ownContextManager === undefined) return;
  const manager = ownContextManager;
  ownContextManager = undefined;
  if (registeredGlobal('context') !== manager) return; // replaced by the application: theirs now
  // A NodeSDK started after us could not register its own context manager and runs on ours:
  // removing it would break the nesting of the host's spans. Leave it for them.
  const host = globalTracerProvider();
  if (host !== undefined && !globalClaims.some((claim) => claim.provider === host)) return;
  context.disable();
}

/** One of our own setups that asked for `registerGlobal`. */
interface GlobalClaim {
  provider: TracerProvider;
  warnOnce: ReturnType<typeof createWarnOnce>;
  /** True while the global tracer provider is this setup's. */
  ownsProvider: boolean;
  /** The propagator this setup registered, while it is the global one. */
  propagator: TextMapPropagator | undefined;
  /** Builds the W3C trace-context and baggage propagator it registers. */
  createPropagator: () => TextMapPropagator;
}

// Live setups that asked for the global, oldest first: when the owner shuts down, the next
// one takes the global over, so it is never left on a no-op provider while one of ours runs.
const globalClaims: GlobalClaim[] = [];

function claimGlobals(claim: GlobalClaim, warn: boolean) {
  if (globalTracerProvider() !== undefined || !trace.setGlobalTracerProvider(claim.provider)) {
    if (warn) {
      claim.warnOnce(
        'global-tracer-provider',
        'GENXAI_GLOBAL_TAKEN',
        'registerGlobal: a global tracer provider is already registered (a started NodeSDK, or another ' +
          'setupTracing), so ours was not registered and third-party instrumentation keeps using it. The ' +
          "helpers still record through this setup's own provider. To record into the existing provider " +
          'instead, pass tracerProvider: trace.getTracerProvider().',
      );
    }
    return;
  }
  claim.ownsProvider = true;
  if (registeredGlobal('propagation') === undefined) {
    const propagator = claim.createPropagator();
    if (propagation.setGlobalPropagator(propagator)) claim.propagator = propagator;
  } else if (warn) {
    claim.warnOnce(
      'global-propagator',
      'GENXAI_GLOBAL_TAKEN',
      'registerGlobal: a global propagator is already registered, so ours (W3C trace-context and baggage) ' +
        'was not; the existing one is used.',
    );
  }
}

function releaseGlobals(claim: GlobalClaim) {
  const index = globalClaims.indexOf(claim);
  if (index >= 0) globalClaims.splice(index, 1);
  // Identity checks: never remove a global someone else registered since.
  const wasOwner = claim.ownsProvider && globalTracerProvider() === claim.provider;
  if (wasOwner) trace.disable();
  claim.ownsProvider = false;
  if (claim.propagator !== undefined && registeredGlobal('propagation') === claim.propagator) {
    propagation.disable();
  }
  claim.propagator = undefined;
  if (!wasOwner) return;
  for (const next of globalClaims) {
    claimGlobals(next, false);
    if (next.ownsProvider) return;
  }
}

// Past the batch export timeout, so a batch that times out is still counted before shutdown gives up.
const SHUTDOWN_MARGIN_MILLIS = 1000;
const DEFAULT_EXPORT_TIMEOUT_MILLIS = 30_000;

function resolveShutdownTimeout(options: TracingOptions, exportTimeoutMillis: number): number {
  return options.shutdownTimeoutMillis === undefined
    ? exportTimeoutMillis + SHUTDOWN_MARGIN_MILLIS
    : parsePositiveInteger(options.shutdownTimeoutMillis, 'shutdownTimeoutMillis');
}

// Checks the sampler options, then builds the sampler with the SDK (none without one).
function buildSampler(
  options: TracingOptions,
  env: Environment,
  sdk: TraceSdk | undefined,
): Sampler | undefined {
  const given = options.sampler;
  if (typeof given === 'object' && given !== null) {
    if (typeof (given as Sampler).shouldSample !== 'function') {
      invalidOption('sampler', given, 'a sampler name or an object with shouldSample()');
    }
    return given;
  }
  const fromEnv = readEnv(env, 'OTEL_TRACES_SAMPLER');
  const name =
    given !== undefined
      ? parseSamplerName(given, 'sampler')
      : fromEnv !== undefined
        ? parseSamplerName(fromEnv, 'OTEL_TRACES_SAMPLER')
        : 'parentbased_always_on';
  const ratio = () => {
    if (options.sampleRatio !== undefined) return parseRatio(options.sampleRatio, 'sampleRatio');
    const arg = readEnv(env, 'OTEL_TRACES_SAMPLER_ARG');
    return arg === undefined ? 1 : parseRatio(arg, 'OTEL_TRACES_SAMPLER_ARG');
  };
  if (name.endsWith('traceidratio')) ratio(); // checked with or without an SDK
  if (sdk === undefined) return undefined;
  switch (name) {
    case 'always_on':
      return sdk.samplers.alwaysOn();
    case 'always_off':
      return sdk.samplers.alwaysOff();
    case 'traceidratio':
      return sdk.samplers.traceIdRatio(ratio());
    case 'parentbased_always_on':
      return sdk.samplers.parentBased(sdk.samplers.alwaysOn());
    case 'parentbased_always_off':
      return sdk.samplers.parentBased(sdk.samplers.alwaysOff());
    case 'parentbased_traceidratio':
      return sdk.samplers.parentBased(sdk.samplers.traceIdRatio(ratio()));
  }
}

// Checks the resource options, then builds the resource with the SDK (none without one).
function buildResource(
  options: TracingOptions,
  env: Environment,
  sdk: TraceSdk | undefined,
): Resource | undefined {
  const given = options.resource;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    invalidOption('resource', given, 'a Resource or an object of attributes');
  }
  const serviceName = options.serviceName ?? readEnv(env, 'OTEL_SERVICE_NAME');
  const extra: Attributes = {};
  if (serviceName !== undefined) {
    if (typeof serviceName !== 'string' || serviceName.trim() === '') {
      invalidOption('serviceName', serviceName, 'a non-empty string');
    }
    extra['service.name'] = serviceName;
  }
  if (options.serviceVersion !== undefined) extra['service.version'] = options.serviceVersion;
  if (sdk === undefined) return undefined;
  let resource = sdk.resources.fromEnvironment();
  if (given !== undefined) {
    resource = resource.merge(
      typeof (given as Resource).merge === 'function'
        ? (given as Resource)
        : sdk.resources.fromAttributes(given as Attributes),
    );
  }
  return Object.keys(extra).length === 0 ? resource : resource.merge(sdk.resources.fromAttributes(extra));
}

// Options that configure our own provider; the injected provider's owner already did.
const NOT_WITH_TRACER_PROVIDER = {
  exporter: "spans go to the injected provider's exporters",
  jaeger: "spans go to the injected provider's exporters",
  otlp: "spans go to the injected provider's exporters",
  batch: "the injected provider's span processors decide",
  sampler: "the injected provider's sampler decides",
  sampleRatio: "the injected provider's sampler decides",
  resource: "spans carry the injected provider's resource",
  serviceName: "spans carry the injected provider's resource (service.name)",
  serviceVersion: "spans carry the injected provider's resource",
  spanLimits: "the injected provider's span limits apply",
  registerGlobal: 'register the injected provider where it is built',
  onDrop: "the injected provider's span processors queue the spans",
  env: 'OTEL_* variables are read by the injected provider, not by us',
} as const satisfies Partial<Record<keyof TracingOptions, string>>;

interface Flushable {
  forceFlush(): Promise<void>;
}

function isFlushable(value: unknown): value is Flushable {
  return typeof (value as Partial<Flushable> | undefined)?.forceFlush === 'function';
}

// Looked up on each call: the global ProxyTracerProvider gets its delegate
// only when the application's SDK starts, which may be after setupTracing.
function flushTarget(provider: TracerProvider): Flushable | undefined {
  if (isFlushable(provider)) return provider;
  const delegate = (provider as { getDelegate?: () => unknown }).getDelegate?.();
  return isFlushable(delegate) ? delegate : undefined;
}

// The helpers record through the injected provider until our shutdown, then
// through a no-op tracer: shutdown stops our use without touching theirs.
function closableTracer(tracer: Tracer, isClosed: () => boolean): Tracer {
  const noop = new ProxyTracerProvider().getTracer(TRACER_NAME);
  const current = () => (isClosed() ? noop : tracer);
  return {
    startSpan: (name, spanOptions, parent) => current().startSpan(name, spanOptions, parent),
    startActiveSpan: ((...args: Parameters<Tracer['startActiveSpan']>) => {
      const target = current();
      return Reflect.apply(target.startActiveSpan, target, args);
    }) as Tracer['startActiveSpan'],
  };
}

// `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` values: the boolean, and the newer modes of the
// GenAI instrumentations (this package records content on spans only: no events).
const CAPTURE_CONTENT_VALUES: Record<string, boolean> = {
  true: true,
  false: false,
  span_only: true,
  span_and_event: true,
  event_only: false,
  no_content: false,
};

/**
 * The span helpers' options: ours, with the instrumentation variables of the environment.
 * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` turns content capture on or off unless
 * `contentCapture.enabled` is given; `OTEL_SEMCONV_STABILITY_OPT_IN` holding `gen_ai_latest_experimental`
 * asks for the newest GenAI names. A value we cannot read throws here, naming the variable.
 */
function helperOptions(tracer: Tracer, options: TracingOptions, env: Environment): SpanHelpersOptions {
  let contentCapture = options.contentCapture;
  const capture = readEnv(env, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT');
  if (capture !== undefined && contentCapture?.enabled === undefined) {
    const enabled = CAPTURE_CONTENT_VALUES[capture.trim().toLowerCase()];
    if (enabled === undefined) {
      invalidOption(
        'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT',
        capture,
        `one of ${Object.keys(CAPTURE_CONTENT_VALUES).join(', ')}`,
      );
    }
    contentCapture = { ...contentCapture, enabled };
  }
  const optIn = readEnv(env, 'OTEL_SEMCONV_STABILITY_OPT_IN');
  const latest = optIn
    ?.split(',')
    .map((entry) => entry.trim().toLowerCase())
    .includes('gen_ai_latest_experimental');
  return {
    tracer,
    ...(contentCapture === undefined ? {} : { contentCapture }),
    ...(options.spanNames === undefined ? {} : { spanNames: options.spanNames }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    ...(latest ? { genAiLatestExperimental: true } : {}),
  };
}

function setupWithTracerProvider(options: TracingOptions): Tracing {
  const provider = options.tracerProvider;
  if (typeof (provider as Partial<TracerProvider> | null | undefined)?.getTracer !== 'function') {
    invalidOption(
      'tracerProvider',
      provider,
      'a TracerProvider (an object with getTracer(), such as trace.getTracerProvider() after NodeSDK.start())',
    );
  }
  const given = provider as TracerProvider;
  for (const [option, reason] of Object.entries(NOT_WITH_TRACER_PROVIDER)) {
    const value = options[option as keyof typeof NOT_WITH_TRACER_PROVIDER];
    if (value !== undefined)
      invalidOption(option, value, `no ${option} together with tracerProvider (${reason})`);
  }
  const shutdownTimeoutMillis = resolveShutdownTimeout(options, DEFAULT_EXPORT_TIMEOUT_MILLIS);
  const warnOnce = createWarnOnce(options.onWarning);
  // Span nesting needs a global context manager, and this one is not ours to install.
  const probe = ROOT_CONTEXT.setValue(createContextKey('genxai.tracing.probe'), true);
  if (context.with(probe, () => context.active()) !== probe) {
    warnOnce(
      'no-context-manager',
      'GENXAI_NO_CONTEXT_MANAGER',
      'No global context manager is registered, so spans will not nest. Start the NodeSDK (it registers ' +
        'one) before setupTracing, or register an AsyncLocalStorageContextManager.',
    );
  }

  let closed = false;
  const helpers = createSpanHelpers(
    helperOptions(
      closableTracer(given.getTracer(TRACER_NAME), () => closed),
      options,
      process.env,
    ),
  );
  const forceFlush = async () => {
    try {
      await flushTarget(given)?.forceFlush();
    } catch (error) {
      warnOnce(
        'lifecycle:flush',
        'GENXAI_SPAN_EXPORT_FAILED',
        `Tracing flush did not complete: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  let shutdownPromise: Promise<void> | undefined;
  return {
    ...helpers,
    provider: given,
    stats: undefined,
    exporters: [],
    forceFlush,
    shutdown() {
      closed = true; // before the flush, so the flush holds every span we will ever record
      shutdownPromise ??= untilDeadline(forceFlush(), Date.now() + shutdownTimeoutMillis);
      return shutdownPromise;
    },
  };
}

// No trace SDK installed and no exporter asked for: the helpers run on a no-op tracer (spans are
// not recorded, the wrapped code runs as usual), and the reason is reported once.
function setupWithoutSdk(
  options: TracingOptions,
  env: Environment,
  warnOnce: ReturnType<typeof createWarnOnce>,
): OwnTracing {
  warnOnce(
    'no-trace-sdk',
    'GENXAI_NO_TRACE_SDK',
    `No OpenTelemetry trace SDK is installed, so no spans are recorded (and log lines carry no trace ids). ${sdkInstallHint().replace(
      /^npm/,
      'Install one with: npm',
    )}; or pass tracerProvider.`,
  );
  const noopProvider = new ProxyTracerProvider();
  const provider: SdkTracerProvider = {
    getTracer: (name, version, tracerOptions) => noopProvider.getTracer(name, version, tracerOptions),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const helpers = createSpanHelpers(helperOptions(provider.getTracer(TRACER_NAME), options, env));
  return {
    ...helpers,
    provider,
    stats: createStats(),
    exporters: [],
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

/**
 * Sets up OpenTelemetry tracing in one call: a `NodeTracerProvider` with the
 * AsyncLocalStorage context manager, a bounded `BatchSpanProcessor` per
 * exporter, the sampler and the resource, from options and the standard
 * `OTEL_*` variables. Bad configuration throws a `GenxaiObservabilityError`
 * here, naming the option or variable; nothing after setup throws into the
 * application.
 *
 * Does **not** register the provider globally unless `registerGlobal: true`.
 *
 * With `tracerProvider`, records into that provider instead and builds nothing
 * of its own (see {@link TracingOptions.tracerProvider}).
 */
export function setupTracing(options?: TracingOptions & { tracerProvider?: undefined }): OwnTracing;
export function setupTracing(options: TracingOptions): Tracing;
export function setupTracing(options: TracingOptions = {}): Tracing {
  if (options.tracerProvider !== undefined) return setupWithTracerProvider(options);
  const env = options.env ?? process.env;
  const warnOnce = createWarnOnce(options.onWarning);
  const batch = resolveBatchOptions(options.batch, env);
  const shutdownTimeoutMillis = resolveShutdownTimeout(options, batch.exportTimeoutMillis);
  let sdk: TraceSdk | undefined;
  let missingSdk: MissingSdkError | undefined;
  try {
    sdk = traceSdk();
  } catch (error) {
    if (!(error instanceof MissingSdkError)) throw error;
    missingSdk = error;
  }
  const sampler = buildSampler(options, env, sdk);
  const resource = buildResource(options, env, sdk);

  const exporters: SpanExporter[] = [];
  const descriptions: ExporterDescription[] = [];
  const given = options.exporter;
  if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
    if (!isSpanExporter(given)) {
      invalidOption(
        'exporter',
        given,
        'otlp, jaeger, console, none, or an object with export() and shutdown()',
      );
    }
    exporters.push(given);
    descriptions.push({ name: 'custom' });
  } else {
    // Exporters are built only with an SDK to feed them; without one, their options are still checked.
    const fromEnv = readEnv(env, 'OTEL_TRACES_EXPORTER');
    const names: ExporterName[] =
      given !== undefined
        ? parseExporterNames(Array.isArray(given) ? given.join(',') : String(given), 'exporter')
        : fromEnv !== undefined
          ? parseExporterNames(fromEnv, 'OTEL_TRACES_EXPORTER')
          : ['none'];
    if (missingSdk !== undefined && names.some((name) => name !== 'none')) throw missingSdk;
    for (const name of names) {
      if (name === 'otlp') {
        const otlp = resolveOtlpOptions(options.otlp, env);
        const concurrentBatches = Math.ceil(batch.maxQueueSize / batch.maxExportBatchSize);
        exporters.push(createOtlpExporter(otlp, concurrentBatches));
        descriptions.push({ name, target: `${displayUrl(otlp.url)} (${otlp.protocol})` });
      } else if (name === 'jaeger') {
        const jaeger = resolveJaegerOptions(options.jaeger, env);
        if (jaeger.mode === 'agent' && jaeger.port === JAEGER_AGENT_COMPACT_PORT) {
          warnOnce(
            'jaeger-compact-port',
            'GENXAI_JAEGER_COMPACT_PORT',
            `The Jaeger exporter sends binary Thrift, but port ${JAEGER_AGENT_COMPACT_PORT} takes the compact ` +
              'protocol only: a real Jaeger agent drops these spans. Use port 6832, or the collector endpoint ' +
              'http://HOST:14268/api/traces, or OTLP.',
          );
        }
        exporters.push(createJaegerExporter(jaeger));
        descriptions.push({
          name,
          target:
            jaeger.mode === 'collector' ? displayUrl(jaeger.endpoint) : `udp://${jaeger.host}:${jaeger.port}`,
        });
      } else if (name === 'console') {
        exporters.push(createConsoleExporter());
        descriptions.push({ name, target: 'stderr' });
      }
    }
  }

  if (sdk === undefined || sampler === undefined || resource === undefined) {
    if (exporters.length > 0 && missingSdk !== undefined) throw missingSdk;
    return setupWithoutSdk(options, env, warnOnce);
  }

  const stats = createStats();
  const spanProcessors: SpanProcessor[] = exporters.map((exporter) =>
    createBatchProcessor(
      exporter,
      { batch, shutdownTimeoutMillis },
      stats,
      { onDrop: options.onDrop, warnOnce },
      sdk,
    ),
  );
  const provider = sdk.createProvider({
    resource,
    sampler,
    // Only when spans go somewhere: with no exporter there is nothing to compare `ended` with.
    spanProcessors:
      spanProcessors.length > 0 ? [createEndedCounter(stats), ...spanProcessors] : spanProcessors,
    ...(options.spanLimits === undefined ? {} : { spanLimits: options.spanLimits }),
  });

  acquireContextManager(sdk);
  let claim: GlobalClaim | undefined;
  if (options.registerGlobal === true) {
    claim = {
      provider,
      warnOnce,
      ownsProvider: false,
      propagator: undefined,
      createPropagator: sdk.createW3CPropagator,
    };
    globalClaims.push(claim);
    claimGlobals(claim, true);
  }

  const helpers = createSpanHelpers(helperOptions(provider.getTracer(TRACER_NAME), options, env));

  let shutdownPromise: Promise<void> | undefined;
  const report = (what: string, error: unknown) =>
    warnOnce(
      `lifecycle:${what}`,
      'GENXAI_SPAN_EXPORT_FAILED',
      `Tracing ${what} did not complete: ${error instanceof Error ? error.message : String(error)}`,
    );

  return {
    ...helpers,
    provider,
    stats,
    exporters: descriptions,
    async forceFlush() {
      try {
        await provider.forceFlush();
      } catch (error) {
        report('flush', error);
      }
    },
    shutdown() {
      shutdownPromise ??= (async () => {
        try {
          // Each processor bounds itself; this bound only guards against a stuck provider.
          await untilDeadline(
            provider.shutdown().catch((error: unknown) => report('shutdown', error)),
            Date.now() + shutdownTimeoutMillis + SHUTDOWN_MARGIN_MILLIS,
          );
        } finally {
          if (claim !== undefined) releaseGlobals(claim);
          releaseContextManager();
        }
      })();
      return shutdownPromise;
    },
  };
}
