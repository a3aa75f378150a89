import { createHash, randomInt } from 'node:crypto';

// No 0/O, 1/I/L: codes are read aloud and typed from paper.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A new one-time code like `7KQ4-M2XW-9PDR-3HNB`: 16 characters from 31 symbols, 16 × log2(31)
 * ≈ 79 bits (three groups would be only ≈ 59).
 */
export function newEnrolmentCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g += 1) {
    let group = '';
    for (let i = 0; i < 4; i += 1) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** Normalises what a person typed (case, spaces, dashes) before hashing. */
export function normaliseEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** The digest under which a code is stored. */
export function enrolmentCodeDigest(code: string): string {
  return createHash('sha256')
    .update(`enrol:${normaliseEnrolmentCode(code)}`)
    .digest('hex');
}

/** A new pseudonym for a participant record, e.g. `P-4KQ7M2XW`. */
export function newPseudonym(): string {
  let s = 'P-';
  for (let i = 0; i < 8; i += 1) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}
