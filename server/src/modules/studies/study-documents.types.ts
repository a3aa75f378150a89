import { builder } from '../../builder.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { StudyType } from './studies.types.js';
import { DOCUMENT_KINDS } from './study-documents.tables.js';
import {
  readDocumentUpload,
  studyDocumentList,
  uploadStudyDocument,
  type StudyDocumentInfo,
} from './study-documents.service.js';

export const StudyDocumentKindEnum = builder.enumType('StudyDocumentKind', {
  description: 'IRB_LETTER: the ethics approval (also the study’s IRB evidence); EVIDENCE: other.',
  values: Object.fromEntries(DOCUMENT_KINDS.map((k) => [k.toUpperCase(), { value: k }])) as Record<
    string,
    { value: (typeof DOCUMENT_KINDS)[number] }
  >,
});

const StudyDocumentType = builder.objectRef<StudyDocumentInfo>('StudyDocument').implement({
  description:
    'A document of a data access request, stored encrypted; its content is read at downloadPath.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: StudyDocumentKindEnum, resolve: (d) => d.kind as never }),
    name: t.exposeString('name'),
    contentType: t.exposeString('contentType'),
    sizeBytes: t.exposeInt('sizeBytes'),
    sha256: t.exposeString('sha256', {
      description: 'SHA-256 of the file as uploaded; checked again on every read.',
    }),
    uploadedAt: t.expose('createdAt', { type: 'DateTime' }),
    downloadPath: t.string({
      description: 'GET it with the session cookie or a bearer token (audited).',
      resolve: (d) => `/api/studies/${d.studyId}/documents/${d.id}`,
    }),
  }),
});

builder.objectField(StudyType, 'documents', (t) =>
  t.field({
    type: [StudyDocumentType],
    nullable: true,
    description:
      'The request’s documents, for its requester and the members of the committees deciding it; null for anyone else.',
    resolve: (study, _args, ctx) =>
      inTransaction(ctx, async (tx) => {
        try {
          return await studyDocumentList(tx, ctx.viewer, study.id);
        } catch (error) {
          if (error instanceof NotFoundError) return null;
          throw error;
        }
      }),
  }),
);

builder.mutationField('uploadStudyDocument', (t) =>
  t.field({
    type: StudyDocumentType,
    description:
      'Adds a PDF (the IRB letter or other evidence) to your draft request, encrypted at rest (DOCUMENT_MAX_MB, default 10).',
    authScopes: { roles: ['researcher'] },
    errors: { types: WRITE_ERRORS },
    args: {
      studyId: t.arg.id(),
      kind: t.arg({ type: StudyDocumentKindEnum }),
      file: t.arg({ type: 'File' }),
    },
    resolve: async (_root, { studyId, kind, file }, ctx) => {
      const upload = await readDocumentUpload(file, ctx.config.documents.maxBytes);
      return refusalAuditedTx(
        ctx,
        { action: 'study.document.upload', targetType: 'study', targetId: studyId },
        (tx) => uploadStudyDocument(tx, ctx.viewer, String(studyId), kind, upload),
      );
    },
  }),
);
