import { inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { users } from '../accounts/accounts.tables.js';
import type { auditEvents } from '../audit/audit.tables.js';

type AuditRow = typeof auditEvents.$inferSelect;

interface OnBehalf {
  as?: string;
  paper?: { signedOn?: string; formVersion?: string };
}

function onBehalfOf(row: AuditRow): OnBehalf | null {
  if (!row.actorId || !row.payload.includes('"onBehalf"')) return null;
  try {
    const payload = JSON.parse(row.payload) as { onBehalf?: OnBehalf };
    return payload.onBehalf ?? null;
  } catch {
    return null;
  }
}

/**
 * Who acted for the participant, in their words, by event: "by your representative <name>" for
 * a legal representative, "recorded by <institution> (staff) on <date>, witnessed" for a paper
 * decision a consent coordinator recorded. Events of the participant themself have none. The
 * names are read now from the accounts (the audit payload holds identifiers only).
 */
export async function onBehalfWording(
  tx: Tx,
  rows: readonly AuditRow[],
): Promise<Map<number, string>> {
  const acted = rows.flatMap((row) => {
    const onBehalf = onBehalfOf(row);
    return onBehalf ? [{ row, onBehalf }] : [];
  });
  const wording = new Map<number, string>();
  if (acted.length === 0) return wording;
  const people = await tx
    .select({ id: users.id, name: users.displayName, institution: users.institution })
    .from(users)
    .where(inArray(users.id, [...new Set(acted.map((a) => a.row.actorId!))]));
  const byId = new Map(people.map((p) => [p.id, p]));
  for (const { row, onBehalf } of acted) {
    const who = byId.get(row.actorId!);
    if (onBehalf.as === 'representative')
      wording.set(row.seq, `by your representative ${who?.name ?? '(account deleted)'}`);
    else if (onBehalf.as === 'staff') {
      const site = who?.institution ?? 'your study site';
      const on = onBehalf.paper?.signedOn ?? row.occurredAt.toISOString().slice(0, 10);
      wording.set(
        row.seq,
        onBehalf.paper ? `recorded by ${site} (staff) on ${on}, witnessed` : `by ${site} (staff)`,
      );
    }
  }
  return wording;
}
