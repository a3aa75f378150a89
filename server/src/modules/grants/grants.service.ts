import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, lte, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { insertChunked } from '../../db/insert-chunked.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import { systemActor, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';
import { merkleRoot } from '../chain/merkle.js';
import { enqueueGrantRecord } from '../chain/outbox.service.js';
import { chainSubject } from '../chain/subject-pseudonym.js';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import { notify } from '../notifications/notify.js';
import { transition } from '../studies/study-lifecycle.js';
import { studies } from '../studies/studies.tables.js';
import type { StudyRow } from '../studies/study-access.js';
import type { MemberConsent } from '../studies/study-cohort.js';
import { claimActiveGrants } from './active-grants.js';
import { addMonths, grantConditions, grantedDatasets, RENEWAL_MONTHS } from './grant-terms.js';
import { assertCanRevokeGrant, canSeeGrant, grantListScope } from './grants.policy.js';
import { dataExports, exportMembers, grantMembers, grants } from './grants.tables.js';

/** A grant row. */
export type GrantRow = typeof grants.$inferSelect;

/** Days before expiry when the grantee is told. */
export const EXPIRY_NOTICE_DAYS = 30;

/**
 * Issues the grant of an approved study, in the approval's transaction: the granted datasets
 * (those the DUO match did not deny, of the committees that approved),
 * conditions, expiry (the shortest TS limit, else the default), and the Merkle root of the
 * pseudonymous subjects of the members whose consent permits now, enqueued for the chain.
 */
export async function issueGrant(
  tx: Tx,
  actor: Actor,
  input: {
    study: StudyRow;
    members: readonly MemberConsent[];
    boardConditions: readonly string[];
    defaultMonths: number;
    /** The datasets whose committee approved; the grant never reaches beyond them. */
    approvedDatasetIds: readonly string[];
  },
): Promise<GrantRow> {
  const { study } = input;
  const match = study.match as CombinedMatchResult;
  const datasetIds = grantedDatasets(match).filter((d) => input.approvedDatasetIds.includes(d));
  const issuedAt = new Date();
  const expiresAt = addMonths(issuedAt, match.grantExpiryMonths ?? input.defaultMonths);
  const permitted = input.members.filter((m) => m.consent === 'permit');
  const subjects: string[] = [];
  for (const m of permitted) subjects.push(await chainSubject(tx, m.participantId));
  // RFC 6962 defines the hash of an empty tree as SHA-256 of nothing: a grant may be issued
  // before anyone has said yes (they can still answer, and exports follow the live consent).
  const cohortRoot = subjects.length
    ? merkleRoot(subjects.sort())
    : createHash('sha256').digest('hex');
  const id = randomUUID();
  const [grant] = await tx
    .insert(grants)
    .values({
      id,
      studyId: study.id,
      researcherId: study.ownerId,
      datasetIds,
      conditions: grantConditions(match, datasetIds, input.boardConditions),
      status: 'active',
      cohortRoot,
      memberCount: permitted.length,
      issuedAt,
      expiresAt,
      renewalDueAt: addMonths(issuedAt, RENEWAL_MONTHS),
    })
    .returning();
  if (permitted.length)
    await insertChunked(
      tx,
      grantMembers,
      permitted.map((m) => ({ grantId: id, participantId: m.participantId })),
    );
  await enqueueGrantRecord(tx, {
    event_id: `grant:${id}`,
    grant_id: id,
    study_id: study.id,
    cohort_root: cohortRoot,
    expiry: String(Math.floor(expiresAt.getTime() / 1000)),
  });
  await appendAuditEvent(tx, actor, {
    action: 'grant.issue',
    targetType: 'grant',
    targetId: id,
    payload: {
      study: study.id,
      datasets: datasetIds,
      members: permitted.length,
      cohortRoot,
      expiresAt: expiresAt.toISOString(),
    },
  });
  await notify(tx, [study.ownerId], {
    kind: 'grant_issued',
    title: 'Access granted',
    body: `“${study.title}” was approved. Your grant runs until ${expiresAt.toISOString().slice(0, 10)}.`,
    link: `/grants/${id}`,
  });
  return grant!;
}

function grantId(id: unknown): string {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError('Grant');
  return parsed.data;
}

/** One grant the caller may see, optionally locked. */
export async function visibleGrant(
  tx: Tx,
  actor: Actor | null,
  id: unknown,
  lock = false,
): Promise<GrantRow> {
  const query = tx
    .select()
    .from(grants)
    .where(eq(grants.id, grantId(id)));
  const [grant] = lock ? await query.for('update') : await query;
  if (!grant || !canSeeGrant(actor, grant)) throw new NotFoundError('Grant');
  return grant;
}

