import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { ResearchPurposeSchema } from '../consent/duo/research-purpose.schema.js';
import { activeDacMemberIds, dacById, dacsOfMember } from '../dacs/dac-reads.js';
import { addMonths } from '../grants/grant-terms.js';
import { datasetVisaValue } from '../grants/grant-visas.js';
import {
  assertCanDesignateNetworkCommittee,
  assertCanRequestRemoteAccess,
  assertCanReviewRemoteAccess,
} from './federation.policy.js';
import { memberIssuer } from './holder-client.js';
import { decisionColumns, parseAccessDecision } from './access-decision.js';
import type { MemberRegistry } from './member-registry.js';
import { networkRequestCommittee, remoteAccessRequests } from './remote-access.tables.js';

/** A request of one of our researchers for a dataset held at another member. */
export type RemoteAccessRequestRow = typeof remoteAccessRequests.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Designates the committee that decides this site's researchers' requests for datasets held at
 * other members (an admin; audited). No committee here governs another member's dataset, so one
 * is named for all of them; requests made before a change stay with the committee they went to.
 */
export async function setNetworkRequestCommittee(
  tx: Tx,
  actor: Actor | null,
  dacId: unknown,
): Promise<string> {
  assertCanDesignateNetworkCommittee(actor);
  const dac = await dacById(tx, dacId);
  const [before] = await tx.select().from(networkRequestCommittee);
  await tx
    .insert(networkRequestCommittee)
    .values({ dacId: dac.id, setBy: actor.userId, setAt: new Date() })
    .onConflictDoUpdate({
      target: networkRequestCommittee.site,
      set: { dacId: dac.id, setBy: actor.userId, setAt: new Date() },
    });
  await appendAuditEvent(tx, actor, {
    action: 'network_remote.committee.set',
    targetType: 'dac',
    targetId: dac.id,
    payload: { before: before?.dacId ?? null, after: dac.id },
  });
  return dac.id;
}

/** The committee designated for network requests, or null while none is. */
export async function networkRequestCommitteeId(tx: Tx): Promise<string | null> {
  const [row] = await tx.select().from(networkRequestCommittee);
  return row?.dacId ?? null;
}

/** The holding member a dataset URL points at, and the dataset's id there. */
export interface RemoteDataset {
  member: string;
  datasetUrl: string;
  remoteDatasetId: string;
}

/**
 * Which active member of the network holds the dataset at `datasetUrl`
 * (`<its PUBLIC_URL>/datasets/<id>`, the value a ControlledAccessGrants visa names): the member
 * whose registered Passport key set is published under that URL's issuer. This site itself, a
 * removed member, and URLs of no member are refused by name.
 */
export async function resolveRemoteDataset(
  registry: MemberRegistry,
  datasetUrl: string,
): Promise<RemoteDataset> {
  const self = await registry.self();
  if (!self) throw new ConflictError('This institution is not a member of the network');
  const members = await registry.allMembers();
  for (const member of members) {
    const issuer = memberIssuer(member);
    if (!issuer) continue;
    const prefix = datasetVisaValue(issuer, '');
    if (!datasetUrl.startsWith(prefix)) continue;
    const id = datasetUrl.slice(prefix.length);
    if (!UUID.test(id))
      throw new ConflictError(`${datasetUrl} is not a dataset URL (${prefix}<dataset id>)`);
    if (member.removed) throw new ConflictError(`${member.name} is no longer a network member`);
    if (member.writer === self.writer)
      throw new ConflictError('That dataset is held here: ask for it as a study');
    const remoteDatasetId = id.toLowerCase();
    return { member: member.id, datasetUrl: prefix + remoteDatasetId, remoteDatasetId };
  }
  throw new ConflictError(`${datasetUrl} is not a dataset of any member of the network`);
}

const RequestInput = z.strictObject({
  datasetUrl: z.string().trim().url().max(500),
  purpose: ResearchPurposeSchema,
});

/**
 * A researcher here asks to use a dataset held at another member, for a purpose (the shape of a
 * study's). It goes to the committee designated for network requests; nothing is sent to the
 * holder before that committee approves. Bad input, an unknown dataset URL or no designated
 * committee write nothing. Audited.
 */
