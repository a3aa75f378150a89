import { availableParallelism } from 'node:os';
import type { Queryable } from '../../db/database.js';
import { GENESIS_HASH, eventHash } from './audit-hash.js';
import { inThreadChecker, workerChecker, type RangeChecker } from './audit-verify-pool.js';
import { VERIFY_COPY_COLUMNS, type RangeCheck } from './audit-verify-range.js';

/** The result of recomputing the hash chain. */
export interface AuditVerification {
  ok: boolean;
  checkedEvents: number;
  lastSeq: number;
  headHash: string;
  /** The first event that does not fit the chain, and why. */
  firstBroken: { seq: number; reason: string } | null;
}

/** How verification reads and hashes; the defaults suit any log. */
export interface VerifyOptions {
  /**
   * Worker threads that hash ranges of the log. Default: one per core once the log is longer
   * than one page (a shorter log is hashed in this thread); 0 always hashes in this thread.
   */
  workers?: number;
  /** Events read per COPY (one page is split into one range per worker). */
  pageEvents?: number;
}

const PAGE_EVENTS = 50_000;

/** The raw client behind a drizzle handle: postgres.js or PGlite. */
type RawClient =
  | { unsafe(query: string): { readable(): Promise<NodeJS.ReadableStream> } }
  | { query(query: string): Promise<{ blob?: Blob }> };

function rawClient(db: Queryable): RawClient {
  // drizzle keeps the driver's client (or transaction client) on the session, for both drivers.
  return (db as unknown as { session: { client: RawClient } }).session.client;
}

/**
 * The next page of events after `after`, as COPY text (one line an event, in seq order). COPY
 * hands over bytes with no row objects, type parsing or mapping on the way (≈ 10 µs an event
 * through drizzle's select); the range checker decodes only what it hashes.
 */
async function copyPage(db: Queryable, after: number, limit: number): Promise<Uint8Array> {
  const select = `select ${VERIFY_COPY_COLUMNS} from audit_events where seq > ${after} order by seq limit ${limit}`;
  const client = rawClient(db);
  if ('unsafe' in client) {
    const stream = await client.unsafe(`copy (${select}) to stdout`).readable();
    return new Promise<Uint8Array>((resolve, reject) => {
      // postgres.js 3.4 pauses its socket when a push into the COPY stream finds the buffer
      // full, and resumes it only from the stream's read(), which a stream that has already
      // ended never calls again: the connection then waits forever for the rest of the reply
      // (the next query on it hung). So the stream is consumed in flowing mode (pushes never find
      // it full), and at its end its read() is called once more in case the socket was paused
      // before the listener was attached (the reply's first bytes can arrive with its header).
      const parts: Buffer[] = [];
      stream.on('data', (part: Buffer) => parts.push(part));
      stream.on('error', reject);
      stream.on('end', () => {
        (stream as { _read?: () => void })._read?.();
        resolve(Buffer.concat(parts));
      });
    });
  }
  // PGlite writes COPY output to the virtual file /dev/blob and answers it as a Blob.
  const result = await client.query(`copy (${select}) to '/dev/blob'`);
  return result.blob ? new Uint8Array(await result.blob.arrayBuffer()) : new Uint8Array(0);
}

/** Where each line of a page starts, and where the page ends. */
function lineStarts(bytes: Uint8Array): number[] {
  const starts: number[] = [];
  for (let at = 0; at < bytes.length;) {
    starts.push(at);
    const end = bytes.indexOf(10, at);
    at = end < 0 ? bytes.length : end + 1;
  }
  return starts;
}

/** The seq of the line starting at `start` (its first field). */
function seqAt(bytes: Uint8Array, start: number): number {
  return Number(new TextDecoder().decode(bytes.subarray(start, bytes.indexOf(9, start))));
}

/** Splits a page into `parts` ranges of whole lines, as even as the lines allow. */
function splitPage(bytes: Uint8Array, starts: number[], parts: number): Uint8Array[] {
  const per = Math.ceil(starts.length / Math.max(1, parts));
  const ranges: Uint8Array[] = [];
  for (let i = 0; i < starts.length; i += per)
    ranges.push(bytes.subarray(starts[i], starts[i + per] ?? bytes.length));
  return ranges;
}

