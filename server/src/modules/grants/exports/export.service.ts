import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { insertChunked } from '../../../db/insert-chunked.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../errors/app-errors.js';
import { resolveRange, type ByteRange } from '../../../lib/byte-range.js';
import type { FileStore } from '../../../lib/file-store.js';
import { idSchema } from '../../../lib/validators.js';
import { hasRole, type Actor } from '../../actors/actor.js';
import { appendAuditEvent, appendAuditEvents, type AuditEntry } from '../../audit/audit.service.js';
import { auditEvents } from '../../audit/audit.tables.js';
import type { CohortCriteria } from '../../cohorts/cohort-criteria.js';
import type { CohortIndex } from '../../cohorts/cohort-index.js';
import type { CombinedMatchResult } from '../../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../../consent/duo/match-types.js';
import { datasets } from '../../datasets/datasets.tables.js';
import { studies } from '../../studies/studies.tables.js';
import { memberConsents, studyCandidates } from '../../studies/study-cohort.js';
import { grantState, visibleGrant } from '../grants.service.js';
import { dataExports, exportMembers } from '../grants.tables.js';
import { ExportLapsedError, lapsedExportMembers } from './export-consent-check.js';
import { ABSENT_CALL_RULE, writeExportVcf, type WrittenExportVcf } from './export-vcf.js';
import { EXPORT_FIELD_SOURCES, exportPhenotypes } from './export-phenotypes.js';

/** An export row without a legacy export's VCF text (fetched only for download). */
export type ExportSummary = Omit<typeof dataExports.$inferSelect, 'vcf' | 'vcfBytes'> & {
  vcfBytes: number;
};

const summaryColumns = {
  id: dataExports.id,
  grantId: dataExports.grantId,
  createdBy: dataExports.createdBy,
  createdAt: dataExports.createdAt,
  participantCount: dataExports.participantCount,
  variantCount: dataExports.variantCount,
  manifest: dataExports.manifest,
  vcfFileKey: dataExports.vcfFileKey,
  // A legacy export's size is its text's; the text itself stays in the database.
  vcfBytes:
    sql<number>`coalesce(${dataExports.vcfBytes}, octet_length(${dataExports.vcf}))`.mapWith(
      Number,
    ),
  vcfSha256: dataExports.vcfSha256,
};

/** Where an export's files live in the file store. */
export function exportFileKeys(exportId: string): { vcf: string; index: string } {
  const vcf = `exports/${exportId}/export.vcf.gz`;
  return { vcf, index: `${vcf}.tbi` };
}

/**
 * Writes an export's VCF and index into the store, streaming from the database. Files appear
 * under their keys only when both are complete; on any failure neither is left behind.
 */
async function storeExportVcf(
  tx: Tx,
  files: FileStore,
  input: Parameters<typeof writeExportVcf>[1],
): Promise<WrittenExportVcf> {
  const keys = exportFileKeys(input.exportId);
  const vcf = await files.create(keys.vcf);
  const index = await files.create(keys.index).catch(async (error: unknown) => {
    await vcf.abort();
    throw error;
  });
  try {
    const written = await writeExportVcf(tx, input, vcf.stream, index.stream);
    await vcf.commit();
    await index.commit();
    return written;
  } catch (error) {
    await Promise.all([vcf.abort(), index.abort()]);
    await Promise.all([files.remove(keys.vcf), files.remove(keys.index)]);
    throw error;
  }
}

/**
 * Exports under an active grant exactly the participants whose effective consent permits the
 * study at this moment, read in this transaction: a "no" or a withdrawal committed a second
 * earlier is already out. Writes the VCF subset (BGZF + tabix index) into `files`, and the
 * manifest (export-specific sample ids), the file's key, size and hash, who was included (so
 * each participant sees it) into the database, and audits the export and every inclusion.
 * `index` must be synced before the transaction opens. If anything after the files fails, they
 * are removed again; should the transaction's commit itself fail, the files stay unreferenced
 * under `exports/<id>/` (never served: downloads start from the database row).
 */
