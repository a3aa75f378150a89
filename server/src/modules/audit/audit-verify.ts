import { asc, gt } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { auditEvents } from './audit.tables.js';
import { GENESIS_HASH, eventHash, eventHashFast } from './audit-hash.js';

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
  const page = (after: number) =>
    db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(PAGE);
  let rows = await page(0);
  for (;;) {
    // The next page is read while this one is hashed (keyset on seq: a gap is still caught,
    // since every row's seq is compared with the one expected).
    const last = rows[rows.length - 1];
    const next = rows.length === PAGE && last ? page(last.seq) : null;
    for (const row of rows) {
      const broken = (reason: string): AuditVerification => ({
        ok: false,
        checkedEvents: checked,
        lastSeq: expectedSeq - 1,
        headHash: prevHash,
        firstBroken: { seq: row.seq, reason },
      });
      if (row.seq !== expectedSeq) {
        await next?.catch(() => undefined);
        return broken(`sequence gap: expected ${expectedSeq}, found ${row.seq}`);
      }
      if (row.prevHash !== prevHash) {
        await next?.catch(() => undefined);
        return broken('prev_hash does not match the previous event');
      }
      // The stored payload spliced in first; only a mismatch pays for parsing it (and decides).
      if (eventHashFast(prevHash, row) !== row.hash) {
        let recomputed: string;
        try {
          recomputed = eventHash(prevHash, row);
        } catch {
          await next?.catch(() => undefined);
          return broken('payload is not valid JSON');
        }
        if (recomputed !== row.hash) {
          await next?.catch(() => undefined);
          return broken('content does not match its hash (altered)');
        }
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (!next) break;
    rows = await next;
  }
  return {
    ok: true,
    checkedEvents: checked,
    lastSeq: expectedSeq - 1,
    headHash: prevHash,
    firstBroken: null,
  };
}
