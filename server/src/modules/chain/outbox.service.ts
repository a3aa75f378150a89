import type {
  AnchorAuditMsg,
  ConsentItem,
  GrantItem,
  PasskeyChangeMsg,
} from '@consentome/contracts-client';
import type { Tx } from '../../db/database.js';
import { chainOutbox } from './chain.tables.js';

/** What an outbox row carries to the chain. */
export type OutboxItem =
  | { kind: 'consent'; item: ConsentItem }
  | { kind: 'grant'; item: GrantItem }
  | { kind: 'audit_anchor'; item: AnchorAuditMsg }
  | { kind: 'passkey'; item: PasskeyChangeMsg };

let enqueuedInProcess = 0;

/**
 * How many outbox rows this process has inserted so far (committed or not). A caller compares
 * it before and after a transaction to learn whether that transaction may have queued chain work,
 * without a query: a concurrent transaction can only make it say yes too often, never too rarely.
 */
export function chainWorkEnqueuedCount(): number {
  return enqueuedInProcess;
}

/**
 * Enqueues chain work inside the caller's transaction, so it commits (or rolls back) with the
 * change it records. The item must already be pseudonymous: it is sent to the chain as it is.
 */
export async function enqueueChainWork(tx: Tx, work: OutboxItem): Promise<void> {
  const eventId =
    work.kind === 'audit_anchor'
      ? `audit-batch:${work.item.batch}`
      : work.kind === 'passkey'
        ? passkeyEventId(work.item)
        : work.item.event_id;
  await tx.insert(chainOutbox).values({ kind: work.kind, eventId, item: work.item });
  enqueuedInProcess += 1;
}

/** Enqueues one consent decision for `record_consents`. */
export function enqueueConsentRecord(tx: Tx, item: ConsentItem): Promise<void> {
  return enqueueChainWork(tx, { kind: 'consent', item });
}

/** Enqueues one grant for `record_grants`. */
export function enqueueGrantRecord(tx: Tx, item: GrantItem): Promise<void> {
  return enqueueChainWork(tx, { kind: 'grant', item });
}

/** A passkey change's outbox key: one registration and one removal per credential. */
function passkeyEventId(msg: PasskeyChangeMsg): string {
  return 'register_passkey' in msg
    ? `passkey-register:${msg.register_passkey.key_id}`
    : `passkey-remove:${msg.remove_passkey.key_id}`;
}

/** Enqueues a passkey registration or removal (its own transaction on chain). */
export function enqueuePasskeyChange(tx: Tx, msg: PasskeyChangeMsg): Promise<void> {
  return enqueueChainWork(tx, { kind: 'passkey', item: msg });
}
