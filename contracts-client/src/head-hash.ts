import { createHash } from 'node:crypto';
import { ZERO_HEAD } from './messages.js';
import type { AnchorRecord, ConsentRecord, GrantRecord } from './messages.js';

/**
 * Off-chain recomputation of the contract's head hash (README "Head hash"), so a verifier can
 * check the chain's head against the records it holds:
 *   head_n = sha256(head_{n-1} ‖ canonical(item_n)), head_0 = 32 zero bytes.
 */

type ConsentFields = Pick<
  ConsentRecord,
  'event_id' | 'subject' | 'scope' | 'decision' | 'version' | 'evidence' | 'time'
> & { format?: number };
type AnchorFields = Pick<
  AnchorRecord,
  'batch' | 'merkle_root' | 'first_seq' | 'last_seq' | 'count' | 'writer'
>;
type GrantFields = Pick<GrantRecord, 'event_id' | 'grant_id' | 'study_id' | 'cohort_root'> & {
  expiry: number | string;
};

/** A stored item in the order the contract chained it. */
export type HeadItem =
  | ({ kind: 'consent' } & ConsentFields)
  | ({ kind: 'anchor' } & AnchorFields)
  | ({ kind: 'grant' } & GrantFields);

function str(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

function u64(n: number | string | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** The bytes the contract hashes for one item. */
export function canonicalItemBytes(item: HeadItem): Buffer {
  switch (item.kind) {
    case 'consent':
      return Buffer.concat([
        // A record with a format has its own tag, the format first (canonical.rs).
        item.format === undefined
          ? Buffer.from([0x01])
          : Buffer.concat([Buffer.from([0x04]), u64(item.format)]),
        str(item.event_id),
        str(item.subject),
        str(item.scope),
        str(item.decision),
        u64(item.version),
        str(item.evidence),
        str(item.time),
      ]);
    case 'anchor':
      return Buffer.concat([
        Buffer.from([0x02]),
        u64(item.batch),
        str(item.merkle_root),
        u64(item.first_seq),
        u64(item.last_seq),
        u64(item.count),
        // Which institution's trail the batch seals (canonical.rs): the head binds it too.
        str(item.writer),
      ]);
    case 'grant':
      return Buffer.concat([
        Buffer.from([0x03]),
        str(item.event_id),
        str(item.grant_id),
        str(item.study_id),
        str(item.cohort_root),
        u64(item.expiry),
      ]);
  }
}

/** The head after chaining `items` onto `previous` (default: the empty ledger's head). */
export function chainHead(items: Iterable<HeadItem>, previous: string = ZERO_HEAD): string {
  let head = Buffer.from(previous, 'hex');
  for (const item of items) {
    head = createHash('sha256').update(head).update(canonicalItemBytes(item)).digest();
  }
  return head.toString('hex');
}
