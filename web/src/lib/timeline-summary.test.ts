import { describe, expect, it } from 'vitest';
import { ago, summaryLine } from './timeline-summary';

const now = new Date('2026-12-04T12:00:00Z');

describe('the timeline summary line', () => {
  it('reads like the issue asks', () => {
    expect(
      summaryLine(
        { studiesAsked: 3, studiesUsed: 1, usesByOthers: 9, lastUseAt: '2026-12-02T12:00:00Z' },
        now,
      ),
    ).toBe('3 studies asked, 1 used your data, last use 2 days ago');
  });
  it('says when nobody else used the data', () => {
    expect(
      summaryLine({ studiesAsked: 1, studiesUsed: 0, usesByOthers: 0, lastUseAt: null }, now),
    ).toBe('1 study asked, 0 used your data, no use by anyone else yet');
  });
  it('counts minutes and hours', () => {
    expect(ago('2026-12-04T11:59:40Z', now)).toBe('just now');
    expect(ago('2026-12-04T11:59:00Z', now)).toBe('1 minute ago');
    expect(ago('2026-12-04T09:00:00Z', now)).toBe('3 hours ago');
  });
});
