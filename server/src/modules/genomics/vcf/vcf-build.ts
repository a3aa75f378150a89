import { buildNamedIn, buildOfChromosome1Length, type GenomeBuild } from '../genome-build.js';
import { normaliseChrom } from './contigs.js';
import type { VcfHeader } from './vcf-types.js';

/**
 * The build a VCF header says it is on: its `##reference` line, a contig's `assembly`, or
 * chromosome 1's declared length, in that order. Null when the header tells none of these.
 */
export function vcfBuild(header: VcfHeader): GenomeBuild | null {
  const named = header.reference ? buildNamedIn(header.reference) : null;
  if (named) return named;
  for (const c of header.contigs) {
    const fromAssembly = c.assembly ? buildNamedIn(c.assembly) : null;
    if (fromAssembly) return fromAssembly;
  }
  const chr1 = header.contigs.find((c) => normaliseChrom(c.id) === '1');
  return buildOfChromosome1Length(chr1?.length);
}
