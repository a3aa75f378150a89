import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { participants } from '../participants/participants.tables.js';
import { createdAt, timestamptz } from '../../db/columns.js';

/**
 * The transactional outbox: chain work committed in the same transaction as the change that
 * caused it. The relay claims rows with FOR UPDATE SKIP LOCKED, sends them in batches and
 * records the receipt. `event_id` is also the contract's idempotency key, so a row sent twice
 * (relay killed between broadcast and receipt) is stored once on chain.
 */
export const chainOutbox = pgTable(
  'chain_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    eventId: text('event_id').notNull().unique(),
    /** The contract item (consent, grant) or anchor message, exactly as sent: pseudonymous only. */
    item: jsonb('item').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    claimedUntil: timestamptz('claimed_until'),
    receiptId: bigint('receipt_id', { mode: 'number' }).references(() => chainReceipts.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    check(
      'chain_outbox_kind_check',
      sql`${t.kind} in ('consent', 'grant', 'audit_anchor', 'passkey')`,
    ),
    check('chain_outbox_status_check', sql`${t.status} in ('pending', 'confirmed', 'failed')`),
    index('chain_outbox_pending_idx').on(t.status, t.id),
  ],
);

/** One committed chain transaction and what proves it. */
export const chainReceipts = pgTable('chain_receipts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  chainId: text('chain_id').notNull(),
  txHash: text('tx_hash').notNull(),
  height: bigint('height', { mode: 'number' }).notNull(),
  blockTime: text('block_time').notNull(),
  /** SHA-256 of canonical (message, sender, height, time): recomputable by anyone with the message. */
  digest: text('digest').notNull(),
  /** The contract's running head hash after this transaction. */
  headHash: text('head_hash').notNull(),
  items: integer('items').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** A sealed range of the audit log, anchored on chain by its Merkle root. */
export const auditBatches = pgTable(
  'audit_batches',
  {
    batch: bigint('batch', { mode: 'number' }).primaryKey(),
    firstSeq: bigint('first_seq', { mode: 'number' }).notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
    merkleRoot: text('merkle_root').notNull(),
    /**
     * The roots of the batch's runs of CHUNK events (merkle.ts), hex, concatenated: a proof then
     * reads 32 events, not the batch. Null for batches sealed before it existed (proved whole).
     */
    chunkRoots: text('chunk_roots'),
    sealedAt: timestamp('sealed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // A timeline page finds the batches its events fall in (last_seq >= its oldest event): a range
    // scan from there on, not a scan of every batch (10,000 of them at 10M events).
    index('audit_batches_last_seq_idx').on(t.lastSeq),
  ],
);

/**
 * The per-participant key behind their on-chain pseudonym. Deleting a row (erasure) makes every
 * chain record about that participant unlinkable to them, without touching the chain.
 */
export const participantChainKeys = pgTable('participant_chain_keys', {
  participantId: uuid('participant_id')
    .primaryKey()
    .references(() => participants.id),
  secret: text('secret').notNull(),
  createdAt: createdAt(),
});
