import { describe, expect, it } from 'vitest';
import { boardDecision, type CastVote } from './review-rules.js';

const v = (memberId: string, vote: CastVote['vote']): CastVote => ({ memberId, vote });

describe('boardDecision', () => {
  const cases: [string, CastVote[], { quorum: number; chairId: string | null }, string | null][] = [
    ['below quorum waits', [v('a', 'approve')], { quorum: 2, chairId: null }, null],
    [
      'majority approves',
      [v('a', 'approve'), v('b', 'approve'), v('c', 'reject')],
      { quorum: 3, chairId: null },
      'approved',
    ],
    [
      'majority rejects',
      [v('a', 'reject'), v('b', 'reject'), v('c', 'approve')],
      { quorum: 3, chairId: null },
      'rejected',
    ],
    [
      'a tie rejects',
      [v('a', 'approve'), v('b', 'reject')],
      { quorum: 2, chairId: null },
      'rejected',
    ],
    [
      'quorum of one decides at once',
      [v('a', 'approve')],
      { quorum: 1, chairId: null },
      'approved',
    ],
    [
      'chair not yet voted waits',
      [v('a', 'approve'), v('b', 'approve')],
      { quorum: 2, chairId: 'c' },
      null,
    ],
    [
      'chair overrules the majority',
      [v('a', 'approve'), v('b', 'approve'), v('c', 'reject')],
      { quorum: 2, chairId: 'c' },
      'rejected',
    ],
    [
      'chair approves against a rejection',
      [v('a', 'reject'), v('c', 'approve')],
      { quorum: 2, chairId: 'c' },
      'approved',
    ],
    ['chair alone below quorum waits', [v('c', 'approve')], { quorum: 2, chairId: 'c' }, null],
  ];
  it.each(cases)('%s', (_name, votes, policy, expected) => {
    expect(boardDecision(votes, policy)).toBe(expected);
  });
});
