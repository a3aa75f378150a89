/**
 * A minimal VCF 4.3 text with a GT format line, for the ingest tests: the sample columns and
 * the record lines as given (tab-separated, the FORMAT column included).
 */
export function vcfText(samples: string[], rows: string[]): string {
  return `${[
    '##fileformat=VCFv4.3',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${samples.join('\t')}`,
    ...rows,
  ].join('\n')}\n`;
}
