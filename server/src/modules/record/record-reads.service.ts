import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { users } from '../accounts/accounts.tables.js';
import { ontologyTerms } from '../ontology/ontology.tables.js';
import { appendParticipantEvent } from '../audit/audit.service.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { recordAnnotations, recordEntries, recordEntryVersions } from './record.tables.js';

/** A remark the participant made beside an entry. */
export interface EntryRemark {
  id: string;
  kind: 'annotation' | 'dispute';
  text: string;
  createdAt: Date;
}

/** One entry as a reader sees it: its current version, its provenance, its remarks. */
export interface RecordEntryView {
  id: string;
  kind: 'condition' | 'measurement';
  source: 'self_report' | 'clinician' | 'steward_ingest';
  authorName: string | null;
  authorInstitution: string | null;
  createdAt: Date;
  version: number;
  code: string;
  /** The term's label for a condition; null for a measurement. */
  label: string | null;
  onset: string | null;
  valueNumber: number | null;
  valueText: string | null;
  unit: string | null;
  /** The participant's private note: null for anyone else reading. */
  note: string | null;
  remarks: EntryRemark[];
}

/**
 * The participant's entries that are not retracted, newest first, each at its latest version.
 * `withPrivate`: include the participant's notes and remarks (only for the participant).
 * Reads only: callers audit the read.
 */
export async function recordEntriesOf(
  tx: Tx,
  participantId: string,
  options: { withPrivate: boolean },
): Promise<RecordEntryView[]> {
  const rows = await tx
    .select({
      entry: recordEntries,
      version: recordEntryVersions,
      authorName: users.displayName,
      label: ontologyTerms.label,
    })
    .from(recordEntries)
    .innerJoin(recordEntryVersions, eq(recordEntryVersions.entryId, recordEntries.id))
    .leftJoin(users, eq(users.id, recordEntries.authorUserId))
    .leftJoin(ontologyTerms, eq(ontologyTerms.curie, recordEntryVersions.code))
    .where(and(eq(recordEntries.participantId, participantId), isNull(recordEntries.retractedAt)))
    .orderBy(asc(recordEntries.createdAt), asc(recordEntryVersions.version));
  // Later versions overwrite earlier ones: the map keeps each entry's latest.
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) latest.set(row.entry.id, row);
  const ids = [...latest.keys()];
  const remarks =
    options.withPrivate && ids.length > 0
      ? await tx
          .select()
          .from(recordAnnotations)
          .where(inArray(recordAnnotations.entryId, ids))
          .orderBy(asc(recordAnnotations.createdAt))
      : [];
  return [...latest.values()].reverse().map(({ entry, version, authorName, label }) => ({
    id: entry.id,
    kind: entry.kind as RecordEntryView['kind'],
    source: entry.source as RecordEntryView['source'],
    authorName: entry.source === 'self_report' ? null : authorName,
    authorInstitution: entry.authorInstitution,
    createdAt: entry.createdAt,
    version: version.version,
    code: version.code,
    label: entry.kind === 'condition' ? label : null,
    onset: version.onset,
    valueNumber: version.valueNumber,
    valueText: version.valueText,
    unit: version.unit,
    note: options.withPrivate ? version.note : null,
    remarks: remarks
      .filter((r) => r.entryId === entry.id)
      .map((r) => ({
        id: r.id,
        kind: r.kind as EntryRemark['kind'],
        text: r.text,
        createdAt: r.createdAt,
      })),
  }));
}

/** The signed-in participant's own record, with their private notes; the read is audited. */
export async function myRecord(tx: Tx, actor: Actor | null): Promise<RecordEntryView[]> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const entries = await recordEntriesOf(tx, participant.id, { withPrivate: true });
  await appendParticipantEvent(tx, actor, 'record.read.own', participant.id, {
    entries: entries.length,
  });
  return entries;
}
