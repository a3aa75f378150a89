import { createHash } from 'node:crypto';
import { canonicalJson } from '@consentome/contracts-client';

/** RFC 8785 canonical JSON: the one implementation, shared with the chain client. */
export { canonicalJson };

/** The prev_hash of the first event: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers. */
export interface HashedEvent {
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  actorRole: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  participantId: string | null;
  /** Canonical JSON text (RFC 8785) of the payload, exactly as stored. */
  payload: string;
}

/** The canonical text of an event: what is hashed, and what an inclusion proof reveals. */
export function canonicalEvent(event: HashedEvent): string {
  return canonicalJson({
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    actor: { id: event.actorId, role: event.actorRole },
    action: event.action,
    target: { type: event.targetType, id: event.targetId },
    participantId: event.participantId,
    payload: JSON.parse(event.payload) as unknown,
  });
}

/** hash = SHA-256(prev_hash bytes ‖ UTF-8 canonical event), hex encoded. */
export function eventHash(prevHash: string, event: HashedEvent): string {
  return createHash('sha256')
    .update(Buffer.from(prevHash, 'hex'))
    .update(canonicalEvent(event), 'utf8')
    .digest('hex');
}

/**
 * The canonical text of an event whose stored payload is already canonical JSON (every event
 * the service appends: it stores `canonicalJson(payload)`), spliced in as it is instead of parsed
 * and re-serialised. RFC 8785 orders the keys by code unit, serialises strings as JSON.stringify
 * does, and the only number is the integer `seq`, so this is `canonicalEvent`'s text whenever the
 * payload is canonical; when it is not, the hash differs and the caller falls back to
 * `canonicalEvent` (audit verify does), so the fast path can never pass what the slow one fails.
 */
export function canonicalEventFast(event: HashedEvent): string {
  const [before, after] = canonicalEventAroundSeq(event);
  return `${before}${event.seq}${after}`;
}

/**
 * `canonicalEventFast`'s text in two parts, before and after the sequence number (the only field
 * an append learns under the database's lock: `audit_append_one`, migration 0038). Keys sort as
 * `action`, `actor`, `occurredAt`, `participantId`, `payload`, `seq`, `target`.
 */
export function canonicalEventAroundSeq(event: Omit<HashedEvent, 'seq'>): [string, string] {
  const j = JSON.stringify;
  return [
    `{"action":${j(event.action)},"actor":{"id":${j(event.actorId)},"role":${j(event.actorRole)}},` +
      `"occurredAt":${j(event.occurredAt.toISOString())},"participantId":${j(event.participantId)},` +
      `"payload":${event.payload},"seq":`,
    `,"target":{"id":${j(event.targetId)},"type":${j(event.targetType)}}}`,
  ];
}

/** `eventHash` over `canonicalEventFast`: equal to it whenever the stored payload is canonical. */
export function eventHashFast(prevHash: string, event: HashedEvent): string {
  return createHash('sha256')
    .update(Buffer.from(prevHash, 'hex'))
    .update(canonicalEventFast(event), 'utf8')
    .digest('hex');
}
