import { createHash } from 'node:crypto';
import { ValidationError } from '../../errors/app-errors.js';

const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

/**
 * Reads an uploaded IRB letter once and answers its name and SHA-256 (the evidence kept; the file
 * is not). Done before the transaction opens, so no lock is held while the upload streams in.
 */
export async function irbEvidenceDigest(file: File): Promise<{ name: string; sha256: string }> {
  if (file.size === 0 || file.size > MAX_EVIDENCE_BYTES)
    throw new ValidationError('The evidence file must hold 1 byte to 20 MB', [
      { field: 'file', message: `${file.size} bytes` },
    ]);
  const hash = createHash('sha256');
  const reader = file.stream().getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) hash.update(r.value);
  return { name: file.name, sha256: hash.digest('hex') };
}
