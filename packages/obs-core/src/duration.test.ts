import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';
import { GenxaiObservabilityError } from './errors';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['0ms', 0],
    ['500ms', 0.5],
    ['1ms', 0.001],
    ['30s', 30],
    ['5m', 5 * MINUTE],
    ['1h', HOUR],
    ['1h30m', 90 * MINUTE],
    ['1d12h', 36 * HOUR],
    ['1w', 7 * DAY],
    ['1y', 365 * DAY],
    ['1y2w3d4h5m6s7ms', 365 * DAY + 14 * DAY + 3 * DAY + 4 * HOUR + 5 * MINUTE + 6 + 0.007],
    ['1m500ms', 60.5],
    ['90m', 90 * MINUTE],
    ['05m', 5 * MINUTE],
    ['292y', 292 * 365 * DAY],
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each([
    ['', 'empty'],
    ['-5m', 'negative'],
    ['5', 'no unit'],
    ['m', 'no number'],
    ['1.5h', 'fractional'],
    ['1M', 'an unknown unit (Grafana months)'],
    ['5min', 'an unknown unit'],
    ['1us', 'an unknown unit'],
    ['30m1h', 'units out of order'],
    ['500ms1s', 'units out of order'],
    ['1m1m', 'a repeated unit'],
    [' 5m', 'leading space'],
    ['5m ', 'trailing space'],
    ['1h 30m', 'inner space'],
    ['5M', 'upper case'],
    ['293y', 'out of range (int64 nanoseconds)'],
    ['30 seconds', 'words'],
  ])('rejects %j (%s)', (text) => {
    expect(() => parseDuration(text)).toThrow(GenxaiObservabilityError);
    expect(() => parseDuration(text)).toThrow(`Invalid duration: ${JSON.stringify(text)}.`);
  });

  it.each([[300], [null], [undefined], [['5m']]])('rejects the non-string %j', (value) => {
    expect(() => parseDuration(value as never)).toThrow(GenxaiObservabilityError);
  });

  it('names the option and what is allowed', () => {
    expect(() => parseDuration('1 week', 'highErrorRate.for')).toThrow(
      'Invalid highErrorRate.for: "1 week". Expected a Prometheus duration such as "30s", "5m", "1h30m" or "500ms"',
    );
    try {
      parseDuration('1w1y');
    } catch (error) {
      expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
      expect((error as GenxaiObservabilityError).code).toBe('GENXAI_INVALID_OPTION');
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.5, '500ms'],
    [0.1 + 0.2, '300ms'],
    [30, '30s'],
    [60.5, '1m500ms'],
    [90 * MINUTE, '1h30m'],
    [36 * HOUR, '1d12h'],
    [7 * DAY, '1w'],
    [7 * DAY + MINUTE, '7d1m'],
    [90 * DAY, '90d'],
    [365 * DAY, '1y'],
    [366 * DAY, '366d'],
  ])('writes %d seconds as %j, which Prometheus reads back', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDuration(text)).toBeCloseTo(seconds, 9);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], [0.0005], ['5m']])('rejects %j', (value) => {
    expect(() => formatDuration(value as never)).toThrow(GenxaiObservabilityError);
  });
});
