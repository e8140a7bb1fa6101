import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from './test-helpers';

const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});

afterAll(() => {
  context.disable();
});

describe('trace correlation', () => {
  const tracer = new BasicTracerProvider().getTracer('test');

  it('adds trace_id, span_id and trace_flags inside an active span, and nothing outside', async () => {
    const { logger, lines } = captureLogger();
    logger.info('before');
    const ids = await tracer.startActiveSpan('agent.execute', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.child({ agent_id: 'a1' }).info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('after');
    const [before, inside, after] = lines();
    expect(inside).toMatchObject({
      message: 'inside',
      agent_id: 'a1',
      trace_id: ids.traceId,
      span_id: ids.spanId,
      trace_flags: '01',
    });
    expect(inside?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    for (const line of [before, after]) {
      expect(line).not.toHaveProperty('trace_id');
      expect(line).not.toHaveProperty('span_id');
      expect(line).not.toHaveProperty('trace_flags');
    }
  });

  it('writes trace_flags 00 for an unsampled span', () => {
    const unsampled = new BasicTracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('test');
    const { logger, lines } = captureLogger();
    unsampled.startActiveSpan('off', (span) => {
      logger.info('unsampled');
      span.end();
    });
    expect(lines()[0]?.trace_flags).toBe('00');
  });

  it('ignores an invalid span context', () => {
    const { logger, lines } = captureLogger();
    context.with(
      trace.setSpan(
        context.active(),
        trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }),
      ),
      () => {
        logger.info('invalid');
      },
    );
    expect(lines()[0]).not.toHaveProperty('trace_id');
  });

  it('can be turned off', () => {
    const { logger, lines } = captureLogger({ traceCorrelation: false });
    tracer.startActiveSpan('x', (span) => {
      logger.info('no ids');
      span.end();
    });
    expect(lines()[0]).not.toHaveProperty('trace_id');
  });
});
