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
