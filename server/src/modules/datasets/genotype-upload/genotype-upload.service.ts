import { createHash, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { pgIntArray, pgTextArray } from '../../../db/pg-array.js';
import { queryRows } from '../../../db/query-rows.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../errors/app-errors.js';
import { parseInput } from '../../../errors/parse-input.js';
import { idSchema } from '../../../lib/validators.js';
import type { Actor } from '../../actors/actor.js';
import { appendAuditEvent, appendParticipantEvent } from '../../audit/audit.service.js';
import { recordCohortChange } from '../../cohort-changes/cohort-changes.js';
import type { ChainLiftover } from '../../genomics/liftover/chain-liftover.js';
import type { ConsumerSite } from '../../genomics/consumer/read-consumer-genotypes.js';
import { signedInParticipant } from '../../participants/signed-in-participant.js';
import { readGenotypeFile, type AlleleCall, type ReadReport } from './read-genotype-file.js';
import { genotypeUploads } from './genotype-upload.tables.js';

/** What the server accepts, from its configuration. */
export interface GenotypeUploadSettings {
  maxBytes: number;
  /** GRCh37 → GRCh38 conversion; null refuses GRCh37 files. */
  liftover: ChainLiftover | null;
}

/** An uploaded file as the request carried it. */
export interface GenotypeFileUpload {
  name: string;
  size: number;
  /** The content; read only once the size is known to be within the limit. */
  bytes(): Promise<Uint8Array>;
}

/** What an upload stored, for the participant. */
export interface GenotypeUploadReport extends ReadReport {
  /** Non-reference calls stored. */
  calls: number;
  /** Consumer sites at a position where no variant is known: a chip reports no reference allele. */
  unknownSites: number;
  /** Consumer sites whose alleles are not the known variant's reference or alternate. */
  unmatchedAlleles: number;
}

/** One upload as listed for its participant. */
export type GenotypeUploadView = typeof genotypeUploads.$inferSelect & {
  report: GenotypeUploadReport;
};

const CHUNK = 20_000;
const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * The signed-in participant uploads their own genotype file (source: device upload). The file is
 * read and checked in full first (format, build, every line); then, in this one transaction, the
 * upload, any variant not yet known (VCF only) and the calls are written, the cohort index is
 * told through the change log and `record.genotypes.upload` is audited. Any error writes nothing.
 * The calls count in research only as the participant's consent allows, like any other data.
 */
export async function uploadOwnGenotypes(
  tx: Tx,
  actor: Actor | null,
  file: GenotypeFileUpload,
  settings: GenotypeUploadSettings,
): Promise<GenotypeUploadView> {
  const participant = await signedInParticipant(tx, actor, { lock: true });
  if (file.size === 0) throw fileRefusal('The file is empty.');
  if (file.size > settings.maxBytes)
    throw fileRefusal(`The file is ${mb(file.size)}, over the limit of ${mb(settings.maxBytes)}.`);
  const bytes = await file.bytes();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const [again] = await tx
    .select({ id: genotypeUploads.id })
    .from(genotypeUploads)
    .where(
      and(
        eq(genotypeUploads.participantId, participant.id),
        eq(genotypeUploads.fileSha256, sha256),
        isNull(genotypeUploads.retractedAt),
      ),
    );
  if (again) throw new ConflictError('You already uploaded this file');
  const content = await readGenotypeFile(bytes, settings.liftover);
  const matched =
    content.format === 'vcf'
      ? { calls: await variantIdsOf(tx, content.calls), unknownSites: 0, unmatchedAlleles: 0 }
      : await callsAtKnownVariants(tx, content.sites);
  const report: GenotypeUploadReport = {
    ...content.report,
    calls: matched.calls.length,
    unknownSites: matched.unknownSites,
    unmatchedAlleles: matched.unmatchedAlleles,
  };
  const id = randomUUID();
  const [row] = await tx
    .insert(genotypeUploads)
    .values({
      id,
      participantId: participant.id,
      format: content.format,
      build: content.build,
      liftedOver: content.liftedOver,
      fileName: safeName(file.name),
      fileSha256: sha256,
      report,
      uploadedBy: actor!.kind === 'user' ? actor!.userId : null,
    })
    .returning();
  for (let i = 0; i < matched.calls.length; i += CHUNK) {
    const part = matched.calls.slice(i, i + CHUNK);
    await tx.execute(sql`insert into genotype_upload_calls (upload_id, variant_id, participant_num, zygosity)
      select ${id}::uuid, v, ${participant.num}, z
      from unnest(${pgIntArray(part.map((c) => c.variantId))}::int[], ${pgIntArray(part.map((c) => c.zygosity))}::int[]) as s(v, z)
      on conflict do nothing`);
  }
  await recordCohortChange(tx, 'genotypes', id);
  await appendAuditEvent(tx, actor, {
    action: 'record.genotypes.upload',
    targetType: 'genotype_upload',
    targetId: id,
    participantId: participant.id,
    // Counts and the format only: never a position, an allele or the file's name.
    payload: { format: content.format, build: content.build, calls: report.calls },
  });
  return { ...row!, report };
}

/**
 * The signed-in participant retracts one of their uploads, whole: its calls leave every count at
 * once (the cohort index is told through the change log in this transaction; every reader of
 * uploaded calls skips retracted uploads), the retraction is audited, and the upload stays
 * listed as retracted. Another participant's upload answers "not found"; a retracted one,
 * "conflict".
 */
export async function retractOwnGenotypeUpload(
  tx: Tx,
  actor: Actor | null,
  uploadId: string,
): Promise<GenotypeUploadView> {
  const id = parseInput(idSchema, uploadId);
  const participant = await signedInParticipant(tx, actor, { lock: true });
  const [upload] = await tx
    .select()
    .from(genotypeUploads)
    .where(and(eq(genotypeUploads.id, id), eq(genotypeUploads.participantId, participant.id)))
    .for('update');
  if (!upload) throw new NotFoundError('Genotype upload');
  if (upload.retractedAt) throw new ConflictError('You already retracted this file');
  const [row] = await tx
    .update(genotypeUploads)
    .set({ retractedAt: new Date() })
    .where(eq(genotypeUploads.id, id))
    .returning();
  await recordCohortChange(tx, 'genotypes', id);
  const report = upload.report as GenotypeUploadReport;
  await appendAuditEvent(tx, actor, {
    action: 'record.genotypes.retract',
    targetType: 'genotype_upload',
    targetId: id,
    participantId: participant.id,
    payload: { calls: report.calls },
  });
  return { ...row!, report };
}

/**
 * The signed-in participant's uploads, newest first, retracted ones too (marked by
 * `retractedAt`); their own data, so the read is audited.
 */
export async function myGenotypeUploads(
  tx: Tx,
  actor: Actor | null,
): Promise<GenotypeUploadView[]> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const rows = await tx
    .select()
    .from(genotypeUploads)
    .where(eq(genotypeUploads.participantId, participant.id))
    .orderBy(sql`${genotypeUploads.createdAt} desc`);
  await appendParticipantEvent(tx, actor, 'record.genotypes.read', participant.id);
  return rows.map((r) => ({ ...r, report: r.report as GenotypeUploadReport }));
}

