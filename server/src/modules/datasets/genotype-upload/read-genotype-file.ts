import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { ValidationError } from '../../../errors/app-errors.js';
import {
  ConsumerFormatError,
  readConsumerGenotypes,
  type ConsumerFormat,
  type ConsumerSite,
} from '../../genomics/consumer/read-consumer-genotypes.js';
import { STORED_BUILD, type GenomeBuild } from '../../genomics/genome-build.js';
import { reverseComplement, type ChainLiftover } from '../../genomics/liftover/chain-liftover.js';
import { openVcf } from '../../genomics/vcf/read-vcf.js';
import { vcfBuild } from '../../genomics/vcf/vcf-build.js';
import { VcfFormatError } from '../../genomics/vcf/vcf-format-error.js';
import { ZYGOSITY_CODE } from '../../genomics/vcf/vcf-types.js';

/** A call on GRCh38 with its alleles known (from a VCF). */
export interface AlleleCall {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  zygosity: 1 | 2 | 3;
}

/** What a genotype file says, on GRCh38, before it is matched to stored variants. */
export type GenotypeFileContent =
  | {
      format: 'vcf';
      build: GenomeBuild;
      liftedOver: boolean;
      calls: AlleleCall[];
      report: ReadReport;
    }
  | {
      format: ConsumerFormat;
      build: GenomeBuild;
      liftedOver: boolean;
      sites: ConsumerSite[];
      report: ReadReport;
    };

/** Counts for the participant: what was read, converted, and left out and why. */
export interface ReadReport {
  lines: number;
  /** Sites (consumer) or non-reference calls (VCF) read. */
  read: number;
  noCalls: number;
  /** Insertion/deletion codes of consumer files: no sequence to place them. */
  indelCodes: number;
  /** Positions with no place on GRCh38 (conversion from GRCh37 only). */
  unmapped: number;
}

const fileError = (message: string, lines: { line: number; message: string }[] = []) =>
  new ValidationError(
    message,
    lines.length
      ? lines.map((l) => ({ field: 'file', message: `line ${l.line}: ${l.message}` }))
      : [{ field: 'file', message }],
  );

const VCF_MAGIC = '##fileformat=VCF';

/**
 * Reads an uploaded genotype file: a single-sample VCF (plain, gzip or bgzip) or a 23andMe or
 * AncestryDNA raw-data file (plain or gzip). Checks the build (GRCh38 as is; GRCh37 converted
 * with the configured chain; anything else refused) and names bad lines. Throws a
 * ValidationError on the field `file`; it reads only, so nothing is written on any error.
 */
export async function readGenotypeFile(
  bytes: Uint8Array,
  liftover: ChainLiftover | null,
): Promise<GenotypeFileContent> {
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  let plain: Buffer;
  try {
    plain = gz ? gunzipSync(bytes) : Buffer.from(bytes);
  } catch {
    throw fileError('The file looks compressed (gzip) but cannot be decompressed.');
  }
  if (plain.subarray(0, VCF_MAGIC.length).toString('latin1') === VCF_MAGIC)
    return readVcfUpload(bytes, liftover);
  if (plain[0] === 0x50 && plain[1] === 0x4b)
    throw fileError('This is a zip archive: unzip it first and upload the .txt file inside.');
  let consumer;
  try {
    consumer = readConsumerGenotypes(plain.toString('utf8'));
  } catch (err) {
    if (err instanceof ConsumerFormatError) throw fileError(err.message, err.problems);
    throw err;
  }
  const lift = converter(consumer.build, liftover);
  const sites: ConsumerSite[] = [];
  let unmapped = 0;
  for (const site of consumer.sites) {
    if (!lift) {
      sites.push(site);
      continue;
    }
    const to = lift.map(site.chrom, site.pos);
    if (!to) unmapped += 1;
    else
      sites.push({
        ...site,
        chrom: to.chrom,
        pos: to.pos,
        alleles: to.reverse ? site.alleles.map(reverseComplement) : site.alleles,
      });
  }
  return {
    format: consumer.format,
    build: consumer.build,
    liftedOver: lift !== null,
    sites,
    report: {
      lines: consumer.lines,
      read: consumer.sites.length,
      noCalls: consumer.noCalls,
      indelCodes: consumer.indelCodes,
      unmapped,
    },
  };
}

/** The chain to convert a build with (null: already GRCh38), or a clear refusal. */
function converter(build: GenomeBuild, liftover: ChainLiftover | null): ChainLiftover | null {
  if (build === STORED_BUILD) return null;
  if (build === 'GRCh37') {
    if (liftover) return liftover;
    throw fileError(
      'Your file uses an older map of the human genome (GRCh37, also called hg19 or build 37). This server cannot convert it to the map it uses (GRCh38) yet, so nothing was saved. Ask your testing company for a GRCh38 (build 38) file, or ask the platform’s operator to set up the GRCh37 conversion.',
    );
  }
  throw fileError(
    `The file is on genome build ${build}: only GRCh38 and GRCh37 (converted to GRCh38) are accepted.`,
  );
}

async function readVcfUpload(
  bytes: Uint8Array,
  liftover: ChainLiftover | null,
): Promise<GenotypeFileContent> {
  try {
    const reader = await openVcf(Readable.from([Buffer.from(bytes)]), {
      totalBytes: bytes.length,
    });
    if (reader.header.samples.length !== 1) {
      reader.close();
      throw fileError(
        `A VCF you upload must hold one sample (yours); this one holds ${reader.header.samples.length}.`,
      );
    }
    const build = vcfBuild(reader.header);
    if (!build) {
      reader.close();
      throw fileError(
        'The VCF does not say which genome build it is on: add a ##reference line (e.g. ##reference=GRCh38) or ##contig lines with lengths.',
      );
    }
    let lift: ChainLiftover | null;
    try {
      lift = converter(build, liftover);
    } catch (err) {
      reader.close();
      throw err;
    }
    const calls: AlleleCall[] = [];
    let unmapped = 0;
    for await (const batch of reader.batches()) {
      for (const call of batch.calls) {
        const v = batch.variants[call.variant]!;
        const base = { ref: v.ref, alt: v.alt, zygosity: ZYGOSITY_CODE[call.zygosity] };
        if (!lift) {
          calls.push({ chrom: v.chrom, pos: v.pos, ...base });
          continue;
        }
        const to = lift.map(v.chrom, v.pos);
        const snv = v.ref.length === 1 && v.alt.length === 1;
        // On a reversed chain an indel's anchor base moves to the other end: not converted.
        if (!to || (to.reverse && !snv)) unmapped += 1;
        else
          calls.push({
            chrom: to.chrom,
            pos: to.pos,
            ...base,
            ref: to.reverse ? reverseComplement(v.ref) : v.ref,
            alt: to.reverse ? reverseComplement(v.alt) : v.alt,
          });
      }
    }
    return {
      format: 'vcf',
      build,
      liftedOver: lift !== null,
      calls,
      report: {
        lines: reader.header.lines + reader.report.records,
        read: reader.report.calls,
        noCalls: 0,
        indelCodes: 0,
        unmapped,
      },
    };
  } catch (err) {
    if (err instanceof VcfFormatError)
      throw fileError(err.message, [{ line: err.line, message: err.reason }]);
    throw err;
  }
}
