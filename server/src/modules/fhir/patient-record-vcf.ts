import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/query-rows.js';
import { currentUploadedCalls } from '../datasets/genotype-upload/uploaded-calls.js';

/** One of a participant's calls with where it came from. */
type CallRow = {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  zygosity: number;
  source: string;
};

const GT: Record<number, string> = { 1: '0/1', 2: '1/1', 3: '1' };
const CHROM_ORDER = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'];

/**
 * All of a participant's genotype calls as a VCF 4.2 text with one sample column (their
 * pseudonym): the calls of every dataset they are in and of their own uploads, on GRCh38, each
 * record's INFO/SRC naming its source (`dataset:<name>` or `upload:<id>`). Reads only.
 */
export async function participantVcf(
  tx: Tx,
  participant: { num: number; pseudonym: string },
): Promise<{ text: string; calls: number }> {
  const rows = await queryRows<CallRow>(
    tx,
    // Stored calls are carrier arrays per variant of each dataset the participant is a sample
    // in (only those can hold their number).
    sql`select v.chrom, v.pos, v.ref, v.alt,
               case when ${participant.num}::int = any(c.het) then 1
                    when ${participant.num}::int = any(c.hom) then 2 else 3 end as zygosity,
               'dataset:' || d.name as source
          from variant_call_sets c join variants v on v.id = c.variant_id join datasets d on d.id = c.dataset_id
          where c.dataset_id in (select s.dataset_id from samples s join participants p on p.id = s.participant_id
                                 where p.num = ${participant.num})
            and (c.het || c.hom || c.hemi) && array[${participant.num}::int]
        union all
        select v.chrom, v.pos, v.ref, v.alt, c.zygosity, 'upload:' || c.upload_id as source
          from ${currentUploadedCalls()} c join variants v on v.id = c.variant_id
          where c.participant_num = ${participant.num}`,
  );
  const rank = (chrom: string) => {
    const i = CHROM_ORDER.indexOf(chrom);
    return i < 0 ? CHROM_ORDER.length : i;
  };
  rows.sort((a, b) => rank(a.chrom) - rank(b.chrom) || a.pos - b.pos || a.alt.localeCompare(b.alt));
  const lines = [
    '##fileformat=VCFv4.2',
    '##reference=GRCh38',
    '##INFO=<ID=SRC,Number=1,Type=String,Description="Where the call came from: dataset:<name> (a study ingest) or upload:<id> (your own upload)">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    [
      '#CHROM',
      'POS',
      'ID',
      'REF',
      'ALT',
      'QUAL',
      'FILTER',
      'INFO',
      'FORMAT',
      participant.pseudonym,
    ].join('\t'),
    ...rows.map((r) =>
      [
        r.chrom,
        r.pos,
        '.',
        r.ref,
        r.alt,
        '.',
        '.',
        `SRC=${r.source.replace(/[;=\s]/g, '_')}`,
        'GT',
        GT[r.zygosity] ?? './.',
      ].join('\t'),
    ),
  ];
  return { text: `${lines.join('\n')}\n`, calls: rows.length };
}
