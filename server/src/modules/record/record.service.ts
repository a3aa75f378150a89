import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { participants } from '../participants/participants.tables.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import {
  conditionContent,
  measurementContent,
  type ConditionInput,
  type EntryContent,
  type MeasurementInput,
} from './record-content.js';
import { recordAnnotations, recordEntries, recordEntryVersions } from './record.tables.js';

/** Who adds an entry, and on what evidence. */
export type EntryAuthor =
  | { source: 'self_report' | 'steward_ingest'; userId: string | null }
  | { source: 'clinician'; userId: string; institution: string; careTeamId?: string | null };

/** The participant an entry is added to, and the kind of entry. */
interface NewEntry {
  participantId: string;
  kind: 'condition' | 'measurement';
  content: EntryContent;
}

/**
 * Writes a new entry (version 1) with its provenance and appends `record.entry.add`. The audit
 * payload holds ids and the kind of source only: never the code, the value or the note, since
 * the audit trail's digest is anchored on chain. Callers check the author may append first.
 */
export async function writeEntry(
  tx: Tx,
  actor: Actor,
  author: EntryAuthor,
  entry: NewEntry,
): Promise<{ id: string }> {
  const id = randomUUID();
  await tx.insert(recordEntries).values({
    id,
    participantId: entry.participantId,
    kind: entry.kind,
    source: author.source,
    authorUserId: author.userId,
    authorInstitution: author.source === 'clinician' ? author.institution : null,
  });
  await tx
    .insert(recordEntryVersions)
    .values({ entryId: id, version: 1, recordedBy: author.userId, ...entry.content });
  await noteForCohorts(tx, entry.participantId);
  await appendAuditEvent(tx, actor, {
    action: author.source === 'clinician' ? 'record.entry.add.clinician' : 'record.entry.add',
    targetType: 'record_entry',
    targetId: id,
    participantId: entry.participantId,
    payload: {
      kind: entry.kind,
      source: author.source,
      // The care team the clinician acted for, so the timeline can name it.
      ...(author.source === 'clinician' && author.careTeamId
        ? { careTeamId: author.careTeamId }
        : {}),
    },
  });
  return { id };
}

/** Tells the cohort index, in this transaction, that this participant's terms changed. */
async function noteForCohorts(tx: Tx, participantId: string): Promise<void> {
  const [p] = await tx
    .select({ num: participants.num })
    .from(participants)
    .where(eq(participants.id, participantId));
  if (p) await recordCohortChange(tx, 'record', p.num);
}

const selfReport = (actor: Actor): EntryAuthor => ({
  source: 'self_report',
  userId: actor.kind === 'user' ? actor.userId : null,
});

/** The signed-in participant adds a condition or phenotype to their own record. */
export async function addOwnCondition(
  tx: Tx,
  actor: Actor | null,
  input: ConditionInput,
): Promise<{ id: string }> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const content = await conditionContent(tx, input);
  return writeEntry(tx, actor!, selfReport(actor!), {
    participantId: participant.id,
    kind: 'condition',
    content,
  });
}

/** The signed-in participant adds a measurement (height, weight, smoking status). */
export async function addOwnMeasurement(
  tx: Tx,
  actor: Actor | null,
  input: MeasurementInput,
): Promise<{ id: string }> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const content = measurementContent(input);
  return writeEntry(tx, actor!, selfReport(actor!), {
    participantId: participant.id,
    kind: 'measurement',
    content,
  });
}

/**
 * One of the signed-in participant's entries, locked, not retracted. Another participant's entry
 * answers "not found", so existence does not leak.
 */
async function ownEntry(tx: Tx, actor: Actor | null, entryId: string) {
  const id = parseInput(idSchema, entryId);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const [entry] = await tx
    .select()
    .from(recordEntries)
    .where(and(eq(recordEntries.id, id), eq(recordEntries.participantId, participant.id)))
    .for('update');
  if (!entry) throw new NotFoundError('Record entry');
  if (entry.retractedAt) throw new ConflictError('This entry was already retracted');
  return entry;
}

