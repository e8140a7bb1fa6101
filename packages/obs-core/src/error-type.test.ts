import { describe, expect, it } from 'vitest';
import { errorType } from './error-type';

describe('errorType', () => {
  it.each([
    [Object.assign(new Error('connect refused to 10.0.0.1'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    [new TypeError('bad'), 'TypeError'],
    [Object.assign(new Error('x'), { code: 429 }), '429'],
    [{ name: 'RateLimitError' }, 'RateLimitError'],
    ['a string throw', 'Error'],
    [null, 'Error'],
    [undefined, 'Error'],
    [42, 'Error'],
    [{ code: '', name: '' }, 'Error'],
  ])('%s → %s', (error, expected) => {
    expect(errorType(error)).toBe(expected);
  });
});
