import { VcfFormatError } from './vcf-format-error.js';
import type { Zygosity } from './vcf-types.js';

const TAB = 9;
const COLON = 58;
const DOT = 46;
const SLASH = 47;
const PIPE = 124;
const ZERO = 48;
const NINE = 57;

/** Receives one non-reference allele carried by one sample. */
export type CallSink = (
  sampleIndex: number,
  gtStart: number,
  gtEnd: number,
  altIndex: number,
  zygosity: Zygosity,
) => void;

/** Highest ploidy accepted; anything above is more likely garbage than a real genotype. */
const MAX_PLOIDY = 8;
const alleles = new Int32Array(MAX_PLOIDY);

/**
 * Walks the sample columns `line[from, to)` of one record and reports every sample carrying an
 * alternate allele. GT must be the first FORMAT key (the spec requires it). Hom-ref and missing
 * calls are recognised by their first characters and never allocate. Fails on a malformed
 * genotype, an allele index above `altCount`, or a column count that differs from the header.
 */
export function scanGenotypes(
  line: string,
  from: number,
  to: number,
  sampleCount: number,
  altCount: number,
  gtOnly: boolean,
  lineNo: number,
  sink: CallSink,
): void {
  let pos = from;
  for (let s = 0; s < sampleCount; s += 1) {
    if (pos > to) {
      throw new VcfFormatError(
        lineNo,
        `the record has ${s} sample columns but the header names ${sampleCount} samples`,
      );
    }
    const start = pos;
    let end = pos;
    while (end < to) {
      const c = line.charCodeAt(end);
      if (c === TAB || c === COLON) break;
      end += 1;
    }
    const len = end - start;
    const c0 = line.charCodeAt(start);
    const homRefOrMissing =
      (len === 3 &&
        ((c0 === ZERO && line.charCodeAt(start + 2) === ZERO) ||
          (c0 === DOT && line.charCodeAt(start + 2) === DOT)) &&
        (line.charCodeAt(start + 1) === SLASH || line.charCodeAt(start + 1) === PIPE)) ||
      (len === 1 && (c0 === DOT || c0 === ZERO));
    if (!homRefOrMissing) scanOne(line, start, end, altCount, lineNo, s, sink);
    if (gtOnly) {
      if (end < to && line.charCodeAt(end) !== TAB) {
        throw new VcfFormatError(lineNo, `sample #${s + 1} has more fields than FORMAT declares`);
      }
      pos = end + 1;
    } else {
      const tab = line.indexOf('\t', end);
      pos = (tab === -1 || tab > to ? to : tab) + 1;
    }
  }
  if (pos <= to) {
    throw new VcfFormatError(
      lineNo,
      `the record has more sample columns than the ${sampleCount} samples the header names`,
    );
  }
}

function scanOne(
  line: string,
  start: number,
  end: number,
  altCount: number,
  lineNo: number,
  sampleIndex: number,
  sink: CallSink,
): void {
  let ploidy = 0;
  let p = start;
  if (start === end) throw malformed(line, start, end, lineNo, sampleIndex);
  for (;;) {
    let c = line.charCodeAt(p);
    let allele: number;
    if (c === DOT) {
      allele = -1;
      p += 1;
    } else if (c >= ZERO && c <= NINE) {
      allele = 0;
      while (p < end && (c = line.charCodeAt(p)) >= ZERO && c <= NINE) {
        allele = allele * 10 + (c - ZERO);
        p += 1;
      }
    } else {
      throw malformed(line, start, end, lineNo, sampleIndex);
    }
    if (ploidy === MAX_PLOIDY) throw malformed(line, start, end, lineNo, sampleIndex);
    if (allele > altCount) {
      throw new VcfFormatError(
        lineNo,
        `sample #${sampleIndex + 1} has genotype ${line.slice(start, end)}, whose allele ${allele} ` +
          `exceeds the ${altCount} ALT allele${altCount === 1 ? '' : 's'} of the record`,
      );
    }
    alleles[ploidy] = allele;
    ploidy += 1;
    if (p === end) break;
    c = line.charCodeAt(p);
    if (c !== SLASH && c !== PIPE) throw malformed(line, start, end, lineNo, sampleIndex);
    p += 1;
    if (p === end) throw malformed(line, start, end, lineNo, sampleIndex);
  }
  for (let i = 0; i < ploidy; i += 1) {
    const a = alleles[i]!;
    if (a <= 0) continue;
    let seenBefore = false;
    let copies = 1;
    for (let j = 0; j < ploidy; j += 1) {
      if (j === i || alleles[j] !== a) continue;
      if (j < i) seenBefore = true;
      copies += 1;
    }
    if (seenBefore) continue;
    const zygosity: Zygosity = ploidy === 1 ? 'hemi' : copies === ploidy ? 'hom' : 'het';
    sink(sampleIndex, start, end, a, zygosity);
  }
}

function malformed(
  line: string,
  start: number,
  end: number,
  lineNo: number,
  sampleIndex: number,
): VcfFormatError {
  return new VcfFormatError(
    lineNo,
    `sample #${sampleIndex + 1} has a malformed genotype "${line.slice(start, end)}"`,
  );
}
