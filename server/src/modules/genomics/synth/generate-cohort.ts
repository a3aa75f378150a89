import { mkdir, writeFile } from 'node:fs/promises';
import { SHIPPED_ONTOLOGY_FILES } from '../../ontology/obo/shipped-subsets.js';
import { readOboFile } from '../../ontology/obo/parse-obo.js';
import { SYNTH_GENES } from './genes.js';
import { Prng } from './prng.js';
import {
  planCalls,
  planCarrierCounts,
  planParticipants,
  planVariants,
  SEX_NAMES,
} from './cohort-plan.js';
import { writeParticipantTable, writePhenotypeTable, type SynthTerms } from './write-tables.js';
import { writeVcfSlices, type SliceFile } from './write-vcf-slices.js';

/** Options of `generateSyntheticCohort` (what `consentome synth` passes through). */
export interface SynthOptions {
  participants: number;
  variants: number;
  /** Target number of non-reference calls; the result is within a few calls of it. */
  calls: number;
  seed: number;
  outDir: string;
  /**
   * Participants per VCF (default: all in one file up to 10,000). Each row has one column per
   * sample of its file and exists wherever the file has a carrier, so the text written grows
   * with calls × samplesPerFile: for 1M participants and 10M calls use about 100–500. At 100M
   * calls the rare variants' rows dominate (each is samplesPerFile columns for one or two
   * carriers) while every file adds a fixed ingest cost: about 1,000 balances the two (1M
   * variants: 1,000 files, 418 MiB gzipped, 65 s and 1.7 GB peak RSS to write).
   */
  samplesPerFile?: number;
  /** Write `.vcf.gz` (default) or plain `.vcf`. */
  gzip?: boolean;
  /** Terms for the phenotype table; default: the shipped HPO/MONDO subsets. */
  terms?: SynthTerms;
}

/** `truth.json`: what was generated, for checking a cohort engine. */
export interface SynthTruth {
  generator: 'consentome-synth/1';
  seed: number;
  participants: number;
  variants: number;
  calls: number;
  samplesPerFile: number;
  vcfFiles: SliceFile[];
  participantsFile: 'participants.tsv';
  phenotypesFile: 'phenotypes.tsv';
  phenotypeRows: number;
  sex: Record<(typeof SEX_NAMES)[number], number>;
  /** Variants by carrier count: 1, 2–5, 6+ (not common), common (allele frequency ≥ 5 %). */
  spectrum: { one: number; twoToFive: number; sixOrMore: number; common: number };
  /** Per gene: variants and distinct carriers. */
  genes: Record<string, { variants: number; carriers: number }>;
}

/** A participant pseudonym as written in every generated file: P-SYN000001… */
export function synthPseudonym(i: number): string {
  return `P-SYN${String(i + 1).padStart(6, '0')}`;
}

/**
 * Writes a synthetic cohort into `outDir`: VCF slices, participants.tsv, phenotypes.tsv and
 * truth.json. The same options give the same bytes. Memory is about 9 bytes per call plus
 * 30 bytes per variant; nothing is dense in participants × variants.
 */
export async function generateSyntheticCohort(options: SynthOptions): Promise<SynthTruth> {
  const { participants: n, variants: m, calls: k, seed } = options;
  for (const [name, value] of Object.entries({ participants: n, variants: m, calls: k })) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a positive integer`);
  }
  if (k < m) throw new RangeError('calls must be at least variants: every variant has a carrier');
  if (k > n * m) throw new RangeError('calls cannot exceed participants × variants');
  const samplesPerFile = options.samplesPerFile ?? Math.min(n, 10_000);
  if (!Number.isInteger(samplesPerFile) || samplesPerFile < 1) {
    throw new RangeError('samplesPerFile must be a positive integer');
  }
  await mkdir(options.outDir, { recursive: true });
  const terms = options.terms ?? (await shippedTerms());

  // Separate streams per part, so changing e.g. the phenotype logic leaves the genotypes alone.
  const people = planParticipants(new Prng(seed ^ 0x1), n);
  const variantRng = new Prng(seed ^ 0x2);
  const variants = planVariants(variantRng, m);
  planCarrierCounts(variantRng, variants, n, k);
  const calls = planCalls(new Prng(seed ^ 0x3), variants, n);

  const vcfFiles = await writeVcfSlices({
    dir: options.outDir,
    pseudonyms: synthPseudonym,
    participants: people,
    variants,
    calls,
    samplesPerFile,
    gzip: options.gzip ?? true,
    seed,
  });
  await writeParticipantTable(`${options.outDir}/participants.tsv`, people, synthPseudonym);
  const phenotypeRows = await writePhenotypeTable(
    `${options.outDir}/phenotypes.tsv`,
    new Prng(seed ^ 0x4),
    people,
    synthPseudonym,
    terms,
  );

  const truth: SynthTruth = {
    generator: 'consentome-synth/1',
    seed,
    participants: n,
    variants: m,
    calls: calls.count,
    samplesPerFile,
    vcfFiles,
    participantsFile: 'participants.tsv',
    phenotypesFile: 'phenotypes.tsv',
    phenotypeRows,
    sex: { female: 0, male: 0, other: 0, unknown: 0 },
    spectrum: { one: 0, twoToFive: 0, sixOrMore: 0, common: 0 },
    genes: {},
  };
  for (let i = 0; i < n; i += 1) truth.sex[SEX_NAMES[people.sex[i]!]!] += 1;
  for (let v = 0; v < m; v += 1) {
    const c = variants.carriers[v]!;
    if (variants.q[v]! > 0 && c >= 0.05 * n) truth.spectrum.common += 1;
    else if (c === 1) truth.spectrum.one += 1;
    else if (c <= 5) truth.spectrum.twoToFive += 1;
    else truth.spectrum.sixOrMore += 1;
  }
  // Gene spans do not overlap, so a participant's calls in one gene are never interleaved with
  // calls in another: remembering the last gene counted per participant is enough.
  const lastGene = new Int16Array(n).fill(-1);
  const carriers = new Uint32Array(SYNTH_GENES.length);
  const geneVariants = new Uint32Array(SYNTH_GENES.length);
  for (let v = 0; v < m; v += 1) if (variants.gene[v]! >= 0) geneVariants[variants.gene[v]!]! += 1;
  for (let c = 0; c < calls.count; c += 1) {
    const g = variants.gene[calls.variant[c]!]!;
    const p = calls.participant[c]!;
    if (g >= 0 && lastGene[p] !== g) {
      lastGene[p] = g;
      carriers[g]! += 1;
    }
  }
  SYNTH_GENES.forEach((g, i) => {
    if (geneVariants[i])
      truth.genes[g.symbol] = { variants: geneVariants[i]!, carriers: carriers[i]! };
  });
  await writeFile(`${options.outDir}/truth.json`, `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

async function shippedTerms(): Promise<SynthTerms> {
  const hp = await readOboFile(SHIPPED_ONTOLOGY_FILES.HP);
  const mondo = await readOboFile(SHIPPED_ONTOLOGY_FILES.MONDO);
  const below = (o: typeof hp, root: string) =>
    [...o.graph.descendantsOf(root)].filter((t) => t !== root).sort();
  return {
    phenotypes: [...below(hp, 'HP:0000118'), ...below(mondo, 'MONDO:0000001')],
    onsets: below(hp, 'HP:0003674'),
  };
}
