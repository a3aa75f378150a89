import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import {
  hasDigestSubscription,
  setDigestSubscription,
} from '../notifications/digest-subscriptions.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';

/** Whether the signed-in participant gets the weekly summary e-mail. */
export async function myWeeklyDigest(tx: Tx, actor: Actor | null): Promise<boolean> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  return hasDigestSubscription(tx, participant.userId!);
}

/** Turns the signed-in participant's weekly summary e-mail on or off; audited on their trail. */
export async function setMyWeeklyDigest(
  tx: Tx,
  actor: Actor | null,
  on: boolean,
): Promise<boolean> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  await setDigestSubscription(tx, participant.userId!, on);
  await appendParticipantEvent(tx, actor, 'digest.subscribe', participant.id, { on });
  return on;
}
