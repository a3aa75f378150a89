import { finished } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { pgIntArray } from '../../../db/pg-array.js';
import { queryRows } from '../../../db/query-rows.js';

/**
 * Calls of one VCF ingest on their way into `variant_call_sets`: each batch (one row per
 * record-allele, its carriers as arrays of participant numbers) is COPYed into a temporary table
 * of the connection (emptied at commit, its rows gone with a rollback), checked for repeated calls
 * and moved, by one statement, inside the ingest's transaction. Batch by batch, so that on a
 * PostgreSQL server the database stores one batch while the reader parses the next.
 *
 * The staging table has no key, no index and no check, so the server never refuses a COPY into
 * it on account of the data. That matters on PostgreSQL: postgres.js 3.4 resolves the COPY query
 * with the writable stream as soon as the server enters copy mode, and only completes the
 * stream's `final` callback on CommandComplete. An ErrorResponse that arrives after `end()` is
 * handed to a query promise that has already settled, and to no stream (the connection forgets
 * it in `final`), so the caller's `finished(stream)` never settles: the hang noted in
 * BENCHMARKS.md. Repeated calls are therefore found by an ordinary query after the COPY. (A COPY
 * the server aborts for another reason, a cancel or a lost connection, would still not settle in
 * postgres.js 3.4; nothing in the ingest cancels it.)
 */
const STAGING = 'ingest_call_set_staging';

/** The raw client behind a drizzle transaction: postgres.js or PGlite. */
type RawClient =
  | {
      unsafe(query: string): { writable(): Promise<NodeJS.WritableStream> };
    }
  | {
      query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
    };

function rawClient(tx: Tx): RawClient {
  // drizzle keeps the driver's transaction client on the session; both drivers expose it there.
  return (tx as unknown as { session: { client: RawClient } }).session.client;
}

/** The staging table of one transaction; `holdsRows` spares a TRUNCATE before the first batch. */
export interface CallStaging {
  tx: Tx;
  datasetId: string;
  ingestId: string;
  /** `{…}` of the file's participants who were samples of the dataset before this ingest. */
  priorSamples: string;
  holdsRows: boolean;
}

/**
 * Makes sure the connection has the staging table. It is created once per connection and kept
 * (`on commit delete rows` empties it at each commit of a transaction that used it, and a
 * rollback takes its rows away): creating and dropping it in every transaction cost catalog
 * writes that showed as a slower ingest of many small files. Asked first rather than `create …
 * if not exists`, whose notice postgres.js would print. `ord` is the row's place in the file,
 * so that a repeat within a batch names the later row, even within one record (an ALT listed
 * twice).
 */
export async function ensureCallStagingTable(tx: Tx): Promise<void> {
  const [present] = await queryRows<{ present: boolean }>(
    tx,
    sql.raw(`select to_regclass('pg_temp.${STAGING}') is not null as present`),
  );
  if (!present?.present)
    await tx.execute(
      sql.raw(`create temporary table ${STAGING} (ord int, line int, variant_id int,
        het int[], hom int[], hemi int[]) on commit delete rows`),
    );
}

/**
 * The staging of one ingest, in a transaction that has made sure of the table
 * (`ensureCallStagingTable`).
 */
export function callStaging(
  tx: Tx,
  datasetId: string,
  ingestId: string,
  priorSamples: readonly number[],
): CallStaging {
  return { tx, datasetId, ingestId, priorSamples: pgIntArray(priorSamples), holdsRows: false };
}

/** Makes sure of the staging table, and answers the staging of one ingest. */
export async function createCallStaging(
  tx: Tx,
  datasetId: string,
  ingestId: string,
  priorSamples: readonly number[],
): Promise<CallStaging> {
  await ensureCallStagingTable(tx);
  return callStaging(tx, datasetId, ingestId, priorSamples);
}

/**
 * One batch as COPY text, built by `CallSetText`: a line per record-allele with its carriers.
 */
export interface StagedCallSets {
  text: string;
  rows: number;
}

