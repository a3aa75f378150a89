import { buildNamedIn, type GenomeBuild } from '../genome-build.js';

/** The consumer raw-data formats read. */
export type ConsumerFormat = '23andme' | 'ancestrydna';

/** One genotyped site as the file gives it (build as the file says, forward strand). */
export interface ConsumerSite {
  /** Line in the file (1-based). */
  line: number;
  /** The file's identifier: an rsID, or a vendor's internal id (`i3000001`). */
  rsid: string;
  /** 1–22, X, Y, MT. */
  chrom: string;
  /** 1-based. */
  pos: number;
  /** One allele (hemizygous: X or Y in men, MT) or two; A, C, G or T. */
  alleles: string[];
}

/** A consumer file read in full. */
export interface ConsumerGenotypes {
  format: ConsumerFormat;
  build: GenomeBuild;
  sites: ConsumerSite[];
  /** Sites the chip did not call (`--`, `0`). */
  noCalls: number;
  /** Sites given as insertion/deletion codes (D, I): no sequence, so not placeable. */
  indelCodes: number;
  lines: number;
}

/** A problem with one line of the file. */
export interface LineProblem {
  line: number;
  message: string;
}

/** The file is not one this reader accepts; `problems` names lines (at most 20). */
export class ConsumerFormatError extends Error {
  constructor(
    message: string,
    readonly problems: LineProblem[] = [],
  ) {
    super(message);
  }
}

const MAX_PROBLEMS = 20;
const PRIMARY = new Set([...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT']);
/** AncestryDNA numbers X, Y, the pseudo-autosomal region of X, and MT as 23–26. */
const ANCESTRY_CHROM: Record<string, string> = { '23': 'X', '24': 'Y', '25': 'X', '26': 'MT' };
const POSITION = /^[1-9][0-9]{0,9}$/;
const BASES = /^[ACGT]{1,2}$/;
const INDEL = /^[DI]{1,2}$/;

const HEADER_23ANDME = ['rsid', 'chromosome', 'position', 'genotype'];
const HEADER_ANCESTRY = ['rsid', 'chromosome', 'position', 'allele1', 'allele2'];

/**
 * Reads a 23andMe or AncestryDNA raw-data text file (unzipped). The build is taken from the
 * file's own comment ("build 37", "build 37.1"); a file that names none is refused. Every line
 * is checked before anything is returned; up to 20 bad lines are named with their numbers.
 */
export function readConsumerGenotypes(text: string): ConsumerGenotypes {
  const lines = text.split('\n');
  const comments: string[] = [];
  let format: ConsumerFormat | null = null;
  let columns = 0;
  const sites: ConsumerSite[] = [];
  const problems: LineProblem[] = [];
  let noCalls = 0;
  let indelCodes = 0;
  const problem = (line: number, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ line, message });
  };
  for (let i = 0; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const cells = line
      .replace(/^#\s*/, '')
      .split('\t')
      .map((c) => c.trim());
    const isHeader = cells[0]?.toLowerCase() === 'rsid';
    if (isHeader && format === null && sites.length === 0) {
      const names = cells.map((c) => c.toLowerCase());
      if (names.join('\t') === HEADER_23ANDME.join('\t')) format = '23andme';
      else if (names.join('\t') === HEADER_ANCESTRY.join('\t')) format = 'ancestrydna';
      else
        throw new ConsumerFormatError(
          `line ${lineNo}: the column header is neither 23andMe's (rsid, chromosome, position, genotype) nor AncestryDNA's (rsid, chromosome, position, allele1, allele2)`,
          [{ line: lineNo, message: 'unknown column header' }],
        );
      columns = names.length;
      continue;
    }
    if (line.startsWith('#')) {
      comments.push(line);
      continue;
    }
    if (format === null) {
      // 23andMe writes its header as a comment; a file without one is told apart by its columns.
      const guess = /23andme/i.test(comments.join('\n'))
        ? '23andme'
        : /ancestry/i.test(comments.join('\n'))
          ? 'ancestrydna'
          : null;
      if (!guess)
        throw new ConsumerFormatError(
          `line ${lineNo}: this is not a 23andMe or AncestryDNA raw-data file (no column header before the first genotype)`,
          [{ line: lineNo, message: 'data before a column header' }],
        );
      format = guess;
      columns = guess === '23andme' ? 4 : 5;
    }
    if (cells.length !== columns) {
      problem(lineNo, `expected ${columns} tab-separated columns, found ${cells.length}`);
      continue;
    }
    const [rsid, rawChrom, rawPos] = cells as [string, string, string];
    const chrom =
      format === 'ancestrydna' ? (ANCESTRY_CHROM[rawChrom] ?? rawChrom) : rawChrom.toUpperCase();
    if (!PRIMARY.has(chrom)) {
      problem(lineNo, `unknown chromosome "${rawChrom}"`);
      continue;
    }
    if (!POSITION.test(rawPos)) {
      problem(lineNo, `position "${rawPos}" is not a positive whole number`);
      continue;
    }
    const genotype =
      format === '23andme' ? cells[3]!.toUpperCase() : `${cells[3]}${cells[4]}`.toUpperCase();
    if (genotype === '--' || genotype === '00' || genotype === '0' || genotype === '-') {
      noCalls += 1;
      continue;
    }
    if (INDEL.test(genotype)) {
      indelCodes += 1;
      continue;
    }
    if (!BASES.test(genotype)) {
      problem(
        lineNo,
        `genotype "${format === '23andme' ? cells[3] : `${cells[3]} ${cells[4]}`}" is not one or two of A, C, G, T (or -- / 0 for no call)`,
      );
      continue;
    }
    sites.push({ line: lineNo, rsid, chrom, pos: Number(rawPos), alleles: [...genotype] });
  }
  if (format === null) throw new ConsumerFormatError('The file holds no genotypes.');
  if (problems.length)
    throw new ConsumerFormatError(
      `${problems.length === MAX_PROBLEMS ? 'At least ' : ''}${problems.length} line(s) could not be read: ${problems
        .slice(0, 5)
        .map((p) => `line ${p.line}: ${p.message}`)
        .join('; ')}`,
      problems,
    );
  const build = buildNamedIn(comments.join('\n'));
  if (!build)
    throw new ConsumerFormatError(
      'The file does not say which genome build it is on (its comments name none, e.g. "build 37"): download it again from your provider, unchanged.',
    );
  return { format, build, sites, noCalls, indelCodes, lines: lines.length };
}
