import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { chainOutbox, chainReceipts } from './chain.tables.js';

/** Where a piece of chain work was recorded, once confirmed. */
export interface ChainRecord {
  eventId: string;
  txHash: string;
  height: number;
}

/** The confirmed chain records of these outbox events, in one query (unconfirmed are missing). */
export async function confirmedChainRecords(
  db: Queryable,
  eventIds: readonly string[],
): Promise<ChainRecord[]> {
  if (!eventIds.length) return [];
  return db
    .select({
      eventId: chainOutbox.eventId,
      txHash: chainReceipts.txHash,
      height: chainReceipts.height,
    })
    .from(chainOutbox)
    .innerJoin(chainReceipts, eq(chainReceipts.id, chainOutbox.receiptId))
    .where(and(inArray(chainOutbox.eventId, [...eventIds]), eq(chainOutbox.status, 'confirmed')));
}
