import { describe, expect, it } from 'vitest';
import { DataUseSchema } from './data-use.js';
import { compareDataUse } from './data-use-direction.js';

const terms = (input: Record<string, unknown>) => DataUseSchema.parse(input);

describe('compareDataUse', () => {
  it.each([
    ['same terms', { permission: 'GRU' }, { permission: 'GRU' }, 'same'],
    ['GRU → HMB', { permission: 'GRU' }, { permission: 'HMB' }, 'narrower'],
    ['HMB → NRES', { permission: 'HMB' }, { permission: 'NRES' }, 'wider'],
    ['DS → POA', { permission: 'DS', diseases: ['MONDO:0004992'] }, { permission: 'POA' }, 'mixed'],
    [
      'DS drops a disease',
      { permission: 'DS', diseases: ['MONDO:0004992', 'MONDO:0005575'] },
      { permission: 'DS', diseases: ['MONDO:0004992'] },
      'narrower',
    ],
    [
      'DS adds a disease',
      { permission: 'DS', diseases: ['MONDO:0004992'] },
      { permission: 'DS', diseases: ['MONDO:0004992', 'MONDO:0005575'] },
      'wider',
    ],
    ['adds NCU', { permission: 'GRU' }, { permission: 'GRU', modifiers: ['NCU'] }, 'narrower'],
    ['drops IRB', { permission: 'GRU', modifiers: ['IRB'] }, { permission: 'GRU' }, 'wider'],
    ['adds CC', { permission: 'GRU' }, { permission: 'GRU', modifiers: ['CC'] }, 'wider'],
    [
      'swaps IRB for PUB',
      { permission: 'GRU', modifiers: ['IRB'] },
      { permission: 'GRU', modifiers: ['PUB'] },
      'mixed',
    ],
    [
      'TS shorter',
      { permission: 'GRU', modifiers: ['TS'], params: { timeLimitMonths: 24 } },
      { permission: 'GRU', modifiers: ['TS'], params: { timeLimitMonths: 12 } },
      'narrower',
    ],
    [
      'TS longer',
      { permission: 'GRU', modifiers: ['TS'], params: { timeLimitMonths: 12 } },
      { permission: 'GRU', modifiers: ['TS'], params: { timeLimitMonths: 24 } },
      'wider',
    ],
    [
      'TS gets a length',
      { permission: 'GRU', modifiers: ['TS'] },
      { permission: 'GRU', modifiers: ['TS'], params: { timeLimitMonths: 12 } },
      'narrower',
    ],
    [
      'MOR later',
      { permission: 'GRU', modifiers: ['MOR'], params: { moratoriumUntil: '2030-01-01' } },
      { permission: 'GRU', modifiers: ['MOR'], params: { moratoriumUntil: '2031-01-01' } },
      'narrower',
    ],
    [
      'MOR earlier',
      { permission: 'GRU', modifiers: ['MOR'], params: { moratoriumUntil: '2031-01-01' } },
      { permission: 'GRU', modifiers: ['MOR'], params: { moratoriumUntil: '2030-01-01' } },
      'wider',
    ],
    [
      'GS drops a region',
      { permission: 'GRU', modifiers: ['GS'], params: { regions: ['EU', 'UK'] } },
      { permission: 'GRU', modifiers: ['GS'], params: { regions: ['EU'] } },
      'narrower',
    ],
    [
      'IS adds an institution',
      { permission: 'GRU', modifiers: ['IS'], params: { institutions: ['A'] } },
      { permission: 'GRU', modifiers: ['IS'], params: { institutions: ['A', 'B'] } },
      'wider',
    ],
    [
      'US swaps a user',
      { permission: 'GRU', modifiers: ['US'], params: { users: ['u1'] } },
      { permission: 'GRU', modifiers: ['US'], params: { users: ['u2'] } },
      'mixed',
    ],
    [
      'PS loses its list',
      { permission: 'GRU', modifiers: ['PS'], params: { projects: ['p1'] } },
      { permission: 'GRU', modifiers: ['PS'] },
      'wider',
    ],
  ] as const)('%s → %s', (_label, before, after, direction) => {
    expect(compareDataUse(terms(before), terms(after))).toBe(direction);
  });
});
