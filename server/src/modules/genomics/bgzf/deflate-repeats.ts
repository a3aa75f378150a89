/**
 * A deflate encoder (RFC 1951) for text that repeats itself every four bytes, such as an export's
 * genotype columns (`\t0/0` per sample, a few columns differing). It looks for one kind of match
 * only, the bytes four back, and writes one block with the fixed Huffman codes: a run of n
 * repeated bytes costs 13 bits per 258, a differing byte about 8. No hash chains, no search and
 * no code tables to build, so it runs at memory speed where zlib at level 6 spends most of an
 * export's CPU. The output is plain deflate: gzip, bgzip, htslib and every other inflater read it.
 * Data it does not suit (little repetition at distance 4) is refused, and the caller uses zlib.
 */

/** Bits of each literal's code (already bit-reversed, ready to append LSB first) and counts. */
const LITERAL_BITS = new Uint32Array(256);
const LITERAL_COUNT = new Uint8Array(256);
/** The whole token for a match of length 3..258 at distance 4: length code, extra bits, distance code. */
const MATCH_BITS = new Uint32Array(259);
const MATCH_COUNT = new Uint8Array(259);
/** Lengths 3..258 by length code 257..285: base length and extra bits (RFC 1951 § 3.2.5). */
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/** Distance 4 is distance code 3 with no extra bits. */
const DISTANCE_4_CODE = 3;
/** The block header (BFINAL = 1, BTYPE = 01, fixed codes) and end-of-block (code 256, 7 zero bits). */
const HEADER_BITS = 0b011;
const END_OF_BLOCK_COUNT = 7;

/** `code` of `count` bits, most significant first as Huffman codes are sent, reversed for LSB-first packing. */
function reversed(code: number, count: number): number {
  let out = 0;
  for (let i = 0; i < count; i++) out |= ((code >> i) & 1) << (count - 1 - i);
  return out;
}

/** The fixed literal/length code of a symbol (RFC 1951 § 3.2.6), as [bits, count]. */
function fixedCode(symbol: number): [number, number] {
  if (symbol < 144) return [reversed(0x30 + symbol, 8), 8];
  if (symbol < 256) return [reversed(0x190 + symbol - 144, 9), 9];
  if (symbol < 280) return [reversed(symbol - 256, 7), 7];
  return [reversed(0xc0 + symbol - 280, 8), 8];
}

for (let b = 0; b < 256; b++) [LITERAL_BITS[b], LITERAL_COUNT[b]] = fixedCode(b);
for (let length = 3; length <= 258; length++) {
  let code = LENGTH_BASE.length - 1;
  while (LENGTH_BASE[code]! > length) code--;
  const [bits, count] = fixedCode(257 + code);
  const extra = LENGTH_EXTRA[code]!;
  const distance = reversed(DISTANCE_4_CODE, 5);
  MATCH_BITS[length] =
    bits | ((length - LENGTH_BASE[code]!) << count) | (distance << (count + extra));
  MATCH_COUNT[length] = count + extra + 5;
}

/**
 * How many bytes from `i` (at least 4) on equal the byte four before them. Compares bytes up to
 * a word boundary, then whole words (`words` is `data` viewed as 32-bit words, when aligned)
 * against the word before, then the bytes of the last word.
 */
function repeatRun(data: Uint8Array, words: Uint32Array | null, i: number): number {
  const length = data.length;
  let j = i;
  while (j < length && (j & 3) !== 0) {
    if (data[j] !== data[j - 4]) return j - i;
    j++;
  }
  if (words) {
    let k = j >> 2;
    while (k < words.length && words[k] === words[k - 1]) k++;
    j = k << 2;
  }
  while (j < length && data[j] === data[j - 4]) j++;
  return j - i;
}

/** Output of the largest block (64 KiB in, at most a quarter of it out), reused by every call. */
let scratch = Buffer.allocUnsafe((0x10000 >> 2) + 72);

/**
 * Raw deflate data for `data`, or null when it would not come to at most a quarter of the input
 * (plus a little for short data): then it does not repeat enough for this encoder. The result is
 * a view of a buffer the next call overwrites: copy it before calling again.
 */
export function deflateRepeats(data: Uint8Array): Buffer | null {
  const limit = (data.length >> 2) + 64;
  if (scratch.length < limit + 8) scratch = Buffer.allocUnsafe(limit + 8);
  const out = scratch;
  let o = 0;
  let acc = HEADER_BITS;
  let bits = 3;
  const length = data.length;
  // Whole aligned words compared at once: the scan is most of the encoder's time.
  const words =
    data.byteOffset % 4 === 0
      ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2)
      : null;
  let i = 0;
  while (i < length) {
    // How many bytes from i on equal the byte four before them.
    let run = i >= 4 ? repeatRun(data, words, i) : 0;
    if (run >= 3) {
      i += run;
      while (run >= 3) {
        // Never leave a tail of 1 or 2 bytes, which no match can cover.
        const m = run <= 258 ? run : run - 258 < 3 ? run - 3 : 258;
        acc |= MATCH_BITS[m]! << bits;
        bits += MATCH_COUNT[m]!;
        run -= m;
        while (bits >= 8) {
          out[o++] = acc & 0xff;
          acc >>>= 8;
          bits -= 8;
        }
      }
      // The 1 or 2 bytes left go out as literals.
      i -= run;
      while (run-- > 0) {
        const b = data[i++]!;
        acc |= LITERAL_BITS[b]! << bits;
        bits += LITERAL_COUNT[b]!;
      }
    } else {
      const b = data[i++]!;
      acc |= LITERAL_BITS[b]! << bits;
      bits += LITERAL_COUNT[b]!;
    }
    while (bits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
    if (o > limit) return null;
  }
  bits += END_OF_BLOCK_COUNT;
  while (bits > 0) {
    out[o++] = acc & 0xff;
    acc >>>= 8;
    bits -= 8;
  }
  return out.subarray(0, o);
}
