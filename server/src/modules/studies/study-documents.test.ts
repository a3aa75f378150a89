import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { installSecretsKeyring, loadSecretsKeyring } from '../../lib/secrets-keyring.js';
import { sealedKeyId } from '../secrets/secret-cipher.js';
import { rotateSecretsKey } from '../secrets/secrets-rotation.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_PUBLIC_URL,
  mutate,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { studies } from './studies.tables.js';
import { studyDocuments } from './study-documents.tables.js';
import {
  readDocumentUpload,
  rewrapDocumentKeys,
  sweepExpiredDocuments,
  uploadStudyDocument,
} from './study-documents.service.js';
import { users } from '../accounts/accounts.tables.js';
import { ValidationError } from '../../errors/app-errors.js';
import { studyFilesRoute } from './study-files.route.js';
import { sha256Hex } from './study-document-cipher.js';

const LETTER = Buffer.from('%PDF-1.4\n% an IRB approval letter for the test\n%%EOF\n');
const LIMIT = 10 * 1024 * 1024;

describe(`request documents, encrypted at rest (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let draftId: string;
  let documentId: string;
  let keyDir: string;
  beforeAll(async () => {
    // A key file of this suite's own, so the rotation below has one to rotate.
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-documents-'));
    installSecretsKeyring(loadSecretsKeyring({ kind: 'file', path: path.join(keyDir, 'k') }));
    f = await openAccessFixture();
    const created = await mutate(f, f.tokens.researcher, 'createStudy(input: $input)', 'id', {
      input: {
        title: 'Documents of a request',
        laySummary: 'A plain summary that participants read before deciding anything at all.',
        purpose: { primary: 'HMB', commercial: false },
        cohortCriteria: { datasets: [f.panelId], sex: 'female', ageMin: 40, ageMax: 60 },
        datasetIds: [f.panelId],
      },
    });
    draftId = (created.data as { id: string }).id;
  }, 180_000);
  afterAll(async () => {
    await f.dispose();
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  /** Uploads as the mutation does: the file read and checked first, then one transaction. */
  const upload = async (studyId: string, file: File, kind = 'irb_letter') => {
    const [me] = await f.db.db.select().from(users).where(eq(users.email, 'researcher@demo.local'));
    const actor = {
      kind: 'user' as const,
      userId: me!.id,
      role: 'researcher' as const,
      sessionId: null,
    };
    try {
      const checked = await readDocumentUpload(file, LIMIT);
      return {
        ok: true as const,
        info: await f.db.db.transaction((tx) =>
          uploadStudyDocument(tx, actor, studyId, kind, checked),
        ),
      };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return { ok: false as const, error };
    }
  };
  const read = (studyId: string, docId: string, token?: string) =>
    studyFilesRoute(f.db.db).handler(
      new Request(`${FIXTURE_PUBLIC_URL}/api/studies/${studyId}/documents/${docId}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
      {},
    );

  it('refuses a file that is not a PDF, an empty one and one over the limit, with clear errors', async () => {
    await expect(
      readDocumentUpload(new File(['hello'], 'letter.pdf', { type: 'application/pdf' }), LIMIT),
    ).rejects.toThrow('The document must be a PDF');
    await expect(
      readDocumentUpload(new File([LETTER], 'letter.png', { type: 'image/png' }), LIMIT),
    ).rejects.toThrow('The document must be a PDF');
    await expect(readDocumentUpload(new File([], 'e.pdf'), LIMIT)).rejects.toThrow('empty');
    await expect(
      readDocumentUpload(new File([new Uint8Array(LIMIT + 1)], 'big.pdf'), LIMIT),
    ).rejects.toThrow('The document is larger than 10 MB');
  });

  it('stores the letter encrypted, never in clear, and makes it the study’s IRB evidence', async () => {
    const res = await upload(
      draftId,
      new File([LETTER], 'irb letter.pdf', { type: 'application/pdf' }),
    );
    if (!res.ok) throw res.error;
    documentId = res.info.id;
    expect(res.info.sha256).toBe(sha256Hex(LETTER));
    const [row] = await f.db.db
      .select()
      .from(studyDocuments)
      .where(eq(studyDocuments.id, documentId));
    expect(row!.wrappedKey).toMatch(/^enc:v1:[0-9a-f]{16}:/);
    expect(Buffer.from(row!.ciphertext, 'base64url').includes(Buffer.from('IRB approval'))).toBe(
      false,
    );
    expect(row!.ciphertext).not.toContain(LETTER.toString('base64url').slice(0, 20));
    const [study] = await f.db.db.select().from(studies).where(eq(studies.id, draftId));
    expect(study!.irbEvidenceSha256).toBe(sha256Hex(LETTER));
    const bad = await upload(
      draftId,
      new File(['not a pdf'], 'x.pdf', { type: 'application/pdf' }),
    );
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.issues).toEqual([
      { field: 'file', message: 'is not a PDF (application/pdf)' },
    ]);
  });

  it('serves the requester the file as uploaded with its SHA-256, each view audited; others are told nothing', async () => {
    const before = (await auditEventsWithAction(f.db.db, 'study.document.read')).length;
    const res = await read(draftId, documentId, f.tokens.researcher);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(LETTER)).toBe(true);
    expect(res.headers.get('x-content-sha256')).toBe(sha256Hex(LETTER));
    // A draft is not before any committee yet; admins and other researchers never see it.
    expect((await read(draftId, documentId, f.tokens.ethics)).status).toBe(404);
    expect((await read(draftId, documentId, f.tokens.admin)).status).toBe(404);
    const stranger = await loginAs(f.gql, await makeUser(f.db.db, 'researcher'));
    expect((await read(draftId, documentId, stranger)).status).toBe(404);
    expect((await read(draftId, documentId)).status).toBe(401);
    expect((await auditEventsWithAction(f.db.db, 'study.document.read')).length - before).toBe(1);
  });

  it('lets the deciding committee read a submitted request’s documents', async () => {
    const studyId = await submittedStudy(f);
    // Documents are added to drafts: this one is written as a draft's upload would be.
    await f.db.db.update(studies).set({ status: 'draft' }).where(eq(studies.id, studyId));
    const res = await upload(
      studyId,
      new File([LETTER], 'evidence.pdf', { type: 'application/pdf' }),
      'evidence',
    );
    if (!res.ok) throw res.error;
    await f.db.db.update(studies).set({ status: 'submitted' }).where(eq(studies.id, studyId));
    const list = await f.gql<{
      study: { documents: { id: string; sha256: string; downloadPath: string }[] };
    }>(
      `query($id: ID!) { study(id: $id) { documents { id sha256 downloadPath } } }`,
      { id: studyId },
      { token: f.tokens.ethics },
    );
    expect(list.data!.study.documents).toEqual([
      {
        id: res.info.id,
        sha256: sha256Hex(LETTER),
        downloadPath: `/api/studies/${studyId}/documents/${res.info.id}`,
      },
    ]);
    expect((await read(studyId, res.info.id, f.tokens.ethics)).status).toBe(200);
  });

  it('refuses a tampered ciphertext and a changed digest with a clear error, and audits the attempt', async () => {
    const [row] = await f.db.db
      .select()
      .from(studyDocuments)
      .where(eq(studyDocuments.id, documentId));
    const body = Buffer.from(row!.ciphertext, 'base64url');
    body[3] = body[3]! ^ 0x01;
    await f.db.db
      .update(studyDocuments)
      .set({ ciphertext: body.toString('base64url') })
      .where(eq(studyDocuments.id, documentId));
    const tampered = await read(draftId, documentId, f.tokens.researcher);
    expect(tampered.status).toBe(409);
    expect(((await tampered.json()) as { error: string }).error).toBe(
      'The document failed its integrity check: it does not decrypt: the stored file or its key was altered. It was not served.',
    );
    await f.db.db
      .update(studyDocuments)
      .set({ ciphertext: row!.ciphertext, sha256: 'a'.repeat(64) })
      .where(eq(studyDocuments.id, documentId));
    const swapped = await read(draftId, documentId, f.tokens.researcher);
    expect(swapped.status).toBe(409);
    expect(await auditEventsWithAction(f.db.db, 'study.document.integrity_failed')).toHaveLength(2);
    await f.db.db
      .update(studyDocuments)
      .set({ sha256: row!.sha256 })
      .where(eq(studyDocuments.id, documentId));
    expect((await read(draftId, documentId, f.tokens.researcher)).status).toBe(200);
  });

  it('re-seals the documents’ data keys when the secrets key rotates; they still read', async () => {
    const before = await f.db.db.select().from(studyDocuments);
    expect(before.length).toBeGreaterThan(0);
    const r = await rotateSecretsKey(f.db.db, rewrapDocumentKeys);
    const after = await f.db.db.select().from(studyDocuments);
    expect(new Set(after.map((d) => sealedKeyId(d.wrappedKey)))).toEqual(new Set([r.keyId]));
    expect(after.map((d) => d.ciphertext).sort()).toEqual(before.map((d) => d.ciphertext).sort());
    const res = await read(draftId, documentId, f.tokens.researcher);
    expect(Buffer.from(await res.arrayBuffer()).equals(LETTER)).toBe(true);
  });

  it('keeps documents after the decision and deletes them when the retention runs out', async () => {
    const decidedAt = new Date('2026-01-01T00:00:00Z');
    await f.db.db
      .update(studies)
      .set({ status: 'withdrawn', decidedAt })
      .where(eq(studies.id, draftId));
    const day = 24 * 3600 * 1000;
    expect(
      await sweepExpiredDocuments(f.db.db, 30, new Date(decidedAt.getTime() + 29 * day)),
    ).toEqual({ deleted: 0 });
    expect(
      await f.db.db.select().from(studyDocuments).where(eq(studyDocuments.studyId, draftId)),
    ).toHaveLength(1);
    expect(
      await sweepExpiredDocuments(f.db.db, 30, new Date(decidedAt.getTime() + 31 * day)),
    ).toEqual({ deleted: 1 });
    expect(
      await f.db.db.select().from(studyDocuments).where(eq(studyDocuments.studyId, draftId)),
    ).toHaveLength(0);
    const deleted = await auditEventsWithAction(f.db.db, 'study.document.delete');
    expect(deleted.map((e) => e.targetId)).toEqual([draftId]);
    // Documents of open requests are never swept, however old.
    expect(await sweepExpiredDocuments(f.db.db, 1, new Date('2100-01-01'))).toEqual({ deleted: 0 });
  });
});
