import { and, eq, gt } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { grants } from './grants.tables.js';
import type { GrantRow } from './grants.service.js';

/** A researcher's grants that are active and not past their expiry right now. */
export function activeGrantsOf(
  db: Queryable,
  researcherId: string,
  now = new Date(),
): Promise<GrantRow[]> {
  return db
    .select()
    .from(grants)
    .where(
      and(
        eq(grants.researcherId, researcherId),
        eq(grants.status, 'active'),
        gt(grants.expiresAt, now),
      ),
    );
}
