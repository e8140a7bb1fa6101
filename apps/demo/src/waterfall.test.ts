import { describe, expect, it } from 'vitest';
import { renderWaterfall } from './waterfall';

describe('renderWaterfall', () => {
  it('draws the tree in start order with durations and bars on one time axis', () => {
    const text = renderWaterfall(
      [
        { spanId: 'c', parentSpanId: 'b', name: 'llm.generate', startMs: 10, endMs: 50 },
        { spanId: 'a', name: 'workflow.execute', startMs: 0, endMs: 100 },
        { spanId: 'b', parentSpanId: 'a', name: 'node.plan', startMs: 0, endMs: 60 },
        { spanId: 'd', parentSpanId: 'a', name: 'node.answer', startMs: 60, endMs: 100, error: true },
      ],
      { width: 10, nameWidth: 20 },
    );
    expect(text.split('\n')).toEqual([
      'workflow.execute       100.0 ms │██████████│',
      '  node.plan             60.0 ms │██████    │',
      '    llm.generate        40.0 ms │ ████     │',
      '  ✗ node.answer         40.0 ms │      ▒▒▒▒│',
    ]);
  });

  it('treats spans whose parent is missing as roots and cuts long names', () => {
    const text = renderWaterfall(
      [{ spanId: 'x', parentSpanId: 'gone', name: 'a-very-long-span-name', startMs: 5, endMs: 5 }],
      {
        width: 4,
        nameWidth: 8,
      },
    );
    expect(text).toBe('a-very-…     0.0 ms │█   │');
  });

  it('says so when there is nothing to draw', () => {
    expect(renderWaterfall([])).toBe('(no spans)');
  });
});