const NOT_YOURS =
  'Someone else (your clinician or the study) added this entry: you cannot change it, but you can annotate or dispute it';

/**
 * The participant corrects an entry they reported themselves: a new version, the old one kept.
 * An entry a clinician or a steward added is refused (they may annotate or dispute it instead).
 */
export async function reviseOwnEntry(
  tx: Tx,
  actor: Actor | null,
  input: {
    entryId: string;
    condition?: ConditionInput | null;
    measurement?: MeasurementInput | null;
  },
): Promise<{ id: string; version: number }> {
  const entry = await ownEntry(tx, actor, input.entryId);
  if (entry.source !== 'self_report') throw new ForbiddenError(NOT_YOURS);
  const content =
    entry.kind === 'condition'
      ? await conditionContent(tx, input.condition ?? { code: '' })
      : measurementContent(input.measurement ?? ({} as MeasurementInput));
  const [latest] = await tx
    .select({ version: recordEntryVersions.version })
    .from(recordEntryVersions)
    .where(eq(recordEntryVersions.entryId, entry.id))
    .orderBy(desc(recordEntryVersions.version))
    .limit(1);
  const version = (latest?.version ?? 0) + 1;
  await tx.insert(recordEntryVersions).values({
    entryId: entry.id,
    version,
    recordedBy: actor!.kind === 'user' ? actor!.userId : null,
    ...content,
  });
  await noteForCohorts(tx, entry.participantId);
  await appendAuditEvent(tx, actor, {
    action: 'record.entry.revise',
    targetType: 'record_entry',
    targetId: entry.id,
    participantId: entry.participantId,
    payload: { version },
  });
  return { id: entry.id, version };
}

/**
 * The participant retracts an entry they reported: it stays for the audit trail but is excluded
 * from their record and from research from then on. Entries others made are refused.
 */
export async function retractOwnEntry(
  tx: Tx,
  actor: Actor | null,
  entryId: string,
): Promise<{ id: string; retractedAt: Date }> {
  const entry = await ownEntry(tx, actor, entryId);
  if (entry.source !== 'self_report') throw new ForbiddenError(NOT_YOURS);
  const retractedAt = new Date();
  await tx
    .update(recordEntries)
    .set({ retractedAt, retractedBy: actor!.kind === 'user' ? actor!.userId : null })
    .where(eq(recordEntries.id, entry.id));
  await noteForCohorts(tx, entry.participantId);
  await appendAuditEvent(tx, actor, {
    action: 'record.entry.retract',
    targetType: 'record_entry',
    targetId: entry.id,
    participantId: entry.participantId,
  });
  return { id: entry.id, retractedAt };
}

const annotationSchema = z.object({
  kind: z.enum(['annotation', 'dispute']),
  text: z
    .string()
    .trim()
    .min(1, { message: 'is required' })
    .max(2000, { message: 'is longer than 2,000 characters' }),
});

/**
 * The participant annotates or disputes an entry someone else made; the remark is shown beside
 * it. Their own entries they revise instead.
 */
export async function annotateEntry(
  tx: Tx,
  actor: Actor | null,
  input: { entryId: string; kind: 'annotation' | 'dispute'; text: string },
): Promise<{ id: string }> {
  const remark = parseInput(annotationSchema, { kind: input.kind, text: input.text });
  const entry = await ownEntry(tx, actor, input.entryId);
  if (entry.source === 'self_report')
    throw new ForbiddenError('You reported this entry yourself: change or retract it instead');
  const id = randomUUID();
  await tx.insert(recordAnnotations).values({
    id,
    entryId: entry.id,
    kind: remark.kind,
    text: remark.text,
    authorUserId: actor!.kind === 'user' ? actor!.userId : null,
  });
  await appendAuditEvent(tx, actor, {
    action: remark.kind === 'dispute' ? 'record.entry.dispute' : 'record.entry.annotate',
    targetType: 'record_entry',
    targetId: entry.id,
    participantId: entry.participantId,
  });
  return { id };
}