/** The chain up to the end of the ranges joined so far. */
interface Head {
  checked: number;
  seq: number;
  hash: string;
}

/**
 * Joins one range to the chain before it, in the order the sequential check would meet its
 * rows: the first row's seq and link against the head, then each row's content (a suspect from
 * the fast path is decided by the full canonicalisation, as before), then the first break the
 * range found inside itself. Answers the failure, or the head after the range.
 */
function joinRange(head: Head, range: RangeCheck): AuditVerification | Head {
  const failure = (index: number, seq: number, hash: string, reason: string) => ({
    ok: false,
    checkedEvents: head.checked + index,
    lastSeq: head.seq + index,
    headHash: hash,
    firstBroken: { seq, reason },
  });
  if (range.count === 0) return head;
  if (range.firstSeq !== head.seq + 1)
    return failure(
      0,
      range.firstSeq,
      head.hash,
      `sequence gap: expected ${head.seq + 1}, found ${range.firstSeq}`,
    );
  if (range.firstPrevHash !== head.hash)
    return failure(0, range.firstSeq, head.hash, 'prev_hash does not match the previous event');
  for (const s of range.suspects) {
    const before = s.index === 0 ? head.hash : s.prevRowHash;
    let recomputed: string;
    try {
      recomputed = eventHash(s.prevHash, { ...s, occurredAt: new Date(s.occurredAtMs) });
    } catch {
      return failure(s.index, s.seq, before, 'payload is not valid JSON');
    }
    if (recomputed !== s.hash)
      return failure(s.index, s.seq, before, 'content does not match its hash (altered)');
  }
  if (range.broken)
    return failure(
      range.broken.index,
      range.broken.seq,
      range.broken.prevRowHash,
      range.broken.reason,
    );
  return { checked: head.checked + range.count, seq: range.lastSeq, hash: range.lastHash };
}

/**
 * Recomputes the whole chain from the first event: sequence numbers must be gap-free, each
 * prev_hash must equal the previous hash, and each hash must match its recomputed value. The
 * first event that fails is named, with the events before it counted as checked.
 *
 * Reads in pages with COPY so memory stays flat however long the log is; each page is split into
 * contiguous ranges hashed in worker threads (a row's hash depends only on the row, so ranges are
 * independent), and the ranges are joined in order at their edges. The next page is read while
 * this one is hashed.
 */
export async function verifyAuditChain(
  db: Queryable,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const pageEvents = options.pageEvents ?? PAGE_EVENTS;
  let head: Head = { checked: 0, seq: 0, hash: GENESIS_HASH };
  let checker: RangeChecker | null = null;
  let parts = 1;
  let next: Promise<Uint8Array> | null = copyPage(db, 0, pageEvents);
  try {
    while (next) {
      const bytes: Uint8Array = await next;
      const starts = lineStarts(bytes);
      // A short page is the last; otherwise read the next page while this one is hashed.
      next =
        starts.length === pageEvents
          ? copyPage(db, seqAt(bytes, starts[starts.length - 1]!), pageEvents)
          : null;
      if (!checker) {
        const workers = options.workers ?? (next ? availableParallelism() : 0);
        checker = workers > 0 ? workerChecker(workers) : inThreadChecker();
        parts = Math.max(1, workers);
      }
      const ranges = await Promise.all(
        splitPage(bytes, starts, parts).map((range) => checker!.check(range)),
      );
      for (const range of ranges) {
        const joined = joinRange(head, range);
        if ('ok' in joined) {
          await next?.catch(() => undefined);
          return joined;
        }
        head = joined;
      }
    }
  } finally {
    await next?.catch(() => undefined);
    await checker?.close();
  }
  return {
    ok: true,
    checkedEvents: head.checked,
    lastSeq: head.seq,
    headHash: head.hash,
    firstBroken: null,
  };
}
