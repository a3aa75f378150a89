import type { ConsentBundle, ConsentLedger } from '@consentome/contracts-client';
import type { Database } from '../../db/database.js';
import { ConflictError } from '../../errors/app-errors.js';
import type { Actor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { signedConsentBundle } from '../chain/consent-verify.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';

/**
 * The signed-in participant's consent records as a bundle they can keep and check offline
 * (`consentome consent verify-file`, docs/signed-consent.md): read from the chain, not from our
 * tables, with the assertions we kept. Audited.
 */
export async function mySignedConsent(
  db: Database,
  actor: Actor | null,
  ledger: ConsentLedger | null,
): Promise<ConsentBundle> {
  if (!ledger) throw new ConflictError('No chain is connected: try again later');
  const { participantId, subject } = await db.transaction(async (tx) => {
    const participant = await signedInParticipant(tx, actor, { lock: false });
    return { participantId: participant.id, subject: await chainSubject(tx, participant.id) };
  });
  const bundle = await signedConsentBundle(db, ledger, subject);
  await db.transaction((tx) =>
    appendParticipantEvent(tx, actor, 'consent.bundle.download', participantId, {
      records: bundle.records.length,
      height: bundle.chain.height,
    }),
  );
  return bundle;
}
