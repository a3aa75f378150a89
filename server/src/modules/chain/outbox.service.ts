import type { AnchorAuditMsg, ConsentItem, GrantItem } from '@consentome/contracts-client';
import type { Tx } from '../../db/database.js';
import { chainOutbox } from './chain.tables.js';

/** What an outbox row carries to the chain. */
export type OutboxItem =
  | { kind: 'consent'; item: ConsentItem }
  | { kind: 'grant'; item: GrantItem }
  | { kind: 'audit_anchor'; item: AnchorAuditMsg };

/**
 * Enqueues chain work inside the caller's transaction, so it commits (or rolls back) with the
 * change it records. The item must already be pseudonymous: it is sent to the chain as it is.
 */
export async function enqueueChainWork(tx: Tx, work: OutboxItem): Promise<void> {
  const eventId =
    work.kind === 'audit_anchor' ? `audit-batch:${work.item.batch}` : work.item.event_id;
  await tx.insert(chainOutbox).values({ kind: work.kind, eventId, item: work.item });
}

/** Enqueues one consent decision for `record_consents`. */
export function enqueueConsentRecord(tx: Tx, item: ConsentItem): Promise<void> {
  return enqueueChainWork(tx, { kind: 'consent', item });
}

/** Enqueues one grant for `record_grants`. */
export function enqueueGrantRecord(tx: Tx, item: GrantItem): Promise<void> {
  return enqueueChainWork(tx, { kind: 'grant', item });
}
