import { describe, expect, it } from 'vitest';
import { GenxaiObservabilityError } from './errors';
import { checkOptionNames } from './options';

const known = { tracing: true, metrics: true, logging: true, onWarning: true } as const;

describe('checkOptionNames', () => {
  it('accepts known names', () => {
    expect(() => checkOptionNames('setup', { tracing: {}, onWarning: () => {} }, known)).not.toThrow();
  });
  it.each([
    ['tracng', /Unknown option "tracng" of setup\. Did you mean "tracing"\?/],
    ['onwarning', /Did you mean "onWarning"\?/],
    [
      'somethingElse',
      /^Unknown option "somethingElse" of setup\. Known options: tracing, metrics, logging, onWarning\.$/,
    ],
  ])('throws at setup for %s, naming the closest known option', (name, message) => {
    let thrown: unknown;
    try {
      checkOptionNames('setup', { [name]: 1 }, known);
    } catch (error) {
      thrown = error;
    }
    expect(GenxaiObservabilityError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(message);
  });
});
