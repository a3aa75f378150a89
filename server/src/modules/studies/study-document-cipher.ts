import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { secretsKeyring } from '../../lib/secrets-keyring.js';
import { sealSecret } from '../secrets/secret-cipher.js';
import { unseal } from '../secrets/server-secrets.js';

const b64 = (b: Buffer) => b.toString('base64url');
const raw = (s: string) => Buffer.from(s, 'base64url');

/** The encrypted form of a document as stored. */
export interface SealedDocument {
  wrappedKey: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

/** The name a document's data key is sealed under (its authenticated data), bound to its row. */
const keyName = (documentId: string) => `study_documents:${documentId}`;

/** The additional authenticated data of a document's body: its id and its digest. */
const bodyAad = (documentId: string, sha256: string) =>
  Buffer.from(`study_documents:${documentId}:${sha256}`, 'utf8');

/** The hex SHA-256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Encrypts a document with AES-256-GCM under a fresh data key; the data key is sealed with the
 * current secrets key (SECRETS_KEY or the key file, outside the database). The id and digest
 * are authenticated, so a body moved to another row or given another digest fails to open.
 */
export function sealDocument(
  documentId: string,
  sha256: string,
  bytes: Uint8Array,
): SealedDocument {
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(bodyAad(documentId, sha256));
  const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return {
    wrappedKey: sealSecret(secretsKeyring().current, keyName(documentId), b64(dataKey)),
    iv: b64(iv),
    ciphertext: b64(body),
    tag: b64(cipher.getAuthTag()),
  };
}

/** Re-seals a document's data key with the current secrets key (key rotation). */
export function rewrapDocumentKey(documentId: string, wrappedKey: string): string {
  const dataKey = unseal(keyName(documentId), wrappedKey);
  return sealSecret(secretsKeyring().current, keyName(documentId), dataKey);
}

/**
 * Decrypts a document and checks it against its recorded digest. Throws when the ciphertext, the
 * tag, the data key or the digest was altered: nothing altered is ever served.
 */
export function openDocument(documentId: string, sha256: string, sealed: SealedDocument): Buffer {
  let bytes: Buffer;
  try {
    const dataKey = raw(unseal(keyName(documentId), sealed.wrappedKey));
    const decipher = createDecipheriv('aes-256-gcm', dataKey, raw(sealed.iv));
    decipher.setAAD(bodyAad(documentId, sha256));
    decipher.setAuthTag(raw(sealed.tag));
    bytes = Buffer.concat([decipher.update(raw(sealed.ciphertext)), decipher.final()]);
  } catch {
    throw new DocumentIntegrityError('it does not decrypt: the stored file or its key was altered');
  }
  // GCM already binds the digest; checking the bytes themselves says so in plain terms.
  if (sha256Hex(bytes) !== sha256)
    throw new DocumentIntegrityError('its SHA-256 does not match the one recorded at upload');
  return bytes;
}

/** A stored document failed its integrity check and was not served. */
export class DocumentIntegrityError extends Error {
  constructor(readonly reason: string) {
    super(`The document failed its integrity check: ${reason}. It was not served.`);
    this.name = 'DocumentIntegrityError';
  }
}
