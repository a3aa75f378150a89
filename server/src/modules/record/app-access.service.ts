import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { participants } from '../participants/participants.tables.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { recordAppTokens } from './app-access.tables.js';

/** The one scope an app may hold: read the participant's own record. */
export const APP_SCOPE = 'patient/*.read';
/** Every app token starts so, so the FHIR door tells it from a session token at once. */
export const APP_TOKEN_PREFIX = 'cat_';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

const authoriseSchema = z.object({
  appName: z
    .string()
    .trim()
    .min(1, { message: 'is required' })
    .max(100, { message: 'is longer than 100 characters' }),
  days: z
    .number()
    .int({ message: 'must be a whole number of days' })
    .min(1, { message: 'must be at least 1 day' })
    .max(365, { message: 'must be at most 365 days' }),
});

/** An app's authorisation as its participant sees it (never the token). */
export type AppAuthorisation = Omit<typeof recordAppTokens.$inferSelect, 'tokenSha256'>;

/**
 * The signed-in participant authorises an app to read their own record for `days` days (1–365):
 * answers the token once (only its digest is stored). Audited `record.app.authorise`.
 */
export async function authoriseApp(
  tx: Tx,
  actor: Actor | null,
  input: { appName: string; days: number },
): Promise<AppAuthorisation & { token: string }> {
  const { appName, days } = parseInput(authoriseSchema, input);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const token = `${APP_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [row] = await tx
    .insert(recordAppTokens)
    .values({
      id: randomUUID(),
      participantId: participant.id,
      appName,
      scope: APP_SCOPE,
      tokenSha256: digest(token),
      expiresAt: new Date(Date.now() + days * 86_400_000),
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'record.app.authorise',
    targetType: 'record_app_token',
    targetId: row!.id,
    participantId: participant.id,
    payload: { scope: APP_SCOPE, days },
  });
  const { tokenSha256: _digest, ...view } = row!;
  return { ...view, token };
}

/** The participant revokes an app at once; another's answers not found. Audited. */
export async function revokeApp(
  tx: Tx,
  actor: Actor | null,
  appId: string,
): Promise<AppAuthorisation> {
  const id = parseInput(idSchema, appId);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const [row] = await tx
    .select()
    .from(recordAppTokens)
    .where(and(eq(recordAppTokens.id, id), eq(recordAppTokens.participantId, participant.id)));
  if (!row) throw new NotFoundError('App');
  if (row.revokedAt) throw new ConflictError('This app was already revoked');
  const [done] = await tx
    .update(recordAppTokens)
    .set({ revokedAt: new Date() })
    .where(eq(recordAppTokens.id, id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'record.app.revoke',
    targetType: 'record_app_token',
    targetId: id,
    participantId: participant.id,
  });
  const { tokenSha256: _digest, ...view } = done!;
  return view;
}

/** The apps the signed-in participant authorised, newest first. */
export async function myApps(tx: Tx, actor: Actor | null): Promise<AppAuthorisation[]> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const rows = await tx
    .select()
    .from(recordAppTokens)
    .where(eq(recordAppTokens.participantId, participant.id))
    .orderBy(desc(recordAppTokens.createdAt));
  return rows.map(({ tokenSha256: _digest, ...view }) => view);
}

/** What an app token may do now: read the record of this participant (account `userId`). */
export interface AppGrant {
  tokenId: string;
  appName: string;
  participantId: string;
  userId: string;
}

/**
 * The grant behind an app token, or null when it is unknown, revoked, expired, or its
 * participant has no account any more (erased). Reads only.
 */
export async function resolveAppToken(tx: Tx, token: string): Promise<AppGrant | null> {
  if (!token.startsWith(APP_TOKEN_PREFIX)) return null;
  const [row] = await tx
    .select({ app: recordAppTokens, userId: participants.userId })
    .from(recordAppTokens)
    .innerJoin(participants, eq(participants.id, recordAppTokens.participantId))
    .where(eq(recordAppTokens.tokenSha256, digest(token)));
  if (!row || row.app.revokedAt || row.app.expiresAt <= new Date() || !row.userId) return null;
  return {
    tokenId: row.app.id,
    appName: row.app.appName,
    participantId: row.app.participantId,
    userId: row.userId,
  };
}
