import VCFParser from '@gmod/vcf';
import type { LineReader } from './line-reader.js';
import { VcfFormatError } from './vcf-format-error.js';
import type { VcfContig, VcfHeader } from './vcf-types.js';

const FIXED_COLUMNS = ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO'];
const META = /^##[^=<>\s]+=/;

/** The header and the parser built from it, plus the lines read past the #CHROM line. */
export interface ParsedHeader {
  header: VcfHeader;
  parser: VCFParser;
  /** Lines of the chunk that held #CHROM, after it; numbered from `header.lines + 1`. */
  rest: string[];
}

/**
 * Reads header lines up to and including #CHROM. Checks what @gmod/vcf leaves to the caller
 * (the fileformat line, the #CHROM line being present, unique sample names) and hands the
 * text to @gmod/vcf for the meta-information lines, so INFO types come from its parser.
 */
export async function readHeader(lines: LineReader): Promise<ParsedHeader> {
  const meta: string[] = [];
  let lineNo = 0;
  for (let chunk = await lines.next(); chunk; chunk = await lines.next()) {
    for (let i = 0; i < chunk.length; i += 1) {
      const line = chunk[i]!;
      lineNo += 1;
      if (lineNo === 1 && !/^##fileformat=VCFv4\.\d+\s*$/.test(line)) {
        throw new VcfFormatError(1, 'the first line must be ##fileformat=VCFv4.x');
      }
      if (line.startsWith('##')) {
        if (!META.test(line)) {
          throw new VcfFormatError(
            lineNo,
            'malformed meta-information line (expected ##key=value)',
          );
        }
        meta.push(line);
        continue;
      }
      if (!line.startsWith('#CHROM')) {
        throw new VcfFormatError(
          lineNo,
          line.startsWith('#')
            ? 'unexpected header line; the column header must start with #CHROM'
            : 'missing #CHROM header line before the first record',
        );
      }
      const header = chromLine(line, lineNo, meta);
      let parser: VCFParser;
      try {
        parser = new VCFParser({ header: [...meta, line].join('\n') });
      } catch (err) {
        throw new VcfFormatError(lineNo, `header rejected: ${(err as Error).message}`);
      }
      header.contigs = contigsOf(parser);
      const reference = parser.getMetadata('reference');
      if (typeof reference === 'string' && reference.trim()) header.reference = reference.trim();
      return { header, parser, rest: chunk.slice(i + 1) };
    }
  }
  throw new VcfFormatError(lineNo, 'missing #CHROM header line (the file ended inside the header)');
}

function chromLine(line: string, lineNo: number, meta: string[]): VcfHeader {
  const cols = line.split('\t');
  for (let i = 0; i < FIXED_COLUMNS.length; i += 1) {
    if (cols[i] !== FIXED_COLUMNS[i]) {
      throw new VcfFormatError(
        lineNo,
        `column ${i + 1} of the #CHROM line must be ${FIXED_COLUMNS[i]} (columns are tab-separated)`,
      );
    }
  }
  if (cols.length > 8 && cols[8] !== 'FORMAT') {
    throw new VcfFormatError(lineNo, 'column 9 of the #CHROM line must be FORMAT');
  }
  const samples = cols.slice(9);
  if (cols.length === 9) throw new VcfFormatError(lineNo, 'FORMAT column without samples');
  const seen = new Set<string>();
  samples.forEach((name, i) => {
    if (name.trim() === '') throw new VcfFormatError(lineNo, `sample column ${i + 1} has no name`);
    // PostgreSQL text cannot hold NUL, and no pseudonym has control characters: refuse here, as
    // bad input, rather than fail in the database.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(name))
      throw new VcfFormatError(
        lineNo,
        `sample column ${i + 1} has a control character in its name`,
      );
    if (seen.has(name)) throw new VcfFormatError(lineNo, `duplicate sample name "${name}"`);
    seen.add(name);
  });
  const fileformat = meta[0]!.slice('##fileformat='.length).trim();
  return { fileformat, samples, contigs: [], lines: lineNo };
}

function contigsOf(parser: VCFParser): VcfContig[] {
  const section = parser.getMetadata('contig');
  if (!section || typeof section !== 'object') return [];
  return Object.entries(section).map(([id, fields]) => {
    const attributes = fields as Record<string, unknown> | undefined;
    const length = Number(attributes?.length);
    const contig: VcfContig = Number.isFinite(length) && length > 0 ? { id, length } : { id };
    if (typeof attributes?.assembly === 'string') contig.assembly = attributes.assembly;
    return contig;
  });
}
