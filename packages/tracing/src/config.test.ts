import { GenxaiObservabilityError } from '@genxai/obs-core';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBatchOptions, resolveJaegerOptions, resolveOtlpOptions } from './config';
import { createJaegerExporter } from './exporters';
import { setupTracing, type Tracing, type TracingOptions } from './setup';

const open: Tracing[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((tracing) => tracing.shutdown()));
});

function setup(options: TracingOptions) {
  const tracing = setupTracing(options);
  open.push(tracing);
  return tracing;
}

function setupError(options: TracingOptions): GenxaiObservabilityError {
  try {
    open.push(setupTracing(options));
  } catch (error) {
    expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
    return error as GenxaiObservabilityError;
  }
  throw new Error('setupTracing did not throw');
}

async function sampledCount(tracing: Tracing, exporter: InMemorySpanExporter, spans = 200) {
  for (let i = 0; i < spans; i++) tracing.withMemorySpan({ operationType: 'x', memoryType: 'y' }, () => i);
  await tracing.forceFlush();
  return exporter.getFinishedSpans().length;
}

describe('configuration from options and OTEL_* variables', () => {
  it.each([
    [
      { env: { OTEL_TRACES_EXPORTER: 'zipkin' } },
      'Invalid OTEL_TRACES_EXPORTER: "zipkin". Expected one or more of otlp, jaeger, console, none',
    ],
    [{ exporter: 'prometheus' }, 'Invalid exporter: "prometheus"'],
    [
      { env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' } },
      'Invalid OTEL_TRACES_SAMPLER_ARG: "half". Expected a number from 0 to 1.',
    ],
    [
      { env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' } },
      'Invalid OTEL_TRACES_SAMPLER_ARG: "1.5"',
    ],
    [
      { env: { OTEL_TRACES_SAMPLER: 'jaeger_remote' } },
      'Invalid OTEL_TRACES_SAMPLER: "jaeger_remote". Expected one of always_on, always_off, traceidratio',
    ],
    [{ sampler: 'sometimes' as never }, 'Invalid sampler: "sometimes"'],
    [
      { env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' } },
      'Invalid OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318". Expected an http:// or https:// URL.',
    ],
    [
      { env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } },
      'Invalid OTEL_EXPORTER_OTLP_PROTOCOL: "grpc". Expected one of http/protobuf, http/json (gRPC is not offered',
    ],
    [
      { env: { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_AGENT_PORT: 'udp' } },
      'Invalid OTEL_EXPORTER_JAEGER_AGENT_PORT: "udp". Expected an integer from 1 to 65535.',
    ],
    [{ exporter: 'jaeger', jaeger: { port: 70_000 } }, 'Invalid jaeger.port: 70000'],
    [{ env: { OTEL_BSP_MAX_QUEUE_SIZE: '-5' } }, 'Invalid OTEL_BSP_MAX_QUEUE_SIZE: "-5"'],
    [{ sampleRatio: Number.NaN, sampler: 'traceidratio' }, 'Invalid sampleRatio: NaN'],
    [{ spanNames: 'otel' as never }, 'Invalid spanNames: "otel". Expected one of seed, semconv.'],
    [{ contentCapture: { maxLength: 0 } }, 'Invalid contentCapture.maxLength: 0'],
    [{ exporter: { send() {} } as never }, 'Invalid exporter: an object (Object)'],
    [{ sampler: 5 as never }, 'Invalid sampler: 5'],
    [
      { env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0x1' } },
      'Invalid OTEL_TRACES_SAMPLER_ARG: "0x1"',
    ],
  ] as [TracingOptions, string][])('%j throws naming the bad value', (options, message) => {
    expect(setupError({ env: {}, ...options }).message).toContain(message);
  });

  it('explicit options beat the environment', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = setup({
      serviceName: 'from-option',
      exporter,
      sampler: 'always_on',
      env: {
        OTEL_SERVICE_NAME: 'from-env',
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_TRACES_SAMPLER: 'always_off',
      },
    });
    expect(tracing.exporters).toEqual([{ name: 'custom' }]);
    expect(await sampledCount(tracing, exporter, 3)).toBe(3);
    expect(exporter.getFinishedSpans()[0]?.resource.attributes['service.name']).toBe('from-option');
  });

  it('reads OTEL_SERVICE_NAME and the samplers from the environment', async () => {
    const exporter = new InMemorySpanExporter();
    const off = setup({ exporter, env: { OTEL_SERVICE_NAME: 'svc-env', OTEL_TRACES_SAMPLER: 'always_off' } });
    expect(await sampledCount(off, exporter)).toBe(0);

    const ratioExporter = new InMemorySpanExporter();
    const ratio = setup({
      exporter: ratioExporter,
      env: {
        OTEL_SERVICE_NAME: 'svc-env',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
      },
    });
    expect(await sampledCount(ratio, ratioExporter)).toBe(0);

    const onExporter = new InMemorySpanExporter();
    const on = setup({ exporter: onExporter, env: { OTEL_SERVICE_NAME: 'svc-env' } });
    expect(await sampledCount(on, onExporter, 5)).toBe(5);
    expect(onExporter.getFinishedSpans()[0]?.resource.attributes['service.name']).toBe('svc-env');
  });

  it('defaults to no exporter, and accepts several names', () => {
    expect(setup({ env: {} }).exporters).toEqual([]);
    expect(setup({ env: { OTEL_TRACES_EXPORTER: 'none' } }).exporters).toEqual([]);
    expect(setup({ env: { OTEL_TRACES_EXPORTER: 'otlp, console' } }).exporters).toEqual([
      { name: 'otlp', target: 'http://localhost:4318/v1/traces (http/protobuf)' },
      { name: 'console', target: 'stderr' },
    ]);
  });

  it('resolves OTLP endpoints as the spec says', () => {
    expect(resolveOtlpOptions({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/?tenant=a' }).url).toBe(
      'http://c:4318/v1/traces?tenant=a',
    );
    expect(resolveBatchOptions({}, { OTEL_BSP_SCHEDULE_DELAY: '0' }).scheduledDelayMillis).toBe(0);
    expect(resolveOtlpOptions({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/' }).url).toBe(
      'http://otel:4318/v1/traces',
    );
    expect(
      resolveOtlpOptions(
        {},
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo/x',
        },
      ).url,
    ).toBe('http://tempo/x');
    expect(
      resolveOtlpOptions({ url: 'https://a/b' }, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/d' }).url,
    ).toBe('https://a/b');
    expect(resolveOtlpOptions({}, { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }).protocol).toBe(
      'http/json',
    );
  });

  it('resolves Jaeger: agent on 6832 by default, collector when an endpoint is set', () => {
    expect(resolveJaegerOptions({}, {})).toEqual({ mode: 'agent', host: 'localhost', port: 6832 });
    // An explicit agent host or port beats a collector endpoint from the environment.
    const env = { OTEL_EXPORTER_JAEGER_ENDPOINT: 'http://collector:14268/api/traces' };
    expect(resolveJaegerOptions({ host: '10.0.0.5', port: 6832 }, env)).toEqual({
      mode: 'agent',
      host: '10.0.0.5',
      port: 6832,
    });
    expect(resolveJaegerOptions({ port: 6900 }, env)).toMatchObject({ mode: 'agent', port: 6900 });
    expect(resolveJaegerOptions({}, env)).toMatchObject({
      mode: 'collector',
      endpoint: env.OTEL_EXPORTER_JAEGER_ENDPOINT,
    });
    expect(
      resolveJaegerOptions(
        {},
        { OTEL_EXPORTER_JAEGER_AGENT_HOST: 'agent', OTEL_EXPORTER_JAEGER_AGENT_PORT: '7000' },
      ),
    ).toEqual({ mode: 'agent', host: 'agent', port: 7000 });
    expect(resolveJaegerOptions({ port: 6900 }, { OTEL_EXPORTER_JAEGER_AGENT_PORT: '7000' })).toMatchObject({
      port: 6900,
    });
    expect(
      resolveJaegerOptions(
        {},
        {
          OTEL_EXPORTER_JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces',
          OTEL_EXPORTER_JAEGER_USER: 'u',
          OTEL_EXPORTER_JAEGER_PASSWORD: 'p',
        },
      ),
    ).toEqual({
      mode: 'collector',
      endpoint: 'http://jaeger:14268/api/traces',
      username: 'u',
      password: 'p',
    });
  });

  it('warns once when the Jaeger agent port is the compact-only 6831', () => {
    const warnings: string[] = [];
    setup({
      exporter: 'jaeger',
      jaeger: { port: 6831 },
      onWarning: ({ code }) => warnings.push(code),
      env: {},
    });
    expect(warnings).toEqual(['GENXAI_JAEGER_COMPACT_PORT']);
  });

  it('names the missing optional peer when exporter-jaeger is not installed', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module '@opentelemetry/exporter-jaeger'"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    expect(() => createJaegerExporter({ mode: 'agent', host: 'h', port: 6832 }, missing)).toThrowError(
      /needs the optional peer dependency @opentelemetry\/exporter-jaeger.*npm install @opentelemetry\/exporter-jaeger@2 /,
    );
  });

  it('batch settings: options, then OTEL_BSP_*, then defaults', () => {
    expect(resolveBatchOptions({}, {})).toEqual({
      maxQueueSize: 16_384,
      maxExportBatchSize: 512,
      scheduledDelayMillis: 5000,
      exportTimeoutMillis: 30_000,
    });
    expect(
      resolveBatchOptions(
        { maxQueueSize: 100 },
        { OTEL_BSP_MAX_QUEUE_SIZE: '50', OTEL_BSP_SCHEDULE_DELAY: '200' },
      ),
    ).toMatchObject({ maxQueueSize: 100, maxExportBatchSize: 100, scheduledDelayMillis: 200 });
  });
});

describe('OTLP settings from the environment', () => {
  it('never shows the credentials of an endpoint in the exporter summary', () => {
    const tracing = setup({
      env: {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:s3cr3t-pass@collector.example:4318/?api_key=abc123',
      },
    });
    const summary = JSON.stringify(tracing.exporters);
    expect(summary).not.toContain('s3cr3t-pass');
    expect(summary).not.toContain('abc123');
    expect(summary).not.toContain('user:');
    expect(tracing.exporters[0]!.target).toBe(
      'https://***@collector.example:4318/v1/traces?api_key=*** (http/protobuf)',
    );
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_TIMEOUT', 'soon'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '-5'],
    ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', '1.5'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'no-equals-sign'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'Authorization=Bearer%ZZ'],
    ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'bad key=v'],
  ])('rejects a malformed %s=%s at setup, naming the variable', (name, value) => {
    const error = setupError({ env: { OTEL_TRACES_EXPORTER: 'otlp', [name]: value } });
    expect(error.message).toContain(name);
  });

  it('keeps a malformed header value out of the error message', () => {
    const error = setupError({
      env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=%E0%A4%Asecret' },
    });
    expect(error.message).not.toContain('secret');
  });

  it('takes a valid timeout and header list', () => {
    const resolved = resolveOtlpOptions(
      {},
      { OTEL_EXPORTER_OTLP_TIMEOUT: '2500', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%20def,x-team=agents' },
    );
    expect(resolved.timeoutMillis).toBe(2500);
  });
});
