import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import { users } from '../accounts/accounts.tables.js';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { allCurrentAgreements, unacceptedAgreements } from '../dacs/data-use-agreements.js';
import { notify } from '../notifications/notify.js';
import { accountOf, institutionIs, institutionKey, sameInstitution } from './institutions.js';
import {
  IssueLibraryCardSchema,
  MAX_CARD_DAYS,
  RevokeLibraryCardSchema,
} from './library-card-input.js';
import { libraryCards } from './library-cards.tables.js';
import { assertSameInstitution, assertSigningOfficial } from './signing-officials.policy.js';

/** One library card. */
export type LibraryCardRow = typeof libraryCards.$inferSelect;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A signing official issues a library card to a researcher of their institution. The official
 * must first have accepted the current data use agreement of every committee: the card stands in
 * for their approval of each request, so it must also stand for their acceptance. Refused when
 * the researcher already holds a valid card (revoke it first), is of another institution, or the
 * expiry is past or more than two years away. Audited; the researcher is told.
 */
export async function issueLibraryCard(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  now = new Date(),
): Promise<LibraryCardRow> {
  assertSigningOfficial(actor);
  const data = parseInput(IssueLibraryCardSchema, input);
  if (data.expiresAt <= now || data.expiresAt.getTime() - now.getTime() > MAX_CARD_DAYS * DAY_MS)
    throw new ValidationError('The expiry is out of range', [
      {
        field: 'expiresAt',
        message: `must be in the future and at most ${MAX_CARD_DAYS} days away`,
      },
    ]);
  const official = (await accountOf(tx, actor.userId))!;
  const researcher = await accountOf(tx, data.researcherId);
  if (!researcher || researcher.role !== 'researcher' || researcher.disabled)
    throw new NotFoundError('Researcher');
  assertSameInstitution(official.institution, researcher.institution);
  const missing = await unacceptedAgreements(
    tx,
    actor.userId,
    (await allCurrentAgreements(tx)).map((a) => a.dacId),
  );
  if (missing.length)
    throw new ValidationError('Accept the data use agreements first', [
      {
        field: 'dataUseAgreements',
        message: `a library card stands for your acceptance: accept the current agreement of every committee first (${missing.length} to accept)`,
      },
    ]);
  if (await validLibraryCard(tx, researcher.id, now))
    throw new ConflictError('The researcher already holds a valid library card: revoke it first');
  const [card] = await tx
    .insert(libraryCards)
    .values({
      id: randomUUID(),
      researcherId: researcher.id,
      issuedBy: actor.userId,
      institution: official.institution!.trim(),
      expiresAt: data.expiresAt,
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'library_card.issue',
    targetType: 'user',
    targetId: researcher.id,
    payload: { cardId: card!.id, expiresAt: card!.expiresAt.toISOString() },
  });
  await notify(tx, [researcher.id], {
    kind: 'library_card',
    title: 'You have a library card',
    body: `Your signing official issued you a library card until ${card!.expiresAt.toISOString().slice(0, 10)}: your requests go straight to the committees.`,
    link: '/studies',
  });
  return card!;
}

/** A signing official revokes a card of their institution (any official of it may). Audited. */
export async function revokeLibraryCard(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<LibraryCardRow> {
  assertSigningOfficial(actor);
  const data = parseInput(RevokeLibraryCardSchema, input);
  const [card] = await tx
    .select()
    .from(libraryCards)
    .where(eq(libraryCards.id, data.cardId))
    .for('update');
  if (!card) throw new NotFoundError('Library card');
  const official = (await accountOf(tx, actor.userId))!;
  assertSameInstitution(official.institution, card.institution);
  if (card.revokedAt) throw new ConflictError('The library card is already revoked');
  const [revoked] = await tx
    .update(libraryCards)
    .set({ revokedAt: new Date(), revokedBy: actor.userId })
    .where(eq(libraryCards.id, card.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'library_card.revoke',
    targetType: 'user',
    targetId: card.researcherId,
    payload: { cardId: card.id },
  });
  await notify(tx, [card.researcherId], {
    kind: 'library_card',
    title: 'Your library card was revoked',
    body: 'Your signing official revoked your library card: your next requests wait for their approval.',
    link: '/studies',
  });
  return revoked!;
}

/**
 * The researcher's card that holds now, or null: not revoked, not expired, issued by someone who
 * is still an active signing official of the researcher's current institution.
 */
export async function validLibraryCard(
  tx: Tx,
  researcherId: string,
  now = new Date(),
): Promise<LibraryCardRow | null> {
  const cards = await tx
    .select()
    .from(libraryCards)
    .where(
      and(
        eq(libraryCards.researcherId, researcherId),
        isNull(libraryCards.revokedAt),
        gt(libraryCards.expiresAt, now),
      ),
    )
    .orderBy(desc(libraryCards.expiresAt));
  const researcher = await accountOf(tx, researcherId);
  for (const card of cards) {
    const issuer = await accountOf(tx, card.issuedBy);
    if (
      issuer?.role === 'signing_official' &&
      !issuer.disabled &&
      sameInstitution(issuer.institution, researcher?.institution) &&
      sameInstitution(card.institution, researcher?.institution)
    )
      return card;
  }
  return null;
}

/** The cards of the official's institution, newest first (signing officials only). */
export async function cardsOfMyInstitution(tx: Tx, actor: Actor | null): Promise<LibraryCardRow[]> {
  assertSigningOfficial(actor);
  const official = (await accountOf(tx, actor.userId))!;
  const key = institutionKey(official.institution);
  if (!key) return [];
  return tx
    .select()
    .from(libraryCards)
    .where(institutionIs(libraryCards.institution, key))
    .orderBy(desc(libraryCards.issuedAt));
}

/** The active researchers of the official's institution (whom they may issue a card). */
export async function researchersOfMyInstitution(
  tx: Tx,
  actor: Actor | null,
): Promise<{ id: string; displayName: string; email: string }[]> {
  assertSigningOfficial(actor);
  const key = institutionKey((await accountOf(tx, actor.userId))?.institution);
  if (!key) return [];
  return tx
    .select({ id: users.id, displayName: users.displayName, email: users.email })
    .from(users)
    .where(
      and(
        eq(users.role, 'researcher'),
        isNull(users.disabledAt),
        institutionIs(users.institution, key),
      ),
    )
    .orderBy(asc(users.displayName));
}

/** The caller's own valid card, if they are a researcher holding one. */
export async function myLibraryCard(tx: Tx, actor: Actor | null): Promise<LibraryCardRow | null> {
  if (actor?.kind !== 'user' || actor.role !== 'researcher') return null;
  return validLibraryCard(tx, actor.userId);
}