/** The grant's state as of `now`: an active grant past its expiry is expired. */
export function grantState(grant: GrantRow, now = new Date()): GrantRow['status'] {
  return grant.status === 'active' && grant.expiresAt <= now ? 'expired' : grant.status;
}

/** Grants the caller may see, newest first. */
export async function listGrants(tx: Tx, actor: Actor | null): Promise<GrantRow[]> {
  const scope = grantListScope(actor);
  if (scope === 'all') return tx.select().from(grants).orderBy(desc(grants.issuedAt));
  return tx
    .select()
    .from(grants)
    .where(eq(grants.researcherId, scope.researcherId))
    .orderBy(desc(grants.issuedAt));
}

/** The grant of a study, if any. */
export async function grantOfStudy(tx: Tx, studyId: string): Promise<GrantRow | null> {
  const [grant] = await tx.select().from(grants).where(eq(grants.studyId, studyId));
  return grant ?? null;
}

/** The audit action of each way a grant ends. */
const END_ACTIONS = {
  revoked: 'grant.revoke',
  closed_out: 'grant.close_out',
  expired: 'grant.expire',
} as const;

/** Ends a grant (revocation, closeout, expiry): status, study, audit, the grantee told. */
export async function endGrant(
  tx: Tx,
  actor: Actor,
  grant: GrantRow,
  status: 'revoked' | 'closed_out' | 'expired',
  reason: string,
): Promise<GrantRow> {
  const now = new Date();
  const [ended] = await tx
    .update(grants)
    .set({ status, endedAt: now, endReason: reason })
    .where(eq(grants.id, grant.id))
    .returning();
  const study = await transition(tx, actor, grant.studyId, status);
  await appendAuditEvent(tx, actor, {
    action: END_ACTIONS[status],
    targetType: 'grant',
    targetId: grant.id,
    payload: { study: grant.studyId },
  });
  await notify(tx, [grant.researcherId], {
    kind: 'grant_ended',
    title: `Grant ${status.replace('_', ' ')}`,
    body: `Your grant for “${study.title}” is ${status.replace('_', ' ')}; no further exports.`,
    link: `/grants/${grant.id}`,
  });
  return ended!;
}

/** A board member or admin revokes an active grant, with a reason. */
export async function revokeGrant(
  tx: Tx,
  actor: Actor | null,
  input: { grantId: unknown; reason: string },
): Promise<GrantRow> {
  assertCanRevokeGrant(actor);
  const reason = input.reason.trim();
  if (reason.length < 10)
    throw new ValidationError('A revocation needs a reason', [
      { field: 'reason', message: 'at least 10 characters' },
    ]);
  const grant = await visibleGrant(tx, actor, input.grantId, true);
  if (grantState(grant) !== 'active') throw new ConflictError(`The grant is ${grantState(grant)}`);
  return endGrant(tx, actor, grant, 'revoked', reason);
}

/**
 * Expires grants past their expiry and tells grantees 30 days ahead, once. Idempotent; run
 * periodically by the workflow worker and callable with any `now` (tests).
 */
export async function sweepGrants(
  db: Database,
  now = new Date(),
): Promise<{ expired: number; noticed: number }> {
  const actor = systemActor('grant-sweeper');
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(grants)
      .where(and(eq(grants.status, 'active'), lte(grants.expiresAt, now)))
      .for('update', { skipLocked: true });
    for (const g of due) await endGrant(tx, actor, g, 'expired', 'reached its expiry');
    const soon = new Date(now.getTime() + EXPIRY_NOTICE_DAYS * 86_400_000);
    const expiring = await claimActiveGrants(
      tx,
      lte(grants.expiresAt, soon),
      isNull(grants.expiryNoticeAt),
    );
    for (const { grant, title } of expiring) {
      await tx.update(grants).set({ expiryNoticeAt: now }).where(eq(grants.id, grant.id));
      await notify(tx, [grant.researcherId], {
        kind: 'grant_expiring',
        title: 'Grant expiring soon',
        body: `Your grant for “${title}” expires on ${grant.expiresAt.toISOString().slice(0, 10)}.`,
        link: `/grants/${grant.id}`,
      });
    }
    return { expired: due.length, noticed: expiring.length };
  });
}

