import { describe, expect, it } from 'vitest';
import { resolveRange } from './byte-range.js';

describe('resolveRange', () => {
  it('reads one range, an open end and a suffix, clipped to the file', () => {
    expect(resolveRange('bytes=0-9', 100)).toEqual({ kind: 'range', range: { start: 0, end: 9 } });
    expect(resolveRange('bytes=90-', 100)).toEqual({
      kind: 'range',
      range: { start: 90, end: 99 },
    });
    expect(resolveRange('bytes=-10', 100)).toEqual({
      kind: 'range',
      range: { start: 90, end: 99 },
    });
    expect(resolveRange('bytes=-500', 100)).toEqual({
      kind: 'range',
      range: { start: 0, end: 99 },
    });
    expect(resolveRange('bytes=50-5000', 100)).toEqual({
      kind: 'range',
      range: { start: 50, end: 99 },
    });
  });

  it('serves the whole file without a header or for one it ignores', () => {
    expect(resolveRange(null, 100)).toEqual({ kind: 'full' });
    expect(resolveRange('items=0-5', 100)).toEqual({ kind: 'full' });
    expect(resolveRange('bytes=0-5,10-20', 100)).toEqual({ kind: 'full' });
    expect(resolveRange('bytes=9-3', 100)).toEqual({ kind: 'full' });
    expect(resolveRange('bytes=-', 100)).toEqual({ kind: 'full' });
  });

  it('refuses ranges past the end', () => {
    expect(resolveRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(resolveRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(resolveRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