export async function requestRemoteAccess(
  tx: Tx,
  registry: MemberRegistry,
  actor: Actor | null,
  input: unknown,
): Promise<RemoteAccessRequestRow> {
  assertCanRequestRemoteAccess(actor);
  const data = parseInput(RequestInput, input);
  const remote = await resolveRemoteDataset(registry, data.datasetUrl);
  const dacId = await networkRequestCommitteeId(tx);
  if (!dacId)
    throw new ConflictError(
      'No committee decides requests for datasets at other institutions yet: ask an admin to designate one',
    );
  const [row] = await tx
    .insert(remoteAccessRequests)
    .values({
      id: randomUUID(),
      researcherId: actor.userId,
      ...remote,
      purpose: data.purpose,
      dacId,
    })
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'network_remote.request',
    targetType: 'remote_access_request',
    targetId: row!.id,
    payload: { member: remote.member, dataset: remote.remoteDatasetId, dac: dacId },
  });
  return row!;
}

/**
 * A member of the committee the request went to approves or refuses it (a refusal needs a
 * note), audited. Approval is this site's grant for the remote dataset, running as long as a
 * local grant does (`grantDefaultMonths`); the caller then carries it to the holder
 * (remote-access-carrier.ts). A refusal sends nothing anywhere. Only a pending request is
 * decided; an admin alone or a member of another committee cannot.
 */
export async function decideRemoteAccess(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
  settings: { grantDefaultMonths: number; now?: Date },
): Promise<RemoteAccessRequestRow> {
  assertCanReviewRemoteAccess(actor);
  const data = parseAccessDecision(input);
  const [row] = await tx
    .select()
    .from(remoteAccessRequests)
    .where(eq(remoteAccessRequests.id, data.id))
    .for('update');
  if (!row) throw new NotFoundError('Remote access request');
  if (!(await activeDacMemberIds(tx, row.dacId)).includes(actor.userId))
    throw new ForbiddenError('Only a member of the committee the request went to can decide');
  if (row.status !== 'pending') throw new ConflictError(`The request is already ${row.status}`);
  const now = settings.now ?? new Date();
  const [updated] = await tx
    .update(remoteAccessRequests)
    .set({
      ...decisionColumns(data, actor.userId, now),
      expiresAt: data.approve ? addMonths(now, settings.grantDefaultMonths) : null,
    })
    .where(eq(remoteAccessRequests.id, row.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'network_remote.decide',
    targetType: 'remote_access_request',
    targetId: row.id,
    payload: { member: row.member, dataset: row.remoteDatasetId, approve: data.approve },
  });
  return updated!;
}

/** The researcher's own requests for datasets held elsewhere, newest first. */
export async function myRemoteAccessRequests(
  tx: Tx,
  actor: Actor | null,
): Promise<RemoteAccessRequestRow[]> {
  assertCanRequestRemoteAccess(actor);
  return tx
    .select()
    .from(remoteAccessRequests)
    .where(eq(remoteAccessRequests.researcherId, actor.userId))
    .orderBy(desc(remoteAccessRequests.createdAt));
}

/**
 * Requests for datasets held elsewhere, for review, newest first: an admin sees them all, a
 * board member those that went to a committee they sit on.
 */
export async function remoteAccessRequestsToReview(
  tx: Tx,
  actor: Actor | null,
): Promise<RemoteAccessRequestRow[]> {
  assertCanReviewRemoteAccess(actor);
  const newestFirst = desc(remoteAccessRequests.createdAt);
  if (actor.role === 'admin') return tx.select().from(remoteAccessRequests).orderBy(newestFirst);
  const committees = await dacsOfMember(tx, actor.userId);
  if (committees.length === 0) return [];
  return tx
    .select()
    .from(remoteAccessRequests)
    .where(inArray(remoteAccessRequests.dacId, committees))
    .orderBy(newestFirst);
}

/** One of the researcher's own requests, locked when asked; another's is not found. */
export async function ownRemoteRequest(
  tx: Tx,
  actor: Actor | null,
  id: unknown,
  lock = false,
): Promise<RemoteAccessRequestRow> {
  assertCanRequestRemoteAccess(actor);
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError('Remote access request');
  const query = tx
    .select()
    .from(remoteAccessRequests)
    .where(
      and(
        eq(remoteAccessRequests.id, parsed.data),
        eq(remoteAccessRequests.researcherId, actor.userId),
      ),
    );
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new NotFoundError('Remote access request');
  return row;
}
