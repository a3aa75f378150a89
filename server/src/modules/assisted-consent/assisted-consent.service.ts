import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ForbiddenError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { hasRole, type Actor, type UserActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { consentFormVersions, paperConsentRecords } from './assisted-consent.tables.js';
import type { PaperScan } from './paper-scan.js';

/** What a paper decision records besides the decision itself. */
export interface PaperEvidence {
  formVersion: string;
  /** ISO date the participant signed. */
  signedOn: string;
  witnessName: string;
  scan: PaperScan;
}

/** What kind of decision the paper records. */
export type PaperDecisionKind = 'preferences' | 'answer' | 'withdrawal';

const FormVersionInput = z.strictObject({
  version: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, dot, dash or _' }),
  title: z.string().trim().min(1).max(200),
});

const EvidenceInput = z.object({
  formVersion: z.string().trim().min(1, { message: 'name the form version' }).max(64),
  signedOn: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }),
  witnessName: z.string().trim().min(1, { message: 'name the witness' }).max(200),
});

/** Coordinators record paper decisions; nobody else (default deny). */
export function assertCoordinator(actor: Actor | null): asserts actor is UserActor {
  if (!hasRole(actor, 'consent_coordinator'))
    throw new ForbiddenError('Only a consent coordinator can record consent for a participant');
}

/** Registers a paper consent form version (administrators, or the platform when seeding). */
export async function registerConsentFormVersion(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<{ version: string; title: string }> {
  if (actor?.kind !== 'system' && !hasRole(actor, 'admin'))
    throw new ForbiddenError('Only an administrator can register consent form versions');
  const data = parseInput(FormVersionInput, input);
  await tx.insert(consentFormVersions).values(data).onConflictDoNothing();
  await appendAuditEvent(tx, actor, {
    action: 'consent_form.register',
    targetType: 'consent_form',
    targetId: data.version,
  });
  return data;
}

/** The registered paper consent form versions, newest first. */
export async function listConsentFormVersions(tx: Tx) {
  return tx
    .select({ version: consentFormVersions.version, title: consentFormVersions.title })
    .from(consentFormVersions)
    .orderBy(desc(consentFormVersions.createdAt));
}

/**
 * Validates the paper facts before anything is written: a registered form version, a signing
 * date not in the future, a named witness. Answers them normalised.
 */
export async function checkPaperEvidence(
  tx: Tx,
  input: { formVersion: unknown; signedOn: unknown; witnessName: unknown; scan: PaperScan },
): Promise<PaperEvidence> {
  const data = parseInput(EvidenceInput, input);
  if (data.signedOn > new Date().toISOString().slice(0, 10) || data.signedOn < '1900-01-01')
    throw new ValidationError('The signing date cannot be in the future', [
      { field: 'signedOn', message: 'out of range' },
    ]);
  const [form] = await tx
    .select({ version: consentFormVersions.version })
    .from(consentFormVersions)
    .where(eq(consentFormVersions.version, data.formVersion));
  if (!form)
    throw new ValidationError(`There is no consent form version “${data.formVersion}”`, [
      { field: 'formVersion', message: 'unknown form version' },
    ]);
  return { ...data, scan: input.scan };
}

/** Keeps the paper trail of a decision the coordinator just recorded (same transaction). */
export async function keepPaperRecord(
  tx: Tx,
  coordinator: UserActor,
  input: {
    id: string;
    participantId: string;
    institution: string;
    kind: PaperDecisionKind;
    consentRequestId?: string | null;
    evidence: PaperEvidence;
  },
): Promise<void> {
  await tx.insert(paperConsentRecords).values({
    id: input.id,
    participantId: input.participantId,
    recordedBy: coordinator.userId,
    institution: input.institution,
    kind: input.kind,
    consentRequestId: input.consentRequestId ?? null,
    formVersion: input.evidence.formVersion,
    signedOn: input.evidence.signedOn,
    witnessName: input.evidence.witnessName,
    scanName: input.evidence.scan.name,
    scanSha256: input.evidence.scan.sha256,
    scan: input.evidence.scan.bytes,
  });
}

/** The paper records of a participant, newest first, without the scan bytes. */
export async function paperRecordsOf(tx: Tx, participantId: string) {
  return tx
    .select({
      id: paperConsentRecords.id,
      kind: paperConsentRecords.kind,
      institution: paperConsentRecords.institution,
      formVersion: paperConsentRecords.formVersion,
      signedOn: paperConsentRecords.signedOn,
      witnessName: paperConsentRecords.witnessName,
      scanSha256: paperConsentRecords.scanSha256,
      createdAt: paperConsentRecords.createdAt,
    })
    .from(paperConsentRecords)
    .where(eq(paperConsentRecords.participantId, participantId))
    .orderBy(desc(paperConsentRecords.createdAt));
}

/** Erasure: the scans (the signed forms) and their paper trail go with the participant. */
export async function erasePaperRecordsOf(tx: Tx, participantId: string): Promise<number> {
  const gone = await tx
    .delete(paperConsentRecords)
    .where(eq(paperConsentRecords.participantId, participantId))
    .returning({ id: paperConsentRecords.id });
  return gone.length;
}
