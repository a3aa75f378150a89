import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { assertCanCountersignCloseout, assertIsGrantee } from './grant-renewals.policy.js';
import { endGrant, grantState, visibleGrant, type GrantRow } from './grants.service.js';
import { grantCloseouts } from './grants.tables.js';

/** A closeout attestation row. */
export type CloseoutRow = typeof grantCloseouts.$inferSelect;

const AttestationSchema = z.strictObject({
  grantId: z.unknown(),
  destroyedOn: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }),
  statement: z
    .string()
    .trim()
    .min(20, { message: 'at least 20 characters: say how and where the data was destroyed' })
    .max(5_000, { message: 'at most 5000 characters' }),
  /** The investigator's explicit attestation; anything but `true` is refused. */
  attestDestroyed: z.literal(true, { message: 'you must attest that the data was destroyed' }),
});

/**
 * The principal investigator attests that every copy of the data received under the grant was
 * destroyed, on a day between the grant's issue and today, and how. An active grant ends
 * (closed out) with it; a grant that already expired or was revoked keeps its status and gains
 * the attestation. Once per grant. The signing official countersigns afterwards
 * (`countersignCloseout`).
 */
export async function closeOutGrant(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  now = new Date(),
): Promise<{ grant: GrantRow; closeout: CloseoutRow }> {
  const attestation = parseInput(AttestationSchema, input);
  let grant = await visibleGrant(tx, actor, attestation.grantId, true);
  assertIsGrantee(actor, grant);
  const destroyedOn = new Date(`${attestation.destroyedOn}T00:00:00Z`);
  const issuedOn = new Date(grant.issuedAt.toISOString().slice(0, 10) + 'T00:00:00Z');
  if (destroyedOn > now || destroyedOn < issuedOn)
    throw new ValidationError('The destruction date must lie between the grant’s issue and today', [
      { field: 'destroyedOn', message: 'between the grant’s issue and today' },
    ]);
  const [existing] = await tx
    .select({ grantId: grantCloseouts.grantId })
    .from(grantCloseouts)
    .where(eq(grantCloseouts.grantId, grant.id));
  if (existing) throw new ConflictError('The grant’s closeout was attested already');
  const [closeout] = await tx
    .insert(grantCloseouts)
    .values({
      grantId: grant.id,
      destroyedOn: attestation.destroyedOn,
      statement: attestation.statement,
      attestedBy: actor.userId,
      attestedAt: now,
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'grant.closeout.attest',
    targetType: 'grant',
    targetId: grant.id,
    payload: { destroyedOn: attestation.destroyedOn },
  });
  if (grantState(grant, now) === 'active')
    grant = await endGrant(tx, actor, grant, 'closed_out', 'data destroyed, attested by the PI');
  return { grant, closeout: closeout! };
}

/**
 * The signing official countersigns the investigator's closeout attestation (the hook for the
 * SO role: see `assertCanCountersignCloseout`). Once; only after the investigator attested.
 */
export async function countersignCloseout(
  tx: Tx,
  actor: Actor | null,
  grantIdInput: unknown,
  now = new Date(),
): Promise<CloseoutRow> {
  assertCanCountersignCloseout(actor);
  // The official is not a grant reader: the closeout is all they need (and the grant's id).
  const grantId = parseInput(idSchema, grantIdInput);
  const [closeout] = await tx
    .select()
    .from(grantCloseouts)
    .where(eq(grantCloseouts.grantId, grantId))
    .for('update');
  if (!closeout) throw new NotFoundError('Closeout');
  if (closeout.countersignedAt) throw new ConflictError('The closeout was countersigned already');
  const [signed] = await tx
    .update(grantCloseouts)
    .set({ countersignedBy: actor.userId, countersignedAt: now })
    .where(eq(grantCloseouts.grantId, grantId))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'grant.closeout.countersign',
    targetType: 'grant',
    targetId: grantId,
  });
  return signed!;
}

/** The closeout attestation of a grant the caller may see, if any. */
export async function closeoutOfGrant(
  tx: Tx,
  actor: Actor | null,
  grantIdInput: unknown,
): Promise<CloseoutRow | null> {
  const grant = await visibleGrant(tx, actor, grantIdInput);
  const [row] = await tx.select().from(grantCloseouts).where(eq(grantCloseouts.grantId, grant.id));
  return row ?? null;
}
