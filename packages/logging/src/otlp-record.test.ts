import { describe, expect, it } from 'vitest';
import { SEVERITY_NUMBERS } from './names';
import { lineToRecord, severityOf } from './otlp-record';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('lineToRecord', () => {
  it('takes the message as body, the timestamp as time, and every other field as an attribute', () => {
    const record = lineToRecord(
      `${JSON.stringify({
        level: 'INFO',
        timestamp: '2025-01-01T12:00:00.000Z',
        name: 'genxai.agent',
        agent_id: 'a1',
        usage: { input: 12, output: 3 },
        tags: ['x', 'y'],
        message: 'done',
      })}\n`,
      30,
      'info',
    );
    expect(record).toEqual({
      timestamp: Date.parse('2025-01-01T12:00:00.000Z'),
      severityNumber: SEVERITY_NUMBERS.info,
      severityText: 'INFO',
      body: 'done',
      attributes: { name: 'genxai.agent', agent_id: 'a1', usage: { input: 12, output: 3 }, tags: ['x', 'y'] },
      span: undefined,
    });
  });

  it('moves valid trace fields to the span, and keeps invalid ones as attributes', () => {
    const valid = lineToRecord(
      JSON.stringify({ trace_id: TRACE_ID, span_id: SPAN_ID, trace_flags: '01', message: 'm' }),
      30,
      'info',
    );
    expect(valid.span).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    expect(valid.attributes).toEqual({});
    for (const fields of [
      { trace_id: 'not-hex', span_id: SPAN_ID },
      { trace_id: '0'.repeat(32), span_id: SPAN_ID },
      { trace_id: TRACE_ID, span_id: '0'.repeat(16) },
      { trace_id: TRACE_ID },
    ]) {
      const record = lineToRecord(JSON.stringify(fields), 30, 'info');
      expect(record.span).toBeUndefined();
      expect(record.attributes).toEqual(fields);
    }
  });

  it('writes err under the exception.* keys, and keeps the rest of the error under err', () => {
    const record = lineToRecord(
      JSON.stringify({
        err: { type: 'DbError', message: 'refused', stack: 'DbError: refused\n    at x', code: 'E_DB' },
      }),
      50,
      'error',
    );
    expect(record.attributes).toEqual({
      'exception.type': 'DbError',
      'exception.message': 'refused',
      'exception.stacktrace': 'DbError: refused\n    at x',
      err: { code: 'E_DB' },
    });
    // Not an error shape: left as it is.
    expect(lineToRecord(JSON.stringify({ err: 'text' }), 50, 'error').attributes).toEqual({ err: 'text' });
  });

  it('throws on a line that is not a JSON object (the destination reports it)', () => {
    expect(() => lineToRecord('not json', 30, 'info')).toThrow();
    expect(() => lineToRecord('[1]', 30, 'info')).toThrow(/not a JSON object/);
  });
});

describe('severityOf', () => {
  it('maps custom levels to the range their number falls in, and names them by their label', () => {
    expect(severityOf(35, 'notice')).toEqual({
      severityNumber: SEVERITY_NUMBERS.info,
      severityText: 'NOTICE',
    });
    expect(severityOf(5, 'verbose')).toEqual({
      severityNumber: SEVERITY_NUMBERS.trace,
      severityText: 'VERBOSE',
    });
    expect(severityOf(100, undefined)).toEqual({
      severityNumber: SEVERITY_NUMBERS.fatal,
      severityText: undefined,
    });
    expect(severityOf(undefined, undefined)).toEqual({ severityNumber: 0, severityText: undefined });
  });
});