export async function createExport(
  tx: Tx,
  actor: Actor | null,
  index: CohortIndex,
  grantId: unknown,
  files: FileStore,
): Promise<ExportSummary> {
  const grant = await visibleGrant(tx, actor, grantId, true);
  if (!hasRole(actor, 'researcher')) throw new ForbiddenError('Only the grantee exports data');
  const state = grantState(grant);
  if (state !== 'active')
    throw new ConflictError(
      state === 'expired'
        ? `The grant expired on ${grant.expiresAt.toISOString().slice(0, 10)}; no export is possible`
        : `The grant is ${state.replace('_', ' ')}; no export is possible`,
    );
  const [study] = await tx.select().from(studies).where(eq(studies.id, grant.studyId));
  const match = study!.match as CombinedMatchResult;
  const candidates = studyCandidates(
    index,
    study!.cohortCriteria as CohortCriteria,
    grant.datasetIds,
  );
  const members = await memberConsents(
    tx,
    { id: study!.id, status: study!.status, purpose: study!.purpose as ResearchPurpose, match },
    candidates,
  );
  const included = members
    .filter((m) => m.consent === 'permit')
    .sort((a, b) => a.num - b.num)
    .map((m) => ({ ...m, sampleId: `S${randomBytes(8).toString('hex')}` }));
  const exportId = randomUUID();
  const vcf = await storeExportVcf(tx, files, {
    exportId,
    grantId: grant.id,
    datasetIds: grant.datasetIds,
    samples: included,
  });
  try {
    return await recordExport(tx, actor, { grant, study: study!, exportId, included, vcf });
  } catch (error) {
    const keys = exportFileKeys(exportId);
    await Promise.all([files.remove(keys.vcf), files.remove(keys.index)]);
    throw error;
  }
}

/** The database half of `createExport`: manifest, row, members and audit events. */
async function recordExport(
  tx: Tx,
  actor: Actor & { kind: 'user' },
  input: {
    grant: Awaited<ReturnType<typeof visibleGrant>>;
    study: typeof studies.$inferSelect;
    exportId: string;
    included: (Awaited<ReturnType<typeof memberConsents>>[number] & { sampleId: string })[];
    vcf: WrittenExportVcf;
  },
): Promise<ExportSummary> {
  const { grant, study, exportId, included, vcf } = input;
  const vcfSha256 = vcf.vcf.sha256;
  const datasetRows = await tx
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(inArray(datasets.id, grant.datasetIds));
  const createdAt = new Date();
  const manifest = {
    export: exportId,
    grant: grant.id,
    study: study.id,
    createdAt: createdAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
    datasets: datasetRows,
    conditions: grant.conditions,
    samples: included.map((m) => m.sampleId),
    // Whose word each sample's consent rests on: the participant's passkey signature (checked
    // by the contract) or the institution recording it for them.
    consentVouchedBy: Object.fromEntries(included.map((m) => [m.sampleId, m.vouchedBy])),
    vcf: {
      file: `export-${exportId}.vcf.gz`,
      format: 'VCF 4.3, BGZF-compressed, tabix index alongside (.tbi)',
      sha256: vcfSha256,
      bytes: vcf.vcf.bytes,
      index: { sha256: vcf.index.sha256, bytes: vcf.index.bytes },
      variants: vcf.variantCount,
      samples: included.length,
      genotypesWithoutCall: ABSENT_CALL_RULE,
    },
    // Phenotypes and conditions with their source, and where every field comes from.
    phenotypes: await exportPhenotypes(tx, included),
    fieldSources: EXPORT_FIELD_SOURCES,
  };
  const [row] = await tx
    .insert(dataExports)
    .values({
      id: exportId,
      grantId: grant.id,
      createdBy: actor.userId,
      createdAt,
      participantCount: included.length,
      variantCount: vcf.variantCount,
      manifest,
      vcfFileKey: exportFileKeys(exportId).vcf,
      vcfBytes: vcf.vcf.bytes,
      vcfSha256,
    })
    .returning(summaryColumns);
  if (included.length)
    await insertChunked(
      tx,
      exportMembers,
      included.map((m) => ({ exportId, participantId: m.participantId, sampleId: m.sampleId })),
    );
  await appendAuditEvent(tx, actor, {
    action: 'export.create',
    targetType: 'grant',
    targetId: grant.id,
    payload: {
      export: exportId,
      study: study.id,
      participants: included.length,
      variants: vcf.variantCount,
      vcfSha256,
    },
  });
  await appendAuditEvents(
    tx,
    actor,
    included.map((m) => ({
      action: 'export.include',
      targetType: 'study',
      targetId: study.id,
      participantId: m.participantId,
      payload: { export: exportId, grant: grant.id },
    })),
  );
  return row!;
}

