import { createWarnOnce, GenxaiObservabilityError } from '@genxai/obs-core';
import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createOtlpExporter } from './exporters';
import { createBatchProcessor, createStats } from './processor';
import {
  choosePackage,
  EXPORT_RESULT,
  installedVersion,
  loadOptionalPeer,
  type ReadableSpan,
  type SpanExporter,
  sdkInstallHint,
  traceSdk,
} from './sdk';

// Calls back a little later, as a network exporter does: spans that end meanwhile wait in the queue.
function keepingExporter(): SpanExporter & { spans: ReadableSpan[] } {
  const spans: ReadableSpan[] = [];
  return {
    spans,
    export(batch, done) {
      spans.push(...batch);
      setTimeout(() => done({ code: EXPORT_RESULT.SUCCESS }), 10);
    },
    shutdown: async () => {},
  };
}

const notFound = (name: string) => {
  const error = new Error(`Cannot find module '${name}'`) as Error & { code: string };
  error.code = 'MODULE_NOT_FOUND';
  return error;
};

describe('the trace SDK, found at run time', () => {
  it('prefers the single @opentelemetry/sdk-trace package of either line, then sdk-trace-base', () => {
    expect(choosePackage({ sdkTrace: '3.1.1', sdkTraceBase: '2.12.1' })).toEqual({
      name: '@opentelemetry/sdk-trace',
      version: '3.1.1',
    });
    expect(choosePackage({ sdkTraceBase: '2.5.0' })).toEqual({
      name: '@opentelemetry/sdk-trace-base',
      version: '2.5.0',
    });
    expect(choosePackage({})).toBeUndefined();
  });

  it('reads installed versions from the package manifests', () => {
    expect(installedVersion('@opentelemetry/sdk-trace')).toBe('2.11.0');
    expect(installedVersion('@opentelemetry/api')).toBe('1.9.1');
    expect(installedVersion('@opentelemetry/no-such-package')).toBeUndefined();
  });

  // Both adapters, each against the real SDK package it loads.
  for (const versions of [{ sdkTrace: '2.11.0' }, { sdkTraceBase: '2.11.0' }]) {
    const name = Object.keys(versions)[0] === 'sdkTrace' ? 'sdk-trace' : 'sdk-trace-base';
    it(`builds a working provider, batch processor, sampler, resource and context manager from ${name}`, async () => {
      const sdk = traceSdk('test', { versions });
      expect(sdk.line).toBe(2);
      expect(sdk.package).toBe(`@opentelemetry/${name}`);
      const exporter = keepingExporter();
      const stats = createStats();
      const warnings: string[] = [];
      const processor = createBatchProcessor(
        exporter,
        {
          batch: {
            maxQueueSize: 1,
            maxExportBatchSize: 1,
            scheduledDelayMillis: 60_000,
            exportTimeoutMillis: 1000,
          },
          shutdownTimeoutMillis: 2000,
        },
        stats,
        { warnOnce: createWarnOnce((warning) => warnings.push(warning.code)) },
        sdk,
      );
      const provider = sdk.createProvider({
        resource: sdk.resources
          .fromEnvironment()
          .merge(sdk.resources.fromAttributes({ 'service.name': 'sdk-test' })),
        sampler: sdk.samplers.parentBased(sdk.samplers.alwaysOn()),
        spanProcessors: [processor],
      });
      const manager = sdk.createContextManager().enable();
      context.setGlobalContextManager(manager);
      try {
        const tracer = provider.getTracer('t');
        tracer.startActiveSpan('parent', (parent) => {
          expect(trace.getActiveSpan()).toBe(parent);
          const child = tracer.startSpan('child');
          expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
          child.end(); // exported at once (a batch of one)
          tracer.startSpan('queued').end(); // waits in the queue of one
          parent.end(); // the queue is full: dropped
        });
      } finally {
        context.disable();
      }
      await provider.shutdown();
      // A queue of one while the first export is in flight: the third span is dropped and counted.
      expect(exporter.spans.map((span) => span.name)).toEqual(['child', 'queued']);
      expect(stats).toMatchObject({ exported: 2, dropped: 1, failed: 0 });
      expect(warnings).toEqual(['GENXAI_SPANS_DROPPED']);
      const [child] = exporter.spans;
      expect(
        (child as unknown as { resource: { attributes: Record<string, unknown> } }).resource.attributes[
          'service.name'
        ],
      ).toBe('sdk-test');
      expect(sdk.samplers.traceIdRatio(0.5).toString()).toMatch(/0\.5/);
      expect(sdk.samplers.alwaysOff().toString()).toMatch(/AlwaysOff/);
    });
  }

  it('names the install line when no SDK is installed', () => {
    let error: unknown;
    try {
      traceSdk('setupTracing', { versions: {} });
    } catch (caught) {
      error = caught;
    }
    expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
    expect((error as GenxaiObservabilityError).code).toBe('GENXAI_MISSING_PEER');
    expect((error as Error).message).toContain('npm install');
    expect((error as Error).message).toContain('tracerProvider');
  });

  it('names the install line when a piece of the SDK is missing, and rethrows a broken install as is', () => {
    const missingCore = (name: string) => {
      if (name === '@opentelemetry/core') throw notFound(name);
      return loadOptionalPeer(name);
    };
    expect(() => traceSdk('setupTracing', { versions: { sdkTrace: '2.11.0' }, load: missingCore })).toThrow(
      /needs an OpenTelemetry trace SDK/,
    );
    const broken = new SyntaxError('Unexpected token');
    expect(() =>
      traceSdk('setupTracing', {
        versions: { sdkTrace: '2.11.0' },
        load: () => {
          throw broken;
        },
      }),
    ).toThrow(broken);
  });

  it('gives the install line of the SDK line this Node.js runs', () => {
    expect(sdkInstallHint('20.20.0')).toContain('@opentelemetry/api@1.9');
    expect(sdkInstallHint('22.14.0')).toContain('@opentelemetry/api@1.9');
    expect(sdkInstallHint('22.15.0')).toContain('@opentelemetry/sdk-node');
    expect(sdkInstallHint('24.21.0')).not.toContain('@1.9');
  });

  it('asks for the OTLP exporter package of the chosen protocol when it is missing', () => {
    const options = { url: 'http://127.0.0.1:4318/v1/traces', headers: undefined, timeoutMillis: undefined };
    for (const [protocol, name] of [
      ['http/protobuf', '@opentelemetry/exporter-trace-otlp-proto'],
      ['http/json', '@opentelemetry/exporter-trace-otlp-http'],
    ] as const) {
      expect(() =>
        createOtlpExporter({ ...options, protocol }, 4, (wanted) => {
          throw notFound(wanted);
        }),
      ).toThrow(new RegExp(`needs the optional peer dependency ${name.replace(/[/]/g, '\\/')}`));
      const exporter = createOtlpExporter({ ...options, protocol }, 4);
      expect(typeof exporter.export).toBe('function');
      void exporter.shutdown();
    }
  });
});
