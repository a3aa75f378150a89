import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, max } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { AcceptAgreementSchema, PublishAgreementSchema } from './agreement-input.js';
import { dacById } from './dac-reads.js';
import { acceptanceCapacity, assertCanPublishAgreement } from './dacs.policy.js';
import { dataUseAgreementAcceptances, dataUseAgreements } from './data-use-agreements.tables.js';
import { dacs } from './dacs.tables.js';

/** One version of a committee's data use agreement. */
export type AgreementRow = typeof dataUseAgreements.$inferSelect;
/** One recorded acceptance. */
export type AcceptanceRow = typeof dataUseAgreementAcceptances.$inferSelect;

/**
 * An administrator or the committee's chair publishes a new version of its data use agreement;
 * it becomes the current one at once, so acceptances of earlier versions no longer let a request
 * through (see docs/access-workflow.md). Audited with the text's digest.
 */
export async function publishAgreement(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<AgreementRow> {
  const data = parseInput(PublishAgreementSchema, input);
  // Locked: two publications at once must not both become version n + 1.
  const dac = await dacById(tx, data.dacId, true);
  assertCanPublishAgreement(actor, dac);
  const [latest] = await tx
    .select({ version: max(dataUseAgreements.version) })
    .from(dataUseAgreements)
    .where(eq(dataUseAgreements.dacId, dac.id));
  const textSha256 = createHash('sha256').update(data.text, 'utf8').digest('hex');
  const [agreement] = await tx
    .insert(dataUseAgreements)
    .values({
      id: randomUUID(),
      dacId: dac.id,
      version: (latest?.version ?? 0) + 1,
      text: data.text,
      textSha256,
      publishedBy: actor.kind === 'user' ? actor.userId : null,
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'dua.publish',
    targetType: 'dac',
    targetId: dac.id,
    payload: { agreementId: agreement!.id, version: agreement!.version, sha256: textSha256 },
  });
  return agreement!;
}

/** The current (highest) version of each given committee's agreement; committees without none. */
export async function currentAgreements(
  tx: Tx,
  dacIds: readonly string[],
): Promise<AgreementRow[]> {
  if (dacIds.length === 0) return [];
  const rows = await tx
    .select()
    .from(dataUseAgreements)
    .where(inArray(dataUseAgreements.dacId, [...dacIds]))
    .orderBy(dataUseAgreements.dacId, desc(dataUseAgreements.version));
  const current = new Map<string, AgreementRow>();
  for (const r of rows) if (!current.has(r.dacId)) current.set(r.dacId, r);
  return [...current.values()];
}

/** One agreement version by id; unknown ids are not found. */
export async function agreementById(tx: Tx, id: string): Promise<AgreementRow> {
  const [agreement] = await tx.select().from(dataUseAgreements).where(eq(dataUseAgreements.id, id));
  if (!agreement) throw new NotFoundError('Data use agreement');
  return agreement;
}

/** Every version of one committee's agreement, newest first. */
export function agreementVersions(tx: Tx, dacId: string): Promise<AgreementRow[]> {
  return tx
    .select()
    .from(dataUseAgreements)
    .where(eq(dataUseAgreements.dacId, dacId))
    .orderBy(desc(dataUseAgreements.version));
}

/** The current agreements of every committee (what a signing official accepts for their cards). */
export async function allCurrentAgreements(tx: Tx): Promise<AgreementRow[]> {
  const ids = await tx.select({ id: dacs.id }).from(dacs);
  return currentAgreements(
    tx,
    ids.map((d) => d.id),
  );
}

/** Which of the given agreement versions `userId` has accepted (agreement id → acceptance). */
export async function acceptancesOf(
  tx: Tx,
  userId: string,
  agreementIds: readonly string[],
): Promise<Map<string, AcceptanceRow>> {
  if (agreementIds.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(dataUseAgreementAcceptances)
    .where(
      and(
        eq(dataUseAgreementAcceptances.userId, userId),
        inArray(dataUseAgreementAcceptances.agreementId, [...agreementIds]),
      ),
    );
  return new Map(rows.map((r) => [r.agreementId, r]));
}

/**
 * The current agreements of the given committees that `userId` has not accepted (empty: nothing
 * stands in the way). A committee that published none asks for none.
 */
export async function unacceptedAgreements(
  tx: Tx,
  userId: string,
  dacIds: readonly string[],
): Promise<AgreementRow[]> {
  const current = await currentAgreements(tx, dacIds);
  const accepted = await acceptancesOf(
    tx,
    userId,
    current.map((a) => a.id),
  );
  return current.filter((a) => !accepted.has(a.id));
}

/**
 * A researcher (as principal investigator) or a signing official accepts the current version of
 * a committee's agreement. An earlier version is refused: it no longer governs anything. Accepting
 * twice records nothing new. The acceptance's audit event carries the version and the text's
 * digest, and is anchored on chain with its audit batch (no names or text go on chain).
 */
export async function acceptAgreement(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<AcceptanceRow> {
  const capacity = acceptanceCapacity(actor);
  const data = parseInput(AcceptAgreementSchema, input);
  const userId = (actor as { userId: string }).userId;
  const agreement = await agreementById(tx, data.agreementId);
  const [current] = await currentAgreements(tx, [agreement.dacId]);
  if (current!.id !== agreement.id)
    throw new ConflictError(
      `Version ${agreement.version} of this agreement was replaced by version ${current!.version}: read and accept the current version`,
    );
  const [already] = (await acceptancesOf(tx, userId, [agreement.id])).values();
  if (already) return already;
  const [accepted] = await tx
    .insert(dataUseAgreementAcceptances)
    .values({ agreementId: agreement.id, userId, capacity })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'dua.accept',
    targetType: 'dac',
    targetId: agreement.dacId,
    payload: {
      agreementId: agreement.id,
      version: agreement.version,
      sha256: agreement.textSha256,
      capacity,
    },
  });
  return accepted!;
}
