import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/app-errors.js';
import { irbEvidenceDigest } from './irb-evidence-upload.js';

describe('irbEvidenceDigest', () => {
  it('answers the name and the SHA-256 of the whole upload', async () => {
    // FIPS 180-2's test vector for "abc".
    const file = new File(['a', 'bc'], 'irb-letter.pdf');
    expect(await irbEvidenceDigest(file)).toEqual({
      name: 'irb-letter.pdf',
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });

  it('refuses an empty file and one over 20 MB', async () => {
    await expect(irbEvidenceDigest(new File([], 'empty.pdf'))).rejects.toBeInstanceOf(
      ValidationError,
    );
    const big = new File([new Uint8Array(20 * 1024 * 1024 + 1)], 'big.pdf');
    await expect(irbEvidenceDigest(big)).rejects.toBeInstanceOf(ValidationError);
  });
});
