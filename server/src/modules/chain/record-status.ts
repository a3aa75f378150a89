import type { ConsentItem } from '@consentome/contracts-client';
import { and, eq, like, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { chainOutbox } from './chain.tables.js';
import { chainSubject } from './subject-pseudonym.js';

/** Where a decision's chain records are: all on chain, still queued, or refused by the contract. */
export interface ChainRecordStatus {
  state: 'on_chain' | 'pending' | 'not_recorded';
  /** Why the contract refused it (state `not_recorded`). */
  reason: string | null;
}

/**
 * The chain state of each version of a participant's standing preferences, from the outbox
 * (a version with no chain record, such as one that changed nothing on chain, is absent). One
 * refused record makes the whole version "not recorded", with the contract's reason.
 */
export async function preferenceVersionsOnChain(
  tx: Tx,
  participantId: string,
): Promise<Map<number, ChainRecordStatus>> {
  const subject = await chainSubject(tx, participantId);
  const rows = await tx
    .select({
      status: chainOutbox.status,
      lastError: chainOutbox.lastError,
      item: chainOutbox.item,
    })
    .from(chainOutbox)
    .where(
      and(
        eq(chainOutbox.kind, 'consent'),
        like(chainOutbox.eventId, 'pref:%'),
        sql`${chainOutbox.item}->>'subject' = ${subject}`,
      ),
    );
  const out = new Map<number, ChainRecordStatus>();
  for (const row of rows) {
    const version = (row.item as ConsentItem).version;
    const seen = out.get(version);
    if (seen?.state === 'not_recorded') continue;
    if (row.status === 'failed')
      out.set(version, { state: 'not_recorded', reason: row.lastError ?? 'refused by the chain' });
    else if (row.status === 'pending' || seen?.state === 'pending')
      out.set(version, { state: 'pending', reason: null });
    else out.set(version, { state: 'on_chain', reason: null });
  }
  return out;
}
