import { describe, expect, it } from 'vitest';
import { describeValue, GenxaiObservabilityError, invalidOption } from './errors';

describe('GenxaiObservabilityError', () => {
  it('is recognised through the global symbol, even across copies', () => {
    const error = new GenxaiObservabilityError('GENXAI_X', 'boom');
    expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
    const foreign = Object.assign(new Error('other copy'), {
      [Symbol.for('genxai.observability.error')]: true,
    });
    expect(GenxaiObservabilityError.isInstance(foreign)).toBe(true);
    expect(GenxaiObservabilityError.isInstance(new Error('plain'))).toBe(false);
    expect(GenxaiObservabilityError.isInstance(null)).toBe(false);
    expect(GenxaiObservabilityError.isInstance('GENXAI_X')).toBe(false);
  });

  it('invalidOption names the option, the value and what is allowed', () => {
    expect(() => invalidOption('port', -1, 'an integer from 0 to 65535')).toThrowError(
      'Invalid port: -1. Expected an integer from 0 to 65535.',
    );
    try {
      invalidOption('level', 'loud', 'one of debug, info');
    } catch (error) {
      expect(GenxaiObservabilityError.isInstance(error)).toBe(true);
      expect((error as GenxaiObservabilityError).code).toBe('GENXAI_INVALID_OPTION');
    }
  });

  it('describeValue keeps messages short and safe', () => {
    expect(describeValue('x'.repeat(200))).toHaveLength(83);
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue(new Map())).toBe('an object (Map)');
    expect(describeValue(undefined)).toBe('undefined');
  });
});
