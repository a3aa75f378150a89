import { finished } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { queryRows } from '../../../db/query-rows.js';
import { isUniqueViolation } from '../../../lib/db-errors.js';

/**
 * Calls of one VCF ingest on their way into `variant_calls`: each batch is COPYed into a
 * temporary table of the connection (emptied at commit, its rows gone with a rollback), then
 * moved with one set-based INSERT inside the ingest's transaction. Batch by batch, so that on a
 * PostgreSQL server the database stores one batch while the reader parses the next (one INSERT
 * at the end ran alone, after the parse, and took two thirds of the time).
 *
 * The staging table has no key, no index and no check, so the server never refuses a COPY into
 * it on account of the data. That matters on PostgreSQL: postgres.js 3.4 resolves the COPY query
 * with the writable stream as soon as the server enters copy mode, and only completes the
 * stream's `final` callback on CommandComplete. An ErrorResponse that arrives after `end()` (a
 * duplicate key is found while the server works through rows already sent) is handed to a query
 * promise that has already settled, and to no stream (the connection forgets it in `final`), so
 * the caller's `finished(stream)` never settles: the hang noted in BENCHMARKS.md. Duplicates are
 * therefore found by the INSERT from staging, which is an ordinary statement and fails normally.
 * (A COPY the server aborts for another reason, a cancel or a lost connection, would still not
 * settle in postgres.js 3.4; nothing in the ingest cancels it.)
 */
const STAGING = 'ingest_call_staging';

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
  holdsRows: boolean;
}

/**
 * Makes sure the connection has the staging table. It is created once per connection and kept
 * (`on commit delete rows` empties it at each commit of a transaction that used it, and a
 * rollback takes its rows away): creating and dropping it in every transaction cost catalog
 * writes that showed as a slower ingest of many small files. Asked first rather than `create …
 * if not exists`, whose notice postgres.js would print.
 */
export async function createCallStaging(tx: Tx): Promise<CallStaging> {
  const [present] = await queryRows<{ present: boolean }>(
    tx,
    sql.raw(`select to_regclass('pg_temp.${STAGING}') is not null as present`),
  );
  if (!present?.present)
    await tx.execute(
      sql.raw(`create temporary table ${STAGING} (variant_id int, participant_num int,
        zygosity smallint, line int) on commit delete rows`),
    );
  return { tx, holdsRows: false };
}

/** One batch of calls for `variant_calls`, as parallel arrays. */
export interface StagedCalls {
  variantIds: number[];
  nums: number[];
  zygosities: number[];
  /** The VCF line of each call's record, kept so that a duplicate can be named. */
  lines: number[];
}

/** A call that repeats one in the same batch or one already in `variant_calls` for the dataset. */
export interface DuplicateCall {
  line: number;
  participantNum: number;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  /** The earlier line when it is in the same batch; null when the first call is already stored. */
  earlierLine: number | null;
}

/** Thrown by `publishCalls` for a repeated call; the caller turns it into a message. */
export class DuplicateCallError extends Error {
  constructor(readonly duplicate: DuplicateCall) {
    super(`VCF line ${duplicate.line}: a repeated call`);
    this.name = 'DuplicateCallError';
  }
}

/**
 * Stores one batch: COPY into the emptied staging table (text format, four integers a row), then
 * one INSERT into `variant_calls` under a savepoint, so that after a unique violation the staging
 * table can still be asked which line repeated what.
 */
export async function publishCalls(
  staging: CallStaging,
  datasetId: string,
  calls: StagedCalls,
): Promise<void> {
  const { tx } = staging;
  const n = calls.variantIds.length;
  if (n === 0) return;
  const parts: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++)
    parts[i] =
      `${calls.variantIds[i]}\t${calls.nums[i]}\t${calls.zygosities[i]}\t${calls.lines[i]}\n`;
  if (staging.holdsRows) await tx.execute(sql.raw(`truncate ${STAGING}`));
  staging.holdsRows = true;
  await copyIntoStaging(tx, parts.join(''));
  try {
    await tx.transaction(async (sp) => {
      await sp.execute(sql`insert into variant_calls (dataset_id, variant_id, participant_num, zygosity)
        select ${datasetId}::uuid, variant_id, participant_num, zygosity from ${sql.raw(STAGING)}`);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const duplicate = await findDuplicate(tx, datasetId);
    if (!duplicate) throw error;
    throw new DuplicateCallError(duplicate);
  }
}

async function copyIntoStaging(tx: Tx, text: string): Promise<void> {
  const columns = `${STAGING} (variant_id, participant_num, zygosity, line)`;
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

/** The first line of the batch whose call repeats an earlier one in the batch or one stored. */
async function findDuplicate(tx: Tx, datasetId: string): Promise<DuplicateCall | null> {
  const staging = sql.raw(STAGING);
  const [row] = await queryRows<{
    line: number;
    participant_num: number;
    chrom: string;
    pos: number;
    ref: string;
    alt: string;
    earlier_line: number | null;
  }>(
    tx,
    sql`with repeated as (
          select line, participant_num, variant_id,
                 lag(line) over (partition by variant_id, participant_num order by line) as earlier_line
          from ${staging}
        ), hits as (
          select line, participant_num, variant_id, earlier_line from repeated where earlier_line is not null
          union all
          select s.line, s.participant_num, s.variant_id, null from ${staging} s
          where exists (select 1 from variant_calls c where c.dataset_id = ${datasetId}::uuid
                        and c.variant_id = s.variant_id and c.participant_num = s.participant_num)
        )
        select h.line, h.participant_num, h.earlier_line, v.chrom, v.pos, v.ref, v.alt
        from hits h join variants v on v.id = h.variant_id
        order by h.line, h.earlier_line nulls first limit 1`,
  );
  return row
    ? {
        line: row.line,
        participantNum: row.participant_num,
        chrom: row.chrom,
        pos: row.pos,
        ref: row.ref,
        alt: row.alt,
        earlierLine: row.earlier_line,
      }
    : null;
}