function fileRefusal(message: string): ValidationError {
  return new ValidationError(message, [{ field: 'file', message }]);
}

/** The file's own name without any path, for the participant's list. */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'genotypes').slice(0, 200);
}

interface StoredCall {
  variantId: number;
  zygosity: number;
}

/** Stores the VCF's variants not yet known and answers each call with its variant id. */
async function variantIdsOf(tx: Tx, calls: AlleleCall[]): Promise<StoredCall[]> {
  const out: StoredCall[] = [];
  for (let i = 0; i < calls.length; i += CHUNK) {
    const part = calls.slice(i, i + CHUNK);
    const cols = sql`unnest(${pgTextArray(part.map((c) => c.chrom))}::text[], ${pgIntArray(part.map((c) => c.pos))}::int[],
      ${pgTextArray(part.map((c) => c.ref))}::text[], ${pgTextArray(part.map((c) => c.alt))}::text[],
      ${pgIntArray(part.map((c) => c.zygosity))}::int[]) as s(chrom, pos, ref, alt, z)`;
    await tx.execute(sql`insert into variants (chrom, pos, ref, alt)
      select distinct chrom, pos, ref, alt from ${cols} on conflict (chrom, pos, ref, alt) do nothing`);
    const rows = await queryRows<{ id: number; z: number }>(
      tx,
      sql`select v.id, s.z from ${cols}
          join variants v on v.chrom = s.chrom and v.pos = s.pos and v.ref = s.ref and v.alt = s.alt`,
    );
    for (const r of rows) out.push({ variantId: r.id, zygosity: r.z });
  }
  return out;
}

/**
 * Turns consumer sites into calls against the single-base variants already known at their
 * positions: a chip reports two alleles but not which one is the reference, so a site is placed
 * only where the platform knows the reference and alternate bases. One copy of the alternate is
 * heterozygous, two homozygous, one of one (X or Y in men, MT) hemizygous.
 */
async function callsAtKnownVariants(
  tx: Tx,
  sites: ConsumerSite[],
): Promise<{ calls: StoredCall[]; unknownSites: number; unmatchedAlleles: number }> {
  const calls: StoredCall[] = [];
  let unknownSites = 0;
  let unmatchedAlleles = 0;
  for (let i = 0; i < sites.length; i += CHUNK) {
    const part = sites.slice(i, i + CHUNK);
    const known = await queryRows<{
      id: number;
      chrom: string;
      pos: number;
      ref: string;
      alt: string;
    }>(
      tx,
      sql`select v.id, v.chrom, v.pos, v.ref, v.alt
          from (select distinct chrom, pos from unnest(${pgTextArray(part.map((s) => s.chrom))}::text[], ${pgIntArray(part.map((s) => s.pos))}::int[]) as u(chrom, pos)) s
          join variants v on v.chrom = s.chrom and v.pos = s.pos
          where length(v.ref) = 1 and length(v.alt) = 1`,
    );
    const byPosition = new Map<string, typeof known>();
    for (const v of known) {
      const key = `${v.chrom}:${v.pos}`;
      byPosition.set(key, [...(byPosition.get(key) ?? []), v]);
    }
    for (const site of part) {
      const here = byPosition.get(`${site.chrom}:${site.pos}`);
      if (!here) {
        unknownSites += 1;
        continue;
      }
      const ref = here[0]!.ref;
      const alts = new Set(here.map((v) => v.alt));
      if (site.alleles.some((a) => a !== ref && !alts.has(a))) {
        unmatchedAlleles += 1;
        continue;
      }
      for (const v of here) {
        const copies = site.alleles.filter((a) => a === v.alt).length;
        if (copies === 0) continue;
        const zygosity = site.alleles.length === 1 ? 3 : copies === 2 ? 2 : 1;
        calls.push({ variantId: v.id, zygosity });
      }
    }
  }
  return { calls, unknownSites, unmatchedAlleles };
}
