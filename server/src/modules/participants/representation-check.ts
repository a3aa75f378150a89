import { and, desc, eq, gt, isNull, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { participantRepresentatives } from './participants.tables.js';

/** Today as an ISO date (UTC), the unit representation ends in. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Rows of representations of the participant by `userId`, narrowed by `more`. */
function representationsBy(userId: string, participantId: string, ...more: SQL[]) {
  return and(
    eq(participantRepresentatives.representativeUserId, userId),
    eq(participantRepresentatives.participantId, participantId),
    ...more,
  );
}

/**
 * The representation that lets `userId` act for the participant today, or none. Checked at every
 * use, so acting after the end is refused even before the worker round has marked it ended.
 */
export async function activeRepresentation(
  db: Queryable,
  userId: string,
  participantId: string,
  now: Date = new Date(),
) {
  const [row] = await db
    .select()
    .from(participantRepresentatives)
    .where(
      representationsBy(
        userId,
        participantId,
        isNull(participantRepresentatives.endedAt),
        gt(participantRepresentatives.endsOn, todayIso(now)),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The latest representation of the participant by `userId`, active or not. */
export async function representationOf(db: Queryable, userId: string, participantId: string) {
  const [row] = await db
    .select()
    .from(participantRepresentatives)
    .where(representationsBy(userId, participantId))
    .orderBy(desc(participantRepresentatives.endsOn))
    .limit(1);
  return row ?? null;
}
