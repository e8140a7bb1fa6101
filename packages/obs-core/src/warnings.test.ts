import { describe, expect, it } from 'vitest';
import { createSafeRecorder, createWarnOnce } from './warnings';

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

  it('remembers at most `limitPerCode` keys of one code', () => {
    const seen: string[] = [];
    const warn = createWarnOnce(({ message }) => seen.push(message), 3);
    for (let i = 0; i < 10_000; i++) warn(`k${i}`, 'C', `m${i}`);
    expect(seen).toEqual(['m0', 'm1', 'm2']);
    expect(warn.size).toBe(3);
  });

  it('keeps a budget per code, so one noisy kind never silences the others', () => {
    const seen: string[] = [];
    const warn = createWarnOnce(({ code }) => seen.push(code));
    for (let i = 0; i < 5000; i++) warn(`price:model-${i}`, 'GENXAI_METRICS_UNKNOWN_MODEL', 'no price');
    warn('render', 'GENXAI_METRICS_RENDER_FAILED', 'render failed');
    expect(seen.filter((code) => code === 'GENXAI_METRICS_UNKNOWN_MODEL')).toHaveLength(100);
    expect(seen).toContain('GENXAI_METRICS_RENDER_FAILED');
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

describe('createSafeRecorder', () => {
  it('runs the work, and reports a throw once per kind of work without rethrowing it', () => {
    const seen: string[] = [];
    const safely = createSafeRecorder(
      createWarnOnce(({ code, message }) => seen.push(`${code} ${message}`)),
      'GENXAI_X',
      '@genxai/x',
    );
    let ran = 0;
    safely('a span', () => {
      ran++;
    });
    for (let i = 0; i < 3; i++) {
      expect(() =>
        safely('a span', () => {
          throw new Error('exporter broke');
        }),
      ).not.toThrow();
    }
    safely('a log line', () => {
      throw {
        toString: () => {
          throw new Error('even this');
        },
      };
    });
    expect(ran).toBe(1);
    expect(seen).toEqual([
      'GENXAI_X @genxai/x: recording a span failed and was skipped: exporter broke',
      'GENXAI_X @genxai/x: recording a log line failed and was skipped: an unprintable value',
    ]);
  });
});
