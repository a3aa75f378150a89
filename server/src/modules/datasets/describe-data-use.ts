import type { DataUse } from './data-use.js';

/**
 * Data-use terms in one short line for lists and notices, e.g.
 * "HMB · IRB, TS (12 months), GS (EU, UK)". Values are shown beside their modifier.
 */
export function describeDataUse(dataUse: DataUse): string {
  const p = dataUse.params ?? {};
  const value: Record<string, string | undefined> = {
    TS: p.timeLimitMonths === undefined ? undefined : `${p.timeLimitMonths} months`,
    MOR: p.moratoriumUntil === undefined ? undefined : `until ${p.moratoriumUntil}`,
    GS: p.regions?.join(', '),
    IS: p.institutions?.join(', '),
    US: p.users?.length === undefined ? undefined : `${p.users.length} user(s)`,
    PS: p.projects?.join(', '),
  };
  const permission =
    dataUse.permission === 'DS' ? `DS (${dataUse.diseases.join(', ')})` : dataUse.permission;
  const modifiers = dataUse.modifiers.map((m) => (value[m] ? `${m} (${value[m]})` : m));
  return modifiers.length ? `${permission} · ${modifiers.join(', ')}` : permission;
}