/**
 * Builds a batch's COPY text, one record-allele at a time: `add` the carriers' participant
 * numbers by zygosity, then `end` the row. Numbers are sorted here (sample columns need not be
 * in participant order), so every stored array is sorted.
 */
export class CallSetText {
  private readonly parts: string[] = [];
  private ord = 0;

  /** Appends the row of variant `variantId` (from VCF line `line`); lists are sorted in place. */
  row(line: number, variantId: number, het: number[], hom: number[], hemi: number[]): void {
    this.parts.push(
      `${this.ord++}\t${line}\t${variantId}\t${arrayText(het)}\t${arrayText(hom)}\t${arrayText(hemi)}\n`,
    );
  }

  /** The batch so far; the builder starts empty again (ordinals keep counting). */
  take(): StagedCallSets {
    const batch = { text: this.parts.join(''), rows: this.parts.length };
    this.parts.length = 0;
    return batch;
  }
}

const byNumber = (a: number, b: number) => a - b;

/** PostgreSQL array input text of sorted integers: `{1,5,9}`. */
function arrayText(nums: number[]): string {
  if (nums.length === 0) return '{}';
  if (nums.length > 1) nums.sort(byNumber);
  return `{${nums.join(',')}}`;
}

/** A call that repeats one in the same batch or one already stored for the dataset. */
export interface DuplicateCall {
  line: number;
  participantNum: number;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  /** The earlier line when it is in the same batch; null when the first call is already stored. */
  earlierLine: number | null;
  /** When stored: true if by this ingest (an earlier batch of the file), false if by another. */
  storedByThisIngest: boolean;
}

/** Thrown by `publishCallSets` for a repeated call; the caller turns it into a message. */
export class DuplicateCallError extends Error {
  constructor(readonly duplicate: DuplicateCall) {
    super(`VCF line ${duplicate.line}: a repeated call`);
    this.name = 'DuplicateCallError';
  }
}

/**
 * Stores one batch: COPY into the emptied staging table, then one statement that looks for a
 * repeated call (a staged row whose carriers overlap those of a stored row of the same dataset
 * and variant, or of an earlier staged row of the same variant) and, only when there is none,
 * moves the batch into `variant_call_sets`. Rows stored by other ingests are compared only for
 * staged rows that carry one of `priorSamples`: calls are stored only for a dataset's samples (in
 * the same transaction as the sample link), so nobody else can have a call there already, and a
 * file of new samples does not read the arrays of every earlier file at its variants. A repeat throws `DuplicateCallError` with nothing of
 * the batch stored (the caller's transaction then rolls the rest back).
 */