/** The exports of a grant the caller may see, newest first. */
export async function exportsOfGrant(
  tx: Tx,
  actor: Actor | null,
  grantId: unknown,
): Promise<ExportSummary[]> {
  const grant = await visibleGrant(tx, actor, grantId);
  return tx
    .select(summaryColumns)
    .from(dataExports)
    .where(eq(dataExports.grantId, grant.id))
    .orderBy(desc(dataExports.createdAt));
}

/** The files of an export a grantee downloads. */
export type ExportFileName = 'vcf' | 'index' | 'manifest';

/** A download the caller may have: what it is and how to read the bytes it asked for. */
export interface ExportDownload {
  fileName: string;
  contentType: string;
  /** The whole file's size in bytes. */
  size: number;
  /** A strong validator: the file's SHA-256 (an export's files never change). */
  etag: string;
  /** The range served, or null for the whole file. */
  range: ByteRange | null;
  /** The bytes of `range` (or the whole file), read from the store as they are sent. */
  open(): Readable;
}

/** A `Range` the file cannot satisfy (starts past its end): answered 416 with the size. */
export class RangeNotSatisfiableError extends ConflictError {
  constructor(readonly size: number) {
    super('The requested range is outside the file');
    this.name = 'RangeNotSatisfiableError';
  }
}

/** Serves bytes kept in memory (a manifest, a legacy export's text) like a stored file. */
function inMemory(bytes: Buffer, range: ByteRange | null): () => Readable {
  return () => Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
}

/**
 * A file of an export for its grantee while the grant is active and while everyone in it still
 * consents (otherwise `ExportLapsedError`: make a new export). `wanted` holds the request's
 * `Range` and `If-Range`, resolved here so a range past the end is refused before anything is
 * audited; an `If-Range` other than the file's ETag (or a date) gets the whole file.
 *
 * Every request is audited against the export (file and range). The VCF discloses every included
 * participant's genotypes, so each of them sees the first read of it by each user; later range
 * reads of the same, unchanging file by the same user (a tabix client fetches many) disclose
 * nothing new to them and are in the export's trail. Boards see export summaries, not the data.
 */
