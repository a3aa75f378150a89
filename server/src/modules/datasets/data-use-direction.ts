import type { DuoModifier, DuoPermission } from '../ontology/duo.js';
import type { DataUse } from './data-use.js';

/** How new data-use terms compare with the old: fewer restrictions widen, more narrow. */
export type DataUseDirection = 'same' | 'narrower' | 'wider' | 'mixed';

// How broad each permission is: a higher rank allows every use a lower rank allows (DS and POA
// are both narrow and unrelated, so a move between them counts both ways).
const BREADTH: Record<DuoPermission, number> = { NRES: 4, GRU: 3, HMB: 2, DS: 1, POA: 1 };

const subset = (a: readonly string[], b: readonly string[]) => a.every((x) => b.includes(x));

/**
 * Compares two sets of data-use terms. Each aspect votes: the permission's breadth, the DS
 * diseases, every restricting modifier (added narrows; CC, which allows more, widens when
 * added), the TS length (shorter narrows), the MOR date (later narrows), and the GS/IS/US/PS
 * lists (a restriction newly listing values narrows, dropping values narrows, adding widens).
 * A change with votes both ways is `mixed` and is treated as a widening: it needs approval.
 */
export function compareDataUse(before: DataUse, after: DataUse): DataUseDirection {
  let narrower = false;
  let wider = false;
  const vote = (n: boolean, w: boolean) => {
    narrower ||= n;
    wider ||= w;
  };
  const b = BREADTH[before.permission];
  const a = BREADTH[after.permission];
  if (before.permission !== after.permission) vote(a <= b, a >= b);
  if (before.permission === 'DS' && after.permission === 'DS')
    vote(!subset(before.diseases, after.diseases), !subset(after.diseases, before.diseases));
  const restricting = (m: readonly string[]) => m.filter((x) => x !== 'CC');
  vote(
    !subset(restricting(after.modifiers), restricting(before.modifiers)) ||
      (before.modifiers.includes('CC') && !after.modifiers.includes('CC')),
    !subset(restricting(before.modifiers), restricting(after.modifiers)) ||
      (!before.modifiers.includes('CC') && after.modifiers.includes('CC')),
  );
  const both = (code: DuoModifier) =>
    before.modifiers.includes(code) && after.modifiers.includes(code);
  const p = before.params;
  const q = after.params;
  if (both('TS') && p.timeLimitMonths !== q.timeLimitMonths) {
    if (p.timeLimitMonths === undefined) vote(true, false);
    else if (q.timeLimitMonths === undefined) vote(false, true);
    else vote(q.timeLimitMonths < p.timeLimitMonths, q.timeLimitMonths > p.timeLimitMonths);
  }
  if (both('MOR') && p.moratoriumUntil !== q.moratoriumUntil) {
    if (p.moratoriumUntil === undefined) vote(true, false);
    else if (q.moratoriumUntil === undefined) vote(false, true);
    else vote(q.moratoriumUntil > p.moratoriumUntil, q.moratoriumUntil < p.moratoriumUntil);
  }
  for (const [code, field] of [
    ['GS', 'regions'],
    ['IS', 'institutions'],
    ['US', 'users'],
    ['PS', 'projects'],
  ] as const) {
    if (!both(code)) continue;
    const was = p[field];
    const now = q[field];
    if (was === undefined && now === undefined) continue;
    if (was === undefined) vote(true, false);
    else if (now === undefined) vote(false, true);
    else vote(!subset(was, now), !subset(now, was));
  }
  if (narrower && wider) return 'mixed';
  if (narrower) return 'narrower';
  if (wider) return 'wider';
  return 'same';
}
