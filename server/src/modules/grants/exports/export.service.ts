import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { desc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { insertChunked } from '../../../db/insert-chunked.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../errors/app-errors.js';
import { idSchema } from '../../../lib/validators.js';
import { hasRole, type Actor } from '../../actors/actor.js';
import { appendAuditEvent, appendAuditEvents, type AuditEntry } from '../../audit/audit.service.js';
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
import { exportVcf } from './export-vcf.js';
import { EXPORT_FIELD_SOURCES, exportPhenotypes } from './export-phenotypes.js';

/** An export row without its VCF text (fetched only for download). */
export type ExportSummary = Omit<typeof dataExports.$inferSelect, 'vcf'>;

const summaryColumns = {
  id: dataExports.id,
  grantId: dataExports.grantId,
  createdBy: dataExports.createdBy,
  createdAt: dataExports.createdAt,
  participantCount: dataExports.participantCount,
  variantCount: dataExports.variantCount,
  manifest: dataExports.manifest,
  vcfSha256: dataExports.vcfSha256,
};

/**
 * Exports under an active grant exactly the participants whose effective consent permits the
 * study at this moment, read in this transaction: a "no" or a withdrawal committed a second
 * earlier is already out. Writes the manifest (export-specific sample ids), the VCF subset,
 * who was included (so each participant sees it), and audits the export and every inclusion.
 * `index` must be synced before the transaction opens.
 */
export async function createExport(
  tx: Tx,
  actor: Actor | null,
  index: CohortIndex,
  grantId: unknown,
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
  const vcf = await exportVcf(tx, {
    exportId,
    grantId: grant.id,
    datasetIds: grant.datasetIds,
    samples: included,
  });
  const vcfSha256 = createHash('sha256').update(vcf.text, 'utf8').digest('hex');
  const datasetRows = await tx
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(inArray(datasets.id, grant.datasetIds));
  const createdAt = new Date();
  const manifest = {
    export: exportId,
    grant: grant.id,
    study: study!.id,
    createdAt: createdAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
    datasets: datasetRows,
    conditions: grant.conditions,
    samples: included.map((m) => m.sampleId),
    // Whose word each sample's consent rests on: the participant's passkey signature (checked
    // by the contract) or the institution recording it for them.
    consentVouchedBy: Object.fromEntries(included.map((m) => [m.sampleId, m.vouchedBy])),
    vcf: { sha256: vcfSha256, variants: vcf.variantCount, samples: included.length },
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
      vcf: vcf.text,
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
      study: study!.id,
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
      targetId: study!.id,
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

/**
 * The files of an export for its grantee while the grant is active and while everyone in it
 * still consents (otherwise `ExportLapsedError`: make a new export); the download is audited.
 * Boards see export summaries, not the data.
 */
export async function exportFile(
  tx: Tx,
  actor: Actor | null,
  exportId: unknown,
  file: 'vcf' | 'manifest',
): Promise<{ body: string; fileName: string; contentType: string }> {
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
  // The VCF discloses every included participant's genotypes: each of them sees the download.
  const members =
    file === 'vcf'
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
      payload: { file, grant: grant.id },
    },
    ...members.map((m): AuditEntry => ({
      action: 'export.download',
      targetType: 'study',
      targetId: grant.studyId,
      participantId: m.participantId,
      payload: { export: row.id, file },
    })),
  ]);
  return file === 'vcf'
    ? { body: row.vcf, fileName: `export-${row.id}.vcf`, contentType: 'text/x-vcf; charset=utf-8' }
    : {
        body: `${JSON.stringify(row.manifest, null, 2)}\n`,
        fileName: `export-${row.id}.manifest.json`,
        contentType: 'application/json; charset=utf-8',
      };
}
