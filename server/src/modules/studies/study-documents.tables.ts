import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { createdAt, uuidRef } from '../../db/columns.js';
import { studies } from './studies.tables.js';

/** What a document is evidence of. */
export const DOCUMENT_KINDS = ['irb_letter', 'evidence'] as const;

/**
 * A document of a data access request (the IRB letter, other evidence), encrypted at rest
 * (study-document-cipher.ts): the file under its own data key with AES-256-GCM, the data key
 * sealed with the server's secrets key, which is never in the database. `sha256` is the digest
 * of the file as uploaded, shown to readers and checked on every read.
 */
export const studyDocuments = pgTable(
  'study_documents',
  {
    id: uuid('id').primaryKey(),
    studyId: uuidRef('study_id', () => studies.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** The data key, sealed (`enc:v1:<key id>:…`) with the secrets key current at upload. */
    wrappedKey: text('wrapped_key').notNull(),
    /** base64url: the GCM nonce, the ciphertext and the authentication tag. */
    iv: text('iv').notNull(),
    ciphertext: text('ciphertext').notNull(),
    tag: text('tag').notNull(),
    uploadedBy: uuidRef('uploaded_by', () => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('study_documents_study_idx').on(t.studyId),
    check(
      'study_documents_kind_check',
      sql.raw(`kind in (${DOCUMENT_KINDS.map((k) => `'${k}'`).join(', ')})`),
    ),
  ],
);
