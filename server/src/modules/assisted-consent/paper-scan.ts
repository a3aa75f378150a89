import { createHash } from 'node:crypto';
import { ValidationError } from '../../errors/app-errors.js';

const MAX_SCAN_BYTES = 10 * 1024 * 1024;

/** A scan of a signed paper consent form, read once. */
export interface PaperScan {
  name: string;
  sha256: string;
  bytes: Buffer;
}

/**
 * Reads an uploaded scan (a PDF of 1 byte to 10 MB) and answers its name, bytes and SHA-256.
 * Like the IRB letter upload (studies/irb-evidence-upload.ts) it is read before the transaction
 * opens; unlike the letter the bytes are kept: the scan is the participant's signed form.
 */
export async function readPaperScan(file: File): Promise<PaperScan> {
  if (file.size === 0 || file.size > MAX_SCAN_BYTES)
    throw new ValidationError('The scan must hold 1 byte to 10 MB', [
      { field: 'scan', message: `${file.size} bytes` },
    ]);
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new ValidationError('The scan must be a PDF', [{ field: 'scan', message: 'not a PDF' }]);
  return {
    name: file.name.slice(0, 200) || 'scan.pdf',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes,
  };
}
