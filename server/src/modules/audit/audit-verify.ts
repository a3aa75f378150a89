import { asc, gt } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { auditEvents } from './audit.tables.js';
import { GENESIS_HASH, eventHash } from './audit-hash.js';

/** The result of recomputing the hash chain. */
export interface AuditVerification {
  ok: boolean;
  checkedEvents: number;
  lastSeq: number;
  headHash: string;
  /** The first event that does not fit the chain, and why. */
  firstBroken: { seq: number; reason: string } | null;
}

const PAGE = 2_000;

/**
 * Recomputes the whole chain from the first event: sequence numbers must be gap-free, each
 * prev_hash must equal the previous hash, and each hash must match its recomputed value.
 * Reads in pages so memory stays flat however long the log is.
 */
export async function verifyAuditChain(db: Queryable): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, expectedSeq - 1))
      .orderBy(asc(auditEvents.seq))
      .limit(PAGE);
    for (const row of rows) {
      const broken = (reason: string): AuditVerification => ({
        ok: false,
        checkedEvents: checked,
        lastSeq: expectedSeq - 1,
        headHash: prevHash,
        firstBroken: { seq: row.seq, reason },
      });
      if (row.seq !== expectedSeq) {
        return broken(`sequence gap: expected ${expectedSeq}, found ${row.seq}`);
      }
      if (row.prevHash !== prevHash) return broken('prev_hash does not match the previous event');
      let recomputed: string;
      try {
        recomputed = eventHash(prevHash, row);
      } catch {
        return broken('payload is not valid JSON');
      }
      if (recomputed !== row.hash) return broken('content does not match its hash (altered)');
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }
  return {
    ok: true,
    checkedEvents: checked,
    lastSeq: expectedSeq - 1,
    headHash: prevHash,
    firstBroken: null,
  };
}