export async function exportFile(
  tx: Tx,
  actor: Actor | null,
  files: FileStore,
  exportId: unknown,
  file: ExportFileName,
  wanted: { range: string | null; ifRange: string | null; head?: boolean } = {
    range: null,
    ifRange: null,
  },
): Promise<ExportDownload> {
  const parsed = idSchema.safeParse(exportId);
  if (!parsed.success) throw new NotFoundError('Export');
  const [row] = await tx.select().from(dataExports).where(eq(dataExports.id, parsed.data));
  if (!row) throw new NotFoundError('Export');
  const grant = await visibleGrant(tx, actor, row.grantId).catch(() => {
    throw new NotFoundError('Export');
  });
  if (!hasRole(actor, 'researcher')) throw new NotFoundError('Export');
  const state = grantState(grant);
  if (state !== 'active') throw new ConflictError(`The grant is ${state.replace('_', ' ')}`);
  // An export is fixed at the moment it was made; consent is not. Serving it after someone in it
  // withdrew or said no would hand out their data against their wish, so it is refused and the
  // grantee makes a new export (which follows consent as it is now).
  const lapsed = await lapsedExportMembers(tx, row.id, grant.studyId);
  if (lapsed.length > 0) throw new ExportLapsedError(row.id, grant.id, grant.studyId, file, lapsed);

  const source = await exportSource(files, row, file);
  const resolved = resolveRange(
    wanted.ifRange === null || wanted.ifRange === source.etag ? wanted.range : null,
    source.size,
  );
  if (resolved.kind === 'unsatisfiable') throw new RangeNotSatisfiableError(source.size);
  const range = resolved.kind === 'range' ? resolved.range : null;

  // The first read of the VCF itself that sends bytes (not a HEAD, not the index or the
  // manifest, which a tabix client fetches first): whether its participants were told already
  // is read from their own events, so no other file's read can use up their notice.
  const firstRead =
    file === 'vcf' &&
    !wanted.head &&
    (
      await tx
        .select({ seq: auditEvents.seq })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, 'export.download'),
            eq(auditEvents.targetType, 'study'),
            eq(auditEvents.targetId, grant.studyId),
            eq(auditEvents.actorId, actor.userId),
            sql`(${auditEvents.payload})::jsonb->>'export' = ${row.id}`,
          ),
        )
        .limit(1)
    ).length === 0;
  const members = firstRead
    ? await tx
        .select({ participantId: exportMembers.participantId })
        .from(exportMembers)
        .where(eq(exportMembers.exportId, row.id))
    : [];
  await appendAuditEvents(tx, actor, [
    {
      action: 'export.download',
      targetType: 'export',
      targetId: row.id,
      payload: {
        file,
        grant: grant.id,
        ...(range ? { range: `${range.start}-${range.end}` } : {}),
      },
    },
    ...members.map((m): AuditEntry => ({
      action: 'export.download',
      targetType: 'study',
      targetId: grant.studyId,
      participantId: m.participantId,
      payload: { export: row.id, file },
    })),
  ]);
  return { ...source, range, open: () => source.open(range) };
}

/** Where a file of an export is read from: the file store, or the row for what predates it. */
async function exportSource(
  files: FileStore,
  row: typeof dataExports.$inferSelect,
  file: ExportFileName,
): Promise<Omit<ExportDownload, 'range' | 'open'> & { open(range: ByteRange | null): Readable }> {
  if (file === 'manifest') {
    const bytes = Buffer.from(`${JSON.stringify(row.manifest, null, 2)}\n`, 'utf8');
    return {
      fileName: `export-${row.id}.manifest.json`,
      contentType: 'application/json; charset=utf-8',
      size: bytes.length,
      etag: `"${createHash('sha256').update(bytes).digest('hex')}"`,
      open: (range) => inMemory(bytes, range)(),
    };
  }
  if (row.vcfFileKey === null) {
    // Made before the file store: plain text in the row, served as it always was.
    if (file === 'index') throw new NotFoundError('Export index');
    const bytes = Buffer.from(row.vcf ?? '', 'utf8');
    return {
      fileName: `export-${row.id}.vcf`,
      contentType: 'text/x-vcf; charset=utf-8',
      size: bytes.length,
      etag: `"${row.vcfSha256}"`,
      open: (range) => inMemory(bytes, range)(),
    };
  }
  const key = file === 'vcf' ? row.vcfFileKey : `${row.vcfFileKey}.tbi`;
  const size = await files.size(key);
  if (size === null) throw new NotFoundError('Export file');
  const manifest = row.manifest as { vcf?: { index?: { sha256?: string } } };
  return {
    fileName: file === 'vcf' ? `export-${row.id}.vcf.gz` : `export-${row.id}.vcf.gz.tbi`,
    contentType: file === 'vcf' ? 'application/gzip' : 'application/octet-stream',
    size,
    etag: `"${file === 'vcf' ? row.vcfSha256 : (manifest.vcf?.index?.sha256 ?? `${row.vcfSha256}.tbi`)}"`,
    open: (range) => files.read(key, range ?? undefined),
  };
}
