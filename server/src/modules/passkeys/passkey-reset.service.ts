import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { enqueuePasskeyChange } from '../chain/outbox.service.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { notify } from '../notifications/notify.js';
import { assertCanManageParticipants } from '../participants/participants.policy.js';
import { participants } from '../participants/participants.tables.js';
import { participantPasskeys } from './passkeys.tables.js';

/** How staff made sure the person asking is the participant (kept on the audit trail). */
export const IDENTITY_CHECKS = [
  'in_person_photo_id',
  'video_call_photo_id',
  'known_clinician',
] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

const ResetInput = z.object({
  participantId: idSchema,
  identityCheck: z.enum(IDENTITY_CHECKS),
});

/** What a reset did. */
export interface PasskeyReset {
  participantId: string;
  removed: number;
  /** Who vouched, as the chain records it: the staff member's role and account id. */
  witness: string;
}

/**
 * Re-binding after every passkey is lost: staff who checked the participant's identity remove
 * all of the participant's active passkeys with the institution's proof, so the participant can
 * register a new first one (which the chain again records as added by the institution). Every
 * removal is a chain record marked `removed.by: "institution"` with the witness, never a silent
 * change; the participant is told at once (notification) and sees it on their timeline. One
 * transaction; a participant with no active passkey is refused and nothing changes.
 */
export async function resetParticipantPasskeys(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<PasskeyReset> {
  assertCanManageParticipants(actor);
  const { participantId, identityCheck } = parseInput(ResetInput, input);
  const [participant] = await tx
    .select({ id: participants.id, userId: participants.userId })
    .from(participants)
    .where(eq(participants.id, participantId))
    .for('update');
  if (!participant) throw new NotFoundError('Participant');
  const keys = await tx
    .select()
    .from(participantPasskeys)
    .where(
      and(
        eq(participantPasskeys.participantId, participant.id),
        isNull(participantPasskeys.removedAt),
      ),
    );
  if (keys.length === 0)
    throw new ConflictError('This participant has no passkey to reset: they can add one now');
  // The chain's witness is an identifier, not a name: the staff member's role and account id.
  const witness =
    actor!.kind === 'user' ? `${actor!.role}:${actor!.userId}` : `system:${actor!.name}`;
  const subject = await chainSubject(tx, participant.id);
  const removedAt = new Date();
  for (const key of keys) {
    await tx
      .update(participantPasskeys)
      .set({ removedAt })
      .where(eq(participantPasskeys.id, key.id));
    await enqueuePasskeyChange(tx, {
      remove_passkey: { subject, key_id: key.credentialId, proof: { institution: { witness } } },
    });
  }
  await appendParticipantEvent(tx, actor, 'passkey.reset', participant.id, {
    removed: keys.map((k) => k.id),
    identityCheck,
    witness,
  });
  if (participant.userId)
    await notify(tx, [participant.userId], {
      kind: 'passkeys_reset',
      title: { en: 'Your passkeys were reset', es: 'Se restablecieron sus llaves de acceso' },
      body: {
        en: 'Your study site removed your passkeys after checking who you are, as you asked. Add a new passkey to sign your consent again. If you did not ask for this, contact your study site at once.',
        es: 'Su centro del estudio quitó sus llaves de acceso después de comprobar su identidad, como usted pidió. Añada una llave de acceso nueva para volver a firmar su consentimiento. Si usted no lo pidió, llame a su centro del estudio cuanto antes.',
      },
      link: '/consent',
    });
  return { participantId: participant.id, removed: keys.length, witness };
}
