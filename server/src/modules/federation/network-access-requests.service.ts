import { randomUUID } from 'node:crypto';
import { desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/database.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { CohortCounter } from '../cohorts/cohort-counter.js';
import { matchAcrossDatasets } from '../consent/duo/match-across-datasets.js';
import { ResearchPurposeSchema } from '../consent/duo/research-purpose.schema.js';
import {
  activeDacMemberIds,
  dacDatasetIds,
  dacsOfMember,
  governingDacs,
} from '../dacs/dac-reads.js';
import { dataUseOfRow } from '../datasets/data-use-changes.service.js';
import { datasets } from '../datasets/datasets.tables.js';
import { assertCanDecideNetworkAccess } from './federation.policy.js';
import { networkAccessRequests } from './federation.tables.js';
import { foreignGrant, type ForeignGrant, type NetworkAccessRequestRow } from './foreign-grant.js';
import { verifyForeignVisa, type ForeignVisa } from './foreign-visa.js';
import { decisionColumns, parseAccessDecision } from './access-decision.js';
import type { MemberRegistry } from './member-registry.js';

/** What the network doors for other members' researchers need. */
export interface NetworkDoorDeps {
  db: Database;
  registry: MemberRegistry;
  counter: CohortCounter;
  /** This server's Passport issuer (`PUBLIC_URL`): our dataset URLs start with it. */
  issuer: string;
}

/** A foreign grant visa that verified and names a dataset of ours that accepts such visas. */
export interface HeldGrant {
  foreign: ForeignVisa;
  grant: ForeignGrant;
}

/**
 * The dataset a bearer ControlledAccessGrants visa from another member opens here, or why
 * not: the same registry checks as the Beacon (member active, `kid` registered on chain, key
 * published at the registered JWKS URL, `iss` that URL's origin, `aud` our Beacon, unexpired and
 * short-lived) and the dataset's network access setting (not `none`).
 */
export async function heldGrant(
  deps: Pick<NetworkDoorDeps, 'db' | 'registry' | 'issuer'>,
  token: string | null,
): Promise<HeldGrant | { refused: string }> {
  if (!token) return { refused: 'no visa: send a ControlledAccessGrants visa as the bearer token' };
  const self = await deps.registry.self();
  if (!self) return { refused: 'this institution is not a member of the network' };
  const foreign = await verifyForeignVisa(deps.registry, token, {
    audience: self.beacon_url,
    types: ['ControlledAccessGrants'],
  });
  if ('refused' in foreign) return foreign;
  const grant = await foreignGrant(deps.db, deps.issuer, foreign);
  if ('refused' in grant) return grant;
  return { foreign, grant };
}

/**
 * Records that a foreign visa was refused at one of the network doors (committed on its own,
 * before the refusal is returned): the reason names institutions, never people.
 */
export function auditNetworkRefusal(
  db: Database,
  door: 'request' | 'export',
  reason: string,
): Promise<void> {
  return db.transaction(async (tx) => {
    await appendAuditEvent(tx, null, {
      action: 'network_access.refused',
      targetType: 'network_access',
      payload: { door, reason },
    });
  });
}

const RequestBody = z.strictObject({ purpose: ResearchPurposeSchema });

/** What a researcher of another member is told about their request. */
export interface NetworkRequestOutcome {
  id: string;
  status: 'pending' | 'approved' | 'refused';
  reasons: string[];
}

/**
 * Registers at this site the request of another member's researcher to use one of our
 * datasets, on the strength of their institution's DAC visa. A visa carries no purpose, so the
 * purpose is stated here and matched against the dataset's own data-use terms (DUO):
 * - the terms refuse it: the request is recorded as refused, with the matcher's reasons;
 * - the dataset is `visa` and the terms allow it outright: approved at once (the other
 *   member's DAC decided; our terms agree);
 * - otherwise (`visa_and_local_dac`, or the matcher needs a person): pending until this site's
 *   DAC decides (`decideNetworkAccessRequest`).
 * A refused visa is audited and nothing else is written; a bad purpose writes nothing.
 */
export async function requestNetworkAccess(
  deps: NetworkDoorDeps,
  token: string | null,
  body: unknown,
): Promise<NetworkRequestOutcome> {
  const held = await heldGrant(deps, token);
  if ('refused' in held) {
    await auditNetworkRefusal(deps.db, 'request', held.refused);
    throw new ForbiddenError(`Visa refused: ${held.refused}`);
  }
  const { purpose } = parseInput(RequestBody, body);
  const index = await deps.counter.index();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(datasets).where(eq(datasets.id, held.grant.dataset.id));
    const match = matchAcrossDatasets(
      purpose,
      [{ datasetId: row!.id, label: row!.name, dataUse: dataUseOfRow(row!) }],
      index.ontologyGraph(),
    );
    const status =
      match.decision === 'DENY'
        ? 'refused'
        : match.decision === 'APPROVE' && held.grant.dataset.networkAccess === 'visa'
          ? 'approved'
          : 'pending';
    const id = randomUUID();
    const { member, visa } = held.foreign;
    await tx.insert(networkAccessRequests).values({
      id,
      datasetId: row!.id,
      member: member.id,
      subject: visa.subject,
      visaJti: visa.jti,
      visaExpiresAt: new Date(visa.expiresAt * 1000),
      purpose,
      match,
      status,
      ...(status === 'pending' ? {} : { decidedAt: new Date() }),
      ...(status === 'refused' ? { decisionNote: match.reasons.join('; ') } : {}),
    });
    await appendAuditEvent(tx, null, {
      action: 'network_access.request',
      targetType: 'dataset',
      targetId: row!.id,
      payload: { request: id, member: member.id, status, match: match.decision },
    });
    return { id, status, reasons: match.reasons };
  });
}

