import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/database.js';
import { ConflictError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { users } from '../accounts/accounts.tables.js';
import { systemActor, type UserActor } from '../actors/actor.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { notify } from '../notifications/notify.js';
import { participantRepresentatives, participants } from './participants.tables.js';
import { todayIso } from './representation-check.js';

/** The age of majority the date of birth is counted to. */
export const AGE_OF_MAJORITY = 18;

/** The relationships a legally authorised representative may have. */
export const RELATIONSHIPS = ['parent', 'guardian', 'other_legal'] as const;

const LinkInput = z
  .strictObject({
    representativeEmail: z.email({ message: 'must be an e-mail address' }).max(254),
    relationship: z.enum(RELATIONSHIPS, { message: 'must be parent, guardian or other_legal' }),
    /** The participant's date of birth: the representation ends at the age of majority. */
    dateOfBirth: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }).nullish(),
    /** Or a fixed end date (the first day the representative may no longer act). */
    endsOn: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }).nullish(),
  })
  .refine((d) => Boolean(d.dateOfBirth) !== Boolean(d.endsOn), {
    message: 'give either the date of birth or an end date',
    path: ['endsOn'],
  });

/** The day someone born on `dateOfBirth` reaches the age of majority (29 Feb → 1 Mar). */
export function majorityDate(dateOfBirth: string): string {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y + AGE_OF_MAJORITY, m - 1, d));
  return day.toISOString().slice(0, 10);
}

/**
 * Links a representative account (a participant-portal user) to a participant, until the
 * participant's majority or a set date. The caller (the coordinator use case) has checked the
 * participant is of the coordinator's site. Audited on the participant's trail.
 */
export async function linkRepresentativeRecord(
  tx: Tx,
  coordinator: UserActor,
  participantId: string,
  input: unknown,
): Promise<typeof participantRepresentatives.$inferSelect> {
  const data = parseInput(LinkInput, input);
  const endsOn = data.dateOfBirth ? majorityDate(data.dateOfBirth) : data.endsOn!;
  if (endsOn <= todayIso())
    throw new ValidationError(
      data.dateOfBirth
        ? 'The participant is of age: they decide for themself'
        : 'The end date must be in the future',
      [{ field: data.dateOfBirth ? 'dateOfBirth' : 'endsOn', message: 'not in the future' }],
    );
  const [rep] = await tx
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(and(eq(users.email, data.representativeEmail.toLowerCase()), isNull(users.disabledAt)));
  if (!rep || rep.role !== 'participant')
    throw new ValidationError('No participant-portal account has this e-mail address', [
      { field: 'representativeEmail', message: 'no such participant-portal account' },
    ]);
  const [self] = await tx
    .select({ id: participants.id })
    .from(participants)
    .where(and(eq(participants.id, participantId), eq(participants.userId, rep.id)));
  if (self)
    throw new ValidationError('A participant cannot be their own representative', [
      { field: 'representativeEmail', message: 'the participant’s own account' },
    ]);
  const [existing] = await tx
    .select({ id: participantRepresentatives.id })
    .from(participantRepresentatives)
    .where(
      and(
        eq(participantRepresentatives.participantId, participantId),
        eq(participantRepresentatives.representativeUserId, rep.id),
        isNull(participantRepresentatives.endedAt),
      ),
    );
  if (existing) throw new ConflictError('This representative is already linked');
  const [row] = await tx
    .insert(participantRepresentatives)
    .values({
      id: randomUUID(),
      participantId,
      representativeUserId: rep.id,
      relationship: data.relationship,
      endsOn,
      endReason: data.dateOfBirth ? 'majority' : 'date',
      linkedBy: coordinator.userId,
    })
    .returning();
  await appendParticipantEvent(tx, coordinator, 'representative.link', participantId, {
    representationId: row!.id,
    representativeUserId: rep.id,
    relationship: data.relationship,
    endsOn,
    endReason: row!.endReason,
  });
  return row!;
}

/** The representations of a participant, newest first. */
export async function representationsOfParticipant(tx: Tx, participantId: string) {
  return tx
    .select({
      id: participantRepresentatives.id,
      relationship: participantRepresentatives.relationship,
      endsOn: participantRepresentatives.endsOn,
      endReason: participantRepresentatives.endReason,
      endedAt: participantRepresentatives.endedAt,
      confirmedAt: participantRepresentatives.confirmedAt,
      representativeName: users.displayName,
    })
    .from(participantRepresentatives)
    .innerJoin(users, eq(users.id, participantRepresentatives.representativeUserId))
    .where(eq(participantRepresentatives.participantId, participantId))
    .orderBy(participantRepresentatives.createdAt);
}

