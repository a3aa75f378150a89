import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors.js';
import { idSchema } from '../../lib/validators.js';
import { systemActor, type Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { mayReadRequestFile } from './request-file-access.js';
import {
  DocumentIntegrityError,
  openDocument,
  rewrapDocumentKey,
  sealDocument,
  sha256Hex,
} from './study-document-cipher.js';
import { DOCUMENT_KINDS, studyDocuments } from './study-documents.tables.js';
import { studies } from './studies.tables.js';
import { assertDraft, ownStudy } from './study-access.js';

/** A document's description, without its encrypted body. */
export interface StudyDocumentInfo {
  id: string;
  studyId: string;
  kind: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: Date;
}

/** An upload read and checked, before any transaction opens. */
export interface DocumentUpload {
  name: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
}

const PDF_MAGIC = Buffer.from('%PDF-', 'ascii');

/**
 * Reads an upload once and checks it: 1 byte to `maxBytes`, and a PDF by its declared type and
 * by its first bytes (a renamed file is refused). Done before the transaction opens.
 */
export async function readDocumentUpload(file: File, maxBytes: number): Promise<DocumentUpload> {
  const mb = Math.round(maxBytes / 1024 / 1024);
  if (file.size === 0)
    throw new ValidationError('The document is empty', [{ field: 'file', message: 'is empty' }]);
  if (file.size > maxBytes)
    throw new ValidationError(`The document is larger than ${mb} MB`, [
      { field: 'file', message: `is ${file.size} bytes; the limit is ${mb} MB` },
    ]);
  const bytes = Buffer.from(await file.arrayBuffer());
  const declared = file.type || 'application/pdf';
  if (declared !== 'application/pdf' || !bytes.subarray(0, 5).equals(PDF_MAGIC))
    throw new ValidationError('The document must be a PDF', [
      { field: 'file', message: `is not a PDF (${file.type || 'no type'})` },
    ]);
  const name =
    file.name
      .trim()
      .replace(/[^\w.\- ]/g, '_')
      .slice(0, 200) || 'document';
  return { name, contentType: 'application/pdf', bytes, sha256: sha256Hex(bytes) };
}

const INFO = {
  id: studyDocuments.id,
  studyId: studyDocuments.studyId,
  kind: studyDocuments.kind,
  name: studyDocuments.name,
  contentType: studyDocuments.contentType,
  sizeBytes: studyDocuments.sizeBytes,
  sha256: studyDocuments.sha256,
  createdAt: studyDocuments.createdAt,
};

/**
 * The owner adds a document to a draft request, encrypted at rest. An IRB letter also becomes
 * the study's IRB evidence (its digest is what the DUO evidence check reads).
 */
export async function uploadStudyDocument(
  tx: Tx,
  actor: Actor | null,
  studyId: unknown,
  kind: unknown,
  upload: DocumentUpload,
): Promise<StudyDocumentInfo> {
  if (!DOCUMENT_KINDS.includes(kind as never))
    throw new ValidationError('Unknown kind of document', [
      { field: 'kind', message: `is one of ${DOCUMENT_KINDS.join(', ')}` },
    ]);
  const study = await ownStudy(tx, actor, studyId);
  assertDraft(study);
  const id = randomUUID();
  const [row] = await tx
    .insert(studyDocuments)
    .values({
      id,
      studyId: study.id,
      kind: kind as string,
      name: upload.name,
      contentType: upload.contentType,
      sizeBytes: upload.bytes.length,
      sha256: upload.sha256,
      ...sealDocument(id, upload.sha256, upload.bytes),
      uploadedBy: actor!.kind === 'user' ? actor!.userId : study.ownerId,
    })
    .returning(INFO);
  if (kind === 'irb_letter')
    await tx
      .update(studies)
      .set({
        irbEvidenceSha256: upload.sha256,
        irbEvidenceName: upload.name,
        updatedAt: new Date(),
      })
      .where(eq(studies.id, study.id));
  await appendAuditEvent(tx, actor, {
    action: 'study.document.upload',
    targetType: 'study',
    targetId: study.id,
    payload: { documentId: id, kind, sha256: upload.sha256, sizeBytes: upload.bytes.length },
  });
  return row!;
}

/** A request's documents (descriptions only), oldest first, for whoever may read its file. */
export async function studyDocumentList(
  tx: Tx,
  actor: Actor | null,
  studyId: string,
): Promise<StudyDocumentInfo[]> {
  await mayReadRequestFile(tx, actor, studyId);
  return tx
    .select(INFO)
    .from(studyDocuments)
    .where(eq(studyDocuments.studyId, studyId))
    .orderBy(studyDocuments.createdAt, studyDocuments.id);
}

/**
 * Reads one document for the requester or a member of a deciding committee: decrypted, its
 * SHA-256 checked, the view audited in the same transaction. A document that fails the check is
 * not served: the attempt is audited on its own and a CONFLICT says why.
 */
export async function readStudyDocument(
  db: Database,
  actor: Actor | null,
  studyId: unknown,
  documentId: unknown,
): Promise<{ info: StudyDocumentInfo; bytes: Buffer }> {
  try {
    return await db.transaction(async (tx) => {
      const study = await mayReadRequestFile(tx, actor, studyId);
      const parsed = idSchema.safeParse(documentId);
      if (!parsed.success) throw new NotFoundError('Document');
      const [row] = await tx
        .select()
        .from(studyDocuments)
        .where(and(eq(studyDocuments.id, parsed.data), eq(studyDocuments.studyId, study.id)));
      if (!row) throw new NotFoundError('Document');
      const bytes = openDocument(row.id, row.sha256, row);
      await appendAuditEvent(tx, actor, {
        action: 'study.document.read',
        targetType: 'study',
        targetId: study.id,
        payload: { documentId: row.id, sha256: row.sha256 },
      });
      const { wrappedKey: _k, iv: _i, ciphertext: _c, tag: _t, uploadedBy: _u, ...info } = row;
      return { info, bytes };
    });
  } catch (error) {
    if (!(error instanceof DocumentIntegrityError)) throw error;
    await db.transaction((tx) =>
      appendAuditEvent(tx, actor, {
        action: 'study.document.integrity_failed',
        targetType: 'study',
        targetId: String(studyId),
        payload: { documentId: String(documentId) },
      }),
    );
    throw new ConflictError(error.message);
  }
}

// A request is over once decided or withdrawn: its documents' retention runs from then.
const OVER = ['approved', 'rejected', 'withdrawn', 'expired', 'revoked', 'closed_out'];

/**
 * Deletes the documents of requests decided (or withdrawn) more than `retentionDays` ago, each
 * deletion audited, in one transaction. Answers how many documents went.
 */
export async function sweepExpiredDocuments(
  db: Database,
  retentionDays: number,
  now = new Date(),
): Promise<{ deleted: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600 * 1000);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: studyDocuments.id,
        studyId: studyDocuments.studyId,
        sha256: studyDocuments.sha256,
      })
      .from(studyDocuments)
      .innerJoin(studies, eq(studies.id, studyDocuments.studyId))
      .where(and(inArray(studies.status, OVER), lt(studies.decidedAt, cutoff)))
      .for('update', { of: studyDocuments, skipLocked: true });
    if (!due.length) return { deleted: 0 };
    await tx.delete(studyDocuments).where(
      inArray(
        studyDocuments.id,
        due.map((d) => d.id),
      ),
    );
    for (const d of due)
      await appendAuditEvent(tx, systemActor('retention'), {
        action: 'study.document.delete',
        targetType: 'study',
        targetId: d.studyId,
        payload: { documentId: d.id, sha256: d.sha256, retentionDays },
      });
    return { deleted: due.length };
  });
}

/** Re-seals every document's data key with the current secrets key (during a key rotation). */
export async function rewrapDocumentKeys(tx: Tx): Promise<number> {
  const rows = await tx
    .select({ id: studyDocuments.id, wrappedKey: studyDocuments.wrappedKey })
    .from(studyDocuments)
    .for('update');
  for (const row of rows)
    await tx
      .update(studyDocuments)
      .set({ wrappedKey: rewrapDocumentKey(row.id, row.wrappedKey) })
      .where(eq(studyDocuments.id, row.id));
  return rows.length;
}