/**
 * The status of a request recorded here, for the member's server that made it: the holder of a
 * visa (same member, same `sub`, same dataset) learns where its request stands (its server
 * polls it). Another holder's request, or an unknown id, is not found; a refused visa is audited.
 */
export async function networkAccessRequestStatus(
  deps: Pick<NetworkDoorDeps, 'db' | 'registry' | 'issuer'>,
  token: string | null,
  id: string,
): Promise<NetworkRequestOutcome> {
  const held = await heldGrant(deps, token);
  if ('refused' in held) {
    await auditNetworkRefusal(deps.db, 'request', held.refused);
    throw new ForbiddenError(`Visa refused: ${held.refused}`);
  }
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError('Network access request');
  const [row] = await deps.db
    .select()
    .from(networkAccessRequests)
    .where(eq(networkAccessRequests.id, parsed.data));
  const { member, visa } = held.foreign;
  if (
    !row ||
    row.datasetId !== held.grant.dataset.id ||
    row.member !== member.id ||
    row.subject !== visa.subject
  )
    throw new NotFoundError('Network access request');
  const reasons =
    row.status === 'refused' && row.decisionNote
      ? [row.decisionNote]
      : ((row.match as { reasons?: string[] }).reasons ?? []);
  return { id: row.id, status: row.status as NetworkRequestOutcome['status'], reasons };
}

/**
 * This site's DAC decides on a pending request from another member's researcher, audited: a
 * voting member of the committee that governs the requested dataset (as for widening its data
 * use), never an admin alone, nor a member of another committee; a dataset no committee governs
 * cannot be opened this way until an admin assigns one. Only a pending request can be decided;
 * a refusal needs a note.
 */
export async function decideNetworkAccessRequest(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<NetworkAccessRequestRow> {
  assertCanDecideNetworkAccess(actor);
  const data = parseAccessDecision(input);
  const [row] = await tx
    .select()
    .from(networkAccessRequests)
    .where(eq(networkAccessRequests.id, data.id))
    .for('update');
  if (!row) throw new NotFoundError('Network access request');
  if (row.status !== 'pending') throw new ConflictError(`The request is already ${row.status}`);
  const dacId = (await governingDacs(tx, [row.datasetId])).get(row.datasetId);
  if (!dacId)
    throw new ConflictError(
      'No committee governs this dataset: an admin assigns one before such a request is decided',
    );
  if (!(await activeDacMemberIds(tx, dacId)).includes(actor.userId))
    throw new ForbiddenError('Only a member of the committee governing this dataset can decide');
  const [updated] = await tx
    .update(networkAccessRequests)
    .set(decisionColumns(data, actor.userId, new Date()))
    .where(eq(networkAccessRequests.id, row.id))
    .returning();
  await appendAuditEvent(tx, actor, {
    action: 'network_access.decide',
    targetType: 'dataset',
    targetId: row.datasetId,
    payload: { request: row.id, member: row.member, approve: data.approve },
  });
  return updated!;
}

/**
 * Requests from other members' researchers, newest first: an admin sees them all (to assign
 * committees), a board member those on datasets their committees govern.
 */
export async function listNetworkAccessRequests(
  tx: Tx,
  actor: Actor | null,
): Promise<NetworkAccessRequestRow[]> {
  assertCanDecideNetworkAccess(actor);
  const newestFirst = desc(networkAccessRequests.createdAt);
  if (actor.role === 'admin') return tx.select().from(networkAccessRequests).orderBy(newestFirst);
  const governed: string[] = [];
  for (const dacId of await dacsOfMember(tx, actor.userId))
    governed.push(...(await dacDatasetIds(tx, dacId)));
  if (governed.length === 0) return [];
  return tx
    .select()
    .from(networkAccessRequests)
    .where(inArray(networkAccessRequests.datasetId, governed))
    .orderBy(newestFirst);
}