export async function publishCallSets(staging: CallStaging, batch: StagedCallSets): Promise<void> {
  const { tx, datasetId, ingestId, priorSamples } = staging;
  if (batch.rows === 0) return;
  if (staging.holdsRows) await tx.execute(sql.raw(`truncate ${STAGING}`));
  const s = sql.raw(STAGING);
  // Only the branches that can find something: a file's first batch has no earlier batch, and a
  // file of new samples has no prior sample. Under the generic plan the first branch read every
  // row of the dataset (a hash join; 9 ms a file of 250 samples after 300 files) to find none.
  const branches = [
    sql`-- Within the batch: an earlier staged row of the same variant.
          select s.ord, s.line, s.variant_id, s.carriers, e.carriers as other,
                 e.line as earlier_line, e.ord as earlier_ord, null::text as stored_by
          from staged s join staged e on e.variant_id = s.variant_id and e.ord < s.ord
          where s.carriers && e.carriers`,
  ];
  if (staging.holdsRows)
    branches.push(sql`-- Earlier batches of this file: an index probe on (variant, dataset, ingest).
          select s.ord, s.line, s.variant_id, s.carriers, c.het || c.hom || c.hemi,
                 null::int, null::int, c.ingest_id::text
          from staged s join variant_call_sets c
            on c.variant_id = s.variant_id and c.dataset_id = ${datasetId}::uuid
           and c.ingest_id = ${ingestId}::uuid
          where s.carriers && (c.het || c.hom || c.hemi)`);
  if (priorSamples !== '{}')
    branches.push(sql`-- Other ingests, only for staged rows carrying a prior sample: the filter on the
          -- staged row alone runs before the join, so a file of new samples reads no stored row.
          -- (As one join with an OR it read every earlier file's row of each variant: 21 ms a
          -- file of 175 records after 400 files.)
          select s.ord, s.line, s.variant_id, s.carriers, c.het || c.hom || c.hemi,
                 null::int, null::int, c.ingest_id::text
          from staged s join variant_call_sets c
            on c.variant_id = s.variant_id and c.dataset_id = ${datasetId}::uuid
          where s.carriers && ${priorSamples}::int[]
            and (c.ingest_id is distinct from ${ingestId}::uuid)
            and s.carriers && (c.het || c.hom || c.hemi)`);
  staging.holdsRows = true;
  await copyIntoStaging(tx, batch.text);
  // `&&` finds an overlap without building the overlap; the repeated number is only computed
  // for the one row reported. The insert runs only when the check found nothing (both read the
  // table as it was before the statement).
  const [row] = await queryRows<RepeatRow>(
    tx,
    sql`with staged as (
          select ord, line, variant_id, het || hom || hemi as carriers from ${s}
        ), repeats as (
          ${sql.join(
            branches,
            sql`
          union all
          `,
          )}
        ), first_repeat as (
          select * from repeats order by ord, earlier_ord nulls first limit 1
        ), moved as (
          insert into variant_call_sets (dataset_id, ingest_id, variant_id, het, hom, hemi)
          select ${datasetId}::uuid, ${ingestId}::uuid, variant_id, het, hom, hemi from ${s}
          where not exists (select 1 from first_repeat)
        )
        select line, variant_id, carriers, other, earlier_line, stored_by from first_repeat`,
  );
  if (row) throw new DuplicateCallError(await describeRepeat(tx, ingestId, row));
}

/** The first repeat the check found: the staged row, and the carriers it shares them with. */
interface RepeatRow extends Record<string, unknown> {
  line: number;
  variant_id: number;
  carriers: number[];
  other: number[];
  /** The earlier line of this batch, or null when the other row is stored. */
  earlier_line: number | null;
  /** The ingest that stored the other row (null for rows carried over by the migration). */
  stored_by: string | null;
}

async function describeRepeat(tx: Tx, ingestId: string, row: RepeatRow): Promise<DuplicateCall> {
  const other = new Set(row.other);
  // The lowest repeated number, so the message does not depend on the order of the arrays. A
  // loop, not `Math.min(...)`: a common allele of a biobank's file shares more carriers than a
  // call may pass arguments (about 120,000).
  let participantNum = Number.POSITIVE_INFINITY;
  for (const n of row.carriers) if (n < participantNum && other.has(n)) participantNum = n;
  const [v] = await queryRows<{ chrom: string; pos: number; ref: string; alt: string }>(
    tx,
    sql`select chrom, pos, ref, alt from variants where id = ${row.variant_id}`,
  );
  return {
    line: row.line,
    participantNum,
    chrom: v!.chrom,
    pos: v!.pos,
    ref: v!.ref,
    alt: v!.alt,
    earlierLine: row.earlier_line,
    storedByThisIngest: row.earlier_line === null && row.stored_by === ingestId,
  };
}

async function copyIntoStaging(tx: Tx, text: string): Promise<void> {
  const columns = `${STAGING} (ord, line, variant_id, het, hom, hemi)`;
  const client = rawClient(tx);
  if ('unsafe' in client) {
    const stream = await client.unsafe(`copy ${columns} from stdin`).writable();
    stream.end(text);
    await finished(stream);
  } else {
    // PGlite reads COPY input from the blob it is handed, as the virtual file /dev/blob.
    await client.query(`copy ${columns} from '/dev/blob'`, [], { blob: new Blob([text]) });
  }
}
