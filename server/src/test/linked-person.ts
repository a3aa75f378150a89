import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '../db/database.js';
import { systemActor, type UserActor } from '../modules/actors/actor.js';
import { samples, phenotypeObservations } from '../modules/datasets/ingest/ingest.tables.js';
import {
  acceptParticipantLink,
  offerParticipantLink,
  participantLinkAcceptChallenge,
  participantLinkOfferChallenge,
} from '../modules/federation/participant-link.service.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../modules/participants/participants.service.js';
import { addPasskey, passkeyRegistrationOptions } from '../modules/passkeys/passkeys.service.js';
import {
  prepareSigningStatement,
  type ConsentSigning,
} from '../modules/passkeys/signed-consent.js';
import { withdrawConsent } from '../modules/participation/withdraw-participant.service.js';
import type { NetworkSite } from './network-site.js';
import { SoftAuthenticator } from './soft-authenticator.js';

/** A site's WebAuthn relying party. */
export type RelyingParty = { origin: string; rp_id: string };

/** One participant enrolled at one site, signed in, with a passkey of that site. */
export interface SiteParticipant {
  id: string;
  actor: UserActor;
  device: SoftAuthenticator;
}

const participantActor = (userId: string): UserActor => ({
  kind: 'user',
  userId,
  role: 'participant',
  sessionId: null,
});

/**
 * Enrols a participant at `site` through the enrolment-code path (female, born 1975) and
 * registers a software passkey for them under the site's relying party. The key reaches the
 * chain with the site's outbox: drain its relay before the participant signs anything there.
 */
export async function enrolWithPasskey(
  site: NetworkSite,
  rp: RelyingParty,
  email: string,
): Promise<SiteParticipant> {
  const db = site.db.db;
  const { actor, id } = await db.transaction(async (tx) => {
    const operator = systemActor('test');
    const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1975 });
    const { code } = await createEnrolmentCode(tx, operator, p.id);
    const { user } = await enrolWithCode(tx, {
      code,
      email,
      password: 'participant password',
      displayName: 'Linked',
    });
    return { actor: participantActor(user.id), id: p.id };
  });
  const device = new SoftAuthenticator(rp);
  const options = await db.transaction((tx) => passkeyRegistrationOptions(tx, actor, rp));
  await db.transaction((tx) =>
    addPasskey(tx, actor, rp, { response: device.register(options.challenge), name: 'Phone' }),
  );
  return { id, actor, device };
}

/**
 * Links one person's records at two member sites with their passkeys: the offer at `from`
 * (naming `toMember`), the acceptance at `to`, each written to the chain as it is signed.
 */
export async function linkRecords(
  from: { site: NetworkSite; rp: RelyingParty; person: SiteParticipant },
  to: { site: NetworkSite; rp: RelyingParty; person: SiteParticipant; member: string },
): Promise<string> {
  const a = from.site;
  const { challenge, code } = await a.db.db.transaction((tx) =>
    participantLinkOfferChallenge(tx, from.person.actor, a.ledger, { toMember: to.member }),
  );
  await a.db.db.transaction((tx) =>
    offerParticipantLink(tx, from.person.actor, from.rp, a.ledger, {
      toMember: to.member,
      code,
      response: from.person.device.assert(challenge),
    }),
  );
  const b = to.site;
  const accept = await b.db.db.transaction((tx) =>
    participantLinkAcceptChallenge(tx, to.person.actor, b.ledger, { code }),
  );
  await b.db.db.transaction((tx) =>
    acceptParticipantLink(tx, to.person.actor, to.rp, b.ledger, {
      code,
      response: to.person.device.assert(accept.challenge),
    }),
  );
  return code;
}

/** The participant withdraws at their site, signing the withdrawal with their passkey. */
export async function withdrawSigned(
  db: Database,
  rp: RelyingParty,
  person: SiteParticipant,
): Promise<void> {
  const run = (tx: Tx, signing: ConsentSigning) =>
    withdrawConsent(tx, person.actor, { confirm: true }, signing);
  const statement = await prepareSigningStatement(db, run, rp);
  await db.transaction((tx) =>
    run(tx, {
      kind: 'signed',
      rp,
      time: statement.time,
      response: person.device.assert(statement.challenge!),
    }),
  );
}

/** Puts a participant in a site's data: one sample in `datasetId` and one present phenotype. */
export async function addToSiteData(
  db: Database,
  participantId: string,
  datasetId: string,
  phenotype: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(samples)
      .values({ datasetId, sampleId: `S-${randomUUID().slice(0, 8)}`, participantId });
    await tx
      .insert(phenotypeObservations)
      .values({ participantId, term: phenotype, present: true });
  });
}
