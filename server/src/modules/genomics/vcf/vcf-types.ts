/** How many copies of the alternate allele a sample carries. */
export type Zygosity = 'het' | 'hom' | 'hemi';

/** The zygosity code of each zygosity (1 het, 2 hom, 3 hemi), as in the `variant_calls` view. */
export const ZYGOSITY_CODE: Readonly<Record<Zygosity, 1 | 2 | 3>> = { het: 1, hom: 2, hemi: 3 };

/** One alternate allele of a VCF record; multi-allelic records give one per usable ALT. */
export interface NormalizedVariant {
  /** Normalised: no `chr` prefix, upper case, `M` → `MT`. */
  chrom: string;
  /** 1-based position from the record. */
  pos: number;
  /** Upper case, matches /^[ACGTN]+$/. */
  ref: string;
  /** Upper case, matches /^[ACGTN]+$/. */
  alt: string;
  /** 1-based index of this allele in the record's ALT column. */
  altIndex: number;
  /** Gene symbol from INFO/ANN, INFO/GENE or the caller's gene map, in that order. */
  gene?: string;
  /** The record's ID column (e.g. an rsID) when not `.`. */
  id?: string;
  /** Line of the record in the decompressed file. */
  line: number;
}

/** A sample that carries one alternate allele. Reference and missing calls are never produced. */
export interface NormalizedCall {
  /** Index into the same batch's `variants`: a call and its variant always share a batch. */
  variant: number;
  /** Sample name from the #CHROM line. */
  sample: string;
  /** Index of the sample in `VcfHeader.samples`. */
  sampleIndex: number;
  /** The GT value as written, e.g. `0|1`, `1/2`, `1`. */
  genotype: string;
  zygosity: Zygosity;
  /** 1-based ALT index the call is for (also `variants[variant].altIndex`). */
  altIndex: number;
}

/** What `batches()` yields: whole records only, so a batch can be inserted on its own. */
export interface VcfRecordBatch {
  variants: NormalizedVariant[];
  calls: NormalizedCall[];
  /** Lines of the first and last record in the batch. */
  firstLine: number;
  lastLine: number;
}

/** A contig declared by a `##contig` header line. */
export interface VcfContig {
  id: string;
  length?: number;
  /** The contig's `assembly` attribute, when given (e.g. `GRCh38`, `b37`). */
  assembly?: string;
}

/** What the header says, available before any record is read. */
export interface VcfHeader {
  /** e.g. `VCFv4.2`. */
  fileformat: string;
  /** Sample names in column order (unique, non-empty). */
  samples: string[];
  /** Declared contigs; empty when the header declares none. */
  contigs: VcfContig[];
  /** Number of header lines, the #CHROM line included. */
  lines: number;
  /** The `##reference` line's value, when there is one (it often names the genome build). */
  reference?: string;
}

/** Why part of a file was not turned into variants or calls. */
export type VcfSkipReason =
  /** ALT is `.`: a reference-only site. */
  | 'no-alt'
  /** `<DEL>`, `<DUP>`, `<*>`, `<NON_REF>`…: no sequence to store. */
  | 'symbolic-allele'
  /** `*`: the allele is spanned by an upstream deletion, already stored there. */
  | 'spanning-deletion'
  /** Breakend notation (`N[chr2:123[`). */
  | 'breakend'
  /** FILTER is neither PASS nor `.`, and `passOnly` was set. */
  | 'filtered'
  /** The contig is not in the allow-list and `skipDisallowedContigs` was set. */
  | 'contig-not-allowed'
  /** A sample carries an allele that was skipped for one of the reasons above. */
  | 'call-on-skipped-allele'
  /** The record has samples but no GT in FORMAT. */
  | 'no-genotype-field'
  /** An empty line. */
  | 'blank-line';

/** Counts for the ingest report; complete once `batches()` has finished. */
export interface VcfReport {
  fileformat: string;
  samples: number;
  /** Data lines read (blank lines excluded). */
  records: number;
  /** Normalised variants yielded (one per usable ALT allele). */
  variants: number;
  /** Non-reference calls yielded. */
  calls: number;
  /** Counts by reason; a record skipped for one reason is counted once, an allele once. */
  skipped: Partial<Record<VcfSkipReason, number>>;
  /** Up to five example line numbers per skip reason. */
  skippedExamples: Partial<Record<VcfSkipReason, number[]>>;
  /** Bytes of the file as stored (compressed when gzip). */
  bytesRead: number;
  compressed: boolean;
  elapsedMs: number;
}

/** Progress, reported at most every `progressIntervalMs` and once at the end. */
export interface VcfProgress {
  /** Bytes of the file as stored (compressed) consumed so far. */
  bytesRead: number;
  /** File size when known (a path, or `totalBytes` given). */
  totalBytes?: number;
  /** 0–100 when the size is known. */
  percent?: number;
  records: number;
  calls: number;
  recordsPerSecond: number;
  callsPerSecond: number;
  elapsedMs: number;
  /** Last line read. */
  line: number;
  done: boolean;
}

/** Options of `openVcf` / `readVcf`. */
export interface VcfReadOptions {
  /**
   * Contigs accepted (raw or normalised name). Default: `DEFAULT_HUMAN_CONTIGS`. `'any'`
   * disables the allow-list; a header's `##contig` lines are enforced regardless.
   */
  contigs?: ReadonlySet<string> | 'any';
  /** Skip (and count) records on contigs outside the allow-list instead of failing. */
  skipDisallowedContigs?: boolean;
  /** Gene symbols by variant key (`CHROM-POS-REF-ALT`, see `variantKey`) or `CHROM-POS`. */
  geneMap?: ReadonlyMap<string, string>;
  /** Skip (and count) records whose FILTER is neither PASS nor `.`. */
  passOnly?: boolean;
  /** Called with progress; keep it cheap, it runs on the parsing path. */
  onProgress?: (progress: VcfProgress) => void;
  progressIntervalMs?: number;
  /** Records per batch (default 5,000). */
  batchRecords?: number;
  /** A batch is also closed once it holds this many calls (default 100,000). */
  batchCalls?: number;
  /** Longest accepted line in bytes (default 8 MiB); longer lines fail without being buffered. */
  maxLineBytes?: number;
  /** Size of a stream source, for `percent`. */
  totalBytes?: number;
}
