import { createHash, randomUUID } from 'node:crypto';
import type { MemberRecord } from '@consentome/contracts-client';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors/app-errors.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { boardSource } from '../grants/grant-visas.js';
import { signControlledAccessVisa } from '../grants/passport/visa.js';
import { callHolder, memberIssuer, type HolderAnswer } from './holder-client.js';
import type { MemberRegistry } from './member-registry.js';
import { ownRemoteRequest, type RemoteAccessRequestRow } from './remote-access.service.js';
import { remoteAccessRequests, remoteExports } from './remote-access.tables.js';

/**
 * A visa sent to a holding member lives this long: it is signed for one call, so a copy kept by
 * anyone on the way is useless minutes later (the holder refuses anything over 600 s).
 */
export const REMOTE_VISA_SECONDS = 300;

/** What carrying a request to its holder needs. */
export interface CarrierDeps {
  db: Database;
  registry: MemberRegistry;
  /** This server's Passport issuer (`PUBLIC_URL`): the visas it signs name it. */
  issuer: string;
  /** How long the holder may take to answer one call. */
  timeoutMs: number;
  /** The clock (tests may move it). */
  now?: () => Date;
}

/** An export kept here for the researcher. */
export type RemoteExportRow = typeof remoteExports.$inferSelect;

const Outcome = z.object({
  id: z.string().uuid(),
  status: z.enum(['pending', 'approved', 'refused']),
  reasons: z.array(z.string()),
});

const ExportAnswer = z.object({
  export: z.string().min(1).max(100),
  samples: z.array(z.string()),
  vcf: z.object({ text: z.string(), sha256: z.string(), variants: z.number().int().min(0) }),
});

/**
 * Takes an approved request one step further at its holder, from this server: sends it (the
 * purpose with a fresh visa) if it was not sent, else asks where it stands; once the holder
 * approved, fetches the export and keeps it here (once). Each call to the holder carries a
 * ControlledAccessGrants visa minted for that call: `aud` the holder's registered Beacon, five
 * minutes long, never shown to the researcher. A holder that is down or refuses the visa leaves
 * the request as it was with the reason recorded (`remoteError`). Audited at each step.
 */
export async function carryToHolder(
  deps: CarrierDeps,
  actor: Actor,
  row: RemoteAccessRequestRow,
): Promise<RemoteAccessRequestRow> {
  const now = deps.now?.() ?? new Date();
  if (row.status !== 'approved')
    throw new ConflictError(`The request is ${row.status} here: nothing is sent`);
  if (!row.expiresAt || row.expiresAt <= now)
    throw new ConflictError('This institution’s grant for the dataset has expired');
  let members;
  try {
    members = await deps.registry.allMembers();
  } catch (error) {
    // The chain could not be read (an outage): the decision that led here is committed, so say
    // why nothing was sent on the request rather than fail the call; a refresh tries again.
    const reason = error instanceof Error ? error.message : String(error);
    return recordFailure(deps.db, row, `the network's member list could not be read: ${reason}`);
  }
  const member = members.find((m) => m.id === row.member);
  const holder = member && !member.removed ? memberIssuer(member) : null;
  if (!member || !holder)
    return recordFailure(deps.db, row, `${row.member} is no longer a member of the network`);
  const visa = () => holderVisa(deps, row, member, now);
  const call = { timeoutMs: deps.timeoutMs };
  let current = row;
  if (current.remoteStatus === 'not_sent') {
    const answer = await callHolder(holder, 'access-requests', await visa(), {
      ...call,
      method: 'POST',
      body: { purpose: current.purpose },
    });
    current = await recordOutcome(deps.db, actor, current, answer, 'network_remote.send');
  } else if (current.remoteStatus === 'pending') {
    const answer = await callHolder(
      holder,
      `access-requests/${current.remoteRequestId}`,
      await visa(),
      { ...call, method: 'GET' },
    );
    current = await recordOutcome(deps.db, actor, current, answer, 'network_remote.status');
  }
  if (current.remoteStatus !== 'approved' || (await exportOf(deps.db, current.id))) return current;
  const answer = await callHolder(holder, 'exports', await visa(), { ...call, method: 'POST' });
  return recordExport(deps.db, actor, current, answer);
}

/**
 * The ControlledAccessGrants visa for one call to the holder of an approved request: this site's
 * DAC (`by: dac`, `source` our board) granting `sub` (the researcher's id here, no name) the
 * dataset at its URL, addressed to the holder's registered Beacon only, living
 * REMOTE_VISA_SECONDS from `now` (never past the grant).
 */
export function holderVisa(
  deps: Pick<CarrierDeps, 'db' | 'issuer'>,
  row: RemoteAccessRequestRow,
  holder: Pick<MemberRecord, 'beacon_url'>,
  now: Date,
): Promise<string> {
  if (row.status !== 'approved' || !row.decidedAt || !row.expiresAt)
    throw new Error('A visa is signed only for an approved request');
  return signControlledAccessVisa(deps.db, {
    subject: row.researcherId,
    issuer: deps.issuer,
    asserted: row.decidedAt,
    now,
    expiresAt: new Date(
      Math.min(now.getTime() + REMOTE_VISA_SECONDS * 1000, row.expiresAt.getTime()),
    ),
    value: row.datasetUrl,
    source: boardSource(deps.issuer),
    audience: holder.beacon_url,
  });
}

