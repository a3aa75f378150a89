import { openVcf } from '../../genomics/vcf/read-vcf.js';
import type { DuplicateCall } from './call-staging.js';

/**
 * The message for a call the file repeats. Calls are stored batch by batch, so when the first
 * call was stored by an earlier batch of this file, only on this error path is the file read
 * again up to the repeated line to name it (streaming, so memory stays one batch).
 */
export async function repeatedCallMessage(
  path: string,
  sample: string,
  duplicate: DuplicateCall,
): Promise<string> {
  const d = duplicate;
  const earlier =
    d.earlierLine ?? (d.storedByThisIngest ? await earlierLineInFile(path, sample, d) : null);
  return (
    `VCF line ${d.line}: sample ${sample} repeats the call on ${d.chrom}:${d.pos} ${d.ref}>${d.alt} ` +
    (earlier === null
      ? 'already stored for this participant in this dataset'
      : `made at line ${earlier}`)
  );
}

async function earlierLineInFile(
  path: string,
  sample: string,
  d: DuplicateCall,
): Promise<number | null> {
  const reader = await openVcf(path);
  try {
    for await (const batch of reader.batches()) {
      if (batch.firstLine >= d.line) break;
      for (const call of batch.calls) {
        const v = batch.variants[call.variant]!;
        if (
          call.sample === sample &&
          v.line < d.line &&
          v.pos === d.pos &&
          v.chrom === d.chrom &&
          v.ref === d.ref &&
          v.alt === d.alt
        )
          return v.line;
      }
    }
    return null;
  } finally {
    reader.close();
  }
}
