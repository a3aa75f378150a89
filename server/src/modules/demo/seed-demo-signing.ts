import type { Database, Tx } from '../../db/database.js';
import type { SystemActor, UserActor } from '../actors/actor.js';
import { acceptAgreement, publishAgreement } from '../dacs/data-use-agreements.js';
import { issueLibraryCard } from '../signing-officials/library-cards.js';

/** The demo committees' data use agreement, version 1 (the same terms for both). */
export function demoAgreementText(dacName: string): string {
  return [
    `Data use agreement of the ${dacName}, version 1.`,
    'The principal investigator and their institution agree to use the data only for the approved',
    'research purpose; not to attempt to identify any participant; to keep the data on the approved',
    'systems; to report any incident within 72 hours; to acknowledge the datasets in publications;',
    'and to destroy the data when the grant ends, attested by the PI and the signing official.',
  ].join(' ');
}

/**
 * Publishes each demo committee's agreement and records the acceptances a newcomer would find
 * already made: the signing official's (needed for a library card) and the demo researcher's
 * (their PI step, done for earlier requests).
 */
export async function seedDemoAgreements(
  tx: Tx,
  actor: SystemActor,
  committees: readonly { id: string; name: string }[],
  signers: readonly UserActor[],
): Promise<void> {
  for (const dac of committees) {
    const agreement = await publishAgreement(tx, actor, {
      dacId: dac.id,
      text: demoAgreementText(dac.name),
    });
    for (const signer of signers) await acceptAgreement(tx, signer, { agreementId: agreement.id });
  }
}

/** so@demo.local gives the demo researcher a library card for a year. */
export async function issueDemoLibraryCard(
  db: Database,
  official: UserActor,
  researcherId: string,
): Promise<void> {
  const expiresAt = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  await db.transaction((tx) => issueLibraryCard(tx, official, { researcherId, expiresAt }));
}
