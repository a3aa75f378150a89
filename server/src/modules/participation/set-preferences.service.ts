import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { setConsentPreferences, type PreferenceVersion } from '../consent/consent.service.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import type { ConsentSigning } from '../passkeys/signed-consent.js';
import { askWhetherLaterNoApplies } from '../studies/later-no-questions.js';

/**
 * A participant sets their standing preferences (the consent module writes the version), and in
 * the same transaction every running study that already received data under their earlier
 * "yes", and that a new standing "no" covers, asks whether the "no" applies to it too.
 */
export async function setPreferences(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  signing?: ConsentSigning,
): Promise<PreferenceVersion> {
  const version = await setConsentPreferences(tx, actor, input, signing);
  const participant = await signedInParticipant(tx, actor, { lock: false });
  await askWhetherLaterNoApplies(tx, actor, participant);
  return version;
}