/** The export kept for a request, if any. */
export async function exportOf(
  db: Database | Tx,
  requestId: string,
): Promise<RemoteExportRow | null> {
  const [row] = await db.select().from(remoteExports).where(eq(remoteExports.requestId, requestId));
  return row ?? null;
}

/**
 * The researcher's own export, to download here: audited each time it is read (it holds
 * participants' data from the holder, under their consent there).
 */
export async function downloadRemoteExport(
  tx: Tx,
  actor: Actor | null,
  requestId: unknown,
): Promise<RemoteExportRow> {
  const request = await ownRemoteRequest(tx, actor, requestId);
  const kept = await exportOf(tx, request.id);
  if (!kept) throw new NotFoundError('Export');
  await appendAuditEvent(tx, actor, {
    action: 'network_remote.download',
    targetType: 'remote_access_request',
    targetId: request.id,
    payload: { member: request.member, export: kept.remoteExportId, samples: kept.samples },
  });
  return kept;
}

/** Why a holder's answer is not what the door promises, or its error text. */
function failureOf(answer: HolderAnswer): string {
  if (!answer.ok) return answer.error;
  const said = typeof answer.body.error === 'string' ? answer.body.error : 'an unexpected answer';
  return `HTTP ${answer.status}: ${said}`;
}

/**
 * Applies a holder's answer to a request or status call, in one transaction, and only if no one
 * moved the request on meanwhile (a second click, the approval's own send): then the newer
 * state stands and this answer is dropped.
 */
async function recordOutcome(
  db: Database,
  actor: Actor,
  read: RemoteAccessRequestRow,
  answer: HolderAnswer,
  action: 'network_remote.send' | 'network_remote.status',
): Promise<RemoteAccessRequestRow> {
  const parsed = answer.ok && answer.status < 300 ? Outcome.safeParse(answer.body) : null;
  if (!parsed?.success) return recordFailure(db, read, failureOf(answer));
  const outcome = parsed.data;
  return db.transaction(async (tx) => {
    const row = await lockUnchanged(tx, read);
    if (!row) return (await reread(tx, read.id))!;
    const [updated] = await tx
      .update(remoteAccessRequests)
      .set({
        remoteStatus: outcome.status,
        remoteRequestId: outcome.id,
        remoteReasons: outcome.reasons,
        remoteError: null,
        remoteCheckedAt: new Date(),
      })
      .where(eq(remoteAccessRequests.id, row.id))
      .returning();
    if (action === 'network_remote.send' || outcome.status !== row.remoteStatus)
      await appendAuditEvent(tx, actor, {
        action,
        targetType: 'remote_access_request',
        targetId: row.id,
        payload: { member: row.member, remoteRequest: outcome.id, status: outcome.status },
      });
    return updated!;
  });
}

/** Keeps the export a holder returned (checking its digest), audited; a failure is recorded. */
async function recordExport(
  db: Database,
  actor: Actor,
  read: RemoteAccessRequestRow,
  answer: HolderAnswer,
): Promise<RemoteAccessRequestRow> {
  const parsed = answer.ok && answer.status < 300 ? ExportAnswer.safeParse(answer.body) : null;
  if (!parsed?.success) return recordFailure(db, read, failureOf(answer));
  const body = parsed.data;
  const digest = createHash('sha256').update(body.vcf.text, 'utf8').digest('hex');
  if (digest !== body.vcf.sha256)
    return recordFailure(db, read, 'the export’s VCF does not match the digest the holder gave');
  return db.transaction(async (tx) => {
    const row = await lockUnchanged(tx, read);
    if (!row || (await exportOf(tx, row.id))) return (await reread(tx, read.id))!;
    await tx.insert(remoteExports).values({
      id: randomUUID(),
      requestId: row.id,
      remoteExportId: body.export,
      samples: body.samples.length,
      variants: body.vcf.variants,
      vcf: body.vcf.text,
      sha256: digest,
    });
    const [updated] = await tx
      .update(remoteAccessRequests)
      .set({ remoteError: null, remoteCheckedAt: new Date() })
      .where(eq(remoteAccessRequests.id, row.id))
      .returning();
    await appendAuditEvent(tx, actor, {
      action: 'network_remote.export',
      targetType: 'remote_access_request',
      targetId: row.id,
      payload: {
        member: row.member,
        export: body.export,
        samples: body.samples.length,
        vcfSha256: digest,
      },
    });
    return updated!;
  });
}

/** Records why the holder could not be reached or refused, leaving the status as it was. */
async function recordFailure(
  db: Database,
  read: RemoteAccessRequestRow,
  error: string,
): Promise<RemoteAccessRequestRow> {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(remoteAccessRequests)
      .set({ remoteError: error.slice(0, 1_000), remoteCheckedAt: new Date() })
      .where(eq(remoteAccessRequests.id, read.id))
      .returning();
    return updated!;
  });
}

/** The request locked, if its state at the holder is still what was read; else null. */
async function lockUnchanged(
  tx: Tx,
  read: RemoteAccessRequestRow,
): Promise<RemoteAccessRequestRow | null> {
  const [row] = await tx
    .select()
    .from(remoteAccessRequests)
    .where(eq(remoteAccessRequests.id, read.id))
    .for('update');
  return row &&
    row.remoteStatus === read.remoteStatus &&
    row.remoteRequestId === read.remoteRequestId
    ? row
    : null;
}

async function reread(tx: Tx, id: string): Promise<RemoteAccessRequestRow | undefined> {
  const [row] = await tx.select().from(remoteAccessRequests).where(eq(remoteAccessRequests.id, id));
  return row;
}
