import { randomBytes } from 'node:crypto';
import {
  isChainError,
  linkAcceptChallenge,
  linkOfferChallenge,
  type LinkOffer,
  type SigningConsentLedger,
} from '@consentome/contracts-client';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import type { RelyingParty } from '../../lib/webauthn.js';
import type { Actor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { hasPendingPasskeyRegistration } from '../chain/pending-consent.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { verifyParticipantAssertion } from '../passkeys/passkeys.service.js';
import { participantSiteLinks } from './participant-links.tables.js';

/*
 * A participant links their record here with their record at another member site (issue #14).
 * Each site keeps its own pseudonym for them (an HMAC under a secret only that site holds), so
 * only the participant can join the two, with the passkey each site registered:
 *
 *   at site A: participantLinkOfferChallenge → sign with A's passkey → offerParticipantLink;
 *              the participant takes the link code (the chain nonce) to site B;
 *   at site B: participantLinkAcceptChallenge(code) → sign with B's passkey →
 *              acceptParticipantLink.
 *
 * Both steps are written to the chain at once (not through the outbox): B reads A's offer from
 * the chain, so it must be there before the participant walks over; the contract checks the
 * signature, refuses a replayed nonce or the wrong key, and the participant is told right away.
 *
 * Order of writes: the chain first, then this site's row and audit event, in the request's
 * transaction. If the chain refuses, the transaction is rolled back and nothing is kept here. If
 * the chain accepted but the local write did not commit (a crash, a lost connection), the chain
 * holds a link this site does not know; the next attempt with the same code recovers it: it finds
 * the offer (or the acceptance) already on chain under this participant's own pseudonym, writes
 * nothing to the chain again, and records the row it missed (`recovered` in the audit event).
 * See docs/federation.md ("Order of writes").
 */

/** What the link service needs of the chain: this site's writer and the link messages. */
export type LinkLedger = Pick<
  SigningConsentLedger,
  'sender' | 'offerLink' | 'acceptLink' | 'linkOffer' | 'member' | 'memberByWriter' | 'height'
>;

const memberId = z.string().regex(/^[a-z0-9-]{2,32}$/, 'not a member id');
const linkCode = z.string().regex(/^[0-9a-f]{64}$/, 'a link code is 64 hexadecimal characters');

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** What the participant's passkey signs, and what to send back with the signature. */
export interface LinkChallenge {
  /** The WebAuthn challenge, base64url. */
  challenge: string;
  /** The link code (chain nonce). */
  code: string;
  /** The other site's member id. */
  member: string;
  /** The other site's name, as the chain registry has it. */
  memberName: string;
}

async function nameOf(ledger: LinkLedger, id: string): Promise<string> {
  return (await ledger.member(id))?.name ?? id;
}

async function ownMemberId(ledger: LinkLedger): Promise<string> {
  const me = await ledger.memberByWriter(ledger.sender);
  if (!me || me.removed) throw new ConflictError('This site is not a member of the network');
  return me.id;
}

/** The member a participant links with: active and not this site. Answers its name. */
async function checkedTarget(ledger: LinkLedger, toMember: string): Promise<string> {
  const target = await ledger.member(toMember);
  if (!target || target.removed) throw new NotFoundError('Member site');
  if (toMember === (await ownMemberId(ledger)))
    throw new ValidationError('Choose another site than this one', [
      { field: 'toMember', message: 'this site' },
    ]);
  return target.name;
}

/**
 * Refuses, before anything is written, a signature by a passkey whose registration has not
 * reached the chain yet (it waits in the outbox): the contract would call it an unknown key.
 */
async function assertPasskeyOnChain(tx: Tx, keyId: string): Promise<void> {
  if (await hasPendingPasskeyRegistration(tx, keyId))
    throw new ConflictError(
      'Your passkey is still being recorded on the network; try again in a few seconds',
    );
}

/** A chain refusal as the participant's error: nothing was written. */
function refusedByChain(error: unknown): never {
  if (isChainError(error) && error.code === 'contract')
    throw new ValidationError(`The network refused the link: ${error.message}`, [
      { field: 'signature', message: error.message },
    ]);
  throw error;
}

/** Step 1 at site A: a fresh link code and the challenge A's passkey signs. Changes nothing. */
export async function participantLinkOfferChallenge(
  tx: Tx,
  actor: Actor | null,
  ledger: LinkLedger,
  input: { toMember: string },
): Promise<LinkChallenge> {
  const { toMember } = parseInput(z.object({ toMember: memberId }), input);
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const memberName = await checkedTarget(ledger, toMember);
  const code = randomBytes(32).toString('hex');
  const subject = await chainSubject(tx, participant.id);
  return {
    challenge: b64url(linkOfferChallenge(code, subject, toMember)),
    code,
    member: toMember,
    memberName,
  };
}

/** Step 2 at site A: the signed offer goes on chain; the participant takes `code` to B. */
export async function offerParticipantLink(
  tx: Tx,
  actor: Actor | null,
  rp: RelyingParty,
  ledger: LinkLedger,
  input: { toMember: string; code: string; response: AuthenticationResponseJSON },
): Promise<{ code: string; member: string }> {
  const { toMember, code } = parseInput(z.object({ toMember: memberId, code: linkCode }), input);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  await checkedTarget(ledger, toMember);
  const subject = await chainSubject(tx, participant.id);
  const assertion = await verifyParticipantAssertion(
    tx,
    participant.id,
    rp,
    input.response,
    linkOfferChallenge(code, subject, toMember),
  );
  await assertPasskeyOnChain(tx, assertion.key_id);
  const onChain = await ledger.linkOffer(code);
  const recovered = onChain !== null && (await isOwnOffer(ledger, onChain, subject, toMember));
  if (recovered) await assertNotRecorded(tx, code);
  else await ledger.offerLink({ subject, nonce: code, toMember, assertion }).catch(refusedByChain);
  await tx.insert(participantSiteLinks).values({
    nonce: code,
    participantId: participant.id,
    role: 'offer',
    otherMember: toMember,
  });
  await appendParticipantEvent(
    tx,
    actor,
    'participant.link.offer',
    participant.id,
    recovered ? { member: toMember, recovered: true } : { member: toMember },
  );
  return { code, member: toMember };
}

/** Whether an offer on chain is this participant's own, made here for `toMember`. */
async function isOwnOffer(
  ledger: LinkLedger,
  offer: LinkOffer,
  subject: string,
  toMember: string,
): Promise<boolean> {
  if (offer.subject !== subject || offer.to_member !== toMember) return false;
  return offer.from_member === (await ownMemberId(ledger));
}

/** A code already recorded here is a replay, not a recovery. */
async function assertNotRecorded(tx: Tx, code: string): Promise<void> {
  const [row] = await tx
    .select({ nonce: participantSiteLinks.nonce })
    .from(participantSiteLinks)
    .where(eq(participantSiteLinks.nonce, code));
  if (row) throw new ConflictError('This link code was already used');
}

/**
 * The offer a code names, if this site may accept it: made for this site, not expired, and not
 * accepted, except by `subject` itself (an acceptance whose local row was lost: see the top).
 */
async function openOfferFor(
  tx: Tx,
  ledger: LinkLedger,
  code: string,
  subject: string,
): Promise<LinkOffer> {
  const offer = await ledger.linkOffer(code);
  if (!offer || offer.to_member !== (await ownMemberId(ledger))) throw new NotFoundError('Link');
  if (offer.accepted) {
    if (offer.accepted.subject !== subject)
      throw new ConflictError('This link code was already used');
    await assertNotRecorded(tx, code);
    return offer;
  }
  if ((await ledger.height()) > offer.expires_height)
    throw new ConflictError('This link code has expired; make a new one at the other site');
  return offer;
}

/** Step 3 at site B: the challenge B's passkey signs for the code made at A. Changes nothing. */
export async function participantLinkAcceptChallenge(
  tx: Tx,
  actor: Actor | null,
  ledger: LinkLedger,
  input: { code: string },
): Promise<LinkChallenge> {
  const { code } = parseInput(z.object({ code: linkCode }), input);
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const subject = await chainSubject(tx, participant.id);
  const offer = await openOfferFor(tx, ledger, code, subject);
  return {
    challenge: b64url(linkAcceptChallenge(code, offer.subject, subject)),
    code,
    member: offer.from_member,
    memberName: await nameOf(ledger, offer.from_member),
  };
}

/** Step 4 at site B: the signed acceptance goes on chain; the records are linked. */
export async function acceptParticipantLink(
  tx: Tx,
  actor: Actor | null,
  rp: RelyingParty,
  ledger: LinkLedger,
  input: { code: string; response: AuthenticationResponseJSON },
): Promise<{ code: string; member: string }> {
  const { code } = parseInput(z.object({ code: linkCode }), input);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const subject = await chainSubject(tx, participant.id);
  const offer = await openOfferFor(tx, ledger, code, subject);
  const assertion = await verifyParticipantAssertion(
    tx,
    participant.id,
    rp,
    input.response,
    linkAcceptChallenge(code, offer.subject, subject),
  );
  await assertPasskeyOnChain(tx, assertion.key_id);
  const recovered = Boolean(offer.accepted);
  if (!recovered) await ledger.acceptLink(code, subject, assertion).catch(refusedByChain);
  await tx.insert(participantSiteLinks).values({
    nonce: code,
    participantId: participant.id,
    role: 'accept',
    otherMember: offer.from_member,
  });
  await appendParticipantEvent(
    tx,
    actor,
    'participant.link.accept',
    participant.id,
    recovered ? { member: offer.from_member, recovered: true } : { member: offer.from_member },
  );
  return { code, member: offer.from_member };
}
