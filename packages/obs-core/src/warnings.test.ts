import { describe, expect, it } from 'vitest';
import { createWarnOnce } from './warnings';

describe('createWarnOnce', () => {
  it('reports each key once', () => {
    const seen: string[] = [];
    const warn = createWarnOnce(({ code, message }) => seen.push(`${code}:${message}`));
    warn('a', 'C1', 'first');
    warn('a', 'C1', 'again');
    warn('b', 'C2', 'second');
    expect(seen).toEqual(['C1:first', 'C2:second']);
    expect(warn.size).toBe(2);
  });

  it('remembers at most `limit` keys', () => {
    const seen: string[] = [];
    const warn = createWarnOnce(({ message }) => seen.push(message), 3);
    for (let i = 0; i < 10_000; i++) warn(`k${i}`, 'C', `m${i}`);
    expect(seen).toEqual(['m0', 'm1', 'm2']);
    expect(warn.size).toBe(3);
  });

  it('swallows a throwing handler', () => {
    const warn = createWarnOnce(() => {
      throw new Error('handler broke');
    });
    expect(() => warn('a', 'C', 'm')).not.toThrow();
    expect(warn.size).toBe(1);
  });

  it('defaults to process warnings', async () => {
    const warn = createWarnOnce();
    const received = new Promise<Error & { code?: string }>((resolve) => process.once('warning', resolve));
    warn('k', 'GENXAI_TEST', 'hello');
    const warning = await received;
    expect(warning.message).toBe('hello');
    expect(warning.code).toBe('GENXAI_TEST');
  });
});