/**
 * The worker's round: representations whose end has come are marked ended, and each
 * participant with an account is asked to confirm or change what was decided for them.
 * Claims rows with SKIP LOCKED so several instances may run it. Answers how many ended.
 */
export async function endLapsedRepresentations(db: Database, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ rep: participantRepresentatives, userId: participants.userId })
      .from(participantRepresentatives)
      .innerJoin(participants, eq(participants.id, participantRepresentatives.participantId))
      .where(
        and(
          isNull(participantRepresentatives.endedAt),
          lte(participantRepresentatives.endsOn, todayIso(now)),
        ),
      )
      .for('update', { of: participantRepresentatives, skipLocked: true });
    for (const { rep, userId } of due) {
      await tx
        .update(participantRepresentatives)
        .set({ endedAt: now })
        .where(eq(participantRepresentatives.id, rep.id));
      await appendParticipantEvent(
        tx,
        systemActor('representation-end'),
        'representative.end',
        rep.participantId,
        { representationId: rep.id, endReason: rep.endReason, endsOn: rep.endsOn },
      );
      if (userId)
        await notify(tx, [userId], {
          kind: 'representation_ended',
          title: {
            en: 'Please confirm the decisions made for you',
            es: 'Confirme, por favor, las decisiones que se tomaron por usted',
          },
          body:
            rep.endReason === 'majority'
              ? {
                  en: 'You have come of age: your representative can no longer decide for you. Please confirm or change the consent decisions they made for you.',
                  es: 'Ya es mayor de edad: su representante ya no puede decidir por usted. Confirme o cambie, por favor, las decisiones de consentimiento que tomó por usted.',
                }
              : {
                  en: 'Your representative can no longer decide for you. Please confirm or change the consent decisions they made for you.',
                  es: 'Su representante ya no puede decidir por usted. Confirme o cambie, por favor, las decisiones de consentimiento que tomó por usted.',
                },
          link: '/consent',
        });
    }
    return due.length;
  });
}

/** The ended representations of a participant that still await their confirmation. */
export async function unconfirmedEndedRepresentations(tx: Tx, participantId: string) {
  return tx
    .select({
      id: participantRepresentatives.id,
      relationship: participantRepresentatives.relationship,
      endsOn: participantRepresentatives.endsOn,
      representativeName: users.displayName,
    })
    .from(participantRepresentatives)
    .innerJoin(users, eq(users.id, participantRepresentatives.representativeUserId))
    .where(
      and(
        eq(participantRepresentatives.participantId, participantId),
        isNotNull(participantRepresentatives.endedAt),
        isNull(participantRepresentatives.confirmedAt),
      ),
    );
}

/** Marks the ended representations of the participant confirmed; answers how many. */
export async function markRepresentationsConfirmed(
  tx: Tx,
  participantId: string,
  now = new Date(),
): Promise<string[]> {
  const rows = await tx
    .update(participantRepresentatives)
    .set({ confirmedAt: now })
    .where(
      and(
        eq(participantRepresentatives.participantId, participantId),
        isNotNull(participantRepresentatives.endedAt),
        isNull(participantRepresentatives.confirmedAt),
      ),
    )
    .returning({ id: participantRepresentatives.id });
  return rows.map((r) => r.id);
}

/**
 * The participants a user represents today, for the portal's "acting for" switch: the
 * participant's id, their account's name when they have one, their enrolment id otherwise.
 */
export async function representedBy(tx: Tx, userId: string) {
  const rows = await tx
    .select({
      participantId: participants.id,
      pseudonym: participants.pseudonym,
      relationship: participantRepresentatives.relationship,
      endsOn: participantRepresentatives.endsOn,
      name: users.displayName,
    })
    .from(participantRepresentatives)
    .innerJoin(participants, eq(participants.id, participantRepresentatives.participantId))
    .leftJoin(users, eq(users.id, participants.userId))
    .where(
      and(
        eq(participantRepresentatives.representativeUserId, userId),
        isNull(participantRepresentatives.endedAt),
      ),
    );
  const today = todayIso();
  return rows.filter((r) => r.endsOn > today).map((r) => ({ ...r, name: r.name ?? r.pseudonym }));
}

/**
 * Erasure: the participant's representations go, and so do those the erased account held for
 * others (their links to that account can no longer act).
 */
export async function eraseRepresentationsOf(
  tx: Tx,
  participantId: string,
  userId: string | null,
): Promise<void> {
  await tx
    .delete(participantRepresentatives)
    .where(
      or(
        eq(participantRepresentatives.participantId, participantId),
        userId ? eq(participantRepresentatives.representativeUserId, userId) : undefined,
      ),
    );
}