/** The active grants whose cohort or exports include a participant, with their study's title. */
async function activeGrantsHolding(
  tx: Tx,
  participantId: string,
  studyId?: string,
): Promise<{ grant: typeof grants.$inferSelect; title: string }[]> {
  const activeFor = (extra: SQL | undefined) =>
    and(eq(grants.status, 'active'), ...(studyId ? [eq(grants.studyId, studyId)] : []), extra);
  // In the cohort the grant was issued for, or in an export made under it (someone who said yes
  // after the approval).
  const members = await tx
    .select({ grant: grants, title: studies.title })
    .from(grantMembers)
    .innerJoin(grants, eq(grants.id, grantMembers.grantId))
    .innerJoin(studies, eq(studies.id, grants.studyId))
    .where(activeFor(eq(grantMembers.participantId, participantId)));
  const exported = await tx
    .selectDistinct({ grant: grants, title: studies.title })
    .from(exportMembers)
    .innerJoin(dataExports, eq(dataExports.id, exportMembers.exportId))
    .innerJoin(grants, eq(grants.id, dataExports.grantId))
    .innerJoin(studies, eq(studies.id, grants.studyId))
    .where(activeFor(eq(exportMembers.participantId, participantId)));
  return [...new Map([...members, ...exported].map((r) => [r.grant.id, r])).values()];
}

/**
 * Erasure: every active grant that holds the participant's data is told to delete it from what
 * it downloaded and to confirm (`confirmDataDeletion`); each request is audited on the
 * participant's trail. Answers the grants asked.
 */
export async function askGranteesToDelete(
  tx: Tx,
  actor: Actor | null,
  participantId: string,
): Promise<{ grantId: string; studyTitle: string }[]> {
  const rows = await activeGrantsHolding(tx, participantId);
  for (const { grant, title } of rows) {
    await notify(tx, [grant.researcherId], {
      kind: 'deletion_requested',
      title: 'Delete a participant’s data and confirm',
      body: `A participant of “${title}” had their data erased. Delete their data from every copy of earlier downloads, then confirm on the grant’s page.`,
      link: `/grants/${grant.id}`,
    });
    await appendAuditEvent(tx, actor, {
      action: 'grant.deletion.request',
      targetType: 'grant',
      targetId: grant.id,
      participantId,
    });
  }
  return rows.map((r) => ({ grantId: r.grant.id, studyTitle: r.title }));
}

/**
 * The grant's researcher confirms they deleted the data of erased participants from earlier
 * downloads. Refused unless the grant is theirs and an erasure asked it to delete something.
 */
export async function confirmDataDeletion(
  tx: Tx,
  actor: Actor | null,
  grantId: unknown,
): Promise<{ grantId: string; confirmedAt: Date }> {
  const id = parseInput(idSchema, grantId);
  const [grant] = await tx.select().from(grants).where(eq(grants.id, id));
  if (!grant || actor?.kind !== 'user' || grant.researcherId !== actor.userId)
    throw new NotFoundError('Grant');
  const [asked] = await tx
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'grant.deletion.request'), eq(auditEvents.targetId, id)))
    .limit(1);
  if (!asked) throw new ConflictError('Nobody asked this grant to delete data');
  await appendAuditEvent(tx, actor, {
    action: 'grant.deletion.confirm',
    targetType: 'grant',
    targetId: id,
  });
  return { grantId: id, confirmedAt: new Date() };
}

/**
 * A participant left a study's cohort (withdrew, or said no to the study): the researchers of
 * active grants that included them are told, without saying who.
 */
export async function tellGranteesParticipantLeft(
  tx: Tx,
  participantId: string,
  studyId?: string,
): Promise<number> {
  const rows = await activeGrantsHolding(tx, participantId, studyId);
  for (const { grant, title } of rows)
    await notify(tx, [grant.researcherId], {
      kind: 'participant_withdrew',
      title: 'A participant withdrew from your cohort',
      body: `A participant of “${title}” withdrew consent. Earlier exports that include them can no longer be downloaded: create a new export, which leaves them out. Do not use their data from earlier downloads beyond what the consent allowed.`,
      link: `/grants/${grant.id}`,
    });
  return rows.length;
}

/** Titles of studies whose exports included the participant (for an honest withdrawal). */
export async function studiesThatReceivedData(tx: Tx, participantId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ title: studies.title })
    .from(exportMembers)
    .innerJoin(dataExports, eq(dataExports.id, exportMembers.exportId))
    .innerJoin(grants, eq(grants.id, dataExports.grantId))
    .innerJoin(studies, eq(studies.id, grants.studyId))
    .where(eq(exportMembers.participantId, participantId));
  return rows.map((r) => r.title).sort();
}
